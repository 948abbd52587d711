//! `improve serve` and clients that misbehave. One that stops reading: the
//! server keeps only a bounded backlog, drops the rest, and repaints the
//! whole screen once the client reads again. One that types on after its
//! dashboard ended: the server drops the keys and serves everyone else. The client is russh's own, over a socket whose
//! reading the test can pause (OpenSSH cannot be paused this precisely:
//! its 2 MB window and the kernel's buffers hide a pause for megabytes).

#![cfg(all(unix, feature = "serve"))]

mod common;

use std::pin::Pin;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use russh::client;
use russh::keys::PrivateKeyWithHashAlg;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A TCP stream whose reading can be paused: the client then accepts
/// nothing, as a stalled link or a frozen terminal would.
struct Gated {
    inner: tokio::net::TcpStream,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    paused: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Gate {
    fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
    }
    fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
        if let Some(w) = self.waker.lock().unwrap().take() {
            w.wake();
        }
    }
}

impl AsyncRead for Gated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.gate.paused.load(Ordering::SeqCst) {
            *self.gate.waker.lock().unwrap() = Some(cx.waker().clone());
            // Resumed between the check and storing the waker.
            if self.gate.paused.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Gated {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

struct Server {
    _dir: tempfile::TempDir,
    process: Child,
    port: u16,
    log: Arc<Mutex<String>>,
    key: std::path::PathBuf,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ana");
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "ana", "-f"])
            .arg(&key)
            .status()
            .expect("ssh-keygen (openssh-client) is needed for these tests");
        assert!(status.success());
        let db = dir.path().join("r.db");
        common::server_log::sample(&db);
        let (process, log, port) = common::server_log::serve(
            &db,
            [
                "--editors".as_ref(),
                dir.path().join("ana.pub").as_os_str(),
                "--host-key".as_ref(),
                dir.path().join("host_key").as_os_str(),
            ],
        );
        Server {
            _dir: dir,
            process,
            port,
            log,
            key,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn a_client_that_stops_reading_is_repainted_whole_when_it_reads_again() {
    let server = Server::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let gate = Arc::new(Gate::default());
        let socket = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
            .await
            .unwrap();
        let config = Arc::new(client::Config {
            // A small window: the server must hold what the client cannot
            // take yet.
            window_size: 64 * 1024,
            ..Default::default()
        });
        let stream = Gated {
            inner: socket,
            gate: Arc::clone(&gate),
        };
        let mut session = client::connect_stream(config, stream, Trusting)
            .await
            .unwrap();
        let key = russh::keys::load_secret_key(&server.key, None).unwrap();
        let auth = session
            .authenticate_publickey("ana", PrivateKeyWithHashAlg::new(Arc::new(key), None))
            .await
            .unwrap();
        assert!(auth.success(), "ana's key was refused");
        let channel = session.channel_open_session().await.unwrap();
        channel
            .request_pty(false, "xterm-256color", 200, 60, 0, 0, &[])
            .await
            .unwrap();
        channel.request_shell(false).await.unwrap();
        let (mut read, write) = channel.split();
        let seen = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                if let russh::ChannelMsg::Data { data } = msg {
                    sink.lock().unwrap().extend_from_slice(&data);
                }
            }
        });
        let shows = |text: &str| position(&seen.lock().unwrap(), text.as_bytes()).is_some();
        wait_until("the first frame", || shows("Backlog")).await;

        gate.pause();
        // Help on, help off, until the server has more than it will hold.
        let mut toggles = 0;
        while !server.log().contains("behind: dropped") {
            assert!(toggles < 20_000, "never behind:\n{}", server.log());
            write.data(&b"?"[..]).await.unwrap();
            toggles += 1;
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        if toggles % 2 == 1 {
            // Help off again: the screen to expect is the backlog.
            write.data(&b"?"[..]).await.unwrap();
        }
        let before = seen.lock().unwrap().len();
        gate.resume();
        wait_until("a repaint", || {
            server.log().contains("caught up: repainting")
        })
        .await;
        // After the CAN, the dashboard erases the screen and draws it all.
        wait_until("the whole screen again", || {
            let seen = seen.lock().unwrap();
            let after = &seen[before..];
            position(after, b"\x18").is_some_and(|can| {
                position(&after[can..], b"\x1b[2J")
                    .is_some_and(|erase| position(&after[can + erase..], b"Backlog").is_some())
            })
        })
        .await;
        assert!(
            !server.log().contains("dropped: the client"),
            "the session should have been kept:\n{}",
            server.log()
        );
        // And it is still a live dashboard.
        let now = seen.lock().unwrap().len();
        write.data(&b"?"[..]).await.unwrap();
        wait_until("help after the repaint", || {
            seen.lock().unwrap().len() > now
        })
        .await;
    });
}

/// The server's dashboards: their process ids.
fn children(server: &Server) -> Vec<i32> {
    let me = server.process.id().to_string();
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...: comm may hold spaces, so from ')'.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        if after.split(' ').nth(1) == Some(me.as_str()) {
            pids.push(entry.file_name().to_string_lossy().parse().unwrap());
        }
    }
    pids
}

fn connect(server: &Server) -> common::pty::Session {
    let mut ssh = portable_pty::CommandBuilder::new("ssh");
    ssh.args(["-F", "/dev/null", "-p", &server.port.to_string()]);
    ssh.args([
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
    ]);
    ssh.args([
        "-o",
        "LogLevel=ERROR",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
    ]);
    ssh.arg("-i");
    ssh.arg(&server.key);
    ssh.args(["-tt", "ana@127.0.0.1"]);
    common::pty::Session::spawn(ssh, 80, 24)
}

#[test]
fn keys_left_for_a_dashboard_that_ended_are_dropped_and_the_server_serves_on() {
    let server = Server::start();
    let mut first = connect(&server);
    first.wait_for("Backlog");
    let pids = children(&server);
    assert_eq!(pids.len(), 1);
    // The dashboard reads nothing while stopped: the keys pile up, far
    // more than its terminal holds; then it ends with them unread.
    // SAFETY: kill(2) on the dashboard this test's server started.
    unsafe { libc::kill(pids[0], libc::SIGSTOP) };
    first.send(&vec![b'x'; 256 * 1024]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.log().contains("keys dropped") {
        assert!(
            Instant::now() < deadline,
            "the server kept every key:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: as above.
    unsafe { libc::kill(pids[0], libc::SIGKILL) };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.log().contains(" disconnect ") {
        assert!(
            Instant::now() < deadline,
            "the session never ended:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The next person still gets a dashboard.
    let mut next = connect(&server);
    next.wait_for("Backlog");
}
