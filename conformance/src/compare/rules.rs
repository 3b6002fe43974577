//! Rules each implementation must keep on its own.

use std::collections::BTreeMap;

use super::flags::flag_diff;
use super::Difference;
use crate::observe::{Flags, HookObs, RunObs};

/// Rules each side must keep on its own: a failed hook keeps no flag
/// change, and a retry of a failed hook runs what the failed try ran.
pub(crate) fn rule_checks(run: &RunObs, out: &mut Vec<Difference>) {
    let mut last: BTreeMap<&str, &Flags> = BTreeMap::new();
    let mut last_failed: BTreeMap<&str, &HookObs> = BTreeMap::new();
    let empty = Flags::new();
    for step in &run.steps {
        for h in &step.hooks {
            let place = format!("{} hook {}", run.implementation, h.describe());
            let before = last.get(h.unit.as_str()).copied().unwrap_or(&empty);
            if !h.ok && &h.flags != before {
                let what = flag_diff(before, &h.flags, &[], &[]).join("; ");
                out.push(Difference {
                    step: step.index,
                    label: step.label.clone(),
                    place: place.clone(),
                    what: format!("a failed hook kept flag changes (before vs after: {what})"),
                });
            }
            if let Some(prev) = last_failed.get(h.unit.as_str()) {
                if prev.hook == h.hook && !h.ok && prev.runs != h.runs {
                    out.push(Difference {
                        step: step.index,
                        label: step.label.clone(),
                        place: place.clone(),
                        what: format!(
                            "the retry ran other handlers than the failed try: [{}] then [{}]",
                            prev.runs.join(", "),
                            h.runs.join(", ")
                        ),
                    });
                }
            }
            if h.ok {
                last_failed.remove(h.unit.as_str());
            } else {
                last_failed.insert(&h.unit, h);
            }
            last.insert(&h.unit, &h.flags);
        }
    }
}
