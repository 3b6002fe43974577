//! Random handler graphs end exactly as a plain reference loop says: the same
//! invocations in the same order, the same final flags, or a livelock in both.
//!
//! The reference below is the dispatch algorithm written as directly as
//! possible (no indexing, full re-tests, states compared as whole sets).

use std::collections::{BTreeSet, HashSet};

use super::*;
use crate::Error;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Spec {
    when: Vec<usize>,
    when_not: Vec<usize>,
    sets: Vec<usize>,
    clears: Vec<usize>,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Done {
        invoked: Vec<usize>,
        flags: BTreeSet<usize>,
    },
    Livelock,
}

fn holds(s: &Spec, flags: &BTreeSet<usize>) -> bool {
    s.when.iter().all(|f| flags.contains(f)) && !s.when_not.iter().any(|f| flags.contains(f))
}

fn reference(specs: &[Spec], initial: &BTreeSet<usize>) -> Outcome {
    let mut flags = initial.clone();
    let mut invoked = Vec::new();
    let mut changes: Vec<usize> = Vec::new();
    let mut seen: HashSet<(BTreeSet<usize>, Vec<usize>)> = HashSet::new();
    for i in 0.. {
        let mut queue: Vec<usize> = (0..specs.len())
            .filter(|&h| {
                let s = &specs[h];
                let watched: Vec<usize> = s.when.iter().chain(&s.when_not).copied().collect();
                (i == 0 || watched.iter().any(|f| changes.contains(f))) && holds(s, &flags)
            })
            .collect();
        if queue.is_empty() {
            break;
        }
        if !seen.insert((flags.clone(), queue.clone())) {
            return Outcome::Livelock;
        }
        let mut pending = Vec::new();
        while !queue.is_empty() {
            let h = queue.remove(0);
            invoked.push(h);
            let mut retest = false;
            for &f in &specs[h].sets {
                if flags.insert(f) {
                    pending.push(f);
                }
            }
            for &f in &specs[h].clears {
                retest = true;
                if flags.remove(&f) {
                    pending.push(f);
                }
            }
            if retest {
                queue.retain(|&q| holds(&specs[q], &flags));
            }
        }
        changes = pending;
    }
    Outcome::Done { invoked, flags }
}

fn flag(i: usize) -> String {
    format!("f{i}")
}

fn engine(specs: &[Spec], initial: &BTreeSet<usize>) -> Outcome {
    let (_d, store) = store();
    let defs: Vec<_> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut conds = Vec::new();
            if !s.when.is_empty() {
                conds.push(Predicate::WhenAll(
                    s.when.iter().map(|&f| flag(f)).collect(),
                ));
            }
            if !s.when_not.is_empty() {
                conds.push(Predicate::WhenNone(
                    s.when_not.iter().map(|&f| flag(f)).collect(),
                ));
            }
            let sets: Vec<String> = s.sets.iter().map(|&f| flag(f)).collect();
            let clears: Vec<String> = s.clears.iter().map(|&f| flag(f)).collect();
            let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
            let clears: Vec<&str> = clears.iter().map(String::as_str).collect();
            // Line numbers give registration order = index order.
            h(i as u32, &format!("h{i}"), conds, &sets, &clears)
        })
        .collect();
    let init: Vec<String> = initial.iter().map(|&f| flag(f)).collect();
    let result = run_with(&store, "update-status", &defs, &Default::default(), |s| {
        crate::dispatch::enter(s, || init.iter().for_each(|f| crate::set_flag(f))).unwrap()
    });
    match result {
        Ok(r) => Outcome::Done {
            invoked: r.invoked.iter().map(|n| n[1..].parse().unwrap()).collect(),
            flags: r.flags.iter().map(|n| n[1..].parse().unwrap()).collect(),
        },
        Err(Error::Livelock { .. }) => Outcome::Livelock,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn subset(n: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::btree_set(0..n, 0..=n.min(3)).prop_map(|s| s.into_iter().collect())
}

fn graph() -> impl Strategy<Value = (Vec<Spec>, BTreeSet<usize>)> {
    (1usize..=6).prop_flat_map(|n| {
        let spec = (subset(n), subset(n), subset(n), subset(n), 0..n).prop_map(
            |(when, mut when_not, sets, clears, fallback)| {
                if when.is_empty() && when_not.is_empty() {
                    when_not.push(fallback);
                }
                Spec {
                    when,
                    when_not,
                    sets,
                    clears,
                }
            },
        );
        (
            proptest::collection::vec(spec, 1..=8),
            proptest::collection::btree_set(0..n, 0..=n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn engine_matches_the_reference_loop((specs, initial) in graph()) {
        prop_assert_eq!(engine(&specs, &initial), reference(&specs, &initial));
    }
}
