//! `improve serve` started by a test: its log gathered line by line, and
//! the port it listens on once it says so.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
