//! `improve serve` started by a test: its log gathered line by line, and
//! the port it listens on once it says so.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::pty::BIN;

/// The sample register written into `db` by the real binary.
pub fn sample(db: &Path) {
    let demo = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .arg("demo")
        .output()
        .unwrap();
    assert!(demo.status.success(), "{demo:?}");
}

/// `improve --db DB serve --listen 127.0.0.1:0 ARGS`, with no
/// configuration file and its log piped: the server, its log and its port
/// once it listens.
pub fn serve<I, S>(db: &Path, args: I) -> (Child, Arc<Mutex<String>>, u16)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut process = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove("IMPROVE_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (log, port) = listening(&mut process);
    (process, log, port)
}

/// Reads the server's standard error (piped) into a shared log and waits,
/// up to 20 s, for the `listening on 127.0.0.1:PORT` line: the log and the
/// port.
pub fn listening(process: &mut Child) -> (Arc<Mutex<String>>, u16) {
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = process.stderr.take().expect("stderr piped");
    let sink = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split(" listening on 127.0.0.1:").nth(1) {
                let port: u16 = rest.split(' ').next().unwrap().parse().unwrap();
                let _ = tx.send(port);
            }
            let mut log = sink.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("the server did not start: {}", log.lock().unwrap()));
    (log, port)
}
