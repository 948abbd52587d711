//! Each table is written in one place, `src/store/rows.rs`: no `INSERT INTO`
//! anywhere else in the program's code, so the recorder, the importer and the
//! sample cannot drift apart on a column, and a second engine would have one
//! file of writes to implement. Test code (`#[cfg(test)]` items and the files
//! they declare) may set up rows its own way and is not scanned; the schema's
//! released migrations (`schema.rs`) are never edited, so they are left out.

mod common;

use std::path::Path;

use common::source::{program_code, rust_files, without_tests};

const THE_WRITER: &str = "store/rows.rs";
const MIGRATIONS: &str = "store/schema.rs";

/// `(line, table)` of every `INSERT [OR x] INTO table` / `REPLACE INTO table`.
fn inserts(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let words: Vec<String> = line
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '{' || c == '}'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        for (i, w) in words.iter().enumerate() {
            let into = match w.as_str() {
                "INSERT" if words.get(i + 1).is_some_and(|x| x == "OR") => i + 3,
                "INSERT" | "REPLACE" => i + 1,
                _ => continue,
            };
            if words.get(into).is_some_and(|x| x == "INTO")
                && let Some(table) = words.get(into + 1)
            {
                found.push((n + 1, table.to_ascii_lowercase()));
            }
        }
    }
    found
}

#[test]
fn only_store_rows_writes_a_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&root);
    let mut wrong = Vec::new();
    let mut writer_tables = Vec::new();
    for (path, code) in program_code(&files) {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        for (line, table) in inserts(&code) {
            if name == THE_WRITER {
                writer_tables.push(table);
            } else if name != MIGRATIONS {
                wrong.push(format!("src/{name}:{line} writes {table}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The scan reads the writer itself: it is not blind.
    for table in [
        "goals",
        "initiatives",
        "checklist_items",
        "moves",
        "kpis",
        "measurements",
        "notes",
        "events",
        "sample_initiatives",
        "sample_goals",
    ] {
        assert!(
            writer_tables.iter().any(|t| t == table),
            "{THE_WRITER} does not write {table}: {writer_tables:?}"
        );
    }
}

#[test]
fn the_scan_sees_an_insert_and_skips_test_code() {
    assert_eq!(
        inserts("x\n  \"INSERT OR FAIL INTO moves (a) VALUES (?1)\"\nreplace into notes"),
        [(2, "moves".to_string()), (3, "notes".to_string())]
    );
    assert!(inserts("\"INSERT INTO {table} ({cols})\"").len() == 1);
    let (code, files) = without_tests(
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { \"INSERT INTO goals\"; }\n}\n\
         #[cfg(test)]\nmod fixtures;\nfn c() { \"insert into kpis\"; }\n",
    );
    assert_eq!(inserts(&code), [(8, "kpis".to_string())]);
    assert_eq!(files, ["fixtures"]);
}
