//! A session's output, from its dashboard to its client. The dashboard is
//! read as fast as it writes, so it never waits on a slow client; what the
//! client has not accepted yet is held up to a bound. Past the bound the
//! held output is dropped, and once the client accepts again the dashboard
//! is asked to repaint the whole screen, so the client sees the present
//! state rather than a stale one. A client that accepts nothing for
//! `STALLED_OUTPUT` is dropped.

use std::collections::VecDeque;
use std::future::Future;
use std::os::fd::{AsRawFd, OwnedFd};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use russh::ChannelWriteHalf;
use russh::server::Msg;
use tokio::io::unix::AsyncFd;

use super::Shared;
use super::child;
use super::limits;

/// Cancels an escape sequence cut short by dropped output (CAN, which
/// every VT-style terminal takes as "abandon the sequence"); elsewhere it
/// is ignored.
const CANCEL: u8 = 0x18;

/// Output the client has not accepted yet.
#[derive(Debug)]
pub(super) struct Backlog {
    chunks: VecDeque<Vec<u8>>,
    bytes: usize,
    limit: usize,
    /// Output was dropped: what follows is a change to a screen the client
    /// never saw, worthless until the dashboard repaints.
    behind: bool,
}

/// What [`Backlog::push`] did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Pushed {
    Held,
    /// The bound was hit: this many bytes were dropped.
    Dropped(usize),
    /// Already behind: the bytes were not kept.
    Ignored,
}

impl Backlog {
    pub(super) fn new(limit: usize) -> Backlog {
        Backlog {
            chunks: VecDeque::new(),
            bytes: 0,
            limit,
            behind: false,
        }
    }

    pub(super) fn push(&mut self, data: &[u8]) -> Pushed {
        if self.behind {
            return Pushed::Ignored;
        }
        if self.bytes + data.len() > self.limit {
            let dropped = self.bytes + data.len();
            self.chunks.clear();
            self.bytes = 0;
            self.behind = true;
            return Pushed::Dropped(dropped);
        }
        self.bytes += data.len();
        self.chunks.push_back(data.to_vec());
        Pushed::Held
    }

    /// What is held, oldest first, in one piece of at most `max` bytes
    /// (or one chunk, if that is longer) for one send: a send that takes
    /// long then means a client that reads slowly, not much output.
    pub(super) fn take(&mut self, max: usize) -> Option<Vec<u8>> {
        let mut all = self.chunks.pop_front()?;
        while let Some(next) = self.chunks.front() {
            if all.len() + next.len() > max {
                break;
            }
            all.extend(self.chunks.pop_front().unwrap_or_default());
        }
        self.bytes -= all.len();
        Some(all)
    }

    /// The client accepted a send. True when output had been dropped: the
    /// caller then asks the dashboard for a whole screen, which arrives
    /// after a CAN that ends whatever sequence was cut short.
    pub(super) fn caught_up(&mut self) -> bool {
        if !self.behind {
            return false;
        }
        self.behind = false;
        self.chunks.clear();
        self.chunks.push_back(vec![CANCEL]);
        self.bytes = 1;
        true
    }
}

type Sending<'a> = Pin<
    Box<
        dyn Future<Output = Result<Result<(), russh::Error>, tokio::time::error::Elapsed>>
            + Send
            + 'a,
    >,
>;

/// Copies the dashboard's output to the client until the dashboard ends,
/// then reports its exit status and closes the channel.
pub(super) async fn pump(
    shared: Arc<Shared>,
    id: u64,
    master: Arc<AsyncFd<OwnedFd>>,
    writer: ChannelWriteHalf<Msg>,
    mut process: std::process::Child,
) {
    let pid = process.id();
    let mut backlog = Backlog::new(limits::OUTPUT_LIMIT);
    let mut buf = vec![0u8; limits::OUTPUT_CHUNK];
    // The dashboard's terminal is open: it may write more.
    let mut open = true;
    let mut sending: Option<Sending<'_>> = None;
    loop {
        if sending.is_none() {
            match backlog.take(limits::OUTPUT_CHUNK) {
                Some(data) => {
                    sending = Some(Box::pin(tokio::time::timeout(
                        limits::STALLED_OUTPUT,
                        writer.data_bytes(data),
                    )));
                }
                None if !open => break,
                None => {}
            }
        }
        tokio::select! {
            ready = master.readable(), if open => {
                let Ok(mut ready) = ready else {
                    open = false;
                    continue;
                };
                // A hang-up stays reported: reading on after it would spin.
                let hung_up = ready.ready().is_read_closed();
                let read = ready.try_io(|fd| {
                    // SAFETY: reads into a buffer of the length given.
                    let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
                    if n < 0 {
                        Err(std::io::Error::last_os_error())
                    } else {
                        Ok(n as usize)
                    }
                });
                match read {
                    Err(_would_block) => open = !hung_up,
                    // 0 or EIO: the dashboard has ended and closed its terminal.
                    Ok(Ok(0) | Err(_)) => open = false,
                    Ok(Ok(n)) => {
                        if let Pushed::Dropped(bytes) = backlog.push(&buf[..n]) {
                            super::log(format_args!(
                                "#{id} behind: dropped {} KB of output, repainting when the client catches up",
                                bytes.div_ceil(1024)
                            ));
                        }
                    }
                }
            }
            sent = async { sending.as_mut().expect("a send in flight").await }, if sending.is_some() => {
                sending = None;
                match sent {
                    Ok(Ok(())) => {
                        if backlog.caught_up() && open {
                            super::log(format_args!("#{id} caught up: repainting"));
                            // The dashboard repaints all of its screen when
                            // continued, as after `kill -STOP`.
                            child::signal(pid, libc::SIGCONT);
                        }
                    }
                    Ok(Err(_)) => break,
                    Err(_) => {
                        super::log(format_args!("#{id} dropped: the client stopped reading"));
                        break;
                    }
                }
            }
        }
    }
    drop(sending);
    shared.live.lock().expect("live sessions").remove(&id);
    // Hang up first: the dashboard leaves as on a closed terminal.
    child::signal(pid, libc::SIGHUP);
    let status = tokio::task::spawn_blocking(move || {
        // The watchdog ends a dashboard within seconds of a hang-up; a
        // stuck one is killed after that.
        for _ in 0..40 {
            if let Ok(Some(status)) = process.try_wait() {
                return status.code().unwrap_or(1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        child::signal(pid, libc::SIGKILL);
        process.wait().ok().and_then(|s| s.code()).unwrap_or(1)
    })
    .await
    .unwrap_or(1);
    if shared.stopping.load(Ordering::SeqCst) {
        let _ = writer
            .data_bytes(&b"improve: the server is stopping\r\n"[..])
            .await;
    }
    let _ = writer.exit_status(status as u32).await;
    let _ = writer.eof().await;
    let _ = writer.close().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_held_up_to_the_bound_and_taken_in_pieces_of_at_most_a_send() {
        let mut b = Backlog::new(10);
        assert_eq!(b.push(b"abcd"), Pushed::Held);
        assert_eq!(b.push(b"efgh"), Pushed::Held);
        assert_eq!(b.push(b"ij"), Pushed::Held);
        assert_eq!(b.take(8).as_deref(), Some(&b"abcdefgh"[..]));
        assert_eq!(b.take(8).as_deref(), Some(&b"ij"[..]));
        assert_eq!(b.take(8), None);
        assert!(!b.caught_up(), "nothing was dropped: no repaint");
    }

    #[test]
    fn past_the_bound_everything_held_is_dropped_until_the_client_catches_up() {
        let mut b = Backlog::new(10);
        assert_eq!(b.push(b"abcdefgh"), Pushed::Held);
        assert_eq!(b.push(b"ijk"), Pushed::Dropped(11));
        assert_eq!(b.take(10), None, "nothing stale is sent");
        assert_eq!(b.push(b"l"), Pushed::Ignored);
        assert_eq!(b.take(10), None);
        assert!(b.caught_up(), "the client caught up: repaint");
        assert_eq!(b.push(b"frame"), Pushed::Held);
        assert_eq!(b.take(10).as_deref(), Some(&b"\x18frame"[..]));
        assert!(!b.caught_up());
    }
}
