//! The real binary in a pseudo-terminal, measured as a person would feel it
//! (and as an SSH link would carry it): time to the first complete frame,
//! bytes written per key when moving through the backlog and through the
//! checklist, CPU, bytes and wake-ups while idle, and peak memory; then
//! the first use of the filter (`/` and four characters) and of every sort
//! order (`s` five times): how long each key took to answer and the peak
//! memory after each.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example pty_bench                    # the sample register
//! cargo run --release --example pty_bench -- --initiatives 100000
//! cargo run --release --example pty_bench -- --db my.db --runs 5 --idle 60
//! ```
//!
//! Options: `--bin PATH` (default `target/release/improve`), `--db PATH` (an
//! existing register; otherwise one is generated in a temporary folder with
//! `improve demo`, or `demo --initiatives N`), `--size COLSxROWS` (80x24),
//! `--keys N` (20 per kind of navigation), `--idle SECONDS` (10), `--runs N`
//! (3). Linux only for CPU, wake-ups and memory (it reads `/proc`).
//!
//! Each run prints one line; the last line is the median of the runs.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// End of a synchronized update: every frame ends with one.
const FRAME_END: &[u8] = b"\x1b[?2026l";
/// Output this long quiet means the program is done reacting.
const QUIET: Duration = Duration::from_millis(300);
const DOWN: &[u8] = b"\x1b[B";

struct Options {
    bin: PathBuf,
    db: Option<PathBuf>,
    initiatives: Option<usize>,
    cols: u16,
    rows: u16,
    keys: usize,
    idle: u64,
    runs: usize,
}

fn options() -> Options {
    let mut o = Options {
        bin: PathBuf::from("target/release/improve"),
        db: None,
        initiatives: None,
        cols: 80,
        rows: 24,
        keys: 20,
        idle: 10,
        runs: 3,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--bin" => o.bin = value().into(),
            "--db" => o.db = Some(value().into()),
            "--initiatives" => o.initiatives = Some(number(&value())),
            "--size" => {
                let v = value();
                let (c, r) = v
                    .split_once('x')
                    .unwrap_or_else(|| usage("--size is COLSxROWS"));
                (o.cols, o.rows) = (number(c), number(r));
            }
            "--keys" => o.keys = number(&value()),
            "--idle" => o.idle = number(&value()),
            "--runs" => o.runs = number::<usize>(&value()).max(1),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown option {other}")),
        }
    }
    o
}

fn number<T: std::str::FromStr>(s: &str) -> T {
    s.parse()
        .unwrap_or_else(|_| usage(&format!("{s:?} is not a number")))
}

fn usage(why: &str) -> ! {
    eprintln!(
        "{why}\nusage: pty_bench [--bin PATH] [--db PATH | --initiatives N] [--size 80x24] \
         [--keys N] [--idle SECONDS] [--runs N]"
    );
    std::process::exit(2)
}

/// The program's output as it arrives, with arrival times.
struct Output {
    rx: Receiver<(Instant, Vec<u8>)>,
    /// Everything read so far, and when each chunk came.
    chunks: Vec<(Instant, usize)>,
    bytes: Vec<u8>,
}

impl Output {
    /// Reads what arrives within `timeout`.
    fn pump(&mut self, timeout: Duration) -> bool {
        match self.rx.recv_timeout(timeout) {
            Ok((at, chunk)) => {
                self.chunks.push((at, chunk.len()));
                self.bytes.extend(chunk);
                true
            }
            Err(_) => false,
        }
    }

    /// Reads until nothing came for `QUIET`; returns when the last byte came.
    fn settle(&mut self, deadline: Duration) -> Option<Instant> {
        let end = Instant::now() + deadline;
        while Instant::now() < end {
            if !self.pump(QUIET) {
                return self.chunks.last().map(|c| c.0);
            }
        }
        None
    }

    fn bytes_since(&self, t: Instant) -> usize {
        self.chunks.iter().filter(|c| c.0 >= t).map(|c| c.1).sum()
    }
}

/// CPU ticks (user + system) and context switches (wake-ups) of a process,
/// all its threads together.
fn proc_counters(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let mut switches = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let status = std::fs::read_to_string(task.ok()?.path().join("status")).ok()?;
        switches += status
            .lines()
            .filter(|l| l.contains("ctxt_switches"))
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum::<u64>();
    }
    Some((ticks, switches))
}

/// Peak resident memory in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Clock ticks per second for /proc CPU times (USER_HZ; 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug, Default, Clone)]
struct Run {
    first_frame_ms: f64,
    startup_bytes: usize,
    backlog_bytes: Vec<usize>,
    checklist_bytes: Vec<usize>,
    idle_cpu_percent: f64,
    idle_bytes: usize,
    idle_wakeups_per_s: f64,
    peak_rss_mb: f64,
    /// Key to the first byte of its frame, for the first filter character.
    filter_first_ms: f64,
    /// The slowest of the filter keys (`/`, four characters, Enter).
    filter_max_ms: f64,
    /// The slowest of the five sort keys (each order's first use).
    sort_max_ms: f64,
    peak_rss_filter_mb: f64,
    peak_rss_sorts_mb: f64,
}

fn run_once(o: &Options, db: &Path) -> Run {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: o.rows,
            cols: o.cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(&o.bin);
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("start improve");
    drop(pair.slave);
    let pid = child.process_id().unwrap_or(0);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                break;
            }
        }
    });
    let mut writer = pair.master.take_writer().expect("pty writer");
    let mut out = Output {
        rx,
        chunks: Vec::new(),
        bytes: Vec::new(),
    };

    // The first complete frame: the first end-of-frame marker. Then let
    // anything that follows it settle.
    let mut run = Run::default();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !out.bytes.windows(FRAME_END.len()).any(|w| w == FRAME_END) {
        assert!(Instant::now() < deadline, "no frame within 30 s");
        out.pump(Duration::from_millis(50));
    }
    let first = out
        .chunks
        .iter()
        .scan(0, |seen, c| {
            *seen += c.1;
            Some((c.0, *seen))
        })
        .find(|(_, seen)| {
            out.bytes[..*seen]
                .windows(FRAME_END.len())
                .any(|w| w == FRAME_END)
        })
        .map(|(t, _)| t)
        .expect("a frame");
    run.first_frame_ms = (first - started).as_secs_f64() * 1000.0;
    out.settle(Duration::from_secs(30));
    run.startup_bytes = out.bytes.len();

    // Bytes the key caused, and how long until the first of them (the
    // frame is written in one piece once the key is handled).
    let mut press = |out: &mut Output, key: &[u8]| -> (usize, f64) {
        let t = Instant::now();
        writer.write_all(key).expect("send a key");
        writer.flush().expect("send a key");
        out.settle(Duration::from_secs(10));
        let first = out.chunks.iter().find(|c| c.0 >= t).map(|c| c.0);
        let ms = first.map_or(0.0, |f| (f - t).as_secs_f64() * 1000.0);
        (out.bytes_since(t), ms)
    };
    for _ in 0..o.keys {
        run.backlog_bytes.push(press(&mut out, DOWN).0);
    }
    press(&mut out, b"\t");
    for _ in 0..o.keys {
        run.checklist_bytes.push(press(&mut out, DOWN).0);
    }
    press(&mut out, b"\t\t");

    // Idle: no input at all.
    let before = proc_counters(pid);
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(o.idle) {
        out.pump(Duration::from_millis(200));
    }
    let secs = t.elapsed().as_secs_f64();
    if let (Some((t0, w0)), Some((t1, w1))) = (before, proc_counters(pid)) {
        run.idle_cpu_percent = (t1 - t0) as f64 / TICKS_PER_SECOND / secs * 100.0;
        run.idle_wakeups_per_s = (w1 - w0) as f64 / secs;
    }
    run.idle_bytes = out.bytes_since(t);
    run.peak_rss_mb = peak_rss_kib(pid).unwrap_or(0) as f64 / 1024.0;

    // The filter's first use: every key answers, the first character too.
    let mut filter_ms = Vec::new();
    for key in [&b"/"[..], b"r", b"o", b"u", b"t", b"\r"] {
        filter_ms.push(press(&mut out, key).1);
    }
    run.filter_first_ms = filter_ms[1];
    run.filter_max_ms = filter_ms.iter().copied().fold(0.0, f64::max);
    // Esc in normal mode does nothing; `/`, Esc clears the filter.
    press(&mut out, b"/");
    press(&mut out, b"\x1b");
    run.peak_rss_filter_mb = peak_rss_kib(pid).unwrap_or(0) as f64 / 1024.0;
    // Every sort order once, back to the default.
    run.sort_max_ms = (0..5).map(|_| press(&mut out, b"s").1).fold(0.0, f64::max);
    run.peak_rss_sorts_mb = peak_rss_kib(pid).unwrap_or(0) as f64 / 1024.0;

    press(&mut out, b"q");
    let end = Instant::now() + Duration::from_secs(5);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn mean(v: &[usize]) -> f64 {
    v.iter().sum::<usize>() as f64 / v.len().max(1) as f64
}

/// Bytes of the keys that changed the screen (a key past the end of a list
/// writes nothing and is left out, or it would flatter the median).
fn moving(v: &[usize]) -> Vec<f64> {
    v.iter().filter(|&&b| b > 0).map(|&b| b as f64).collect()
}

fn main() {
    let mut o = options();
    o.bin = std::fs::canonicalize(&o.bin).unwrap_or_else(|_| {
        usage(&format!(
            "{} not found: run `cargo build --release` first (or pass --bin)",
            o.bin.display()
        ))
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = match &o.db {
        Some(db) => db.clone(),
        None => {
            let db = dir.path().join("register.db");
            let mut cmd = std::process::Command::new(&o.bin);
            cmd.arg("--db").arg(&db).arg("demo");
            if let Some(n) = o.initiatives {
                cmd.arg("--initiatives").arg(n.to_string());
            }
            let t = Instant::now();
            let status = cmd
                .stdout(std::process::Stdio::null())
                .status()
                .expect("run improve demo");
            assert!(status.success(), "improve demo failed");
            println!(
                "generated {} in {:.1} s",
                db.display(),
                t.elapsed().as_secs_f64()
            );
            db
        }
    };
    println!(
        "{} at {}x{}: {} keys per navigation, {} s idle, {} runs",
        db.display(),
        o.cols,
        o.rows,
        o.keys,
        o.idle,
        o.runs
    );
    let mut runs = Vec::new();
    for i in 0..o.runs {
        let r = run_once(&o, &db);
        println!(
            "run {}: first frame {:.1} ms ({} B); backlog key median {:.0} B (mean {:.0}, max {}); \
             checklist key median {:.0} B (mean {:.0}, max {}); idle {:.2} % CPU, {} B, \
             {:.1} wake-ups/s; peak RSS {:.1} MB; first filter key {:.1} ms (slowest {:.1}), \
             peak RSS {:.1} MB; slowest first sort {:.1} ms, peak RSS {:.1} MB",
            i + 1,
            r.first_frame_ms,
            r.startup_bytes,
            median(moving(&r.backlog_bytes)),
            mean(&r.backlog_bytes),
            r.backlog_bytes.iter().max().unwrap_or(&0),
            median(moving(&r.checklist_bytes)),
            mean(&r.checklist_bytes),
            r.checklist_bytes.iter().max().unwrap_or(&0),
            r.idle_cpu_percent,
            r.idle_bytes,
            r.idle_wakeups_per_s,
            r.peak_rss_mb,
            r.filter_first_ms,
            r.filter_max_ms,
            r.peak_rss_filter_mb,
            r.sort_max_ms,
            r.peak_rss_sorts_mb
        );
        runs.push(r);
    }
    let m = |f: &dyn Fn(&Run) -> f64| median(runs.iter().map(f).collect());
    let spread = |f: &dyn Fn(&Run) -> f64| {
        let v: Vec<f64> = runs.iter().map(f).collect();
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!("{lo:.1}-{hi:.1}")
    };
    let first = |r: &Run| r.first_frame_ms;
    let backlog = |r: &Run| median(moving(&r.backlog_bytes));
    let checklist = |r: &Run| median(moving(&r.checklist_bytes));
    let cpu = |r: &Run| r.idle_cpu_percent;
    let idle_bytes = |r: &Run| r.idle_bytes as f64;
    let wakeups = |r: &Run| r.idle_wakeups_per_s;
    let rss = |r: &Run| r.peak_rss_mb;
    let filter_first = |r: &Run| r.filter_first_ms;
    let filter_max = |r: &Run| r.filter_max_ms;
    let rss_filter = |r: &Run| r.peak_rss_filter_mb;
    let sort_max = |r: &Run| r.sort_max_ms;
    let rss_sorts = |r: &Run| r.peak_rss_sorts_mb;
    println!(
        "median of {} runs: first frame {:.1} ms [{}]; backlog {:.0} B/key [{}]; \
         checklist {:.0} B/key [{}]; idle {:.2} % CPU [{}], {:.0} B [{}], {:.1} wake-ups/s [{}]; \
         peak RSS {:.1} MB [{}]; first filter key {:.1} ms [{}], slowest filter key {:.1} ms [{}], \
         peak RSS after the filter {:.1} MB [{}]; slowest first sort {:.1} ms [{}], \
         peak RSS after every sort {:.1} MB [{}]",
        runs.len(),
        m(&first),
        spread(&first),
        m(&backlog),
        spread(&backlog),
        m(&checklist),
        spread(&checklist),
        m(&cpu),
        spread(&cpu),
        m(&idle_bytes),
        spread(&idle_bytes),
        m(&wakeups),
        spread(&wakeups),
        m(&rss),
        spread(&rss),
        m(&filter_first),
        spread(&filter_first),
        m(&filter_max),
        spread(&filter_max),
        m(&rss_filter),
        spread(&rss_filter),
        m(&sort_max),
        spread(&sort_max),
        m(&rss_sorts),
        spread(&rss_sorts),
    );
}
