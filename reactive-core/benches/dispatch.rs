//! Dispatch benchmarks: the cost of a first iteration over many handlers,
//! against the cost of re-testing after one flag change (indexed re-tests),
//! and a long chain to quiescence.
//!
//! Run: `cargo bench -p reactive-core --bench dispatch`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use reactive_core::__private::{
    self as dispatch, queue_for, DispatchOptions, Registry, Session, Store,
};
use reactive_core::{set_flag, HandlerDef, Predicate};

const N: usize = 10_000;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("s.sled")).expect("store");
    (dir, store)
}

/// `n` handlers, handler `i` watching flag `f{i}`.
fn watchers(n: usize) -> Registry {
    let defs = (0..n)
        .map(|i| {
            HandlerDef::new(
                "bench.rs",
                i as u32,
                format!("h{i}"),
                vec![Predicate::WhenAll(vec![format!("f{i}")])],
                |_| Ok(()),
            )
        })
        .collect();
    Registry::new(defs, None).expect("registry")
}

fn iterations(c: &mut Criterion) {
    let (_d, store) = store();
    let reg = watchers(N);
    let mut session = Session::begin(store, "update-status").expect("session");
    dispatch::enter(&mut session, || {
        (0..N).for_each(|i| set_flag(&format!("f{i}")))
    })
    .expect("enter");
    let mut g = c.benchmark_group("iteration");
    g.bench_function("first iteration over 10,000 handlers", |b| {
        b.iter(|| {
            let q = queue_for(&reg, &mut session, None).expect("queue");
            assert_eq!(q.len(), N);
        })
    });
    let changed = vec![format!("f{}", N / 2)];
    g.bench_function("one changed flag among 10,000 watched handlers", |b| {
        b.iter(|| {
            let q = queue_for(&reg, &mut session, Some(&changed)).expect("queue");
            assert_eq!(q.len(), 1);
        })
    });
    g.finish();
}

fn chain(c: &mut Criterion) {
    let n = 1000;
    let defs = (0..n)
        .map(|i| {
            let next = format!("f{}", i + 1);
            HandlerDef::new(
                "bench.rs",
                i as u32,
                format!("step{i}"),
                vec![Predicate::WhenAll(vec![format!("f{i}")])],
                move |_| {
                    set_flag(&next);
                    Ok(())
                },
            )
        })
        .collect();
    let reg = Registry::new(defs, None).expect("registry");
    let (_d, store) = store();
    c.bench_function("1,000-flag chain to quiescence", |b| {
        b.iter_batched(
            || {
                let mut s = Session::begin(store.clone(), "start").expect("session");
                dispatch::enter(&mut s, || set_flag("f0")).expect("enter");
                s
            },
            |mut s| {
                let d = dispatch::run(&reg, &mut s, &DispatchOptions::default());
                if let Err(e) = &d.result {
                    panic!("dispatch: {e}");
                }
                // Dropped after the measurement, as the session is.
                (s, d.trace)
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, iterations, chain);
criterion_main!(benches);
