//! Opening text in the user's editor and coming back intact.
//!
//! The text may be private (notes, descriptions), so it goes to a file
//! created exclusively with mode 0600 under a random name: never through an
//! existing name or a link planted in a shared temporary folder, and removed
//! afterwards whatever the editor did.

use std::io::{self, Write};
use std::path::Path;
use std::process::Command;

use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::files;

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
    let mut out = io::stdout();
    super::terminal::mouse_capture(&mut out, false);
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    let _ = out.flush();
    let result = edit_in(&temp_builder(), &std::env::temp_dir(), &editor(), text);
    let _ = enable_raw_mode();
    let mut out = io::stdout();
    super::terminal::mouse_capture(&mut out, true);
    let _ = execute!(out, EnterAlternateScreen, EnableBracketedPaste);
    result
}

/// `improve-XXXXXX.md`: the suffix lets the editor pick Markdown mode.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix("improve-").suffix(".md");
    b
}

/// The terminal-free part of [`edit`]: the private file, the editor run
/// through the shell (so "code --wait" works), the text read back.
fn edit_in(
    builder: &tempfile::Builder,
    dir: &Path,
    editor: &str,
    text: &str,
) -> Result<String, String> {
    // `tempfile` opens with O_CREAT|O_EXCL and mode 0600: an existing name,
    // a symlink included, is never opened, and nobody else can read it.
    let mut file = builder
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a private file in {}: {e}", dir.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("cannot write {}: {e}", file.path().display()))?;
    // Closed before the editor runs (some editors cannot write a file held
    // open elsewhere); the `TempPath` still removes it when dropped, on
    // every return below.
    let path = file.into_temp_path();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("improve-editor")
        .arg(&path)
        .status();
    let result = match status {
        // Bounded: an editor that left a FIFO or a huge file there must not
        // hang or swamp the dashboard.
        Ok(s) if s.success() => files::read_regular_text(&path, files::MAX_INPUT)
            .map_err(|e| format!("cannot read it back: {e}")),
        Ok(s) => Err(format!("{editor} exited with {s}; text unchanged")),
        Err(e) => Err(format!("cannot start {editor}: {e}")),
    };
    // An explicit close, so a failure to remove is at least not silent in
    // debug builds; the text is already read.
    let _ = path.close();
    result
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    /// A fake editor that records what it was given while it runs: the
    /// path, its mode, whether it is a link and its owner, then appends a
    /// line and exits with `code`.
    fn fake_editor(dir: &Path, code: i32) -> String {
        let script = dir.join("fake-editor");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\n\
                 rec='{rec}'\n\
                 printf '%s\\n' \"$1\" > \"$rec\"\n\
                 stat -c '%a %F %u' \"$1\" >> \"$rec\"\n\
                 if [ -L \"$1\" ]; then echo link >> \"$rec\"; else echo nolink >> \"$rec\"; fi\n\
                 printf 'edited\\n' >> \"$1\"\n\
                 exit {code}\n",
                rec = dir.join("record").display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script.display().to_string()
    }

    fn record(dir: &Path) -> Vec<String> {
        std::fs::read_to_string(dir.join("record"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_file_is_private_while_the_editor_runs_and_gone_afterwards() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let out = edit_in(
            &temp_builder(),
            &tmp,
            &fake_editor(dir.path(), 0),
            "secret\n",
        );
        assert_eq!(out.unwrap(), "secret\nedited\n");
        let rec = record(dir.path());
        let uid = unsafe { libc::geteuid() };
        assert_eq!(rec[1], format!("600 regular file {uid}"), "{rec:?}");
        assert_eq!(rec[2], "nolink");
        let name = Path::new(&rec[0]).file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("improve-") && name.ends_with(".md"),
            "{name}"
        );
        assert!(!Path::new(&rec[0]).exists(), "left behind: {}", rec[0]);
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    }

    #[test]
    fn the_file_is_removed_when_the_editor_fails_or_cannot_start() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let err = edit_in(&temp_builder(), &tmp, &fake_editor(dir.path(), 3), "x").unwrap_err();
        assert!(err.contains("exited with"), "{err}");
        assert!(!Path::new(&record(dir.path())[0]).exists());
        let err = edit_in(&temp_builder(), &tmp, "/nonexistent/editor", "x").unwrap_err();
        assert!(err.contains("exited with"), "{err}");
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    }

    /// With the random part taken away the name is fully predictable; a
    /// link planted there is refused, not followed, and its target untouched.
    #[test]
    fn a_planted_link_at_the_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut predictable = temp_builder();
        predictable.rand_bytes(0);
        let planted = dir.path().join("improve-.md");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let err = edit_in(
            &predictable,
            dir.path(),
            &fake_editor(dir.path(), 0),
            "leak",
        )
        .unwrap_err();
        assert!(err.contains("cannot create a private file"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let mode = std::fs::metadata(&victim).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o644);
        assert!(!dir.path().join("record").exists(), "the editor ran");
        // A dangling link is refused too (O_EXCL, not an exists() check).
        std::fs::remove_file(&planted).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &planted).unwrap();
        assert!(edit_in(&predictable, dir.path(), "true", "leak").is_err());
        assert!(!dir.path().join("nowhere").exists());
    }

    /// With the real random names, a folder full of planted links changes
    /// nothing: the editor still gets a fresh private file.
    #[test]
    fn planted_links_under_likely_names_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let pid = std::process::id();
        for i in 0..50 {
            let name = format!("improve-{pid}-{i}.md");
            std::os::unix::fs::symlink(&victim, tmp.join(name)).unwrap();
        }
        let out = edit_in(&temp_builder(), &tmp, &fake_editor(dir.path(), 0), "t\n");
        assert_eq!(out.unwrap(), "t\nedited\n");
        assert_eq!(record(dir.path())[2], "nolink");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 50);
    }
}
