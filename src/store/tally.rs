//! Small read-only figures the command line prints: how much the register
//! holds, how many initiatives each goal has, and which file is open.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Store;

impl Store {
    /// How many initiatives and goals the register holds, in one snapshot.
    pub fn register_counts(&self) -> rusqlite::Result<(i64, i64)> {
        self.conn.query_row(
            "SELECT (SELECT count(*) FROM initiatives), (SELECT count(*) FROM goals)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// How many initiatives each goal has; goals with none are absent.
    pub fn goal_counts(&self) -> rusqlite::Result<HashMap<i64, i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT goal_id, count(*) FROM initiatives WHERE goal_id IS NOT NULL GROUP BY goal_id",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// The file this store reads, or `None` for a register in memory.
    pub fn file(&self) -> Option<PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_what_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.register_counts().unwrap(), (0, 0));
        assert!(store.goal_counts().unwrap().is_empty());
        assert!(store.file().is_some_and(|f| f.ends_with("r.db")));
        let now = chrono::Utc::now();
        let (goal, change) = store
            .write("goal", None, |rec| rec.add_goal(" Faster ", " why ", now))
            .unwrap();
        assert_eq!(store.register_counts().unwrap(), (0, 1));
        let goals = store.goals().unwrap();
        assert_eq!((goals[0].id, goals[0].name.as_str()), (goal, "Faster"));
        assert_eq!(goals[0].description, "why");
        // Written through the recorder, so it can be undone like any write.
        store.apply_change(&change, true, now).unwrap();
        assert_eq!(store.register_counts().unwrap(), (0, 0));
    }
}
