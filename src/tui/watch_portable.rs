//! Where there are no Unix signals: wait in crossterm, which sees input and
//! resizes; the console closing ends the process.

use std::io;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ratatui::crossterm::event;

/// Set while `$EDITOR` owns the terminal (only read on Unix).
pub static IN_EDITOR: AtomicBool = AtomicBool::new(false);

/// What woke the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    Input,
    Timeout,
    #[allow(dead_code)]
    Stop(Option<i32>),
}

pub struct Watch;

impl Watch {
    pub fn install() -> io::Result<Watch> {
        Ok(Watch)
    }

    pub fn wait(&mut self, timeout: Duration) -> io::Result<Wake> {
        Ok(if event::poll(timeout)? {
            Wake::Input
        } else {
            Wake::Timeout
        })
    }

    pub fn stopped(&mut self) -> io::Result<Option<Wake>> {
        Ok(None)
    }

    /// Never: `improve serve` is Unix only.
    pub fn take_refresh(&mut self) -> bool {
        false
    }

    pub fn hung_up(&mut self) -> bool {
        false
    }

    pub fn stop_flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
        std::sync::Arc::default()
    }

    pub fn take_suspend(&mut self) -> bool {
        false
    }

    pub fn take_resumed(&mut self) -> bool {
        false
    }
}

/// No job control here: suspending is not offered.
pub fn stop_self() {}
