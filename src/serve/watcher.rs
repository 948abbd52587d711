//! One watcher for every session: it asks the register whether anything
//! changed (`PRAGMA data_version`, a read of a counter, on one connection)
//! and tells each dashboard to refresh with SIGUSR2, so dashboards served
//! here do not poll at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Shared;
use super::child;

/// How often the register is asked: a change reaches every session well
/// within a second.
const EVERY: Duration = Duration::from_millis(250);

pub struct Watcher {
    stop: Arc<AtomicBool>,
}

impl Watcher {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

pub fn start(shared: Arc<Shared>) -> Watcher {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    let spawned = std::thread::Builder::new()
        .name("improve-serve-watcher".into())
        .spawn(move || watch(&shared, &stopped));
    if let Err(e) = spawned {
        super::log(format_args!(
            "cannot watch the register: {e}; sessions refresh only on their own changes"
        ));
    }
    Watcher { stop }
}

fn watch(shared: &Shared, stop: &AtomicBool) {
    let store = match crate::store::Store::open_read_only(&shared.program.db) {
        Ok(s) => s,
        Err(e) => {
            super::log(format_args!("cannot watch the register: {e}"));
            return;
        }
    };
    let mut seen = store.data_version().ok();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(EVERY);
        let now = store.data_version().ok();
        if now != seen {
            seen = now;
            let pids = shared.dashboard_pids();
            for pid in pids {
                child::signal(pid, libc::SIGUSR2);
            }
        }
    }
}
