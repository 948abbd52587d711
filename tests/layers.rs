//! The layers point down only: each folder of `src/` names, in its paths,
//! none of the modules above or beside it (see "Development" in the README).

use std::path::Path;

/// Each folder and the top-level modules its code must not reach.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "app", "cli", "config", "exchange", "serve", "settings", "store", "tui", "ui",
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
            "cli", "config", "exchange", "serve", "settings", "store", "tui",
        ],
    ),
    (
        "config",
        &[
            "app", "cli", "exchange", "serve", "settings", "store", "tui", "ui",
        ],
    ),
    ("cli", &["settings", "tui", "ui"]),
];

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

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
        let mut files = Vec::new();
        sources(&root.join(folder), &mut files);
        assert!(!files.is_empty(), "src/{folder} has no sources");
        for (path, text) in files {
            for module in reached(&text) {
                if forbidden.contains(&module.as_str()) {
                    wrong.push(format!("{path} uses crate::{module}"));
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
    let mut files = Vec::new();
    sources(&ui, &mut files);
    let mut wrong = Vec::new();
    for (path, text) in files {
        let name = Path::new(&path).file_name().unwrap().to_str().unwrap();
        if allowed.contains(&name) && Path::new(&path).parent() == Some(ui.as_path()) {
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
