//! No file a command writes may be the register: not its name, not its
//! `-wal`, `-shm` or `-journal` companion, and not a symbolic or hard link
//! to any of them. Compared twice over, by canonical path (a file that does
//! not exist yet, reached through `..` or a link to the folder) and by
//! device and inode (a hard link, `/proc/self/fd/N`).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use super::failure::{Failure, code};

/// The files SQLite keeps for the register at `db`.
const COMPANIONS: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// `Err` when writing `target` could replace or change the register at
/// `db`; `what` names the command for the message ("export", "backup").
pub fn refuse_register(db: &Path, target: &Path, what: &str) -> Result<(), Failure> {
    let refuse = |file: &Path| {
        Failure::new(
            code::INVALID,
            format!(
                "{what} refused: {} is the register's file {} (choose another path)",
                target.display(),
                file.display()
            ),
        )
    };
    let protected = protected(db);
    let target_path = resolve(target);
    for file in &protected {
        if resolve(file) == target_path {
            return Err(refuse(file));
        }
    }
    if let Some(t) = identity(target) {
        for file in &protected {
            if identity(file) == Some(t) {
                return Err(refuse(file));
            }
        }
    }
    Ok(())
}

/// The register's files beside the name given and beside the file that
/// name leads to (SQLite keeps its companions next to the real file).
fn protected(db: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for base in [db.to_path_buf(), resolve(db)] {
        for suffix in COMPANIONS {
            let mut name: OsString = base.as_os_str().to_owned();
            name.push(suffix);
            let p = PathBuf::from(name);
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Where `p` leads: symbolic links followed (even one that points at a
/// file not created yet), then the folder made canonical.
fn resolve(p: &Path) -> PathBuf {
    let mut p = absolute(p);
    // More hops than any real chain; a loop stops here.
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&p) {
                Ok(next) => {
                    let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                    p = absolute(&dir.join(next));
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(p.clone()),
        _ => p,
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Device and inode of the file `p` leads to, if it exists.
#[cfg(unix)]
fn identity(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_its_companions_and_links_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("reg.db");
        fs::write(&db, "x").unwrap();
        fs::write(dir.path().join("reg.db-wal"), "w").unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let mut refused = vec![
            db.clone(),
            dir.path().join("reg.db-wal"),
            dir.path().join("reg.db-shm"),
            dir.path().join("reg.db-journal"),
            sub.join("../reg.db"),
        ];
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&db, dir.path().join("soft")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("reg.db-shm"), dir.path().join("dangling"))
                .unwrap();
            fs::hard_link(dir.path().join("reg.db-wal"), sub.join("hard")).unwrap();
            refused.extend([
                dir.path().join("soft"),
                dir.path().join("dangling"),
                sub.join("hard"),
            ]);
        }
        for t in &refused {
            let e = refuse_register(&db, t, "export").unwrap_err();
            assert_eq!(e.code, code::INVALID, "{}", t.display());
            assert!(e.message.contains("register"), "{}", e.message);
        }
        for fine in [dir.path().join("reg.db.csv"), sub.join("reg.db")] {
            assert!(
                refuse_register(&db, &fine, "export").is_ok(),
                "{}",
                fine.display()
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_register_named_through_a_link_protects_the_real_files() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.db");
        fs::write(&real, "x").unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        for t in ["real.db", "real.db-wal", "link.db-shm"] {
            assert!(
                refuse_register(&link, &dir.path().join(t), "backup").is_err(),
                "{t}"
            );
        }
    }
}
