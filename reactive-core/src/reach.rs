//! Which watched flags nothing can set: a best-effort check for the unit's
//! `handlers --unreachable`. A flag is reachable when a handler's body sets
//! it (as the attribute macros read it, `HandlerSpec::writes`), a trigger sets it,
//! or the engine does (the automatic `config.*`, `leadership.*`,
//! `upgrade.series.*` and `endpoint.*` flags). A flag set through a variable
//! or a helper function, or by an operator with `set-flag`, is not seen.

use std::collections::{BTreeMap, BTreeSet};

use crate::handler::{HandlerSpec, Predicate};
use crate::metadata::Metadata;
use crate::registry::Registry;
use crate::triggers::TriggerSpec;

#[cfg(test)]
mod tests;

/// Prefixes of the flags the engine sets itself.
const AUTOMATIC: [&str; 4] = ["config.", "leadership.", "upgrade.series.", "endpoint."];

/// Every flag something in the executable can set, placeholders expanded
/// with every relation name of `metadata`.
fn settable(metadata: Option<&Metadata>) -> BTreeSet<String> {
    let relations: Vec<&str> = metadata
        .map(|m| m.endpoints.iter().map(|e| e.name.as_str()).collect())
        .unwrap_or_default();
    let written = inventory::iter::<HandlerSpec>
        .into_iter()
        .flat_map(|h| (h.writes)());
    let triggered = inventory::iter::<TriggerSpec>
        .into_iter()
        .flat_map(|t| t.actions.iter())
        .filter(|(action, _)| *action == "set_flag")
        .map(|(_, flag)| *flag);
    let mut out = BTreeSet::new();
    for flag in written.chain(triggered) {
        if reactive_grammar::has_placeholder(flag) {
            out.extend(
                relations
                    .iter()
                    .map(|r| reactive_grammar::expand_flag(flag, r)),
            );
        } else {
            out.insert(flag.to_string());
        }
    }
    out
}

/// Each flag a handler waits for (`when`, `when_any`) that nothing can
/// set, with the handlers waiting for it.
pub(crate) fn unreachable(
    registry: &Registry,
    metadata: Option<&Metadata>,
) -> BTreeMap<String, Vec<String>> {
    let settable = settable(metadata);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in &registry.handlers {
        for c in &h.conds {
            let (Predicate::WhenAll(flags) | Predicate::WhenAny(flags)) = c else {
                continue;
            };
            for f in flags {
                let automatic = AUTOMATIC.iter().any(|p| f.starts_with(p));
                if !automatic && !settable.contains(f) {
                    out.entry(f.clone()).or_default().push(h.id.clone());
                }
            }
        }
    }
    out
}
