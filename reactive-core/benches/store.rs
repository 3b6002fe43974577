//! Speed of the unit state store as a hook sees it: open the store, commit
//! the dispatch's changes, close it.
//!
//! - `fresh`: a store that does not exist yet: open alone, and open + a
//!   commit of 1,000 flags;
//! - `aged`: a store that has seen 10,000 committed dispatches (each a few
//!   flag changes and a ~2 KiB trace), built once. `aged-reopened` opened and
//!   closed the store for every dispatch, as hooks do; `aged-long-lived`
//!   kept it open for all of them. Open alone, and open + a small commit.
//!
//! - `hook-process`: what a hook pays in all: a new process (this benchmark run
//!   again) that opens a fresh store, commits 1,000 flags and exits, next to
//!   one that exits at once.
//!
//! Every measured iteration ends by dropping the store, which flushes and
//! releases its lock, as a hook's exit does.
//!
//! Run with `cargo bench -p reactive-core --bench store`.
//!
//! The store is internal to the crate, so the benchmark compiles its
//! source (and the panic-message helper it uses) in, rather than reaching
//! it through a public API that charms do not need.

// What the bench leaves unused, and what the crate makes public.
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "../src"]
mod engine {
    pub(crate) mod panic;
    pub(crate) mod store;
}
// The store names its helper `crate::panic`, as in the crate.
use engine::{panic, store};

use std::path::Path;

use criterion::{criterion_group, BatchSize, Criterion};
use serde_json::{json, Value};
use store::{Changes, Store};

/// Dispatches committed to the aged stores.
const AGED_DISPATCHES: usize = 10_000;
/// Distinct flags the aged stores' dispatches move between.
const AGED_FLAGS: usize = 60;

/// A dispatch trace of about 2 KiB, different for every dispatch.
fn trace(n: usize) -> Value {
    let steps: Vec<Value> = (0..12)
        .map(|i| {
            json!({
                "kind": "invoked",
                "handler": format!("src/charm.rs:{}:handler_{}", 10 + i * 7, (n + i) % 40),
                "changes": [{"op": "set", "flag": format!("app.flag-{}", (n * 3 + i) % AGED_FLAGS)}],
            })
        })
        .collect();
    json!({"hook": "update-status", "setup": [], "hooks": [], "other": [{"iteration": 1, "steps": steps}]})
}

/// The changes of the `n`th dispatch of an aged store: three flags set (one
/// with a value), two cleared, a key-value entry and the trace.
fn small_dispatch(n: usize) -> Changes {
    let mut c = Changes::default();
    for i in 0..3 {
        let value = if i == 0 { json!({"n": n}) } else { Value::Null };
        c.flags.insert(
            format!("app.flag-{}", (n * 3 + i) % AGED_FLAGS),
            Some(value),
        );
    }
    for i in 0..2 {
        c.flags
            .insert(format!("app.flag-{}", (n * 3 + 30 + i) % AGED_FLAGS), None);
    }
    c.kv.insert("app.last".into(), Some(json!(n)));
    c.kv.insert("reactive.dispatch.trace".into(), Some(trace(n)));
    c
}

fn thousand_flags() -> Changes {
    let mut c = Changes::default();
    for i in 0..1000 {
        c.flags
            .insert(format!("app.flag-{i:04}"), Some(Value::Null));
    }
    c
}

fn open(path: &Path) -> Store {
    match Store::open(path) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn commit(store: &Store, changes: &Changes) {
    if let Err(e) = store.commit(changes) {
        panic!("{e}");
    }
}

/// Builds a store that has committed [`AGED_DISPATCHES`] dispatches.
fn aged(dir: &Path, reopen: bool) -> std::path::PathBuf {
    let path = dir.join(if reopen { "reopened" } else { "one-process" });
    let mut store = open(&path);
    for n in 0..AGED_DISPATCHES {
        if reopen {
            drop(store);
            store = open(&path);
        }
        commit(&store, &small_dispatch(n));
    }
    path
}

fn fresh(c: &mut Criterion) {
    let mut g = c.benchmark_group("store/fresh");
    let changes = thousand_flags();
    let tmp = || match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    g.bench_function("open", |b| {
        b.iter_batched(
            tmp,
            |dir| {
                drop(open(&dir.path().join("s")));
                dir
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("open+commit-1000-flags", |b| {
        b.iter_batched(
            tmp,
            |dir| {
                let store = open(&dir.path().join("s"));
                commit(&store, &changes);
                drop(store);
                dir
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn aged_stores(c: &mut Criterion) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    // STORE_BENCH_KEEP=<dir> builds the aged stores there and keeps them, to
    // look at them afterwards.
    let keep = std::env::var_os("STORE_BENCH_KEEP").map(std::path::PathBuf::from);
    let base = keep.as_deref().unwrap_or(dir.path());
    for (name, reopen) in [("aged-reopened", true), ("aged-long-lived", false)] {
        let path = aged(base, reopen);
        let mut g = c.benchmark_group(format!("store/{name}"));
        g.bench_function("open", |b| b.iter(|| drop(open(&path))));
        let mut n = AGED_DISPATCHES;
        g.bench_function("open+small-commit", |b| {
            b.iter(|| {
                let store = open(&path);
                commit(&store, &small_dispatch(n));
                n += 1;
                drop(store);
            })
        });
        g.finish();
    }
}

/// Set in the process the `process` benchmarks start: `noop`, or the path
/// of a store to create with 1,000 flags.
const CHILD_ENV: &str = "STORE_BENCH_CHILD";

fn process(c: &mut Criterion) {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => panic!("current_exe: {e}"),
    };
    let run = |arg: &std::ffi::OsStr| match std::process::Command::new(&exe)
        .env(CHILD_ENV, arg)
        .status()
    {
        Ok(s) if s.success() => {}
        other => panic!("benchmark child failed: {other:?}"),
    };
    let mut g = c.benchmark_group("store/hook-process");
    g.bench_function("exit", |b| b.iter(|| run("noop".as_ref())));
    g.bench_function("open+commit-1000-flags+exit", |b| {
        b.iter_batched(
            || match tempfile::tempdir() {
                Ok(d) => d,
                Err(e) => panic!("tempdir: {e}"),
            },
            |dir| {
                run(dir.path().join("s").as_os_str());
                dir
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, fresh, aged_stores, process);

fn main() {
    match std::env::var_os(CHILD_ENV) {
        Some(v) if v == "noop" => {}
        Some(path) => commit(&open(path.as_ref()), &thousand_flags()),
        None => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
