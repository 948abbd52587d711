use super::*;
use crate::domain::model::Model;
use chrono::TimeZone;

fn row(title: &str, owner: &str, tags: &str, step: i64, status: Status) -> BacklogRow {
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    BacklogRow {
        title: title.into(),
        step: Model::itil4().step(step).unwrap(),
        status,
        owner: owner.into(),
        due: NaiveDate::from_ymd_opt(2026, 2, 1),
        tags: tags.into(),
        ..BacklogRow::example(1, t0)
    }
}

/// The row most tests look at: active in step 4, due a month after it was
/// made, with an owner and two tags.
fn cert_row() -> BacklogRow {
    row(
        "Automate cert renewal",
        "Priya",
        "security, automation",
        4,
        Status::Active,
    )
}

fn check(query: &str, r: &BacklogRow, goal: Option<&str>) -> bool {
    check_stale(query, r, goal, crate::domain::metrics::DEFAULT_STALE_DAYS)
}

/// The description every row of [`row`] has.
const DESCRIPTION: &str = "Renew TLS before expiry";

fn check_stale(query: &str, r: &BacklogRow, goal: Option<&str>, stale_days: i64) -> bool {
    let _m = Model::itil4();
    let text = haystack_text(r, DESCRIPTION);
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    Filter::parse(query, &Models::builtin()).matches(
        &Haystack {
            row: r,
            text: &text,
            goal,
        },
        now,
        now.date_naive(),
        stale_days,
    )
}

#[test]
fn free_text_searches_title_description_owner_and_tags_ignoring_case() {
    let r = cert_row();
    assert!(check("CERT", &r, None));
    assert!(check("tls expiry", &r, None), "description, every word");
    assert!(check("priya", &r, None));
    assert!(check("automation", &r, None));
    assert!(!check("cert backup", &r, None));
    assert!(check("", &r, None), "an empty filter matches everything");
}

#[test]
fn model_and_step_terms_know_each_model_s_steps() {
    let mut pdca = row("Shorter queue", "", "", 2, Status::Active);
    pdca.model = "pdca".into();
    let itil = row("Shorter queue", "", "", 2, Status::Active);
    assert!(check("model:pdca", &pdca, None));
    assert!(!check("model:pdca", &itil, None));
    assert!(check("model:itil4", &itil, None));
    // Step 2 is "Do" in PDCA and "Now" in ITIL 4.
    assert!(check("step:do", &pdca, None));
    assert!(!check("step:do", &itil, None));
    assert!(check("step:now", &itil, None));
    assert!(!check("step:now", &pdca, None));
    assert!(check("step:2", &pdca, None) && check("step:2", &itil, None));
    // A step no model has is free text.
    assert_eq!(
        Filter::parse("step:nowhere", &Models::builtin()).terms,
        [Term::Text("step:nowhere".into())]
    );
}

#[test]
fn structured_terms() {
    let r = cert_row();
    assert!(check("step:plan", &r, None));
    assert!(check("step:4 status:active", &r, None));
    assert!(!check("step:act", &r, None));
    assert!(check("owner:pri", &r, None));
    assert!(check("tag:security", &r, None));
    assert!(!check("tag:sec", &r, None), "tags match whole");
    assert!(check("is:overdue", &r, None));
    assert!(check("is:stale", &r, None));
    assert!(
        !check_stale("is:stale", &r, None, 90),
        "59 days in step are not stale when stale_days is 90"
    );
    assert!(check("status:open", &r, None));
    assert!(check("goal:cost", &r, Some("reduce cost of operations")));
    assert!(!check("goal:cost", &r, None));
    let held = row("x", "", "", 2, Status::OnHold);
    assert!(check("status:on_hold", &held, None));
    assert!(!check("is:overdue status:closed", &held, None));
}

/// Rows with their descriptions and queries from a small alphabet, so
/// that matches, near misses and narrowing all happen often.
fn corpus() -> (Vec<(BacklogRow, String)>, Vec<String>) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n) as usize
    };
    let words = [
        "Cert", "certs", "ÉTÉ", "été", "a,b", "Priya", "x:y", "tls", "Ⅻ", "ab",
    ];
    let mut phrase = |n: usize| {
        (0..n)
            .map(|_| words[next(words.len() as u64)])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let rows = (0..200)
        .map(|i| {
            let r = row(
                &phrase(2),
                &phrase(1),
                &phrase(2).replace(' ', ","),
                1 + (i % 7),
                Status::ALL[i as usize % 4],
            );
            (r, phrase(3))
        })
        .collect();
    let keys = ["", "", "", "owner:", "tag:", "is:"];
    let queries = (0..300)
        .map(|_| {
            let key = keys[next(keys.len() as u64)];
            let word = words[next(words.len() as u64)].to_string();
            let cut = next(word.len() as u64 + 1);
            let word: String = word
                .char_indices()
                .filter(|(i, _)| *i < cut)
                .map(|(_, c)| c)
                .collect();
            format!("{key}{word}")
        })
        .collect();
    (rows, queries)
}

#[test]
fn kept_haystacks_and_masks_match_exactly_what_the_plain_filter_does() {
    let _m = Model::itil4();
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let (mut rows, queries) = corpus();
    let mut kept = Haystacks::new(rows.iter().map(|(r, d)| (r, d.as_str())));
    // Rewrites and removals, enough to compact the buffer once.
    for round in 0..30 {
        for i in (0..rows.len()).step_by(20) {
            let (r, d) = &mut rows[i];
            let title = r.title.clone();
            r.title = format!("{title} {}", "x".repeat(5_000 + round));
            assert!(kept.set(i, r, d));
            r.title = format!("{title}{round}");
            assert!(kept.set(i, r, d));
            assert!(!kept.set(i, r, d), "the same text");
            if round % 2 == 1 {
                d.push('É');
                assert!(kept.set(i, r, d));
            }
        }
    }
    assert!(kept.text.len() < 1 << 21, "compacted");
    for i in (0..rows.len()).step_by(7).rev() {
        rows.remove(i);
        kept.remove(i);
    }
    assert_eq!(kept.len(), rows.len());
    for q in &queries {
        for pair in [q.clone(), format!("{q} tls"), format!("{q}e")] {
            let f = Filter::parse(&pair, &Models::builtin());
            let matcher = f.matcher();
            for (i, (r, d)) in rows.iter().enumerate() {
                let text = haystack_text(r, d);
                assert_eq!(kept.text(i), text);
                assert_eq!(kept.mask(i), byte_mask(text.as_bytes()));
                let h = Haystack {
                    row: r,
                    text: &text,
                    goal: None,
                };
                let slow = f.terms.iter().all(|t| match t {
                    Term::Text(t) => text.contains(t.as_str()),
                    Term::Owner(o) => r.owner.to_lowercase().contains(o.as_str()),
                    Term::Tag(t) => r.tags.split(',').any(|tag| tag.trim().to_lowercase() == *t),
                    _ => Filter {
                        terms: vec![t.clone()],
                        problems: Vec::new(),
                    }
                    .matches(&h, now, now.date_naive(), 30),
                });
                assert_eq!(
                    matcher.matches_masked(&h, None, now, now.date_naive(), 30),
                    slow,
                    "{pair:?} {r:?}"
                );
                assert_eq!(
                    matcher.matches_masked(&h, Some(kept.mask(i)), now, now.date_naive(), 30),
                    slow,
                    "{pair:?} {r:?}"
                );
            }
        }
    }
}

#[test]
fn a_narrowing_filter_passes_only_rows_the_earlier_one_passed() {
    let _m = Model::itil4();
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let (rows, queries) = corpus();
    let passes = |f: &Filter, (r, d): &(BacklogRow, String)| {
        let text = haystack_text(r, d);
        f.matches(
            &Haystack {
                row: r,
                text: &text,
                goal: None,
            },
            now,
            now.date_naive(),
            30,
        )
    };
    let mut narrowing = 0;
    for a in &queries {
        for b in [
            format!("{a}e"),
            format!("{a} cert"),
            format!("{a}:"),
            a.clone(),
            "tls".into(),
        ] {
            let (fa, fb) = (
                Filter::parse(a, &Models::builtin()),
                Filter::parse(&b, &Models::builtin()),
            );
            if fb.narrows(&fa) {
                narrowing += 1;
                for r in &rows {
                    assert!(!passes(&fb, r) || passes(&fa, r), "{a:?} -> {b:?}");
                }
            }
        }
    }
    assert!(narrowing > 500, "{narrowing}");
    // Typing a key turns free text into a term; that does not narrow.
    assert!(
        !Filter::parse("status:active", &Models::builtin())
            .narrows(&Filter::parse("status:activ", &Models::builtin()))
    );
    assert!(
        Filter::parse("cert tls", &Models::builtin())
            .narrows(&Filter::parse("cert", &Models::builtin()))
    );
    assert!(
        Filter::parse("certs", &Models::builtin())
            .narrows(&Filter::parse("cert", &Models::builtin()))
    );
    assert!(
        !Filter::parse("cer", &Models::builtin())
            .narrows(&Filter::parse("cert", &Models::builtin()))
    );
}

#[test]
fn unknown_keys_are_free_text() {
    let r = row("Fix: flaky alerts", "", "", 1, Status::Active);
    assert!(check("fix:", &r, None));
    assert_eq!(
        Filter::parse("colour:red", &Models::builtin()).terms,
        vec![Term::Text("colour:red".into())]
    );
}
