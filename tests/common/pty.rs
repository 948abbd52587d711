//! The real binary in a real pseudo-terminal: keys in, the screen's bytes
//! out, collected from a reader thread.
//!
//! ratatui writes only the cells that changed, so a needle to wait for must
//! be text that arrives in one piece: a fresh word or a frame marker.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_improve");

/// End of a synchronized update: one per frame drawn.
pub const FRAME_END: &str = "\x1b[?2026l";

/// `improve --db <db>`: the dashboard on `db`.
pub fn dashboard(db: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("--db");
    cmd.arg(db);
    cmd
}

pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    rx: mpsc::Receiver<Vec<u8>>,
    seen: Vec<u8>,
    /// How long `wait_for` and `wait_for_n` wait before failing the test.
    pub timeout: Duration,
}

impl Session {
    /// Runs `cmd` in a `cols` x `rows` xterm-256color pseudo-terminal.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Session {
        Session::start(cmd, cols, rows, None)
    }

    /// As `spawn`, but the reader thread stops once `last` has arrived, so
    /// that `hang_up` really closes the terminal (the thread's copy of it
    /// would otherwise keep it open).
    pub fn spawn_reading_until(cmd: CommandBuilder, cols: u16, rows: u16, last: &str) -> Session {
        Session::start(cmd, cols, rows, Some(last.to_owned()))
    }

    fn start(mut cmd: CommandBuilder, cols: u16, rows: u16, last: Option<String>) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let mut seen = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
                if let Some(last) = &last {
                    seen.extend_from_slice(&buf[..n]);
                    if count(&seen, last) > 0 {
                        break;
                    }
                }
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Session {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            rx,
            seen: Vec::new(),
            timeout: Duration::from_secs(10),
        }
    }

    /// Everything the program has written so far.
    pub fn bytes(&self) -> &[u8] {
        &self.seen
    }

    /// Everything the program has written so far, as text.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }

    /// How many times `needle` has been written so far.
    pub fn count(&self, needle: &str) -> usize {
        count(&self.seen, needle)
    }

    pub fn wait_for(&mut self, needle: &str) {
        self.wait_for_n(needle, 1);
    }

    /// Reads until `needle` has been written `times` times; fails the test
    /// with everything written so far if that takes longer than `timeout`.
    pub fn wait_for_n(&mut self, needle: &str, times: usize) {
        let deadline = Instant::now() + self.timeout;
        while self.count(needle) < times {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(_) => panic!(
                    "timed out waiting for {needle:?} ({} of {times} seen); output:\n{}",
                    self.count(needle),
                    self.output()
                ),
            }
        }
    }

    /// Reads what arrives within `wait`; false if nothing did.
    pub fn read_more(&mut self, wait: Duration) -> bool {
        match self.rx.recv_timeout(wait) {
            Ok(chunk) => {
                self.seen.extend(chunk);
                true
            }
            Err(_) => false,
        }
    }

    /// Reads for all of `time`; returns what arrived meanwhile.
    pub fn read_for(&mut self, time: Duration) -> &[u8] {
        let mark = self.seen.len();
        let end = Instant::now() + time;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        &self.seen[mark..]
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &[u8]) {
        let writer = self.writer.as_mut().expect("the terminal is hung up");
        writer.write_all(keys).unwrap();
        writer.flush().unwrap();
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let master = self.master.as_ref().expect("the terminal is hung up");
        master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// The terminal's mode, as text: it contains "ICANON" and "ECHO" when
    /// the terminal is in its normal (cooked) mode.
    pub fn termios(&self) -> String {
        let master = self.master.as_ref().expect("the terminal is hung up");
        format!("{:?}", master.get_termios().expect("termios"))
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().unwrap() as i32
    }

    /// Closes the terminal, as when an SSH connection drops.
    pub fn hang_up(&mut self) {
        self.writer = None;
        self.master = None;
    }

    /// The exit status if the program ends within `time` (then reads the
    /// rest of its output); `None`, and the program killed, if it does not.
    pub fn wait_exit(&mut self, time: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + time;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while self.read_more(Duration::from_millis(200)) {}
        Some(status)
    }
}

impl Drop for Session {
    /// A test that fails half-way leaves no program behind.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// How many times `needle` occurs in `bytes` read as text.
fn count(bytes: &[u8], needle: &str) -> usize {
    String::from_utf8_lossy(bytes).matches(needle).count()
}
