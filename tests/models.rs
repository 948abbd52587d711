//! More than one improvement model: every shipped model walked through the
//! dashboard's real update loop, a register that mixes models on screen,
//! and the user's own model files through the real binary.

mod common;

use assert_cmd::Command;
use chrono::Duration;
use common::{Fixture, fixed_now, press, render};
use improve::app::{Action, App};
use improve::domain::moves::plan_move;
use improve::domain::time::Clock;
use improve::domain::{Direction, Models, Status};
use improve::store::NewInitiative;
use serde_json::Value;

fn app(fx: &Fixture, models: Models, width: u16, height: u16) -> App {
    let mut app = App::new(fx.store(), models, Clock::Fixed(fixed_now())).unwrap();
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    app.update(Action::Resize {
        backlog_rows: improve::ui::backlog_rows(area),
    });
    app
}

/// The per-step counts of the model at `index`.
fn per_step(app: &App, index: usize) -> Vec<u32> {
    app.metrics().per_model[index].active_per_step.clone()
}

#[test]
fn an_initiative_of_every_shipped_model_goes_from_its_first_step_to_done_moving_back_once() {
    let fx = Fixture::new();
    let models = Models::builtin();
    let mut app = app(&fx, models.clone(), 120, 40);
    for (k, (model, _)) in models.iter().enumerate() {
        let n = model.len();
        // Added in the dashboard's form, the model picked in its field
        // (the last one: Shift-Tab from the title wraps to it).
        let title = format!("Walk {}", model.id);
        press(&mut app, &format!("a{title}<BTab>"));
        for _ in 0..k {
            press(&mut app, "<Right>");
        }
        press(&mut app, "<C-s>");
        let row = app.selected_row().expect("the new initiative is selected");
        assert_eq!(
            (row.title.as_str(), &*row.model),
            (title.as_str(), model.id.as_str())
        );
        let id = row.id;
        assert_eq!(app.model().id, model.id, "the dashboard follows its model");
        let mut expected = vec![0; n];
        expected[0] = 1;
        assert_eq!(per_step(&app, k), expected, "{}: at step 1", model.id);
        let screen = render(&app, 120, 40);
        assert!(
            screen.contains(&format!(
                "Step 1 of {n} · {}",
                model.steps[0].question.split(' ').next().unwrap()
            )),
            "{}: the checklist pane asks step 1's question\n{screen}",
            model.id
        );
        let first_item: String = model.steps[0].checklist[0].chars().take(20).collect();
        assert!(screen.contains(&format!("[ ] {first_item}")), "{screen}");

        // Forward (the open items are confirmed), then back once with a reason.
        press(&mut app, ">y");
        assert_eq!(app.step_of(id).unwrap().number(), 2);
        press(&mut app, "<not ready<Enter>");
        assert_eq!(app.step_of(id).unwrap().number(), 1);
        assert_eq!(app.row_by_id(id).unwrap().returns, 1);
        assert_eq!(per_step(&app, k), expected, "{}: back at step 1", model.id);

        // Then every step to done (declining the follow-up).
        for step in 2..=n {
            press(&mut app, ">y");
            assert_eq!(app.step_of(id).unwrap().number() as usize, step);
            let mut expected = vec![0; n];
            expected[step - 1] = 1;
            assert_eq!(per_step(&app, k), expected, "{} at step {step}", model.id);
        }
        // Finishing asks the outcome (successful) and what was realised.
        press(&mut app, ">y<C-s>");
        press(&mut app, "n");
        let row = app.row_by_id(id).unwrap();
        assert_eq!(row.status, Status::Done, "{}", model.id);
        assert_eq!(row.step.number() as usize, n);
        assert_eq!(per_step(&app, k), vec![0; n]);
        // Throughput and cycle time count every model's done initiatives.
        let m = app.metrics();
        assert_eq!(m.by_status[2] as usize, k + 1, "{}", model.id);
        assert_eq!(m.done_in_window() as usize, k + 1);
        assert_eq!(m.returns as usize, k + 1);
        assert_eq!(m.cycle_median, Some(0.0));
    }
}

/// A register of several models at several steps, one of each selected in
/// turn.
fn mixed_register(fx: &Fixture) {
    let models = Models::builtin();
    let mut store = fx.store();
    let spec: [(&str, &str, usize, i64); 9] = [
        ("itil4", "Cut P1 incident MTTR", 4, 20),
        ("pdca", "Halve password-reset tickets", 2, 12),
        ("dmaic", "Fewer failed changes", 3, 30),
        ("kata", "Same-day laptop setup", 4, 8),
        ("itil-csi", "Monthly service review", 5, 40),
        ("personal", "Inbox zero by Friday", 3, 3),
        ("pdca", "Shorter stand-ups", 1, 2),
        ("itil4", "Automate cert renewal", 2, 15),
        ("personal", "Read one paper a week", 4, 25),
    ];
    for (i, (id, title, step, days)) in spec.into_iter().enumerate() {
        let model = models.get(id).unwrap();
        let at = fixed_now() - Duration::days(days + i as i64);
        let new = NewInitiative {
            priority: 1 + (i % 5) as u8,
            owner: ["Ana", "Ben", "Chen"][i % 3].into(),
            ..NewInitiative::titled(title)
        };
        let iid = store.create_initiative(model, &new, at).unwrap();
        let mut current = model.first();
        for _ in 1..step {
            let plan = plan_move(model, current, Status::Active, Direction::Forward).unwrap();
            store
                .write("move", Some(iid), |rec| rec.apply_move(iid, plan, None, at))
                .unwrap();
            current = plan.to();
        }
    }
}

#[test]
fn a_register_mixing_models_renders_each_initiative_s_model_80x24() {
    let fx = Fixture::new();
    mixed_register(&fx);
    let mut app = app(&fx, Models::builtin(), 80, 24);
    // The PDCA initiative at Do.
    while app.selected_row().is_some_and(|r| &*r.model != "pdca") {
        press(&mut app, "j");
    }
    assert_eq!(app.model().id, "pdca");
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn a_register_mixing_models_renders_each_initiative_s_model_120x40() {
    let fx = Fixture::new();
    mixed_register(&fx);
    let mut app = app(&fx, Models::builtin(), 120, 40);
    while app.selected_row().is_some_and(|r| &*r.model != "kata") {
        press(&mut app, "j");
    }
    assert_eq!(app.model().id, "kata");
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn model_filter_shows_one_model() {
    let fx = Fixture::new();
    mixed_register(&fx);
    let mut app = app(&fx, Models::builtin(), 80, 24);
    press(&mut app, "/model:personal<Enter>");
    assert_eq!(app.visible_len(), 2);
    assert!((0..2).all(|i| &*app.visible(i).unwrap().model == "personal"));
    press(&mut app, "/<C-u>step:do<Enter>");
    assert_eq!(app.visible_len(), 1, "only PDCA has a step named Do");
}

const TRIAGE: &str = r#"# A two-step model of my own.
id = "triage"
name = "Triage loop"

[[steps]]
name = "Look at it"
short = "Look"
question = "What is it?"
purpose = "See what it is."
checklist = ["Read it", "Ask who sent it"]

[[steps]]
name = "Fix it"
short = "Fix"
question = "What do we do now?"
purpose = "Do the fix."
checklist = ["Fix it"]
"#;

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    /// A config folder with `config` as config.toml and these model files.
    fn new(config: &str, files: &[(&str, &str)]) -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        std::fs::create_dir(dir.path().join("models")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("models").join(name), text).unwrap();
        }
        Home { dir }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("improve").unwrap();
        c.env_remove("IMPROVE_READ_ONLY")
            .env("IMPROVE_CONFIG", self.dir.path().join("config.toml"))
            .env("IMPROVE_DB", self.dir.path().join("register.db"));
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn bad_model_files_are_reported_with_their_line_and_skipped() {
    let bad_rule = TRIAGE
        .replace("id = \"triage\"", "id = \"twice\"")
        .replace("short = \"Fix\"", "short = \"look\"");
    let bad_toml = TRIAGE
        .replace("id = \"triage\"", "id = \"broken\"")
        .replace("purpose = \"Do the fix.\"", "purpose = Do the fix.");
    let home = Home::new(
        "",
        &[
            ("triage.toml", TRIAGE),
            ("twice.toml", &bad_rule),
            ("broken.toml", &bad_toml),
            ("pdca.toml", &TRIAGE.replace("\"triage\"", "\"pdca\"")),
            ("notes.txt", "not a model"),
        ],
    );
    let out = home.cmd().arg("models").output().unwrap();
    assert!(
        out.status.success(),
        "a bad model file never stops the program"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    let models = home.dir.path().join("models");
    let twice = format!(
        "{}:14: step 2: short name \"look\"",
        models.join("twice.toml").display()
    );
    let broken = format!("{}:16: ", models.join("broken.toml").display());
    let taken = format!(
        "{}:1: model id \"pdca\" is already taken",
        models.join("pdca.toml").display()
    );
    for expected in [&twice, &broken, &taken] {
        assert!(
            stderr.contains(expected.as_str()),
            "{expected}\nin\n{stderr}"
        );
    }
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("triage    Triage loop · 2 steps"),
        "{stdout}"
    );
    assert!(stdout.contains("1 Look › 2 Fix"), "{stdout}");
    assert!(
        !stdout.contains("twice") && !stdout.contains("broken"),
        "{stdout}"
    );

    let json: Value = serde_json::from_str(&home.ok(&["models", "--json"])).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "itil4", "pdca", "dmaic", "kata", "itil-csi", "personal", "triage"
        ]
    );
    assert_eq!(json[6]["source"], "file");
    assert_eq!(json[6]["steps"][1]["short"], "Fix");
    assert_eq!(json[0]["default"], true);
}

#[test]
fn the_configured_model_is_the_default_and_commands_use_each_initiative_s_steps() {
    let home = Home::new("model = \"pdca\"\n", &[("triage.toml", TRIAGE)]);
    let a = home.ok(&["add", "Shorter queue"]).trim().to_string();
    let b = home
        .ok(&["add", "Sort the inbox", "--model", "triage"])
        .trim()
        .to_string();
    let c = home
        .ok(&["add", "Seven steps", "--model", "itil4"])
        .trim()
        .to_string();

    let list: Value = serde_json::from_str(&home.ok(&["list", "--json"])).unwrap();
    let by_id = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"].as_i64() == id.parse::<i64>().ok())
            .unwrap()
            .clone()
    };
    assert_eq!(
        (by_id(&a)["model"].clone(), by_id(&a)["steps"].clone()),
        ("pdca".into(), 4.into())
    );
    assert_eq!(
        (by_id(&b)["model"].clone(), by_id(&b)["steps"].clone()),
        ("triage".into(), 2.into())
    );
    assert_eq!(by_id(&c)["steps"], 7);
    assert_eq!(by_id(&a)["step_name"], "Plan");

    // `--to` takes the initiative's own model's names and numbers.
    let moved = home.ok(&["move", &a, "--to", "check"]);
    assert!(moved.contains("step 3/4 Check"), "{moved}");
    let moved = home.ok(&["move", &b, "--to", "fix"]);
    assert!(moved.contains("step 2/2 Fix"), "{moved}");
    let out = home
        .cmd()
        .args(["move", &c, "--to", "check"])
        .output()
        .unwrap();
    assert!(out.status.success(), "ITIL 4 has a Check too");
    let out = home.cmd().args(["move", &b, "--to", "3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("\"3\" is not a step of Triage loop (#2's model): 1 to 2 or Look, Fix"),
        "{err}"
    );
    let list = home.ok(&["list", "--step", "check"]);
    assert_eq!(
        list.lines().count(),
        3,
        "the PDCA and the ITIL 4 one\n{list}"
    );

    // The model changes only at the first step.
    let d = home.ok(&["add", "Later"]).trim().to_string();
    let out = home.ok(&["set-model", &d, "kata"]);
    assert!(
        out.contains("now follows kata (4 steps; step 1 Direction)"),
        "{out}"
    );
    let show: Value = serde_json::from_str(&home.ok(&["show", &d, "--json"])).unwrap();
    assert_eq!(show["model"], "kata");
    assert_eq!(show["step_name"], "Direction");
    // The change is in its history, with where it came from.
    let last = show["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "model_changed");
    assert_eq!(last["from"], "pdca");
    assert_eq!(last["to"], "kata");
    let out = home
        .cmd()
        .args(["set-model", &a, "itil4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only be changed at the first step"));
    let out = home
        .cmd()
        .args(["add", "x", "--model", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown model \"nope\""));
}

#[test]
fn an_unknown_configured_model_is_a_warning_and_itil4_stays_the_default() {
    let home = Home::new("theme = \"dark\"\nmodel = \"pcda\"\n", &[]);
    let out = home.cmd().args(["add", "x"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("config.toml:2: unknown model \"pcda\""),
        "{err}"
    );
    let list: Value = serde_json::from_str(&home.ok(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["model"], "itil4");
}

#[test]
fn an_export_carries_a_user_model_to_a_machine_without_its_file() {
    let here = Home::new("", &[("triage.toml", TRIAGE)]);
    let id = here
        .ok(&["add", "Sort the inbox", "--model", "triage"])
        .trim()
        .to_string();
    here.ok(&["add", "Seven steps"]);
    here.ok(&["move", &id, "forward"]);
    let file = here.dir.path().join("register.json");
    here.ok(&[
        "export",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let carried: Vec<&str> = doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        carried,
        ["triage"],
        "only the user's model, not the shipped ones"
    );

    // Elsewhere: no triage.toml.
    let there = Home::new("", &[]);
    let out = there
        .cmd()
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let kept = there.dir.path().join("models").join("triage.toml");
    assert!(
        err.contains(&format!("model triage saved to {}", kept.display())),
        "{err}"
    );
    let list: Value = serde_json::from_str(&there.ok(&["list", "--json"])).unwrap();
    let sorted = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Sort the inbox")
        .unwrap();
    assert_eq!(sorted["model"], "triage");
    assert_eq!(
        (sorted["step"].clone(), sorted["step_name"].clone()),
        (2.into(), "Fix".into())
    );
    assert_eq!(sorted["steps"], 2);
    let models = there.ok(&["models"]);
    assert!(models.contains("Triage loop · 2 steps"), "{models}");

    // A file whose carried model breaks a rule imports nothing.
    let bad = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"short\": \"Fix\"", "\"short\": \"Look\"");
    let bad_file = there.dir.path().join("bad.json");
    std::fs::write(&bad_file, bad).unwrap();
    let fresh = there.dir.path().join("other.db");
    let out = there
        .cmd()
        .env("IMPROVE_DB", &fresh)
        .args(["import", bad_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("short name \"Look\" is used by an earlier step"),
        "{err}"
    );
}
