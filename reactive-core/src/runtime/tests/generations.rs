//! The state the crash test kills dispatches on: [`FLAGS`] flags
//! `g<gen>.f<k>`, all of one generation, and the generation recorded in the
//! key-value store. A dispatch of [`handlers`] moves every flag from `gen`
//! to `gen + 1`, spread over [`HANDLERS`] handlers with pauses between
//! them, so a store holding anything but one whole generation is a mix.
use std::collections::BTreeSet;
use std::time::Duration;

use crate::dispatch::DispatchOptions;
use crate::flags::{clear_flag, set_flag, set_flag_value};
use crate::handler::{HandlerDef, Predicate};
use crate::registry::Registry;
use crate::session::Session;
use crate::store::Store;
use crate::unitdata::kv;
use serde_json::{json, Value};

pub(crate) const FLAGS: usize = 200;
pub(crate) const HANDLERS: usize = 10;
pub(crate) const HOOK: &str = "update-status";
pub(crate) const GEN_KEY: &str = "crash.generation";

/// splitmix64: small, seedable, good enough to pick kill moments.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// Seeded from the environment variable `var` when it holds a number
    /// (to replay a run), else from the clock; returns the seed too.
    pub(crate) fn from_env(var: &str) -> (Rng, u64) {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        (Rng(seed), seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub(crate) fn flag(gen: u64, k: usize) -> String {
    format!("g{gen}.f{k:03}")
}

/// The handlers of the dispatch that moves generation `gen` to `gen + 1`
/// (each prints `HANDLER <gen> <h>` when done, then pauses).
pub(crate) fn handlers(gen: u64, pause_seed: u64) -> Vec<HandlerDef> {
    let per = FLAGS / HANDLERS;
    (0..HANDLERS)
        .map(|h| {
            HandlerDef::new(
                "generations.rs",
                h as u32 + 1,
                format!("move_{h}"),
                vec![Predicate::Hook(vec![HOOK.into()])],
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

/// Commits generation 0 (every flag set, no value) to a new store.
pub(crate) fn commit_generation_zero(store: &Store) {
    let init = HandlerDef::new(
        "generations.rs",
        0,
        "init",
        vec![Predicate::Hook(vec![HOOK.into()])],
        |_| {
            for k in 0..FLAGS {
                set_flag(&flag(0, k));
            }
            Ok(())
        },
    );
    let registry = Registry::new(vec![init], None).expect("registry");
    let mut session = Session::begin(store.clone(), HOOK).expect("session");
    crate::dispatch::run(&registry, &mut session, &DispatchOptions::default())
        .result
        .expect("dispatch");
    session.commit().expect("commit");
}

/// The one generation of every flag in `store`, after checking that the
/// flags are complete and the key-value store agrees.
pub(crate) fn generation(store: &Store) -> Result<u64, String> {
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
