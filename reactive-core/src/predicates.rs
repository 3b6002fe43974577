//! Predicates: hook-pattern expansion, `{relation_name}` expansion of flag
//! names, the test of one handler's predicates in a phase, and what
//! `#[only_once]` and `#[when_file_changed]` remember between hooks.

use std::collections::BTreeSet;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::handler::Predicate;
use crate::metadata::{Metadata, Role};
use crate::session::Transaction;
use crate::trace::Phase;

pub(crate) use reactive_grammar::{expand_flag, has_placeholder};

const INVOKED_PREFIX: &str = "reactive.invoked.";
const FILE_HASH_PREFIX: &str = "reactive.files_changed.";

/// Expands a hook pattern into the hook names it matches.
///
/// `{role:interface}` becomes every relation name `metadata` declares with
/// that role and interface (none when there is no metadata, or no such
/// relation: the pattern then matches nothing); `{a,b,c}` becomes each
/// alternative. Both combine: `{requires:kafka}-relation-{joined,changed}`.
/// The grammar is the attribute macros' ([`reactive_grammar`]).
pub(crate) fn expand_hook_pattern(
    pattern: &str,
    metadata: Option<&Metadata>,
) -> Result<Vec<String>, Error> {
    reactive_grammar::expand_hook_pattern(pattern, |role, interface| {
        match (metadata, Role::parse(role)) {
            (Some(m), Some(role)) => m.relations_for(role, interface),
            _ => Vec::new(),
        }
    })
    .map_err(|e| Error::Declaration {
        id: format!("hook pattern {pattern:?}"),
        reason: e.to_string(),
    })
}

/// The order predicates are tested in: flag and hook predicates first, so
/// a handler that cannot run in this phase never records a file hash or
/// reads its only-once mark.
pub(crate) fn test_rank(c: &Predicate) -> u8 {
    match c {
        Predicate::WhenFileChanged(_) => 1,
        Predicate::OnlyOnce => 2,
        _ => 0,
    }
}

/// Whether a flag predicate can hold in `phase`: flag predicates are false
/// outside the flags phase, hook predicates outside the hooks phase, and
/// restricted predicates outside restricted mode.
fn phase_allows(c: &Predicate, phase: Phase) -> bool {
    match c {
        Predicate::WhenAll(_)
        | Predicate::WhenAny(_)
        | Predicate::WhenNone(_)
        | Predicate::WhenNotAll(_) => phase == Phase::Flags,
        Predicate::Hook(_) | Predicate::Action(_) => phase == Phase::Hooks,
        Predicate::Restricted(_) => phase == Phase::Restricted,
        Predicate::WhenFileChanged(_) | Predicate::OnlyOnce => true,
    }
}

/// Tests the predicates of handler `id` (whose hook predicates match
/// `hooks`) in order, in `phase`, stopping at the first false one.
pub(crate) fn test(
    conds: &[Predicate],
    id: &str,
    hooks: &BTreeSet<String>,
    phase: Phase,
    tx: &mut Transaction,
) -> Result<bool, Error> {
    for c in conds {
        if !phase_allows(c, phase) {
            return Ok(false);
        }
        let holds = match c {
            Predicate::WhenAll(f) => f.iter().all(|f| tx.is_set(f)),
            Predicate::WhenAny(f) => f.iter().any(|f| tx.is_set(f)),
            Predicate::WhenNone(f) => !f.iter().any(|f| tx.is_set(f)),
            Predicate::WhenNotAll(f) => !f.iter().all(|f| tx.is_set(f)),
            Predicate::Hook(_) => hooks.contains(tx.hook()),
            Predicate::Action(name) => tx
                .hook()
                .strip_prefix(crate::hookenv::ACTION_PREFIX)
                .is_some_and(|a| a == name),
            Predicate::Restricted(name) => name == tx.hook(),
            Predicate::WhenFileChanged(paths) => any_file_changed(tx, paths)?,
            Predicate::OnlyOnce => !was_invoked(tx, id)?,
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether [`mark_invoked`] was called with `id` in a committed session.
pub(crate) fn was_invoked(tx: &Transaction, id: &str) -> Result<bool, Error> {
    Ok(tx
        .kv_get(&format!("{INVOKED_PREFIX}{id}"))?
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

/// Records that `id` ran (the basis of `#[only_once]`).
pub(crate) fn mark_invoked(tx: &mut Transaction, id: &str) {
    tx.kv_set(&format!("{INVOKED_PREFIX}{id}"), Some(Value::Bool(true)));
}

/// Hex SHA-256 of some bytes: stable across builds, so stored hashes stay
/// comparable after a charm upgrade.
pub(crate) fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The content hash of a file; `None` when it does not exist, which is also
/// what "never checked" reads as (as charmhelpers' `file_hash`), so a file
/// that never existed is not a change, while deleting one is. A file that
/// exists but cannot be read gets a marker naming why.
/// A relative path is the charm directory's (`hookenv::charm_path`).
fn file_hash(path: &str) -> Option<String> {
    match std::fs::read(crate::hookenv::charm_path(path)) {
        Ok(bytes) => Some(hash_hex(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(format!("unreadable: {}", e.kind())),
    }
}

/// True if any of `paths` changed since the last check; records every new
/// hash (the `#[when_file_changed]` predicate).
pub(crate) fn any_file_changed(tx: &mut Transaction, paths: &[String]) -> Result<bool, Error> {
    let mut changed = false;
    for p in paths {
        let key = format!("{FILE_HASH_PREFIX}{p}");
        let new = file_hash(p);
        let old = tx.kv_get(&key)?;
        if old.as_ref().and_then(Value::as_str) != new.as_deref() {
            tx.kv_set(&key, new.map(Value::String));
            changed = true;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Metadata {
        Metadata::parse(
            "name: c\nrequires:\n  queue: {interface: kafka}\n  other: {interface: kafka}\nprovides:\n  web: {interface: http}\n",
            "metadata.yaml",
        )
        .unwrap()
    }

    #[test]
    fn alternation_expands_every_choice() {
        let got = expand_hook_pattern("db-relation-{joined,changed}", None).unwrap();
        assert_eq!(got, ["db-relation-changed", "db-relation-joined"]);
        let got = expand_hook_pattern("{a,b}-{c,d}", None).unwrap();
        assert_eq!(got, ["a-c", "a-d", "b-c", "b-d"]);
    }

    #[test]
    fn role_interface_expands_to_bound_relation_names() {
        let m = meta();
        let got =
            expand_hook_pattern("{requires:kafka}-relation-{joined,changed}", Some(&m)).unwrap();
        assert_eq!(
            got,
            [
                "other-relation-changed",
                "other-relation-joined",
                "queue-relation-changed",
                "queue-relation-joined"
            ]
        );
        assert!(
            expand_hook_pattern("{provides:kafka}-relation-joined", Some(&m))
                .unwrap()
                .is_empty()
        );
        assert!(
            expand_hook_pattern("{requires:kafka}-relation-joined", None)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for p in ["a-{b", "a-{}", "a-}b", "{owns:kafka}-relation-joined"] {
            assert!(expand_hook_pattern(p, None).is_err(), "{p}");
        }
    }
}
