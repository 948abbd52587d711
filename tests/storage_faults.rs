//! Storage faults keep the data reachable: on a really full file system
//! (a small tmpfs) the reading commands, `export` and `backup` work and
//! writes (`import` too) say the disk is full; a lock held by another
//! program gives `import` the words of every other write; and a read-only
//! session, whoever runs it, leaves nothing behind that blocks a writer.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::pty::BIN;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

const NOBODY: u32 = 65_534;
/// A second unprivileged user, with no entry in /etc/passwd needed.
const VIEWER: u32 = 54_321;

fn improve(db: &Path, args: &[&str], uid: Option<u32>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.env("IMPROVE_CONFIG", "/dev/null")
        .env_remove("IMPROVE_READ_ONLY")
        .env_remove("IMPROVE_DEBUG")
        .arg("--db")
        .arg(db)
        .args(args);
    if let Some(uid) = uid {
        cmd.uid(uid).gid(uid);
    }
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A small tmpfs, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (with the reason printed) where no file system can be
    /// mounted: not root, or a sandbox that forbids it.
    fn mount() -> Option<SmallDisk> {
        if !is_root() {
            eprintln!("skipped: mounting a small tmpfs needs root");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!("skipped: cannot mount a tmpfs here: {}", stderr(&out));
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes zeros until the file system refuses another byte.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path().join("filler")).unwrap();
        let block = [0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&block[..1]).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn sample(disk: &SmallDisk) -> PathBuf {
    let db = disk.path().join("register.db");
    ok(&improve(&db, &["demo"], None));
    db
}

fn reads_work_and_writes_say_full(db: &Path, export: &Path) {
    let list = ok(&improve(db, &["list"], None));
    assert!(list.contains("Cut P1 incident MTTR"), "{list}");
    ok(&improve(db, &["show", "1"], None));
    let ro = ok(&improve(db, &["--read-only", "list"], None));
    assert_eq!(ro, list);
    let json = ok(&improve(db, &["export", "--format", "json"], None));
    assert!(json.contains("Cut P1 incident MTTR"));
    // A backup to another disk.
    let copy = tempfile::tempdir().unwrap();
    let backup = copy.path().join("copy.db");
    ok(&improve(db, &["backup", backup.to_str().unwrap()], None));
    assert!(ok(&improve(&backup, &["list"], None)).contains("Cut P1 incident MTTR"));
    for args in [
        &["add", "One more"][..],
        &["note", "1", "a note that needs a page"],
        &["import", export.to_str().unwrap()],
    ] {
        let out = improve(db, args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("improve: the disk is full; nothing written")
                && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
}

#[test]
fn on_a_full_disk_reads_exports_and_backups_work_and_writes_say_the_disk_is_full() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let db = sample(&disk);
    let outside = tempfile::tempdir().unwrap();
    let export = outside.path().join("register.json");
    ok(&improve(
        &db,
        &["export", "--format", "json", "-o", export.to_str().unwrap()],
        None,
    ));
    disk.fill();
    // Nobody else has it open: there is no `-shm`, and none can be made.
    reads_work_and_writes_say_full(&db, &export);
    assert_eq!(
        std::fs::read_dir(disk.path()).unwrap().count(),
        2,
        "no journal files left behind"
    );
    std::fs::remove_file(disk.path().join("filler")).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
}

#[test]
fn on_a_full_disk_reads_work_while_another_program_has_it_open() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let db = sample(&disk);
    let outside = tempfile::tempdir().unwrap();
    let export = outside.path().join("register.json");
    ok(&improve(
        &db,
        &["export", "--format", "json", "-o", export.to_str().unwrap()],
        None,
    ));
    // Another program (a dashboard) has it open: its `-shm` exists.
    let other = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = other
        .query_row("SELECT count(*) FROM initiatives", [], |r| r.get(0))
        .unwrap();
    assert!(n > 0);
    disk.fill();
    reads_work_and_writes_say_full(&db, &export);
    drop(other);
}

#[test]
fn import_under_a_lock_says_busy_as_every_write_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    ok(&improve(&db, &["add", "seed"], None));
    let export = dir.path().join("register.json");
    ok(&improve(
        &db,
        &["export", "--format", "json", "-o", export.to_str().unwrap()],
        None,
    ));
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let import = improve(&db, &["import", export.to_str().unwrap()], None);
    let add = improve(&db, &["add", "blocked"], None);
    drop(other);
    assert_eq!(
        import.status.code(),
        add.status.code(),
        "{}",
        stderr(&import)
    );
    assert_eq!(import.status.code(), Some(1));
    assert_eq!(stderr(&import), stderr(&add));
    assert!(
        stderr(&import).contains("the register is busy"),
        "{}",
        stderr(&import)
    );
}

/// A folder every user may write (as a shared folder is), with a register
/// made by `nobody`.
fn shared_register() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let db = dir.path().join("register.db");
    ok(&improve(
        &db,
        &["add", "Cut P1 incident MTTR"],
        Some(NOBODY),
    ));
    (dir, db)
}

fn beside(db: &Path) -> Vec<String> {
    let folder = db.parent().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "register.db")
        .collect();
    names.sort();
    names
}

#[test]
fn a_read_only_session_on_a_read_only_file_leaves_nothing_that_blocks_later_writes() {
    if !is_root() {
        eprintln!("skipped: needs root to run the binary as another user");
        return;
    }
    let (_dir, db) = shared_register();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    for args in [&["--read-only", "list"][..], &["list"], &["show", "1"]] {
        ok(&improve(&db, args, Some(NOBODY)));
    }
    assert_eq!(beside(&db), Vec::<String>::new(), "journal files left");
    // The owner makes it writable again: writes work at once.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(&improve(
        &db,
        &["add", "Written after the viewer"],
        Some(NOBODY),
    ));
}

#[test]
fn a_viewer_running_as_another_user_leaves_nothing_that_blocks_the_owner() {
    if !is_root() {
        eprintln!("skipped: needs root to run the binary as two users");
        return;
    }
    let (_dir, db) = shared_register();
    // The viewer may read the register but not write it.
    let seen = ok(&improve(&db, &["list"], Some(VIEWER)));
    assert!(seen.contains("Cut P1 incident MTTR"));
    ok(&improve(&db, &["--read-only", "show", "1"], Some(VIEWER)));
    assert_eq!(beside(&db), Vec::<String>::new(), "journal files left");
    ok(&improve(
        &db,
        &["add", "Written by the owner"],
        Some(NOBODY),
    ));
}

#[test]
fn a_writer_removes_unused_journal_files_it_cannot_write() {
    if !is_root() {
        eprintln!("skipped: needs root to run the binary as two users");
        return;
    }
    let (_dir, db) = shared_register();
    // What an older viewer left: a `-shm` and an empty `-wal` of its own,
    // one of them with the mode of a register that was read-only then.
    let shm = PathBuf::from(format!("{}-shm", db.display()));
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    std::fs::write(&shm, vec![0u8; 32_768]).unwrap();
    std::fs::write(&wal, b"").unwrap();
    for f in [&shm, &wal] {
        std::os::unix::fs::chown(f, Some(VIEWER), Some(VIEWER)).unwrap();
    }
    std::fs::set_permissions(&shm, std::fs::Permissions::from_mode(0o444)).unwrap();
    let add = improve(&db, &["add", "Written by the owner"], Some(NOBODY));
    ok(&add);
    let list = ok(&improve(&db, &["list"], Some(NOBODY)));
    assert!(list.contains("Written by the owner"));
}

/// The dashboard as `nobody` on a register in a folder only its owner may
/// write (so SQLite could read it only as `immutable`): the owner's changes,
/// from one-shot commands and from a program that keeps it open, appear.
#[test]
fn a_viewer_in_a_folder_it_cannot_write_still_sees_the_owners_changes() {
    use common::pty::Session;
    use portable_pty::CommandBuilder;
    let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("skipped: no setpriv to run the dashboard as another user");
        return;
    };
    if !is_root() {
        eprintln!("skipped: needs root to run the dashboard as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = dir.path().join("register.db");
    ok(&improve(&db, &["add", "Before the viewer"], None));
    let mut cmd = CommandBuilder::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("HOME", "/tmp");
    cmd.env("IMPROVE_CONFIG", "/dev/null");
    let mut d = Session::spawn(cmd, 100, 30);
    d.wait_for("Before the viewer");
    assert!(d.output().contains("read-only"), "{}", d.output());
    // One-shot writes: each opens, writes, checkpoints into the file and
    // removes its journal files.
    ok(&improve(&db, &["add", "Written by the owner"], None));
    d.wait_for("Written by the owner");
    // A program that keeps it open: its `-wal` and `-shm` stay.
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .query_row("SELECT count(*) FROM initiatives", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    ok(&improve(&db, &["add", "While another keeps it open"], None));
    d.wait_for("While another keeps it open");
    ok(&improve(&db, &["add", "And once more"], None));
    d.wait_for("And once more");
    d.send(b"q");
    let status = d
        .wait_exit(std::time::Duration::from_secs(6))
        .expect("q quits");
    assert!(status.success(), "{}", d.output());
    assert!(!d.output().contains("malformed"));
    drop(other);
}

/// The dashboard on a full disk shows the register, says why nothing can
/// be changed, and holds no lock that would stop the commands meanwhile.
#[test]
fn the_dashboard_on_a_full_disk_shows_the_register_read_only_and_blocks_nobody() {
    use common::pty::{Session, dashboard};
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let db = sample(&disk);
    disk.fill();
    let mut cmd = dashboard(&db);
    cmd.env("IMPROVE_CONFIG", "/dev/null");
    let mut d = Session::spawn(cmd, 100, 30);
    d.wait_for("the disk is full");
    assert!(d.output().contains("Cut P1 incident MTTR"));
    let list = ok(&improve(&db, &["list"], None));
    assert!(list.contains("Cut P1 incident MTTR"));
    d.send(b"q");
    let status = d
        .wait_exit(std::time::Duration::from_secs(6))
        .expect("q quits");
    assert!(status.success());
}

/// A dashboard run by another user (who may read the register but not
/// write it) makes no journal files of its own, so the owner's writes work
/// while it is open, and it shows them.
#[test]
fn the_owner_writes_while_another_users_dashboard_is_open() {
    use common::pty::Session;
    use portable_pty::CommandBuilder;
    let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("skipped: no setpriv to run the dashboard as another user");
        return;
    };
    if !is_root() {
        eprintln!("skipped: needs root to run the dashboard as another user");
        return;
    }
    let (_dir, db) = shared_register();
    let mut cmd = CommandBuilder::new(setpriv);
    cmd.args([
        &format!("--reuid={VIEWER}"),
        &format!("--regid={VIEWER}"),
        "--clear-groups",
        BIN,
    ]);
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("HOME", "/tmp");
    cmd.env("IMPROVE_CONFIG", "/dev/null");
    let mut d = Session::spawn(cmd, 100, 30);
    d.wait_for("Cut P1 incident MTTR");
    ok(&improve(
        &db,
        &["add", "Written by the owner"],
        Some(NOBODY),
    ));
    d.wait_for("Written by the owner");
    ok(&improve(&db, &["add", "And again"], Some(NOBODY)));
    d.wait_for("And again");
    d.send(b"q");
    let status = d
        .wait_exit(std::time::Duration::from_secs(6))
        .expect("q quits");
    assert!(status.success(), "{}", d.output());
    assert_eq!(beside(&db), Vec::<String>::new(), "journal files left");
}
