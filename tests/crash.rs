//! Crash safety: a shell loop of `improve add` and `improve move` is killed
//! with SIGKILL at random moments, many times over one register. After
//! every kill the register opens, passes `integrity_check`, and holds every
//! change whose command had reported success (exit 0 and its output).

#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use improve::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_improve");
const ROUNDS: u64 = 30;

/// Adds and moves forward in a loop; a line is printed only after the
/// command succeeded: `added ID TITLE` or `moved ID`.
const WRITER: &str = r#"
i=0
while :; do
    t="round $2 item $i"
    id=$("$0" --db "$1" add "$t") && echo "added $id $t"
    if [ -n "$id" ]; then
        "$0" --db "$1" move "$id" forward > /dev/null && echo "moved $id"
    fi
    i=$((i+1))
done
"#;

/// A small deterministic generator (no dependency needed): xorshift64*.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

#[derive(Default)]
struct Reported {
    added: BTreeMap<i64, String>,
    moved: Vec<i64>,
}

/// Runs the writer for `ms` milliseconds, kills its whole process group
/// with SIGKILL (the shell and the `improve` it is running), and returns
/// what it reported as done.
fn run_and_kill(db: &Path, round: u64, ms: u64, reported: &mut Reported) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(WRITER)
        .arg(BIN)
        .arg(db)
        .arg(round.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    let pgid = child.id() as i32;
    // SAFETY: kill(2) on the process group we just created.
    assert_eq!(unsafe { libc::kill(-pgid, libc::SIGKILL) }, 0);
    child.wait().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    // Only whole lines count: a line cut by the kill was not reported.
    for line in out.split_inclusive('\n').filter(|l| l.ends_with('\n')) {
        let mut words = line.trim_end().splitn(3, ' ');
        match (words.next(), words.next(), words.next()) {
            (Some("added"), Some(id), Some(title)) => {
                reported.added.insert(id.parse().unwrap(), title.to_owned());
            }
            (Some("moved"), Some(id), None) => reported.moved.push(id.parse().unwrap()),
            _ => panic!("unexpected writer output {line:?}"),
        }
    }
}

fn check(db: &Path, reported: &Reported, round: u64) {
    // The register opens through the program's own path (recovering the
    // write-ahead log a kill may have left behind).
    let store = Store::open(db).unwrap_or_else(|e| panic!("round {round}: {e}"));
    let conn = store.conn_for_tests();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "round {round}");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "round {round}: dangling references");
    for (id, title) in &reported.added {
        let found: Option<String> = conn
            .query_row("SELECT title FROM initiatives WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .ok();
        assert_eq!(found.as_ref(), Some(title), "round {round}: #{id} lost");
    }
    for id in &reported.moved {
        let step: i64 = conn
            .query_row("SELECT step FROM initiatives WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(step, 2, "round {round}: the move of #{id} was lost");
    }
    // Whatever was cut short, no initiative is half there: each has its
    // checklist and its move log agrees with its step.
    let broken: i64 = conn
        .query_row(
            "SELECT count(*) FROM initiatives i
             WHERE i.step != (SELECT to_step FROM moves m WHERE m.initiative_id = i.id
                              ORDER BY m.id DESC LIMIT 1)
                OR NOT EXISTS (SELECT 1 FROM checklist_items c WHERE c.initiative_id = i.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(broken, 0, "round {round}: inconsistent initiatives");
}

#[test]
fn a_writer_killed_at_random_moments_never_loses_a_reported_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let mut reported = Reported::default();
    let started = Instant::now();
    for round in 0..ROUNDS {
        run_and_kill(&db, round, 20 + rng.below(280), &mut reported);
        check(&db, &reported, round);
    }
    eprintln!(
        "{} added, {} moved",
        reported.added.len(),
        reported.moved.len()
    );
    // The loop did real work between the kills.
    assert!(
        !reported.added.is_empty() && !reported.moved.is_empty(),
        "nothing was reported in {:?}",
        started.elapsed()
    );
}
