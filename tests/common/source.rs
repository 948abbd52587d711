//! Reading the program's own sources, for the tests that check its layout
//! (`layers.rs`, `one_writer.rs`).

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// `text` without its `#[cfg(test)]` items, and the names of the modules
/// those items declare in files of their own (`#[cfg(test)] mod tests;`).
/// Braces are counted, not parsed: enough for this code base, whose strings
/// hold balanced `{}` only.
pub fn without_tests(text: &str) -> (String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let mut kept = String::new();
    let mut test_files = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        kept.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    let decl = item[..i].trim();
                    if let Some(name) = decl.strip_prefix("mod ") {
                        test_files.push(name.trim().to_string());
                    }
                    break;
                }
                _ => {}
            }
        }
        // Keep the line count, so a finding's line number is right.
        kept.push_str(&"\n".repeat(item[..end].matches('\n').count()));
        rest = &item[end..];
    }
    kept.push_str(rest);
    (kept, test_files)
}

/// The files `files` declares as test-only modules (`#[cfg(test)] mod x;`),
/// where they would be: `x.rs` or `x/mod.rs` beside (or under) the file.
pub fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in files {
        let (_, names) = without_tests(&std::fs::read_to_string(path).unwrap());
        let dir = if path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs")
        {
            path.parent().unwrap().to_path_buf()
        } else {
            path.with_extension("")
        };
        for name in names {
            out.push(dir.join(format!("{name}.rs")));
            out.push(dir.join(&name).join("mod.rs"));
        }
    }
    out
}

/// The program's code in `files`: test-only files left out, `#[cfg(test)]`
/// items blanked (line numbers kept). `(path, code)`.
pub fn program_code(files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let test_only = test_only_files(files);
    files
        .iter()
        .filter(|p| !test_only.contains(p))
        .map(|p| {
            let (code, _) = without_tests(&std::fs::read_to_string(p).unwrap());
            (p.clone(), code)
        })
        .collect()
}
