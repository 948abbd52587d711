//! `improve log` (what changed, newest first), `improve reopen`, and the
//! history's JSON shape, which `show --json` carries too.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::args::LogArgs;
use super::commands::{Ctx, json_out, not_found, write_failed};
use super::failure::{Failure, code};
use crate::domain::Status;
use crate::domain::history::{self, HistoryEntry, KINDS};
use crate::domain::text::sanitize;
use crate::store::history::LogQuery;

/// One event as JSON: `at`, `by`, `kind`, `initiative`, then its own fields.
pub(crate) fn entry_json(e: &HistoryEntry) -> Value {
    let mut m = Map::new();
    m.insert(
        "at".into(),
        e.at.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
    );
    m.insert("by".into(), e.by.clone().into());
    m.insert("kind".into(), e.kind.clone().into());
    m.insert(
        "initiative".into(),
        e.initiative.map_or(Value::Null, Value::from),
    );
    if let Some(ev) = &e.event {
        m.extend(ev.fields());
    }
    Value::Object(m)
}

/// `--since`: a date (`2026-11-30`), a time (RFC 3339), `today`,
/// `yesterday`, or an age such as `3d`, `12h` or `2w`.
pub(crate) fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN).and_utc();
    match t.to_ascii_lowercase().as_str() {
        "today" => return Ok(midnight(now.date_naive())),
        "yesterday" => return Ok(midnight(now.date_naive() - Duration::days(1))),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(midnight(d));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    let (num, unit) = t.split_at(t.len().saturating_sub(1));
    if let Ok(n) = num.parse::<i64>().map(|n| n.clamp(0, 100_000)) {
        let ago = match unit {
            "h" => Some(Duration::hours(n)),
            "d" => Some(Duration::days(n)),
            "w" => Some(Duration::weeks(n)),
            _ => None,
        };
        if let Some(ago) = ago {
            return Ok(now
                .checked_sub_signed(ago)
                .unwrap_or(DateTime::<Utc>::MIN_UTC));
        }
    }
    Err(format!(
        "--since {text:?}: give a date (2026-11-30), today, yesterday, or an age such as 12h, 3d or 2w"
    ))
}

pub(super) fn log(ctx: &mut Ctx<'_>, args: &LogArgs) -> Result<(), Failure> {
    if let Some(kind) = &args.kind
        && !history::is_kind(kind)
    {
        return Err(Failure::new(
            code::USAGE,
            format!(
                "--kind {kind:?} is not a kind of event; kinds: {}",
                KINDS.join(", ")
            ),
        ));
    }
    let since = match &args.since {
        Some(s) => Some(
            parse_since(s, ctx.clock.now())
                .map_err(|why| Failure::new(code::USAGE, why))?
                .timestamp(),
        ),
        None => None,
    };
    let query = LogQuery {
        initiative: args.id,
        since,
        by: args.by.clone(),
        kind: args.kind.clone(),
        after_id: None,
        limit: args.limit,
    };
    let entries = ctx.store.log(&query)?;
    if args.json {
        let list: Vec<Value> = entries.iter().map(entry_json).collect();
        return json_out(&mut *ctx.out, &list);
    }
    if entries.is_empty() {
        return writeln!(ctx.out, "no events").map_err(write_failed);
    }
    let by_w = entries
        .iter()
        .map(|e| unicode_width::UnicodeWidthStr::width(e.author()))
        .max()
        .unwrap_or(0)
        .min(16);
    let id_w = entries
        .iter()
        .filter_map(|e| e.initiative)
        .map(|id| id.to_string().len() + 1)
        .max()
        .unwrap_or(1);
    for e in &entries {
        let who = sanitize(e.author());
        let id = e.initiative.map_or("-".into(), |id| format!("#{id}"));
        writeln!(
            ctx.out,
            "{}  {:<by_w$}  {:>id_w$}  {}",
            ctx.dates.stamp(e.at),
            who,
            id,
            sanitize(&e.summary()),
        )
        .map_err(write_failed)?;
    }
    Ok(())
}

pub(super) fn reopen(
    ctx: &mut Ctx<'_>,
    id: i64,
    reason: Option<String>,
    to: Option<String>,
) -> Result<(), Failure> {
    let row = ctx
        .store
        .backlog_row(&ctx.models, id)?
        .ok_or_else(|| not_found(id))?;
    let model = ctx.models.resolve(&row.model).clone();
    if row.status.is_open() {
        let what = if row.status == Status::OnHold {
            "on hold (use `improve resume`)"
        } else {
            "active"
        };
        return Err(Failure::new(
            code::INVALID,
            format!("#{id} is {what}: only done or cancelled initiatives reopen"),
        ));
    }
    let step = match &to {
        Some(to) => Some(i64::from(
            model
                .find_step(to)
                .ok_or_else(|| {
                    Failure::new(
                        code::INVALID,
                        format!(
                            "{to:?} is not a step of {}; steps: {}",
                            model.name,
                            model
                                .steps()
                                .map(|s| format!("{} {}", s.number(), model.def(s).short))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?
                .number(),
        )),
        None => None,
    };
    let now = ctx.clock.now();
    let reason = reason.unwrap_or_default();
    let (at, _) = ctx.store.write(format!("reopen #{id}"), Some(id), |rec| {
        rec.reopen(id, step, &reason, now)
    })?;
    let name = model
        .step(at)
        .map(|s| model.def(s).short.clone())
        .unwrap_or_default();
    writeln!(ctx.out, "#{id} is active again at step {at} {name}").map_err(write_failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_words_and_ages() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let day = |s: &str| parse_since(s, now).unwrap().to_rfc3339();
        assert_eq!(day("2026-11-30"), "2026-11-30T00:00:00+00:00");
        assert_eq!(day("yesterday"), "2026-11-30T00:00:00+00:00");
        assert_eq!(day("today"), "2026-12-01T00:00:00+00:00");
        assert_eq!(day("12h"), "2026-11-30T22:00:00+00:00");
        assert_eq!(day("2w"), "2026-11-17T10:00:00+00:00");
        assert!(parse_since("last tuesday", now).is_err());
        assert!(parse_since("99999999999d", now).is_ok());
    }
}
