//! The per-hook and per-step comparison of the two runs.

use std::collections::{BTreeMap, BTreeSet};

use super::flags::flag_diff;
use super::{Difference, Merged};
use crate::observe::{HookObs, StepObs};
use crate::scenario::Order;

pub(crate) struct Cx {
    pub(crate) differences: Vec<Difference>,
}

impl Cx {
    pub(crate) fn add(&mut self, step: &StepObs, place: &str, what: String) {
        self.differences.push(Difference {
            step: step.index,
            label: step.label.clone(),
            place: place.to_string(),
            what,
        });
    }

    pub(crate) fn hooks(&mut self, order: Order, py: &StepObs, rs: &StepObs, masks: &Merged) {
        let key = |h: &HookObs| {
            (
                h.unit.clone(),
                h.hook.clone(),
                h.relation.clone(),
                h.remote_unit.clone(),
                h.ok,
            )
        };
        let same_sequence = py.hooks.len() == rs.hooks.len()
            && py
                .hooks
                .iter()
                .zip(&rs.hooks)
                .all(|(p, r)| key(p) == key(r));
        if !same_sequence {
            let list = |hs: &[HookObs]| {
                let each: Vec<String> = hs.iter().map(HookObs::describe).collect();
                format!("[{}]", each.join("; "))
            };
            let what = format!(
                "the hooks run differ:\n    python: {}\n    rust:   {}",
                list(&py.hooks),
                list(&rs.hooks)
            );
            self.add(py, "", what);
            return;
        }
        for (p, r) in py.hooks.iter().zip(&rs.hooks) {
            let place = format!("hook {}", p.describe());
            let keep = |runs: &[String]| -> Vec<String> {
                runs.iter().filter(|h| !masks.handler(h)).cloned().collect()
            };
            let (pr, rr) = (keep(&p.runs), keep(&r.runs));
            let counts = |runs: &[String]| {
                let mut m: BTreeMap<String, usize> = BTreeMap::new();
                for h in runs {
                    *m.entry(h.clone()).or_default() += 1;
                }
                m
            };
            let (pc, rc) = (counts(&pr), counts(&rr));
            if pc != rc {
                let names: BTreeSet<&String> = pc.keys().chain(rc.keys()).collect();
                let each: Vec<String> = names
                    .into_iter()
                    .filter(|n| pc.get(*n) != rc.get(*n))
                    .map(|n| {
                        let c = |m: &BTreeMap<String, usize>| m.get(n).copied().unwrap_or(0);
                        format!("{n} python {} rust {}", c(&pc), c(&rc))
                    })
                    .collect();
                self.add(
                    py,
                    &place,
                    format!("handler runs differ: {}", each.join(", ")),
                );
            } else if order == Order::Exact && pr != rr {
                self.add(
                    py,
                    &place,
                    format!(
                        "handler order differs:\n    python: {}\n    rust:   {}",
                        pr.join(", "),
                        rr.join(", ")
                    ),
                );
            }
            let (mut pw, mut rw) = (p.not_unless.clone(), r.not_unless.clone());
            pw.sort();
            rw.sort();
            if pw != rw {
                self.add(
                    py,
                    &place,
                    format!("not_unless warnings differ: python {pw:?}, rust {rw:?}"),
                );
            }
            let (python_only, both) = masks.flags(&p.charm, true);
            for what in flag_diff(&p.flags, &r.flags, &python_only, &both) {
                self.add(py, &place, format!("flags after the hook: {what}"));
            }
        }
    }

    pub(crate) fn state(&mut self, py: &StepObs, rs: &StepObs, masks: &Merged) {
        let units: BTreeSet<&String> = py.units.keys().chain(rs.units.keys()).collect();
        for unit in units {
            let place = format!("unit {unit}");
            let (Some(p), Some(r)) = (py.units.get(unit), rs.units.get(unit)) else {
                let side = if py.units.contains_key(unit) {
                    "python"
                } else {
                    "rust"
                };
                self.add(py, &place, format!("exists only in the {side} model"));
                continue;
            };
            let (python_only, both) = masks.flags(&p.charm, false);
            for what in flag_diff(&p.flags, &r.flags, &python_only, &both) {
                self.add(py, &place, format!("flags: {what}"));
            }
            let charm = p.charm.as_str();
            let mut field = |name: &str, masked: bool, a: String, b: String| {
                if !masked && a != b {
                    self.add(py, &place, format!("{name}: python {a}, rust {b}"));
                }
            };
            field(
                "status",
                masks.status(charm),
                format!("{:?}", p.status),
                format!("{:?}", r.status),
            );
            field(
                "ports",
                masks.ports(charm),
                format!("{:?}", p.ports),
                format!("{:?}", r.ports),
            );
            field(
                "relation data",
                masks.relation_data(charm),
                format!("{:?}", p.relation_data),
                format!("{:?}", r.relation_data),
            );
            field(
                "units in scope",
                false,
                format!("{:?}", p.remote_units),
                format!("{:?}", r.remote_units),
            );
            field(
                "files",
                masks.files(charm),
                format!("{:?}", p.files),
                format!("{:?}", r.files),
            );
            field(
                "error",
                masks.errors(),
                format!("{:?}", p.error),
                format!("{:?}", r.error),
            );
        }
        let apps: BTreeSet<&String> = py.apps.keys().chain(rs.apps.keys()).collect();
        for app in apps {
            let place = format!("application {app}");
            match (py.apps.get(app), rs.apps.get(app)) {
                (Some(p), Some(r)) if p != r => {
                    self.add(py, &place, format!("python {p:?}, rust {r:?}"));
                }
                (Some(_), Some(_)) => {}
                _ => self.add(py, &place, "exists in one model only".into()),
            }
        }
    }
}
