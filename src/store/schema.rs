//! The register's schema and its forward-only migrations.
//!
//! The version lives in `PRAGMA user_version`; `PRAGMA application_id` marks
//! a file as ours, so a foreign SQLite file is never mistaken for a register.

/// "IMPR" in ASCII.
pub const APPLICATION_ID: i32 = 0x494D_5052;

/// Migration `i` takes the schema from version `i` to `i + 1`. Never edit a
/// released migration; append a new one.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The oldest schema this version reads as it is (`--read-only` opens it
/// without migrating). `V3` adds the history and the cancellation reason,
/// which every view reads, so an older file is upgraded by one writable open
/// first (the refusal says so).
pub const READABLE_FROM: i64 = 3;

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

/// The condition of `initiatives_unusual`; a query repeats it word for word
/// so SQLite reads that (normally empty) index.
macro_rules! unusual {
    () => {
        r#"
       typeof(model) <> 'text'
    OR typeof(step) <> 'integer'
    OR typeof(priority) <> 'integer'
    OR typeof(returns) <> 'integer' OR returns NOT BETWEEN 0 AND 4294967295
    OR typeof(created_at) <> 'integer'
    OR created_at NOT BETWEEN -62135596800 AND 253402300799
    OR typeof(step_entered_at) <> 'integer'
    OR step_entered_at NOT BETWEEN -62135596800 AND 253402300799
    OR (done_at IS NOT NULL AND (typeof(done_at) <> 'integer'
        OR done_at NOT BETWEEN -62135596800 AND 253402300799))
    OR (due IS NOT NULL AND (typeof(due) <> 'text'
        OR due NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
        OR CAST(substr(due, 6, 2) AS INTEGER) NOT BETWEEN 1 AND 12
        OR CAST(substr(due, 9, 2) AS INTEGER) < 1
        OR CAST(substr(due, 9, 2) AS INTEGER) > CASE CAST(substr(due, 6, 2) AS INTEGER)
               WHEN 2 THEN 28 + (CAST(substr(due, 1, 4) AS INTEGER) % 4 = 0
                   AND (CAST(substr(due, 1, 4) AS INTEGER) % 100 <> 0
                        OR CAST(substr(due, 1, 4) AS INTEGER) % 400 = 0))
               WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
               ELSE 31 END))"#
    };
}
pub(crate) use unusual;

/// Indexes for the dashboard's first frame, which reads only what it shows
/// (`store/first_frame/`): the first page of the backlog in its default
/// order, the flow metrics through per-status and per-step ranges, the
/// overdue count through the due dates. Indexes only, so a `V1` file is read
/// the same by this version; building them on 100,000 initiatives takes a
/// fraction of a second, once.
///
/// `initiatives_unusual` holds the rows whose values the first frame's SQL
/// figures could read differently from the full load (a due date that is not
/// a valid `YYYY-MM-DD`, a timestamp outside the years 1-9999, a value of an
/// unexpected type). It is normally empty; when it is not, the dashboard
/// loads the whole register before its first frame, as before.
const V2: &str = concat!(
    r#"
CREATE INDEX initiatives_by_backlog_order ON initiatives (status, priority);
CREATE INDEX initiatives_flow
    ON initiatives (status, model, step, step_entered_at, returns, created_at, done_at);
CREATE INDEX initiatives_by_due ON initiatives (status, due) WHERE due IS NOT NULL;
CREATE INDEX initiatives_unusual ON initiatives (id) WHERE "#,
    unusual!(),
    ";\n"
);

/// The history of every change (`domain/history.rs`), with its author, and
/// the reason an initiative was cancelled (until now kept, wrongly, as what
/// it realised). The move log stays: the flow metrics read the moves that
/// stand, the history keeps every change made, undone ones included.
///
/// `initiative_id` has no foreign key: an initiative's history outlives it,
/// so "who deleted #12?" has an answer. `data` is the event as JSON, kind
/// included; `kind` is kept beside it for filtering.
///
/// Existing moves become `created` and `moved` events with no author.
///
/// `sample_initiatives` and `sample_goals`: which rows the sample (`improve demo`, `D` on the welcome screen) wrote,
/// so that `improve demo --remove` takes away exactly those. `version` is
/// the initiative's version as loaded: a row whose version moved on has
/// been changed by someone since and is kept. A mark goes with its row
/// (`ON DELETE CASCADE`), so an id reused by a later initiative is never
/// taken for a sample one.
const V3: &str = r#"
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER,
    at            INTEGER NOT NULL,
    by            TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_initiative ON events (initiative_id, id);
CREATE INDEX events_by_time ON events (at, id);

ALTER TABLE initiatives ADD COLUMN cancel_reason TEXT;
UPDATE initiatives SET cancel_reason = realised, realised = NULL
 WHERE status = 'cancelled' AND realised IS NOT NULL;

INSERT INTO events (initiative_id, at, by, kind, data)
SELECT m.initiative_id, m.at, '',
       CASE WHEN m.from_step IS NULL THEN 'created' ELSE 'moved' END,
       CASE WHEN m.from_step IS NULL
            THEN json_object('kind', 'created', 'title', coalesce(i.title, ''))
            ELSE json_object('kind', 'moved', 'from', m.from_step, 'to', m.to_step,
                             'back', json(CASE WHEN m.to_step < m.from_step THEN 'true' ELSE 'false' END),
                             'reason', m.reason)
       END
  FROM moves m LEFT JOIN initiatives i ON i.id = m.initiative_id
 ORDER BY m.at, m.id;

CREATE INDEX initiatives_unsuccessful ON initiatives (id)
 WHERE status = 'done' AND closure_code = 'unsuccessful';

CREATE TABLE sample_initiatives (
    id      INTEGER PRIMARY KEY REFERENCES initiatives (id) ON DELETE CASCADE,
    version INTEGER NOT NULL
);
CREATE TABLE sample_goals (
    id INTEGER PRIMARY KEY REFERENCES goals (id) ON DELETE CASCADE
);
"#;
