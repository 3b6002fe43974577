//! Crash safety: a process running dispatches through the real engine is
//! killed (SIGKILL) at random moments, between handlers and during the
//! commit; every time, the store must open and hold exactly the state before
//! or after the dispatch that was running, never a mix.
//!
//! The store holds [`FLAGS`] flags `g<gen>.f<k>`, all of one generation. A
//! dispatch moves every flag from generation `g` to `g + 1` (spread over
//! [`HANDLERS`] handlers, with pauses between them) and records `g + 1` in the
//! key-value store. The child (this test binary re-run in the ignored test
//! `crash_child`) reports its progress on stdout, so the parent knows which
//! generation to expect.
//!
//! `CRASH_SEED` replays a run, `CRASH_KILLS` sets the number of kills.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reactive_core::flags::{clear_flag, set_flag, set_flag_value};
use reactive_core::store::{Changes, OpenOptions, Store};
use reactive_core::{kv, Cond, DispatchOptions, HandlerDef, Registry, Session};
use serde_json::{json, Value};

const FLAGS: usize = 200;
const HANDLERS: usize = 10;
const HOOK: &str = "update-status";
const GEN_KEY: &str = "crash.generation";
const CHILD_ENV: &str = "CRASH_TEST_CHILD";

/// splitmix64: small, seedable, good enough to pick kill moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn flag(gen: u64, k: usize) -> String {
    format!("g{gen}.f{k:03}")
}

/// The handlers of the dispatch that moves generation `gen` to `gen + 1`.
fn handlers(gen: u64, pause_seed: u64) -> Vec<HandlerDef> {
    let per = FLAGS / HANDLERS;
    (0..HANDLERS)
        .map(|h| {
            HandlerDef::new(
                "crash.rs",
                h as u32 + 1,
                format!("move_{h}"),
                vec![Cond::Hook(vec![HOOK.into()])],
                move |_| {
                    for k in h * per..(h + 1) * per {
                        clear_flag(&flag(gen, k));
                        if k % 3 == 0 {
                            set_flag_value(&flag(gen + 1, k), &json!({"gen": gen + 1, "k": k}));
                        } else {
                            set_flag(&flag(gen + 1, k));
                        }
                    }
                    if h == HANDLERS - 1 {
                        kv().set(GEN_KEY, &(gen + 1))?;
                    }
                    println!("HANDLER {gen} {h}");
                    let mut rng = Rng(pause_seed ^ (h as u64) << 32);
                    std::thread::sleep(Duration::from_micros(200 + rng.below(800)));
                    Ok(())
                },
            )
        })
        .collect()
}

/// Not a test: the process the crash test kills. Runs dispatches forever.
#[test]
#[ignore = "run by the crash test as the process it kills"]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = Store::open(&path).unwrap();
    for round in 0u64.. {
        let gen = generation(&store).unwrap_or_else(|e| panic!("{e}"));
        println!("BEGIN {gen}");
        let registry = Registry::new(handlers(gen, round), None).unwrap();
        let mut session = Session::begin(store.clone(), HOOK).unwrap();
        reactive_core::dispatch::run(&registry, &mut session, &DispatchOptions::default())
            .result
            .unwrap();
        println!("COMMIT {gen}");
        let t = Instant::now();
        session.commit().unwrap();
        println!("DONE {gen} {}", t.elapsed().as_micros());
    }
}

/// The one generation of every flag in `store`, after checking that the
/// flags are complete and the key-value store agrees.
fn generation(store: &Store) -> Result<u64, String> {
    let flags = store.flags().map_err(|e| e.to_string())?;
    let mut gens = BTreeSet::new();
    let mut ks = BTreeSet::new();
    for (name, value) in &flags {
        let (g, k) = name
            .strip_prefix('g')
            .and_then(|r| r.split_once(".f"))
            .and_then(|(g, k)| Some((g.parse::<u64>().ok()?, k.parse::<usize>().ok()?)))
            .ok_or_else(|| format!("unexpected flag {name}"))?;
        gens.insert(g);
        ks.insert(k);
        let want = if k % 3 == 0 && g > 0 {
            json!({"gen": g, "k": k})
        } else {
            Value::Null
        };
        if *value != want {
            return Err(format!("flag {name} has value {value}, expected {want}"));
        }
    }
    if gens.len() != 1 {
        return Err(format!(
            "flags of generations {gens:?} mixed ({} flags)",
            flags.len()
        ));
    }
    if ks.len() != FLAGS || flags.len() != FLAGS {
        return Err(format!("{} flags of {FLAGS}", flags.len()));
    }
    let gen = gens.into_iter().next().unwrap_or(0);
    let recorded = store.kv_get(GEN_KEY).map_err(|e| e.to_string())?;
    if recorded.as_ref().and_then(Value::as_u64).unwrap_or(0) != gen {
        return Err(format!(
            "flags are of generation {gen}, key-value store says {recorded:?}"
        ));
    }
    Ok(gen)
}

/// Where to kill the child: after `skip` dispatches, once it reports `after`,
/// wait `delay`.
#[derive(Debug)]
struct KillPoint {
    skip: u64,
    after: Event,
    delay: Duration,
}

/// A report of the child.
#[derive(Debug, PartialEq)]
enum Event {
    /// Handler `h` ran (it pauses next).
    Handler(u64),
    /// The dispatch is about to commit.
    Commit,
}

fn pick(rng: &mut Rng, commit_us: u64) -> KillPoint {
    let skip = rng.below(2);
    let (after, max_us) = match rng.below(3) {
        // Between handlers: within the pause after one.
        0 => (Event::Handler(rng.below(HANDLERS as u64)), 1000),
        // Just before and during the commit.
        _ => (Event::Commit, commit_us.max(200) * 3 / 2),
    };
    KillPoint {
        skip,
        after,
        delay: Duration::from_micros(rng.below(max_us)),
    }
}

fn event(line: &str) -> Option<Event> {
    if line.starts_with("COMMIT ") {
        return Some(Event::Commit);
    }
    let rest = line.strip_prefix("HANDLER ")?;
    rest.split(' ').nth(1)?.parse().ok().map(Event::Handler)
}

#[derive(Default)]
struct Outcome {
    /// Generation of the last dispatch begun.
    begun: Option<u64>,
    committing: bool,
    done: bool,
    /// How long the last finished commit took.
    commit_us: Option<u64>,
}

/// Runs one child, kills it at `at`, and reports what it had said.
fn run_and_kill(path: &Path, at: &KillPoint, stderr_file: &Path) -> Result<Outcome, String> {
    let stderr = std::fs::File::create(stderr_file).map_err(|e| e.to_string())?;
    let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .args(["--exact", "crash_child", "--ignored", "--nocapture"])
        .args(["--test-threads=1"])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut out = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut outcome = Outcome::default();
    let mut killed = false;
    let mut dispatches_seen = 0;
    let mut line = String::new();
    let note = |l: &str, o: &mut Outcome| {
        // The harness prints `test crash_child ... ` before the first line.
        let l = l.trim_end();
        let l = l.rsplit("... ").next().unwrap_or(l);
        if let Some(g) = l.strip_prefix("BEGIN ") {
            *o = Outcome {
                begun: g.parse().ok(),
                commit_us: o.commit_us,
                ..Outcome::default()
            };
        } else if l.starts_with("COMMIT ") {
            o.committing = true;
        } else if let Some(rest) = l.strip_prefix("DONE ") {
            o.done = true;
            o.commit_us = rest.split(' ').nth(1).and_then(|t| t.parse().ok());
        }
        l.to_string()
    };
    loop {
        line.clear();
        if out.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            break;
        }
        let l = note(&line, &mut outcome);
        if killed {
            continue;
        }
        if l.starts_with("DONE ") {
            dispatches_seen += 1;
            if dispatches_seen > at.skip {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{} dispatches ran without a kill", dispatches_seen));
            }
        }
        if dispatches_seen == at.skip && event(&l).as_ref() == Some(&at.after) {
            std::thread::sleep(at.delay);
            child.kill().map_err(|e| e.to_string())?;
            killed = true;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !killed {
        let mut err = String::new();
        let _ = std::fs::File::open(stderr_file).and_then(|mut f| f.read_to_string(&mut err));
        return Err(format!("the child exited by itself ({status}):\n{err}"));
    }
    Ok(outcome)
}

#[test]
fn a_killed_dispatch_leaves_the_state_before_or_after_it() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let kills: usize = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    println!("crash test: CRASH_SEED={seed} CRASH_KILLS={kills}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let stderr_file = dir.path().join("child.stderr");
    let open = || Store::open_with(&path, OpenOptions::default());

    let store = open().unwrap();
    let mut init = Changes::default();
    for k in 0..FLAGS {
        init.flags.insert(flag(0, k), Some(Value::Null));
    }
    store.commit(&init).unwrap();
    drop(store);

    // Kills before a commit, after one, and during one leaving the state
    // before or after it.
    let (mut before, mut after, mut mid_before, mut mid_after) = (0, 0, 0, 0);
    let mut commit_us = 2000;
    for i in 0..kills {
        let at = pick(&mut rng, commit_us);
        let fail = |msg: String| -> ! {
            panic!("kill {i} at {at:?}: {msg}\nreplay with CRASH_SEED={seed} CRASH_KILLS={kills}")
        };
        let outcome = run_and_kill(&path, &at, &stderr_file).unwrap_or_else(|e| fail(e));
        if let Some(us) = outcome.commit_us {
            commit_us = us;
        }
        let store = open().unwrap_or_else(|e| fail(format!("the store does not open: {e}")));
        let gen = generation(&store).unwrap_or_else(|e| fail(e));
        drop(store);
        let Some(begun) = outcome.begun else {
            fail("killed before any dispatch began".into());
        };
        let allowed: &[u64] = if outcome.done {
            &[begun + 1]
        } else if outcome.committing {
            &[begun, begun + 1]
        } else {
            &[begun]
        };
        if !allowed.contains(&gen) {
            fail(format!(
                "generation {gen} after the dispatch of generation {begun} was killed \
                 (commit started: {}, finished: {}); expected one of {allowed:?}",
                outcome.committing, outcome.done
            ));
        }
        match (outcome.committing && !outcome.done, gen == begun) {
            (true, true) => mid_before += 1,
            (true, false) => mid_after += 1,
            (false, true) => before += 1,
            (false, false) => after += 1,
        }
    }
    assert!(
        kills < 20 || mid_before + mid_after > 0,
        "no kill landed inside a commit; replay with CRASH_SEED={seed} CRASH_KILLS={kills}"
    );
    println!(
        "crash test: {kills} kills: {before} before a commit, {after} after one, \
         {} during one ({mid_before} left the state before it, {mid_after} after it); \
         the last commit took {commit_us} us",
        mid_before + mid_after
    );
}
