//! `config.toml`: merging over the defaults, precedence, every kind of bad
//! entry (warned with file and line, the rest applies), remapped keys that
//! work and show in help, `improve config --print`, the light theme.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{Fixture, press, render};
use improve::app::keymap::{Key, KeyCode, Keymap};
use improve::app::{Action, Mode};
use improve::config::{Config, Source, ThemeName};
use improve::settings;
use improve::ui::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier, Style};

fn parse(text: &str) -> Config {
    let mut c = Config::from_str(Path::new("config.toml"), text);
    let _ = settings::keymap(&mut c);
    let _ = settings::theme(&mut c);
    c
}

fn warnings(c: &Config) -> Vec<String> {
    c.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let c = parse("");
    assert!(c.warnings.is_empty());
    assert_eq!(c.theme, ThemeName::Dark);
    assert_eq!(c.stale_days, 30);
    assert_eq!(c.date_format.as_str(), "%Y-%m-%d");
    assert_eq!(c.db, None);
    assert_eq!(settings::theme(&mut c.clone()), Theme::color());
    assert_eq!(settings::keymap(&mut c.clone()), Keymap::default());
}

#[test]
fn settings_merge_over_the_defaults() {
    let mut c = parse(
        r##"
db = "/tmp/somewhere/reg.db"
theme = "light"
date_format = "%d.%m.%Y"
stale_days = 14

[colors]
accent = "bold magenta"
selected = "black on #00d7ff"

[keys]
forward = [">", "L"]
quit = "Q"
"##,
    );
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
    assert_eq!(c.db, Some(PathBuf::from("/tmp/somewhere/reg.db")));
    assert_eq!(c.theme, ThemeName::Light);
    assert_eq!(c.theme_source, Source::File);
    assert_eq!(c.date_format.as_str(), "%d.%m.%Y");
    assert_eq!(c.stale_days, 14);
    let t = settings::theme(&mut c.clone());
    assert_eq!(
        t.accent,
        Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        t.selected,
        Style::new().fg(Color::Black).bg(Color::Rgb(0, 0xd7, 0xff))
    );
    // Roles not named keep the light preset.
    assert_eq!(t.header_current, Theme::light().header_current);
    let map = settings::keymap(&mut c);
    let forward = map.bindings().iter().find(|b| b.name == "forward").unwrap();
    assert_eq!(forward.keys, vec![Key::ch('>'), Key::ch('L')]);
    let quit = map.bindings().iter().find(|b| b.name == "quit").unwrap();
    assert_eq!(quit.keys, vec![Key::ch('Q')]);
    // Untouched actions keep their defaults.
    let back = map.bindings().iter().find(|b| b.name == "back").unwrap();
    assert_eq!(back.keys, vec![Key::ch('<'), Key::shift(KeyCode::Left)]);
}

#[test]
fn an_unknown_key_warns_with_file_and_line_and_the_rest_applies() {
    let c = parse("theme = \"light\"\n\n\n\n\n\ncolour = \"red\"\nstale_days = 7\n");
    assert_eq!(
        warnings(&c),
        vec!["config.toml:7: unknown key \"colour\" (did you mean \"colors\"?)"]
    );
    assert_eq!(c.theme, ThemeName::Light);
    assert_eq!(c.stale_days, 7);
}

#[test]
fn each_bad_value_warns_on_its_line_and_the_rest_applies() {
    let c = parse(
        r#"theme = "sepia"
stale_days = -5
date_format = "%Y-%Q"
[colors]
accent = "blurple"
sparkle = "red"
ok = "bold green"
[keys]
undo = "Hyper-z"
fly = "f"
sort = "S"
"#,
    );
    let w = warnings(&c);
    assert_eq!(w.len(), 7, "{w:#?}");
    assert!(w[0].starts_with("config.toml:1: theme must be"), "{w:#?}");
    assert!(
        w[1].starts_with("config.toml:2: stale_days must be"),
        "{w:#?}"
    );
    assert!(w[2].starts_with("config.toml:3: date_format"), "{w:#?}");
    assert!(
        w[3].starts_with("config.toml:5: colors.accent: unknown colour \"blurple\""),
        "{w:#?}"
    );
    assert!(
        w[4].starts_with("config.toml:6: unknown colour role \"sparkle\""),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|w| w.starts_with("config.toml:9: keys.undo: bad key \"Hyper-z\"")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|w| w.starts_with("config.toml:10: unknown action \"fly\"")),
        "{w:#?}"
    );
    // Defaults where the value was bad, the good ones applied.
    assert_eq!(c.theme, ThemeName::Dark);
    assert_eq!(c.stale_days, 30);
    assert_eq!(c.date_format.as_str(), "%Y-%m-%d");
    assert_eq!(
        settings::theme(&mut c.clone()).accent,
        Theme::color().accent
    );
    assert_eq!(
        settings::theme(&mut c.clone()).ok,
        Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
    );
    let map = settings::keymap(&mut c.clone());
    let sort = map.bindings().iter().find(|b| b.name == "sort").unwrap();
    assert_eq!(sort.keys, vec![Key::ch('S')]);
    let undo = map.bindings().iter().find(|b| b.name == "undo").unwrap();
    assert_eq!(undo.keys, vec![Key::ch('u')], "a bad key keeps the default");
}

#[test]
fn a_conflicting_key_is_reported_not_applied() {
    let c = parse("[keys]\nforward = [\"j\", \"L\"]\nhelp = \"a\"\n");
    let w = warnings(&c);
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(
        w[0].starts_with("config.toml:2: forward: j is already bound to down"),
        "{w:#?}"
    );
    assert!(
        w[1].starts_with("config.toml:3: help: a is already bound to add"),
        "{w:#?}"
    );
    let map = settings::keymap(&mut c.clone());
    let forward = map.bindings().iter().find(|b| b.name == "forward").unwrap();
    assert_eq!(forward.keys, vec![Key::ch('L')]);
    let down = map.bindings().iter().find(|b| b.name == "down").unwrap();
    assert_eq!(down.keys[0], Key::ch('j'), "j still moves down");
    let help = map.bindings().iter().find(|b| b.name == "help").unwrap();
    assert_eq!(help.keys, vec![Key::ch('?')], "every key refused: defaults");
}

#[test]
fn two_actions_can_swap_keys() {
    let c = parse("[keys]\ndown = \"k\"\nup = \"j\"\n");
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
    let map = settings::keymap(&mut c.clone());
    let down = map.bindings().iter().find(|b| b.name == "down").unwrap();
    assert_eq!(down.keys, vec![Key::ch('k')]);
}

#[test]
fn a_key_free_in_one_pane_may_be_reused_in_another() {
    // `r` renames in the checklist and edits a KPI in metrics; `redo`
    // is global, so it would clash.
    let c = parse("[keys]\nedit_here = \"E\"\nredo = \"R\"\n");
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
    let c = parse("[keys]\nredo = \"r\"\n");
    assert_eq!(c.warnings.len(), 1, "{:?}", warnings(&c));
}

#[test]
fn malformed_toml_warns_with_its_line_and_the_rest_applies() {
    let c = parse("theme = \"light\"\nfoo = \nstale_days = 10\n");
    let w = warnings(&c);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].starts_with("config.toml:2: not valid TOML"), "{w:#?}");
    assert_eq!(c.theme, ThemeName::Light);
    assert_eq!(c.stale_days, 10);
}

#[test]
fn a_file_that_is_not_toml_gives_one_warning_and_the_defaults() {
    let c = parse("<html>\n<body>this is not a config</body>\n</html>\n{{{\n");
    let w = warnings(&c);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].starts_with("config.toml:1: not valid TOML"), "{w:#?}");
    assert!(w[0].ends_with("using the defaults"), "{w:#?}");
    assert_eq!(c.theme, ThemeName::Dark);
    assert_eq!(c.stale_days, 30);
}

#[test]
fn a_missing_default_file_is_silent_but_a_named_one_warns() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let c = Config::load(Some(missing.clone()), Source::Default);
    assert!(c.warnings.is_empty());
    let c = Config::load(Some(missing), Source::Flag);
    assert_eq!(c.warnings.len(), 1);
    assert!(
        c.warnings[0]
            .to_string()
            .contains("nope.toml: cannot read it")
    );
}

/// A config path that is not a small regular file is one warning, at once:
/// the program never blocks on a FIFO or reads a device forever.
#[test]
fn a_fifo_a_device_a_folder_or_a_huge_file_is_one_warning_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.toml");
    let f = std::fs::File::create(&huge).unwrap();
    // Sparse: no disk used, but its length is far over the limit.
    f.set_len(improve::config::MAX_CONFIG + 1).unwrap();
    let mut cases = vec![
        (dir.path().to_path_buf(), "a folder"),
        (huge, "over the 1 MiB limit"),
    ];
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        cases.push((fifo, "a FIFO"));
        cases.push((PathBuf::from("/dev/zero"), "a device"));
    }
    for (path, why) in cases {
        for source in [Source::Flag, Source::Env, Source::Default] {
            let c = Config::load(Some(path.clone()), source);
            let w = warnings(&c);
            assert_eq!(w.len(), 1, "{path:?}: {w:#?}");
            assert!(
                w[0].contains("cannot read it") && w[0].contains(why),
                "{w:#?}"
            );
            assert!(w[0].ends_with("using the defaults"), "{w:#?}");
            assert!(!c.found);
            assert_eq!(c.theme, ThemeName::Dark);
        }
    }
}

#[cfg(unix)]
#[test]
fn the_binary_given_a_device_or_fifo_as_config_warns_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    let fifo = dir.path().join("fifo.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // `list` reads a register; it does not make one.
    improve(Path::new("/dev/null"), &db)
        .args(["add", "First"])
        .assert()
        .success();
    // /dev/null is the usual "no configuration": silent, the defaults.
    let out = improve(Path::new("/dev/null"), &db)
        .args(["list"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
    for cfg in [Path::new("/dev/zero"), Path::new("/dev/urandom"), &fifo] {
        let out = improve(cfg, &db)
            .args(["list"])
            // A hang would be killed here and fail the test, not stall the suite.
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .success()
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("not a regular file"), "{cfg:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_remapped_key_works_through_handle_key_and_shows_in_help() {
    let f = Fixture::new();
    f.add(&["Cut P1 incident MTTR"]);
    let mut c = parse("[keys]\nforward = [\">\", \"L\"]\nhelp = \"H\"\n");
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
    let mut app = f.app();
    app.set_keymap(settings::keymap(&mut c));
    assert_eq!(app.rows()[0].step.number(), 1);
    press(&mut app, "L");
    // Step 1 has open checklist items: the move asks first.
    assert!(matches!(app.mode(), Mode::Confirm(_)), "{:?}", app.mode());
    press(&mut app, "y");
    assert_eq!(app.rows()[0].step.number(), 2);
    // The old help key no longer opens help; the new one does.
    press(&mut app, "?");
    assert_eq!(app.mode(), &Mode::Normal);
    press(&mut app, "H");
    assert!(matches!(app.mode(), Mode::Help { .. }));
    let screen = render(&app, 100, 60);
    assert!(screen.contains("> / L"), "{screen}");
    assert!(screen.contains("H      "), "{screen}");
    // The same key closes it.
    press(&mut app, "H");
    assert_eq!(app.mode(), &Mode::Normal);
    // The footer shows the first key of each footer binding.
    let screen = render(&app, 200, 30);
    assert!(screen.contains("H help"), "{screen}");
    assert!(screen.contains("> forward"), "{screen}");
    app.update(Action::Quit);
}

#[test]
fn stale_days_drive_metrics_and_the_filter() {
    let f = Fixture::new();
    f.add(&["Fresh"]);
    let mut app = f.app();
    // Created at the fixed clock: 0 days in step.
    assert_eq!(app.metrics().stale, 0);
    app.set_stale_days(1);
    assert_eq!(app.stale_days(), 1);
    assert_eq!(app.metrics().stale, 0);
    press(&mut app, "/is:stale<Enter>");
    assert_eq!(app.visible_len(), 0);
}

#[test]
fn the_light_theme_renders_without_panics_and_avoids_unreadable_colours() {
    let f = Fixture::new();
    f.add(&["One", "Two", "Three"]);
    let mut app = f.app();
    let light = Theme::light();
    for (w, h) in [(80, 24), (120, 40), (60, 16), (40, 10)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|fr| improve::ui::draw(fr, &app, &light))
            .unwrap();
        press(&mut app, "<Tab>");
    }
    press(&mut app, "?");
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).unwrap();
    terminal
        .draw(|fr| improve::ui::draw(fr, &app, &light))
        .unwrap();
    // Nothing on the white background in yellow, light colours or dark gray.
    for y in 0..40 {
        for x in 0..100 {
            let cell = &terminal.backend().buffer()[(x, y)];
            let bad = [
                Color::Yellow,
                Color::LightYellow,
                Color::White,
                Color::Gray,
                Color::DarkGray,
                Color::LightCyan,
                Color::LightGreen,
            ];
            if cell.bg == Color::Reset {
                assert!(!bad.contains(&cell.fg), "{:?} at {x},{y}", cell.fg);
            }
        }
    }
    assert_eq!(light.selected.bg, Some(Color::Cyan));
    assert_eq!(light.selected.fg, Some(Color::Black));
}

// The command line.

fn improve(config: &Path, db: &Path) -> Command {
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_READ_ONLY")
        .env_remove("NO_COLOR")
        .env_remove("IMPROVE_DB")
        .env("IMPROVE_CONFIG", config)
        .arg("--db")
        .arg(db);
    c
}

#[test]
fn config_print_shows_the_effective_configuration_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "theme = \"light\"\ncolour = \"red\"\n[keys]\nforward = [\">\", \"L\"]\n",
    )
    .unwrap();
    let db = dir.path().join("reg.db");
    let out = improve(&cfg, &db)
        .args(["config", "--print"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("config.toml (env)"), "{out}");
    assert!(
        out.contains("config.toml:2: unknown key \"colour\""),
        "{out}"
    );
    assert!(out.contains("theme = \"light\"  # file"), "{out}");
    assert!(out.contains("stale_days = 30  # default"), "{out}");
    assert!(out.contains("db = "), "{out}");
    assert!(out.contains("# flag"), "{out}");
    assert!(out.contains("forward = [\">\", \"L\"]  # file"), "{out}");
    assert!(
        out.contains("quit = [\"q\", \"Ctrl-c\"]  # default"),
        "{out}"
    );
    // What it prints reads back as a config without warnings.
    let body: String = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut again = Config::from_str(Path::new("printed.toml"), &body);
    let _ = settings::keymap(&mut again);
    let _ = settings::theme(&mut again);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(again.theme, ThemeName::Light);
    assert!(!db.exists(), "config --print does not open the register");
}

#[test]
fn precedence_flag_over_env_over_file_over_default() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    let from_file = dir.path().join("from-file.db");
    std::fs::write(
        &cfg,
        format!("db = {:?}\n", from_file.display().to_string()),
    )
    .unwrap();
    let print = |c: &mut Command| {
        String::from_utf8(
            c.args(["config", "--print"])
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap()
    };
    // The config file's db when neither flag nor env is given.
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_DB").env("IMPROVE_CONFIG", &cfg);
    let out = print(&mut c);
    assert!(out.contains("from-file.db\"  # file"), "{out}");
    // IMPROVE_DB beats the file.
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env("IMPROVE_DB", dir.path().join("from-env.db"))
        .env("IMPROVE_CONFIG", &cfg);
    let out = print(&mut c);
    assert!(out.contains("from-env.db\"  # env"), "{out}");
    // --db beats both.
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env("IMPROVE_DB", dir.path().join("from-env.db"))
        .env("IMPROVE_CONFIG", &cfg)
        .arg("--db")
        .arg(dir.path().join("from-flag.db"));
    let out = print(&mut c);
    assert!(out.contains("from-flag.db\"  # flag"), "{out}");
    // --config beats IMPROVE_CONFIG.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "stale_days = 9\n").unwrap();
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env("IMPROVE_CONFIG", &cfg).arg("--config").arg(&other);
    let out = print(&mut c);
    assert!(out.contains("other.toml (flag)"), "{out}");
    assert!(out.contains("stale_days = 9  # file"), "{out}");
    // A command really uses the config's register.
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_DB")
        .env("IMPROVE_CONFIG", &cfg)
        .args(["add", "From the config"])
        .assert()
        .success();
    assert!(from_file.exists());
}

#[test]
fn warnings_go_to_stderr_and_the_command_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "stale_days = \"soon\"\n").unwrap();
    let db = dir.path().join("reg.db");
    // `list` reads a register; it does not make one.
    improve(Path::new("/dev/null"), &db)
        .args(["add", "First"])
        .assert()
        .success();
    let out = improve(&cfg, &db)
        .args(["list"])
        .assert()
        .success()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("config.toml:1: stale_days must be a whole number of days"),
        "{err}"
    );
}

#[test]
fn the_date_format_shows_in_the_detail_view_and_lines_up() {
    let f = Fixture::new();
    f.add(&["Cut P1 incident MTTR"]);
    let mut app = f.app();
    press(&mut app, "nAgreed with the service owner<C-s>");
    // A note gives the view a dated line with a body after the date.
    let c = parse("date_format = \"%A %e %B %Y\"\n");
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
    app.set_date_format(c.date_format.clone());
    press(&mut app, "<Enter>");
    let screen = render(&app, 120, 60);
    // Created on Friday 27 November 2026 (the fixtures' clock), nowhere ISO.
    assert!(screen.contains("Friday 27 November 2026"), "{screen}");
    assert!(!screen.contains("2026-11-27"), "{screen}");
    // The move history keeps its text in one column: the widest date
    // ("Wednesday 28 September 2000") and the time set the indent.
    let history = screen
        .lines()
        .find(|l| l.contains("created \""))
        .unwrap_or_else(|| panic!("no history line in\n{screen}"));
    let at = history.find("created \"").unwrap();
    let stamp = history.find("Friday").unwrap();
    assert_eq!(
        history[stamp..at].chars().count(),
        // Then the author ("unknown": the fixture's store signs nothing).
        "Wednesday 28 September 2000 09:30  unknown  ".len(),
        "{history}"
    );
    for (w, h) in [(80, 24), (60, 16), (200, 60)] {
        render(&app, w, h);
    }
}

#[test]
fn show_and_list_write_dates_in_the_configured_format_and_json_stays_iso() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "date_format = \"%d.%m.%Y\"\n").unwrap();
    let db = dir.path().join("reg.db");
    improve(&cfg, &db)
        .args(["add", "Cut P1 incident MTTR", "--due", "2030-12-24"])
        .assert()
        .success();
    improve(&cfg, &db)
        .args(["note", "1", "Agreed with the service owner"])
        .assert()
        .success();
    // KPI dates by --on and --by, shown in the configured format.
    for args in [
        &[
            "kpi",
            "1",
            "add",
            "P1 MTTR",
            "--unit",
            "h",
            "--direction",
            "lower",
        ][..],
        &["kpi", "1", "baseline", "1", "6", "--on", "2030-01-02"],
        &["kpi", "1", "target", "P1 MTTR", "2", "--by", "2030-06-30"],
    ] {
        improve(&cfg, &db).args(args).assert().success();
    }
    let measured = improve(&cfg, &db)
        .args(["kpi", "1", "measure", "1", "4.5", "--date", "2030-03-15"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8_lossy(&measured).contains("on 15.03.2030"),
        "{}",
        String::from_utf8_lossy(&measured)
    );
    let text = |args: &[&str]| {
        String::from_utf8(
            improve(&cfg, &db)
                .args(args)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap()
    };
    let show = text(&["show", "1"]);
    assert!(show.contains("Due 24.12.2030"), "{show}");
    assert!(!show.contains("2030-12-24"), "{show}");
    let today = chrono::Utc::now()
        .date_naive()
        .format("%d.%m.%Y")
        .to_string();
    assert!(show.contains(&format!("Created {today}")), "{show}");
    let list = text(&["list"]);
    assert!(list.contains("24.12.2030"), "{list}");
    // Machine formats do not change with the configuration.
    assert!(
        show.contains("baseline 6 h (02.01.2030) → latest 4.5 h → target 2 h (30.06.2030)"),
        "{show}"
    );
    assert!(text(&["list", "--json"]).contains("\"2030-12-24\""));
    assert!(text(&["show", "1", "--json"]).contains("\"2030-12-24\""));
}
