//! `improve serve` end to end: the real server on loopback, the OpenSSH
//! client in a pseudo-terminal, editors', viewers' and strangers' keys made
//! by ssh-keygen.

#![cfg(all(unix, feature = "serve"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::pty::{BIN, FRAME_END, Session};
use portable_pty::CommandBuilder;

struct Server {
    dir: tempfile::TempDir,
    process: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

fn keygen(dir: &Path, name: &str) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(dir.join(name))
        .status()
        .expect("ssh-keygen (openssh-client) is needed for these tests");
    assert!(status.success());
}

impl Server {
    /// A sample register served to editor `ana` and viewer `vera`; `eve`
    /// has a key nobody listed.
    fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        for name in ["ana", "vera", "eve"] {
            keygen(dir.path(), name);
        }
        std::fs::copy(dir.path().join("ana.pub"), dir.path().join("editors")).unwrap();
        std::fs::copy(dir.path().join("vera.pub"), dir.path().join("viewers")).unwrap();
        let db = dir.path().join("r.db");
        common::server_log::sample(&db);
        let mut args: Vec<std::ffi::OsString> = vec!["--editors".into()];
        args.push(dir.path().join("editors").into());
        args.push("--viewers".into());
        args.push(dir.path().join("viewers").into());
        args.push("--host-key".into());
        args.push(dir.path().join("host_key").into());
        args.extend(extra.iter().map(Into::into));
        let (process, log, port) = common::server_log::serve(&db, args);
        Server {
            dir,
            process,
            port,
            log,
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("r.db")
    }

    fn ssh_args(&self, key: &str) -> Vec<String> {
        [
            "-F",
            "/dev/null",
            "-p",
            &self.port.to_string(),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-i",
            &self.dir.path().join(key).display().to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// `ssh -tt` as `key` in a pseudo-terminal of its own.
    fn connect(&self, key: &str, cols: u16, rows: u16) -> Session {
        let mut cmd = CommandBuilder::new("ssh");
        cmd.args(self.ssh_args(key));
        cmd.args(["-tt", "someone@127.0.0.1"]);
        Session::spawn(cmd, cols, rows)
    }

    /// `ssh` as `key` without a terminal, running `args`.
    fn run(&self, key: &str, args: &[&str]) -> std::process::Output {
        Command::new("ssh")
            .args(self.ssh_args(key))
            .arg("someone@127.0.0.1")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn wait_log(&self, needle: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.log().matches(needle).count() < times {
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in the server's log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's dashboards: their process ids.
    fn children(&self) -> Vec<u32> {
        let me = self.process.id().to_string();
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

    fn wait_children(&self, n: usize) -> Vec<u32> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let pids = self.children();
            if pids.len() == n {
                return pids;
            }
            assert!(
                Instant::now() < deadline,
                "{} dashboards, not {n}; log:\n{}",
                pids.len(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn list(&self) -> String {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(self.db())
            .args(["list", "--json"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        unsafe_kill(self.process.id(), libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.process.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for pid in self.children() {
            unsafe_kill(pid, libc::SIGKILL);
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn unsafe_kill(pid: u32, signal: i32) {
    // SAFETY: kill(2) on a process this test started.
    unsafe {
        libc::kill(pid as i32, signal);
    }
}

fn environ(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/environ"))
        .unwrap()
        .split(|b| *b == 0)
        .filter(|v| !v.is_empty())
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

#[test]
fn an_editors_change_lands_under_the_keys_name_and_reaches_a_viewer() {
    let server = Server::start(&[]);
    let mut viewer = server.connect("vera", 100, 30);
    viewer.wait_for("Backlog");
    let mut editor = server.connect("ana", 100, 30);
    editor.wait_for("Backlog");
    let pids = server.wait_children(2);
    let env: Vec<Vec<String>> = pids.iter().map(|p| environ(*p)).collect();
    let ana = env
        .iter()
        .find(|e| e.contains(&"IMPROVE_USER=ana".to_string()))
        .expect("a dashboard signed as ana");
    assert!(ana.contains(&"IMPROVE_SESSION=ssh".to_string()), "{ana:?}");
    for e in &env {
        for var in e {
            let name = var.split('=').next().unwrap();
            assert!(
                [
                    "TERM",
                    "IMPROVE_DB",
                    "IMPROVE_USER",
                    "IMPROVE_SESSION",
                    "NO_COLOR",
                    "LANG"
                ]
                .contains(&name)
                    || name.starts_with("LC_"),
                "the dashboard's environment holds {var}"
            );
        }
    }
    editor.send(b"a");
    editor.wait_for("Title");
    editor.send(b"Served from afar");
    editor.send(b"\x13");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.list().contains("Served from afar") {
        assert!(
            Instant::now() < deadline,
            "the editor's change never landed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The viewer's dashboard redraws with it, told by the server's watcher.
    viewer.wait_for("Served from afar");
    assert!(server.log().contains("auth accepted"), "{}", server.log());
}

#[test]
fn a_viewer_is_refused_every_write_and_sees_only_what_a_viewer_can_do() {
    let server = Server::start(&[]);
    let before = server.list();
    let mut viewer = server.connect("vera", 100, 30);
    viewer.wait_for("Backlog");
    assert!(
        !viewer.output().contains("a add"),
        "a viewer's footer offers no add"
    );
    viewer.send(b"a");
    viewer.wait_for("you are viewing over SSH");
    viewer.send(b">");
    viewer.send(b"d");
    viewer.send(b"?");
    viewer.wait_for("not listed");
    assert_eq!(server.list(), before, "the register is unchanged");
}

#[test]
fn ctrl_e_runs_no_editor_over_ssh() {
    let server = Server::start(&[]);
    let mut editor = server.connect("ana", 100, 30);
    editor.wait_for("Backlog");
    editor.send(b"a");
    editor.wait_for("Title");
    // To the description, a long text field, then the editor key.
    editor.send(b"\t");
    editor.send(b"\x05");
    editor.wait_for("not available over SSH");
}

#[test]
fn strangers_commands_forwarding_and_terminal_less_sessions_are_refused() {
    let server = Server::start(&[]);
    let stranger = server.run("eve", &[]);
    assert!(!stranger.status.success());
    assert!(
        String::from_utf8_lossy(&stranger.stderr).contains("Permission denied"),
        "{stranger:?}"
    );
    server.wait_log("auth refused", 1);

    let marker = server.dir.path().join("ran");
    let exec = server.run("ana", &["touch", &marker.display().to_string()]);
    assert!(!exec.status.success(), "{exec:?}");
    assert!(!marker.exists(), "a command ran on the host");
    server.wait_log("exec refused", 1);

    let sftp = server.run("ana", &["-s", "sftp"]);
    assert!(!sftp.status.success(), "{sftp:?}");
    server.wait_log("subsystem \"sftp\" refused", 1);

    // Remote forwarding is refused when asked for.
    let mut args = server.ssh_args("ana");
    args.extend(
        [
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "0:127.0.0.1:9",
            "someone@127.0.0.1",
        ]
        .map(String::from),
    );
    let remote = Command::new("ssh")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&remote.stderr).contains("forwarding failed"),
        "{remote:?}"
    );
    // Local forwarding is refused when a connection goes through it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut args = server.ssh_args("ana");
    args.extend([
        "-N".to_string(),
        "-L".to_string(),
        format!("127.0.0.1:{port}:127.0.0.1:{}", server.port),
        "someone@127.0.0.1".to_string(),
    ]);
    let mut local = Command::new("ssh")
        .args(&args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut through = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("ssh -L never listened: {e}"),
        }
    };
    through
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut greeting = Vec::new();
    let _ = std::io::Read::read_to_end(&mut through, &mut greeting);
    assert!(
        !String::from_utf8_lossy(&greeting).contains("SSH-2.0"),
        "the forward reached the server's own port"
    );
    server.wait_log("port forwarding refused", 2);
    let _ = local.kill();
    let _ = local.wait();

    let mut args = server.ssh_args("ana");
    args.extend(["-T".to_string(), "someone@127.0.0.1".to_string()]);
    let no_pty = Command::new("ssh")
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&no_pty.stderr).contains("ssh -t"),
        "{no_pty:?}"
    );
    assert!(server.children().is_empty());
}

#[test]
fn a_resize_redraws_and_an_abrupt_disconnect_frees_the_session() {
    let server = Server::start(&[]);
    let mut viewer = server.connect("vera", 80, 24);
    viewer.wait_for("Backlog");
    let frames = viewer.count(FRAME_END);
    viewer.resize(120, 40);
    viewer.wait_for_n(FRAME_END, frames + 1);
    server.wait_children(1);
    // The client dies without a word: its dashboard must not linger.
    unsafe_kill(viewer.pid() as u32, libc::SIGKILL);
    server.wait_children(0);
    server.wait_log("disconnect", 1);
}

#[test]
fn many_sessions_at_once_then_sigterm_ends_them_all_and_exits_0() {
    let mut server = Server::start(&["--max-sessions", "8"]);
    let mut sessions: Vec<Session> = (0..8).map(|_| server.connect("vera", 80, 24)).collect();
    for s in &mut sessions {
        s.wait_for("Backlog");
    }
    server.wait_children(8);
    // One over the limit is told so.
    let mut extra = server.connect("vera", 80, 24);
    extra.wait_for("server is full");
    // A change from the command line reaches every session.
    let add = Command::new(BIN)
        .arg("--db")
        .arg(server.db())
        .args(["add", "Seen by everyone"])
        .output()
        .unwrap();
    assert!(add.status.success());
    for s in &mut sessions {
        s.wait_for("Seen by everyone");
    }
    let status = server.terminate().expect("the server exits after SIGTERM");
    assert!(status.success(), "{status:?}\n{}", server.log());
    for s in &mut sessions {
        s.wait_for("server is stopping");
    }
    assert!(server.children().is_empty());
    assert!(server.log().contains("stopped"));
    assert!(
        server.list().contains("Seen by everyone"),
        "the register is intact"
    );
}

#[test]
fn serve_refuses_to_start_without_knowing_who_may_connect() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("--db")
        .arg(dir.path().join("r.db"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--editors") && err.contains("--open"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn idle_timeout_ends_a_session_that_sends_nothing() {
    let server = Server::start(&["--idle-timeout", "1s"]);
    let mut viewer = server.connect("vera", 80, 24);
    viewer.wait_for("Backlog");
    viewer.wait_for("without input");
    server.wait_children(0);
}

/// Reads `socket` until the server closes it; false if it stays open for
/// `wait`.
fn closed_within(socket: &mut std::net::TcpStream, wait: Duration) -> bool {
    socket.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match std::io::Read::read(socket, &mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn a_client_over_the_rate_limit_is_told_why_by_its_own_ssh() {
    let server = Server::start(&[]);
    // Twenty connections that say nothing and leave: the address's burst.
    // Each is gone before the next, so only the rate limit can refuse.
    for n in 1..=20 {
        drop(std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap());
        server.wait_log(" disconnect 127.0.0.1:", n);
    }
    let refused = server.run("ana", &[]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("Received disconnect") && err.contains("too many connections"),
        "OpenSSH showed only: {err}"
    );
    server.wait_log("too many connections from this address", 1);
}

#[test]
fn unauthenticated_connections_are_capped_told_why_and_timed_out() {
    let server = Server::start(&[]);
    // Sixteen connections that never speak fill the cap.
    let mut silent: Vec<std::net::TcpStream> = (0..16)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    server.wait_log(" connect 127.0.0.1:", 16);
    let refused = server.run("ana", &[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("Received disconnect") && err.contains("server is busy"),
        "OpenSSH showed only: {err}"
    );
    // Each is cut when its time to authenticate is up, and the cap frees.
    for socket in &mut silent {
        assert!(
            closed_within(socket, Duration::from_secs(60)),
            "a silent connection stayed open"
        );
    }
    server.wait_log("authentication timed out", 16);
    let mut viewer = server.connect("vera", 80, 24);
    viewer.wait_for("Backlog");
}

#[test]
fn keepalives_find_a_frozen_client_and_free_its_session() {
    let server = Server::start(&[]);
    let mut viewer = server.connect("vera", 80, 24);
    viewer.wait_for("Backlog");
    server.wait_children(1);
    // The client freezes: its connection stays open, and it answers nothing.
    unsafe_kill(viewer.pid() as u32, libc::SIGSTOP);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !server.log().contains("stopped answering keepalives") {
        assert!(
            Instant::now() < deadline,
            "a frozen client was never dropped:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server.wait_children(0);
    unsafe_kill(viewer.pid() as u32, libc::SIGKILL);
    unsafe_kill(viewer.pid() as u32, libc::SIGCONT);
}
