//! Crash safety: a process opening the store and running dispatches through
//! the real engine is killed (SIGKILL or SIGTERM) at random moments: while
//! it opens the store, while that open writes sled's snapshot, between
//! handlers, during the commit, and while it closes the store after one.
//! After every kill the store must open, twice (the second open reads the
//! snapshot the first one wrote), and hold exactly the state before or
//! after the dispatch that was running, never a mix; no unfinished
//! snapshot file may survive an open.
//!
//! The state is described in `generations.rs`. The child (this test
//! binary re-run in the ignored test `crash_child`) reopens the store before
//! every dispatch, so every open but its first has a snapshot to write, and
//! reports its progress on stdout, so the parent knows which generation to
//! expect.
//!
//! `CRASH_SEED` replays a run, `CRASH_KILLS` sets the number of kills.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::generations::{commit_generation_zero, generation, handlers, Rng, HANDLERS, HOOK};
use crate::dispatch::DispatchOptions;
use crate::registry::Registry;
use crate::session::Session;
use crate::store::{OpenOptions, Store};

const CHILD_ENV: &str = "CRASH_TEST_CHILD";

/// Not a test: the process the crash test kills. Opens the store and runs
/// one dispatch, for ever.
#[test]
#[ignore = "run by the crash test as the process it kills"]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    for round in 0u64.. {
        println!("OPENING");
        let t = Instant::now();
        let store = Store::open_with(&path, OpenOptions::default()).unwrap();
        println!("OPENED {}", t.elapsed().as_micros());
        let gen = generation(&store).unwrap_or_else(|e| panic!("{e}"));
        println!("BEGIN {gen}");
        let registry = Registry::new(handlers(gen, round), None).unwrap();
        let mut session = Session::begin(store, HOOK).unwrap();
        crate::dispatch::run(&registry, &mut session, &DispatchOptions::default())
            .result
            .unwrap();
        println!("COMMIT {gen}");
        let t = Instant::now();
        session.commit().unwrap();
        println!("DONE {gen} {}", t.elapsed().as_micros());
    }
}

/// Where a kill is aimed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Window {
    /// Within the store's open.
    Open,
    /// As soon as the open's snapshot file (`snap.*.generating`) appears.
    Snapshot,
    /// In the pause after handler `h`.
    Handler(u64),
    /// Just before and during the commit.
    Commit,
    /// After a commit: closing the store, exiting the dispatch.
    Exit,
}

const WINDOWS: [&str; 5] = ["open", "snapshot", "handler", "commit", "exit"];

impl Window {
    fn index(self) -> usize {
        match self {
            Window::Open => 0,
            Window::Snapshot => 1,
            Window::Handler(_) => 2,
            Window::Commit => 3,
            Window::Exit => 4,
        }
    }
}

/// Where to kill the child: after `skip` finished dispatches, once it
/// reports the start of `window`, wait `delay`, then send `signal`.
#[derive(Debug)]
struct KillPoint {
    skip: u64,
    window: Window,
    delay: Duration,
    signal: i32,
}

/// How long the child's steps took last time, to aim the delays.
struct Timings {
    open_us: u64,
    commit_us: u64,
}

fn pick(rng: &mut Rng, t: &Timings) -> KillPoint {
    let (window, max_us) = match rng.below(5) {
        0 => (Window::Open, t.open_us.max(200) * 3 / 2),
        // Right away: the snapshot write is short.
        1 => (Window::Snapshot, 50),
        2 => (Window::Handler(rng.below(HANDLERS as u64)), 1000),
        3 => (Window::Commit, t.commit_us.max(200) * 3 / 2),
        _ => (Window::Exit, 2000),
    };
    KillPoint {
        // A snapshot is due only at an open after a commit.
        skip: if window == Window::Snapshot {
            1
        } else {
            rng.below(2)
        },
        window,
        delay: Duration::from_micros(rng.below(max_us)),
        signal: if rng.below(4) == 0 {
            libc::SIGTERM
        } else {
            libc::SIGKILL
        },
    }
}

/// Does `line` start `window`?
fn starts(window: Window, line: &str) -> bool {
    match window {
        Window::Open | Window::Snapshot => line == "OPENING",
        Window::Commit => line.starts_with("COMMIT "),
        Window::Exit => line.starts_with("DONE "),
        Window::Handler(h) => {
            line.strip_prefix("HANDLER ")
                .and_then(|r| r.split(' ').nth(1)?.parse().ok())
                == Some(h)
        }
    }
}

/// The snapshot files of an unfinished write in the store at `path`.
fn unfinished_snapshots(path: &Path) -> Vec<String> {
    std::fs::read_dir(path)
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".generating"))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits up to 200 ms for an unfinished snapshot to appear; true if it did.
fn await_snapshot_write(path: &Path) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(200) {
        if !unfinished_snapshots(path).is_empty() {
            return true;
        }
        std::hint::spin_loop();
    }
    false
}

/// What the child had said when it was killed.
#[derive(Default)]
struct Outcome {
    /// Generation of the last dispatch begun.
    begun: Option<u64>,
    committing: bool,
    done: bool,
    /// A snapshot file was seen being written (the snapshot window).
    saw_snapshot: bool,
}

/// Runs one child, kills it at `at`, and reports what it had said.
fn run_and_kill(
    path: &Path,
    at: &KillPoint,
    t: &mut Timings,
    stderr_file: &Path,
) -> Result<Outcome, String> {
    let stderr = std::fs::File::create(stderr_file).map_err(|e| e.to_string())?;
    let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .args([
            "--exact",
            "runtime::tests::crash::crash_child",
            "--ignored",
            "--nocapture",
        ])
        .args(["--test-threads=1"])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut o = Outcome::default();
    let mut killed = false;
    let mut dispatches_seen = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if out.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            break;
        }
        // The harness prints `test crash_child ... ` before the first line.
        let l = line.trim_end();
        let l = l.rsplit("... ").next().unwrap_or(l);
        if let Some(g) = l.strip_prefix("BEGIN ") {
            o = Outcome {
                begun: g.parse().ok(),
                ..Outcome::default()
            };
        } else if l.starts_with("COMMIT ") {
            o.committing = true;
        } else if let Some(rest) = l.strip_prefix("DONE ") {
            o.done = true;
            t.commit_us = rest
                .split(' ')
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(t.commit_us);
        } else if let Some(us) = l.strip_prefix("OPENED ") {
            t.open_us = us.parse().unwrap_or(t.open_us);
        }
        if killed {
            continue;
        }
        if dispatches_seen == at.skip && starts(at.window, l) {
            if at.window == Window::Snapshot {
                o.saw_snapshot = await_snapshot_write(path);
            }
            std::thread::sleep(at.delay);
            // SAFETY: kill(2) on our own child, which has not been reaped.
            if unsafe { libc::kill(child.id() as i32, at.signal) } != 0 {
                return Err(format!("kill: {}", std::io::Error::last_os_error()));
            }
            killed = true;
        }
        if l.starts_with("DONE ") {
            dispatches_seen += 1;
            if !killed && dispatches_seen > at.skip {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{dispatches_seen} dispatches ran without a kill"));
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !killed {
        let mut err = String::new();
        let _ = std::fs::File::open(stderr_file).and_then(|mut f| f.read_to_string(&mut err));
        return Err(format!("the child exited by itself ({status}):\n{err}"));
    }
    Ok(o)
}

/// Opens the store twice, checking each time that it opens, holds one whole
/// generation, and keeps no unfinished snapshot; returns that generation.
fn reopen_twice(path: &Path) -> Result<u64, String> {
    let mut gens = vec![];
    for pass in ["first", "second"] {
        let store = Store::open_with(path, OpenOptions::default())
            .map_err(|e| format!("the {pass} open fails: {e}"))?;
        gens.push(generation(&store).map_err(|e| format!("{pass} open: {e}"))?);
        drop(store);
        let left = unfinished_snapshots(path);
        if !left.is_empty() {
            return Err(format!("the {pass} open left {left:?}"));
        }
    }
    if gens[0] != gens[1] {
        return Err(format!("the two opens read generations {gens:?}"));
    }
    Ok(gens[0])
}

#[test]
fn a_killed_dispatch_leaves_the_state_before_or_after_it() {
    let (mut rng, seed) = Rng::from_env("CRASH_SEED");
    let kills: usize = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    println!("crash test: CRASH_SEED={seed} CRASH_KILLS={kills}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let stderr_file = dir.path().join("child.stderr");
    commit_generation_zero(&Store::open_with(&path, OpenOptions::default()).unwrap());

    let mut per_window = [0usize; 5];
    let (mut mid_before, mut mid_after, mut snapshot_writes, mut unfinished_left) = (0, 0, 0, 0);
    let mut sigterms = 0;
    let mut timings = Timings {
        open_us: 2000,
        commit_us: 2000,
    };
    let mut gen = 0;
    let start = Instant::now();
    for i in 0..kills {
        let at = pick(&mut rng, &timings);
        let fail = |msg: String| -> ! {
            panic!("kill {i} at {at:?}: {msg}\nreplay with CRASH_SEED={seed} CRASH_KILLS={kills}")
        };
        let o = run_and_kill(&path, &at, &mut timings, &stderr_file).unwrap_or_else(|e| fail(e));
        if !unfinished_snapshots(&path).is_empty() {
            unfinished_left += 1;
        }
        let before = gen;
        gen = reopen_twice(&path).unwrap_or_else(|e| fail(e));
        let allowed: Vec<u64> = match o.begun {
            // Killed while opening, before any dispatch began.
            None => vec![before],
            Some(b) if o.done => vec![b + 1],
            Some(b) if o.committing => vec![b, b + 1],
            Some(b) => vec![b],
        };
        if !allowed.contains(&gen) {
            fail(format!(
                "generation {gen} after the kill (last begun {:?}, commit started: {}, \
                 finished: {}); expected one of {allowed:?}",
                o.begun, o.committing, o.done
            ));
        }
        per_window[at.window.index()] += 1;
        sigterms += usize::from(at.signal == libc::SIGTERM);
        snapshot_writes += usize::from(o.saw_snapshot);
        if o.committing && !o.done {
            if Some(gen) == o.begun {
                mid_before += 1;
            } else {
                mid_after += 1;
            }
        }
    }
    let windows: Vec<String> = WINDOWS
        .iter()
        .zip(per_window)
        .map(|(w, n)| format!("{n} {w}"))
        .collect();
    println!(
        "crash test: {kills} kills ({sigterms} SIGTERM) in {:.1?}, {} store opens, \
         0 failed, 0 mixed; by window: {}; {} inside a commit ({mid_before} left the \
         state before it, {mid_after} after it); {snapshot_writes} during a snapshot \
         write, {unfinished_left} left an unfinished snapshot, removed by the next open",
        start.elapsed(),
        2 * kills,
        windows.join(", "),
        mid_before + mid_after,
    );
    if kills >= 100 {
        let replay = format!("replay with CRASH_SEED={seed} CRASH_KILLS={kills}");
        assert!(
            mid_before + mid_after > 0,
            "no kill landed inside a commit; {replay}"
        );
        assert!(
            snapshot_writes > 0,
            "no kill landed in a snapshot write; {replay}"
        );
    }
}
