//! Progress of long work on standard error, only when it is a terminal:
//! into a file, a pipe or a log nothing extra is written.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this many initiatives, `demo` is over before a bar is worth drawing.
pub(super) const DEMO_BAR_FROM: usize = 2_000;
/// A register file this large takes a noticeable while to export (about
/// 3,000 generated initiatives with their histories).
pub(super) const EXPORT_BYTES_FROM: u64 = 16 << 20;
/// An import file of this many bytes counts as large before it is parsed.
pub(super) const IMPORT_BYTES_FROM: usize = 1 << 20;

/// A bar or a spinner that clears itself when dropped; nothing at all when
/// standard error is not a terminal.
pub(super) struct Progress(Option<ProgressBar>);

fn shown() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

impl Progress {
    pub fn none() -> Progress {
        Progress(None)
    }

    /// `len` units of `what` ("initiatives"), counted with [`Progress::set`].
    pub fn bar(len: u64, what: &str) -> Progress {
        if !shown() {
            return Progress::none();
        }
        let style = ProgressStyle::with_template(&format!(
            "{{spinner}} {{msg}} [{{wide_bar}}] {{human_pos}}/{{human_len}} {what}, {{eta}} left"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress(Some(bar))
    }

    /// Work without a count: a spinner with what is being done and for how long.
    pub fn spinner(message: &str) -> Progress {
        if !shown() {
            return Progress::none();
        }
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    pub fn set(&self, done: u64) {
        if let Some(bar) = &self.0 {
            bar.set_position(done);
        }
    }

    /// What is being done now ("writing CSV").
    pub fn phase(&self, message: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(message.to_owned());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // The result line that follows starts on a clean line.
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}
