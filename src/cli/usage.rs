//! Usage mistakes as one short line, and the natural word orders that
//! mean one thing only.

use std::ffi::OsString;

use clap::CommandFactory;
use clap::error::ErrorKind;

use super::args::Cli;

/// The global options that take a value, which may come before the
/// subcommand (`improve --db x.db kpi ...`).
const GLOBAL_WITH_VALUE: [&str; 3] = ["--db", "--config", "--color"];

/// `improve kpi add 1 Latency` and `improve move forward 3` as the
/// documented `kpi 1 add Latency` and `move 3 forward`. Only a verb
/// followed by a whole number is swapped: as written, clap would refuse
/// the verb as the ID, so nothing that parses today changes meaning.
pub fn natural_order(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    let Some(at) = subcommand_at(&args) else {
        return args;
    };
    let verbs: &[&str] = match args[at].to_str() {
        Some("kpi") => &["add", "baseline", "target", "measure"],
        Some("move") => &["forward", "back"],
        _ => return args,
    };
    let word = |i: usize| args.get(i).and_then(|a| a.to_str());
    if word(at + 1).is_some_and(|w| verbs.contains(&w))
        && word(at + 2).is_some_and(|w| w.parse::<i64>().is_ok())
    {
        args.swap(at + 1, at + 2);
    }
    args
}

/// Where the subcommand is: the first word that is neither an option nor
/// a global option's value.
fn subcommand_at(args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_str()?;
        if GLOBAL_WITH_VALUE.contains(&a) {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            return Some(i);
        }
    }
    None
}

/// What is wrong and the one usage line that fixes it, e.g. `missing ID
/// (usage: improve show ID [--json])`; `args` (as given) say which
/// subcommand's usage that is. A mistake in `improve` itself points to
/// `improve --help`.
pub fn message(e: &clap::Error, args: &[OsString]) -> String {
    let rendered = e.render().to_string();
    let first = rendered
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or_default();
    let mut cmd = Cli::command();
    cmd.build();
    let usage = usage_of(&cmd, args);
    let problem = match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = first.lines().skip(1).map(|l| plain(l.trim())).collect();
            format!("missing {}", and_list(&missing))
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "missing what to do".to_owned()
        }
        _ => {
            let text = first.lines().map(str::trim).collect::<Vec<_>>().join(" ");
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            plain(text).replace("invalid digit found in string", "not a whole number")
        }
    };
    let problem = problem.strip_prefix("error: ").unwrap_or(&problem);
    // clap's "a similar subcommand exists: 'list'" is worth its words.
    let tip = rendered
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("tip: a similar"))
        .map(|l| format!("; {}", l.trim_start_matches("tip: ")))
        .unwrap_or_default();
    match usage {
        Some(usage) => format!("{problem}{tip} (usage: {usage})"),
        None => format!("{problem}{tip} (see improve --help)"),
    }
}

/// The usage line of the deepest subcommand `args` name (`kpi 1 add` is
/// `kpi add`), or none for `improve` itself.
fn usage_of(root: &clap::Command, args: &[OsString]) -> Option<String> {
    let mut cmd = root;
    let mut i = 1;
    while i < args.len() {
        let Some(a) = args[i].to_str() else { break };
        if a == "--" {
            break;
        }
        if GLOBAL_WITH_VALUE.contains(&a) {
            i += 1;
        } else if let Some(sub) = cmd.find_subcommand(a) {
            cmd = sub;
        }
        i += 1;
    }
    if std::ptr::eq(cmd, root) {
        return None;
    }
    cmd.get_overridden_usage().map(|u| u.to_string())
}

/// `<ID>`, `'<ID>'` and `[DIRECTION]` as the usage lines write them: `ID`.
fn plain(text: &str) -> String {
    let placeholder =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['<', '[']) {
        let close = if rest[open..].starts_with('<') {
            '>'
        } else {
            ']'
        };
        let end = rest[open + 1..].find(close).map(|e| open + 1 + e);
        match end {
            Some(end) if placeholder(&rest[open + 1..end]) => {
                let quoted = rest[..open].ends_with('\'') && rest[end + 1..].starts_with('\'');
                if quoted {
                    out.push_str(&rest[..open - 1]);
                    out.push_str(&rest[open + 1..end]);
                    rest = &rest[end + 2..];
                } else {
                    out.push_str(&rest[..open]);
                    out.push_str(&rest[open + 1..end]);
                    rest = &rest[end + 1..];
                }
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => "an argument".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(args: &str) -> String {
        let args = args.split(' ').map(OsString::from);
        let out = natural_order(args);
        out.iter()
            .map(|a| a.to_str().unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_verb_before_the_id_is_put_after_it() {
        assert_eq!(
            order("improve kpi add 1 Latency"),
            "improve kpi 1 add Latency"
        );
        assert_eq!(
            order("improve --db x.db kpi measure 2 1 3"),
            "improve --db x.db kpi 2 measure 1 3"
        );
        assert_eq!(order("improve move forward 3"), "improve move 3 forward");
    }

    #[test]
    fn what_already_parses_or_is_no_id_is_left_alone() {
        for args in [
            "improve kpi 1 add add",
            "improve kpi add Latency 1",
            "improve move 3 back",
            "improve note add 1",
            "improve --db kpi list",
            "improve",
        ] {
            assert_eq!(order(args), args);
        }
    }

    #[test]
    fn placeholders_lose_their_brackets() {
        assert_eq!(
            plain("invalid value 'x' for '<ID>'"),
            "invalid value 'x' for ID"
        );
        assert_eq!(plain("--reason <REASON>"), "--reason REASON");
        assert_eq!(plain("a <b> [c] [DIRECTION]"), "a <b> [c] DIRECTION");
    }
}
