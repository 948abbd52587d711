//! Opening text in the user's editor and coming back intact.

use std::io::{self, Write};
use std::process::Command;

use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// `$VISUAL`, then `$EDITOR`, then `vi`.
fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Hands the terminal to the editor with `text` in a temporary file and
/// returns what was saved. The terminal is given back in every case.
pub fn edit(text: &str) -> Result<String, String> {
    let path = std::env::temp_dir().join(format!(
        "improve-{}-{}.md",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut out = io::stdout();
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = out.flush();
    // Through the shell, so an editor with arguments ("code --wait") works.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor()))
        .arg("improve-editor")
        .arg(&path)
        .status();
    let _ = enable_raw_mode();
    let _ = execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste);
    let result = match status {
        Ok(s) if s.success() => {
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read it back: {e}"))
        }
        Ok(s) => Err(format!("{} exited with {s}; text unchanged", editor())),
        Err(e) => Err(format!("cannot start {}: {e}", editor())),
    };
    let _ = std::fs::remove_file(&path);
    result
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}
