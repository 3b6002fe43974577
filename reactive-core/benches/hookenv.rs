//! Hook-environment benchmarks: what a handler pays per `hookenv` call
//! once the hook has read a value (the cache), and for a write it buffers.
//! Timed inside a handler run by the testing harness, so the harness's own
//! setup is not counted.
//!
//! Run: `cargo bench -p reactive-core --bench hookenv`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use reactive_core::hookenv::{self, config, HookError};
use reactive_core::testing::{Hook, Relation, State};
use reactive_core::{HandlerDef, Predicate};

/// How many calls the handler makes, and how long they took (ns).
static ITERS: AtomicU64 = AtomicU64::new(0);
static ELAPSED: AtomicU64 = AtomicU64::new(0);

const METADATA: &str = "name: web\nprovides:\n  website: {interface: http}\n";

/// Runs `calls` (one iteration of the measured work) `ITERS` times in a
/// `website-relation-changed` handler, after one warm-up call.
fn measure(calls: fn() -> Result<(), HookError>) -> Duration {
    let handlers = vec![HandlerDef::new(
        "bench.rs",
        1,
        "measured",
        vec![Predicate::Hook(
            vec!["website-relation-changed".to_string()],
        )],
        move |_| {
            calls()?;
            let n = ITERS.load(Ordering::Relaxed);
            let start = Instant::now();
            for _ in 0..n {
                calls()?;
            }
            let ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
            ELAPSED.store(ns, Ordering::Relaxed);
            Ok(())
        },
    )];
    let out = State::default()
        .with_leader(true)
        .with_file("metadata.yaml", METADATA)
        .with_file(
            "config.yaml",
            "options:\n  port: {type: int, default: 8080}\n",
        )
        .with_relation(
            Relation::new("website", 3, "client")
                .with_unit("client/0", [("host", "a"), ("port", "1")]),
        )
        .run_handlers(
            handlers,
            Hook::relation("changed", "website:3", Some("client/0")),
        );
    assert_eq!(out.error_message(), None);
    Duration::from_nanos(ELAPSED.load(Ordering::Relaxed))
}

/// A remote unit's setting, the leadership and a config option, each read
/// already in this hook.
fn cached_reads() -> Result<(), HookError> {
    let host = hookenv::relation_get("host", None, None)?;
    let leader = hookenv::is_leader()?;
    let port: Option<u16> = config().get("port")?;
    std::hint::black_box((host, leader, port));
    Ok(())
}

/// A write of this unit's settings, and its read back (the pending write
/// merged over Juju's view).
fn buffered_write() -> Result<(), HookError> {
    hookenv::relation_set(None, [("port", 80)])?;
    let own = hookenv::relation_get_all(Some(&hookenv::local_unit()), None)?;
    std::hint::black_box(own);
    Ok(())
}

fn calls(c: &mut Criterion) {
    let mut g = c.benchmark_group("hookenv");
    g.bench_function("cached reads (relation_get, is_leader, config)", |b| {
        b.iter_custom(|iters| {
            ITERS.store(iters, Ordering::Relaxed);
            measure(cached_reads)
        })
    });
    g.bench_function("buffered relation_set and own read", |b| {
        b.iter_custom(|iters| {
            ITERS.store(iters, Ordering::Relaxed);
            measure(buffered_write)
        })
    });
    g.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
