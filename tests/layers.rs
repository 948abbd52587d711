//! The layers point down only: each folder of `src/` names, in its paths,
//! none of the modules above or beside it (see "Development" in the README).

mod common;

use std::path::Path;

use common::source::{program_code, rust_files};

/// Each folder and the top-level modules its code must not reach.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "app", "cli", "config", "exchange", "sample", "serve", "settings", "store", "tui", "ui",
        ],
    ),
    (
        "sample",
        &[
            "app", "cli", "config", "exchange", "serve", "settings", "tui", "ui",
        ],
    ),
    (
        "store",
        &[
            "app", "cli", "config", "exchange", "serve", "settings", "tui", "ui",
        ],
    ),
    (
        "app",
        &[
            "cli", "config", "exchange", "serve", "settings", "tui", "ui",
        ],
    ),
    (
        "ui",
        &[
            "cli", "config", "exchange", "sample", "serve", "settings", "store", "tui",
        ],
    ),
    (
        "config",
        &[
            "app", "cli", "exchange", "sample", "serve", "settings", "store", "tui", "ui",
        ],
    ),
    ("cli", &["settings", "tui", "ui"]),
];

/// As [`FORBIDDEN`], for the program's code only: the store's own tests
/// load the sample (which sits above it) as a fixture.
const FORBIDDEN_OUTSIDE_TESTS: &[(&str, &[&str])] = &[("store", &["sample"])];

/// The top-level modules a file names as `crate::name`.
fn reached(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        .map(|(i, m)| {
            text[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn no_folder_reaches_up_or_sideways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (folder, forbidden) in FORBIDDEN {
        let files = rust_files(&root.join(folder));
        assert!(!files.is_empty(), "src/{folder} has no sources");
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for module in reached(&text) {
                if forbidden.contains(&module.as_str()) {
                    wrong.push(format!("{} uses crate::{module}", path.display()));
                }
            }
        }
    }
    for (folder, forbidden) in FORBIDDEN_OUTSIDE_TESTS {
        for (path, code) in program_code(&rust_files(&root.join(folder))) {
            for module in reached(&code) {
                if forbidden.contains(&module.as_str()) {
                    wrong.push(format!("{} uses crate::{module}", path.display()));
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_check_sees_a_sideways_path() {
    assert_eq!(
        reached("use crate::ui::Theme;\nlet k = crate::app::keymap::Key::ch('j');"),
        ["ui", "app"]
    );
}

/// The panes draw plain data (slices and small view structs): only the
/// view's entry (`ui/mod.rs`), the module that reads the app's accessors
/// for them (`ui/assemble.rs`) and hit testing name `App`; the help takes
/// the keymap.
#[test]
fn panes_draw_plain_data_not_the_app() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let allowed = ["mod.rs", "assemble.rs", "hit.rs"];
    let files = program_code(&rust_files(&ui));
    assert!(files.len() > 10, "read {} files under src/ui", files.len());
    let mut wrong = Vec::new();
    for (path, text) in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        if allowed.contains(&name) && path.parent() == Some(ui.as_path()) {
            continue;
        }
        let names_app = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .any(|l| {
                l.match_indices("App").any(|(i, _)| {
                    let before = l[..i].chars().next_back();
                    let after = l[i + 3..].chars().next();
                    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !word(before) && !word(after)
                })
            });
        if names_app {
            wrong.push(path);
        }
    }
    assert!(wrong.is_empty(), "panes that name App: {wrong:#?}");
}

/// The engine stays behind the store: code above it names `store::Error`
/// and `store::Result`, never SQLite's crate, so a second engine changes
/// the store alone.
#[test]
fn only_the_store_names_the_engine() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let store = src.join("store");
    let files = program_code(&rust_files(&src));
    assert!(files.len() > 50, "read {} files under src", files.len());
    let wrong: Vec<_> = files
        .iter()
        .filter(|(path, _)| !path.starts_with(&store))
        .filter(|(_, text)| text.contains("rusqlite"))
        .map(|(path, _)| path.clone())
        .collect();
    assert!(
        wrong.is_empty(),
        "files above the store that name rusqlite: {wrong:#?}"
    );
}
