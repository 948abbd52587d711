//! A connection whose client has stopped reading fails its writes after a
//! while instead of waiting for ever. russh waits on a full socket without
//! a limit, and while it waits it sends no keepalives, so a frozen client
//! that had output coming would otherwise hold its connection for good.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

pub(super) struct StallGuard<S> {
    inner: S,
    limit: Duration,
    /// When the socket has accepted nothing since this was set, the
    /// client is taken as gone.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl<S> StallGuard<S> {
    pub(super) fn new(inner: S, limit: Duration) -> StallGuard<S> {
        StallGuard {
            inner,
            limit,
            deadline: None,
        }
    }

    /// The socket could not take anything now: ready with an error once it
    /// has taken nothing for `limit`.
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let limit = self.limit;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for StallGuard<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for StallGuard<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(done) => {
                self.deadline = None;
                Poll::Ready(done)
            }
            Poll::Pending => self.stalled(cx).map(|r| r.map(|()| 0)),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(done) => {
                self.deadline = None;
                Poll::Ready(done)
            }
            Poll::Pending => self.stalled(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn writes_to_a_peer_that_never_reads_fail_once_the_limit_passes() {
        runtime().block_on(async {
            let (near, _far) = tokio::io::duplex(64);
            let mut guarded = StallGuard::new(near, Duration::from_millis(50));
            let err = guarded.write_all(&[0u8; 4096]).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        });
    }

    #[test]
    fn a_slow_reader_that_keeps_reading_is_never_cut() {
        runtime().block_on(async {
            let (near, mut far) = tokio::io::duplex(64);
            let mut guarded = StallGuard::new(near, Duration::from_millis(200));
            let reader = tokio::spawn(async move {
                let mut got = 0;
                let mut buf = [0u8; 16];
                while got < 4096 {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    got += far.read(&mut buf).await.unwrap();
                }
                got
            });
            // Far longer in all than the limit, never stalled for it.
            guarded.write_all(&[0u8; 4096]).await.unwrap();
            assert_eq!(reader.await.unwrap(), 4096);
        });
    }
}
