//! Shared by the two import targets: one register per process, emptied
//! after every input that landed, and everything an import feeds checked by
//! reading the register back and exporting it in every format.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{NaiveDate, TimeZone, Utc};
use improve::domain::Model;
use improve::exchange::doc::Stamp;
use improve::exchange::{self, Format};
use improve::store::{Store, demo};

struct Register {
    _dir: tempfile::TempDir,
    store: Store,
}

static REGISTER: Mutex<Option<Register>> = Mutex::new(None);

pub fn import(data: &[u8], format: Format) {
    // Invalid UTF-8 never reaches the parsers (the CLI reads a file into a
    // String and says so); lossy decoding keeps the rest of the input useful.
    let text = String::from_utf8_lossy(data);
    let model = Model::itil4();
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();

    if format == Format::Csv {
        let _ = exchange::csv::parse(&text, &model);
    }

    let mut guard = REGISTER.lock().unwrap_or_else(|e| e.into_inner());
    let reg = guard.get_or_insert_with(|| {
        let dir = scratch_dir();
        let path: PathBuf = dir.path().join("fuzz.db");
        let store = Store::open(&path).unwrap();
        Register { _dir: dir, store }
    });
    let stamp = Stamp(now.timestamp());
    let skip_invalid = data.first().is_some_and(|b| b & 1 == 1);
    if exchange::import(&mut reg.store, &text, format, &model, stamp, skip_invalid).is_ok() {
        // What landed reads back and exports.
        let doc = exchange::read_register(&reg.store, stamp).expect("read back");
        let json = serde_json::to_string(&doc).expect("json export");
        let _ = exchange::csv::write(&doc, &model).expect("csv export");
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let _ = exchange::markdown::report(&doc, &model, today);
        let _ = reg.store.backlog(&model).expect("backlog");
        let _ = reg.store.checklist_counts().expect("checklist counts");
        // And the export imports again.
        demo::clear(&mut reg.store).unwrap();
        exchange::import(&mut reg.store, &json, Format::Json, &model, stamp, false)
            .expect("an export imports");
        demo::clear(&mut reg.store).unwrap();
    }
}

/// A folder in memory where there is one (`/dev/shm`), so that SQLite
/// never waits for a disk.
fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}
