//! Storage that fails under the register: a full disk, a register another
//! program keeps locked, a read-only file or folder. Every case: a clear
//! message, nothing typed lost, no panic, the file untouched.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use common::pty::{BIN, Session};
use common::{Fixture, press};
use improve::app::Mode;
use portable_pty::CommandBuilder;

fn count(fx: &Fixture, sql: &str) -> i64 {
    fx.query(sql)
}

fn flash(app: &improve::app::App) -> String {
    app.flash().map(|f| f.text.clone()).unwrap_or_default()
}

#[test]
fn a_full_disk_keeps_the_form_and_what_was_typed_and_says_so() {
    let fx = Fixture::new();
    fx.add(&["existing"]);
    let mut app = fx.app();
    // The register may not grow by a single page: what a full disk does.
    let pages: i64 = app
        .store()
        .conn_for_tests()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    app.store()
        .conn_for_tests()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let long = "the whole story ".repeat(2_000);
    press(&mut app, "aRotate on-call fairly<Tab>");
    press(&mut app, &long);
    press(&mut app, "<C-s>");
    let Mode::Form(form) = app.mode() else {
        panic!("the form closed on a failed write: {}", flash(&app))
    };
    assert_eq!(form.value("Title"), "Rotate on-call fairly");
    assert_eq!(form.value("Description"), long.trim());
    let said = format!(
        "{} {}",
        flash(&app),
        form.error.as_ref().map(|e| e.1.as_str()).unwrap_or("")
    );
    assert!(said.contains("the disk is full"), "{said}");
    assert!(!said.contains("SQLITE"), "{said}");
    assert_eq!(count(&fx, "SELECT count(*) FROM initiatives"), 1);
    // Room again: the same form saves.
    app.store()
        .conn_for_tests()
        .pragma_update(None, "max_page_count", 1_000_000)
        .unwrap();
    press(&mut app, "<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{}", flash(&app));
    assert_eq!(count(&fx, "SELECT count(*) FROM initiatives"), 2);
    assert_eq!(fx.query::<String>("PRAGMA integrity_check"), "ok");
}

#[test]
fn a_register_locked_past_the_busy_timeout_is_named_busy_and_nothing_is_lost() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut app = fx.app();
    app.store()
        .conn_for_tests()
        .busy_timeout(Duration::from_millis(300))
        .unwrap();
    let other = rusqlite::Connection::open(&fx.path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    press(&mut app, "<Tab> ");
    let said = flash(&app);
    assert!(said.contains("the register is busy"), "{said}");
    assert!(!said.contains("locked"), "{said}");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    assert_eq!(
        count(
            &fx,
            "SELECT count(*) FROM checklist_items WHERE done_at IS NOT NULL"
        ),
        0
    );
    // Once it is free, the same key works.
    press(&mut app, " ");
    assert_eq!(
        count(
            &fx,
            "SELECT count(*) FROM checklist_items WHERE done_at IS NOT NULL"
        ),
        1,
        "{}",
        flash(&app)
    );
}

#[test]
fn a_lock_shorter_than_the_busy_timeout_is_waited_out_silently() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut app = fx.app();
    let path = fx.path.clone();
    let (locked, wait) = mpsc::channel();
    let holder = std::thread::spawn(move || {
        let other = rusqlite::Connection::open(path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(400));
        other.execute_batch("COMMIT").unwrap();
    });
    wait.recv().unwrap();
    press(&mut app, "<Tab> ");
    holder.join().unwrap();
    assert!(app.flash().is_none_or(|f| !f.error), "{}", flash(&app));
    assert_eq!(
        count(
            &fx,
            "SELECT count(*) FROM checklist_items WHERE done_at IS NOT NULL"
        ),
        1
    );
}

// Read-only files and folders, through the real binary. Root may write
// anything, so as root the binary runs as `nobody`.

const NOBODY: u32 = 65_534;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A folder other users can enter, holding a register of one initiative.
struct Shared {
    _dir: tempfile::TempDir,
    folder: PathBuf,
    db: PathBuf,
}

impl Shared {
    fn new() -> Shared {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let folder = dir.path().join("registers");
        std::fs::create_dir(&folder).unwrap();
        let db = folder.join("register.db");
        let out = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["add", "Cut P1 incident MTTR"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        Shared {
            _dir: dir,
            folder,
            db,
        }
    }

    /// The register may be read but not written, and (with `folder_too`)
    /// nothing may be created beside it.
    fn lock_down(&self, folder_too: bool) {
        let (file, folder) = if is_root() {
            // Owned by root: `nobody` is refused by the modes alone.
            (0o644, if folder_too { 0o755 } else { 0o777 })
        } else {
            (0o444, if folder_too { 0o555 } else { 0o755 })
        };
        std::fs::set_permissions(&self.db, std::fs::Permissions::from_mode(file)).unwrap();
        std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(folder)).unwrap();
    }

    fn improve(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(BIN);
        cmd.env_remove("IMPROVE_READ_ONLY")
            .env("IMPROVE_CONFIG", "/dev/null")
            .arg("--db")
            .arg(&self.db)
            .args(args);
        if is_root() {
            cmd.uid(NOBODY).gid(NOBODY);
        }
        cmd.output().unwrap()
    }

    fn journal_files(&self) -> Vec<String> {
        std::fs::read_dir(&self.folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "register.db")
            .collect()
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Let the temporary folder be removed.
        let _ = std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o755));
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_read_only_file_or_folder_is_read_and_writes_are_refused_with_the_reason() {
    for folder_too in [false, true] {
        let shared = Shared::new();
        shared.lock_down(folder_too);
        let before = std::fs::read(&shared.db).unwrap();

        let list = shared.improve(&["list"]);
        assert!(list.status.success(), "{}", stderr(&list));
        assert!(String::from_utf8_lossy(&list.stdout).contains("Cut P1 incident MTTR"));

        let add = shared.improve(&["add", "Something new"]);
        assert_eq!(add.status.code(), Some(6), "{}", stderr(&add));
        let why = stderr(&add);
        assert!(
            why.starts_with("improve: read-only: add cannot change")
                && why.contains("the file is read-only (no write permission)")
                && why.lines().count() == 1,
            "{why}"
        );
        assert_eq!(std::fs::read(&shared.db).unwrap(), before);
        if folder_too {
            assert!(
                shared.journal_files().is_empty(),
                "{:?}",
                shared.journal_files()
            );
        }
    }
}

#[test]
fn a_writable_file_in_a_read_only_folder_is_read_only_too() {
    let shared = Shared::new();
    std::fs::set_permissions(&shared.db, std::fs::Permissions::from_mode(0o666)).unwrap();
    let mode = if is_root() { 0o755 } else { 0o555 };
    std::fs::set_permissions(&shared.folder, std::fs::Permissions::from_mode(mode)).unwrap();
    let before = std::fs::read(&shared.db).unwrap();
    let list = shared.improve(&["show", "1"]);
    assert!(list.status.success(), "{}", stderr(&list));
    let add = shared.improve(&["note", "1", "hello"]);
    assert_eq!(add.status.code(), Some(6), "{}", stderr(&add));
    assert!(
        stderr(&add).contains("its folder is read-only"),
        "{}",
        stderr(&add)
    );
    assert_eq!(std::fs::read(&shared.db).unwrap(), before);
    assert!(shared.journal_files().is_empty());
}

#[test]
fn a_new_register_in_a_read_only_folder_cannot_be_created_and_says_why() {
    let shared = Shared::new();
    shared.lock_down(true);
    let mut cmd = Command::new(BIN);
    cmd.arg("--db")
        .arg(shared.folder.join("new.db"))
        // A writing command: a reading one never creates a register.
        .args(["add", "First"]);
    if is_root() {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot create") && stderr(&out).contains("its folder is read-only"),
        "{}",
        stderr(&out)
    );
    assert!(!shared.folder.join("new.db").exists());
}

fn dashboard_command(db: &Path) -> Option<CommandBuilder> {
    let mut cmd = if is_root() {
        // portable-pty cannot change user; setpriv (util-linux) can.
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let mut cmd = CommandBuilder::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        cmd
    } else {
        CommandBuilder::new(BIN)
    };
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("HOME", "/tmp");
    cmd.env("IMPROVE_CONFIG", "/dev/null");
    cmd.env_remove("IMPROVE_READ_ONLY");
    Some(cmd)
}

#[test]
fn the_dashboard_on_a_read_only_register_shows_a_banner_and_refuses_writes() {
    let shared = Shared::new();
    shared.lock_down(true);
    let before = std::fs::read(&shared.db).unwrap();
    let Some(cmd) = dashboard_command(&shared.db) else {
        eprintln!("skipped: running as root without setpriv to drop to another user");
        return;
    };
    let mut s = Session::spawn(cmd, 80, 24);
    // The footer is the last line of the first frame: once its reason is
    // read, the whole frame is.
    s.wait_for("the file is read-only");
    let shown = s.output();
    assert!(
        shown.contains("Cut P1 incident MTTR"),
        "the register:\n{shown}"
    );
    assert!(shown.contains(" read-only "), "the banner:\n{shown}");
    s.send(b">");
    s.wait_for("nothing can be changed");
    assert!(
        !s.output().contains("Confirm"),
        "no question is asked before refusing"
    );
    s.send(b"q");
    let status = s
        .wait_exit(Duration::from_secs(10))
        .expect("improve did not exit after q");
    assert!(status.success(), "{status:?}");
    assert_eq!(std::fs::read(&shared.db).unwrap(), before);
    assert!(
        shared.journal_files().is_empty(),
        "{:?}",
        shared.journal_files()
    );
}
