//! The register's schema and its forward-only migrations.
//!
//! The version lives in `PRAGMA user_version`; `PRAGMA application_id` marks
//! a file as ours, so a foreign SQLite file is never mistaken for a register.

/// "IMPR" in ASCII.
pub const APPLICATION_ID: i32 = 0x494D_5052;

/// Migration `i` takes the schema from version `i` to `i + 1`. Never edit a
/// released migration; append a new one.
pub const MIGRATIONS: &[&str] = &[V1];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Timestamps are unix seconds (UTC); calendar dates are `YYYY-MM-DD` text.
/// `step_entered_at`, `done_at` and `returns` on `initiatives` are kept in
/// step with the `moves` log in the same transaction, so the dashboard reads
/// flow metrics without scanning a million log rows.
const V1: &str = r#"
CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE initiatives (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    model           TEXT NOT NULL,
    step            INTEGER NOT NULL CHECK (step >= 1),
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'on_hold', 'done', 'cancelled')),
    hold_reason     TEXT,
    closure_code    TEXT CHECK (closure_code IN ('successful', 'unsuccessful', 'withdrawn')),
    realised        TEXT,
    priority        INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    value           INTEGER NOT NULL DEFAULT 5 CHECK (value BETWEEN 1 AND 10),
    effort          TEXT NOT NULL DEFAULT 'M' CHECK (effort IN ('S', 'M', 'L', 'XL')),
    owner           TEXT NOT NULL DEFAULT '',
    raised_by       TEXT NOT NULL DEFAULT '',
    area            TEXT CHECK (area IN ('people', 'process', 'technology')),
    tags            TEXT NOT NULL DEFAULT '',
    goal_id         INTEGER REFERENCES goals (id) ON DELETE SET NULL,
    parent_id       INTEGER REFERENCES initiatives (id) ON DELETE SET NULL,
    due             TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    step_entered_at INTEGER NOT NULL,
    done_at         INTEGER,
    returns         INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX initiatives_by_goal ON initiatives (goal_id);
CREATE INDEX initiatives_by_parent ON initiatives (parent_id);

CREATE TABLE checklist_items (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    step          INTEGER NOT NULL CHECK (step >= 1),
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    done_at       INTEGER
);
CREATE INDEX checklist_by_initiative ON checklist_items (initiative_id, step, position);

CREATE TABLE moves (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    from_step     INTEGER,          -- NULL: the initiative was created here
    to_step       INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    reason        TEXT
);
CREATE INDEX moves_by_initiative ON moves (initiative_id, at);

CREATE TABLE kpis (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL DEFAULT 0,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL DEFAULT '',
    direction     TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    baseline      REAL,
    baseline_date TEXT,
    target        REAL,
    target_date   TEXT
);
CREATE INDEX kpis_by_initiative ON kpis (initiative_id, position);

CREATE TABLE measurements (
    id          INTEGER PRIMARY KEY,
    kpi_id      INTEGER NOT NULL REFERENCES kpis (id) ON DELETE CASCADE,
    value       REAL NOT NULL,
    measured_on TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX measurements_by_kpi ON measurements (kpi_id, measured_on);

CREATE TABLE notes (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'decision', 'lesson')),
    body          TEXT NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX notes_by_initiative ON notes (initiative_id, at);
"#;
