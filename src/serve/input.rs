//! A session's keys, from its client to its dashboard. The connection
//! never waits on a dashboard that is not reading (that would hold up its
//! keepalives too): keys past a bound are dropped.

use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::unix::AsyncFd;
use tokio::sync::mpsc;

/// Input waiting for a dashboard, in chunks and in bytes: a client that
/// types faster than its dashboard reads loses the excess, never the
/// server's memory.
const INPUT_QUEUE: usize = 256;
const INPUT_LIMIT: usize = 64 * 1024;

/// The sending end, held by the connection.
pub(super) struct Input {
    queue: mpsc::Sender<Vec<u8>>,
    /// Bytes queued and not yet taken by the writer.
    pending: Arc<AtomicUsize>,
    /// Keys are being dropped (logged once until they fit again).
    dropping: bool,
}

impl Input {
    /// Starts the writer for the dashboard on `master`; it ends when the
    /// `Input` is dropped or the dashboard's terminal hangs up.
    pub(super) fn start(master: Arc<AsyncFd<OwnedFd>>) -> Input {
        let (queue, receiver) = mpsc::channel(INPUT_QUEUE);
        let pending = Arc::new(AtomicUsize::new(0));
        tokio::spawn(write_input(master, receiver, Arc::clone(&pending)));
        Input {
            queue,
            pending,
            dropping: false,
        }
    }

    /// Queues `data` for the dashboard, or drops it if the queue is full.
    pub(super) fn offer(&mut self, id: u64, data: &[u8]) {
        let fits = self.pending.fetch_add(data.len(), Ordering::SeqCst) + data.len() <= INPUT_LIMIT
            && self.queue.try_send(data.to_vec()).is_ok();
        if fits {
            self.dropping = false;
            return;
        }
        self.pending.fetch_sub(data.len(), Ordering::SeqCst);
        if !self.dropping {
            super::log(format_args!(
                "#{id} keys dropped: the dashboard is not reading them"
            ));
        }
        self.dropping = true;
    }
}

/// Feeds the client's keys to the dashboard.
async fn write_input(
    master: Arc<AsyncFd<OwnedFd>>,
    mut queue: mpsc::Receiver<Vec<u8>>,
    pending: Arc<AtomicUsize>,
) {
    while let Some(bytes) = queue.recv().await {
        // Counted out when taken: the terminal's own buffer holds it next.
        pending.fetch_sub(bytes.len(), Ordering::SeqCst);
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let Ok(mut ready) = master.writable().await else {
                return;
            };
            // The dashboard has ended and closed its terminal: nothing
            // will read the rest, and the hang-up would report the
            // terminal writable for ever (a busy loop that stalls every
            // session on this thread).
            if ready.ready().is_write_closed() {
                return;
            }
            match ready.try_io(|fd| {
                // SAFETY: writes from a buffer of the length given.
                let n = unsafe { libc::write(fd.as_raw_fd(), rest.as_ptr().cast(), rest.len()) };
                if n < 0 {
                    Err(std::io::Error::last_os_error())
                } else {
                    Ok(n as usize)
                }
            }) {
                Err(_would_block) => continue,
                // Nothing taken and no error: a terminal that is going.
                Ok(Ok(0) | Err(_)) => return,
                Ok(Ok(n)) => rest = &rest[n..],
            }
        }
    }
}
