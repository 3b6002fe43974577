//! The hook names Juju runs, as its `hooks` package lists them
//! (`juju/juju` `internal/charm/hooks/hooks.go`, and `juju/charm`
//! `hooks/hooks.go` for the Juju 2.9 ones), and the check of a hook pattern
//! against them, with a suggestion for a near miss.

use std::fmt;

use crate::pattern::{expand_hook_pattern, hook_pattern_groups, GrammarError};

/// The hooks not tied to a relation, storage or workload: the unit hooks,
/// the restricted-mode hooks, the series-upgrade hooks and the secret hooks.
pub const UNIT_HOOKS: [&str; 18] = [
    "install",
    "start",
    "config-changed",
    "upgrade-charm",
    "stop",
    "remove",
    "leader-elected",
    "leader-deposed",
    "leader-settings-changed",
    "update-status",
    "collect-metrics",
    "meter-status-changed",
    "pre-series-upgrade",
    "post-series-upgrade",
    "secret-changed",
    "secret-expired",
    "secret-remove",
    "secret-rotate",
];

/// The events of `<relation>-relation-<event>`.
pub const RELATION_EVENTS: [&str; 5] = ["created", "joined", "changed", "departed", "broken"];

/// The events of `<storage>-storage-<event>`.
pub const STORAGE_EVENTS: [&str; 2] = ["attached", "detaching"];

/// The events of `<container>-pebble-<event>` (workload hooks).
pub const WORKLOAD_EVENTS: [&str; 4] =
    ["ready", "custom-notice", "check-failed", "check-recovered"];

/// The families of prefixed hooks: `-<infix>-<event>`.
const FAMILIES: [(&str, &[&str]); 3] = [
    ("relation", &RELATION_EVENTS),
    ("storage", &STORAGE_EVENTS),
    ("pebble", &WORKLOAD_EVENTS),
];

/// Whether `name` is a hook Juju can run: one of [`UNIT_HOOKS`], or
/// `<name>-relation-<event>`, `<name>-storage-<event>`,
/// `<name>-pebble-<event>` with an event of that family.
#[must_use]
pub fn is_known_hook(name: &str) -> bool {
    UNIT_HOOKS.contains(&name)
        || FAMILIES.iter().any(|(infix, events)| {
            events.iter().any(|e| {
                name.strip_suffix(e)
                    .and_then(|n| n.strip_suffix(&format!("-{infix}-")))
                    .is_some_and(|prefix| !prefix.is_empty())
            })
        })
}

/// A hook pattern that matches a hook Juju never runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownHook {
    /// The hook name the pattern gives (with `{role:interface}` kept).
    pub hook: String,
    /// The closest known hook, when one is close.
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown hook `{}`", self.hook)?;
        match &self.suggestion {
            Some(s) => write!(f, ": did you mean `{s}`?"),
            None => write!(
                f,
                ": Juju runs the unit hooks (install, config-changed, ...), \
                 `<relation>-relation-{{created,joined,changed,departed,broken}}`, \
                 `<storage>-storage-{{attached,detaching}}` and `<container>-pebble-ready` \
                 and the other workload hooks"
            ),
        }
    }
}

impl std::error::Error for UnknownHook {}

/// Why a hook pattern is refused: its grammar, or a hook Juju never runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookPatternError {
    /// The pattern is malformed.
    Grammar(GrammarError),
    /// The pattern names a hook that does not exist.
    Unknown(UnknownHook),
}

impl fmt::Display for HookPatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookPatternError::Grammar(e) => e.fmt(f),
            HookPatternError::Unknown(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for HookPatternError {}

/// Checks a hook pattern: its grammar, then that every hook it names is
/// one Juju runs. A `{role:interface}` group stands for a relation name,
/// so it must be followed by `-relation-<event>`.
pub fn check_hook_pattern(pattern: &str) -> Result<(), HookPatternError> {
    hook_pattern_groups(pattern).map_err(HookPatternError::Grammar)?;
    let names = expand_hook_pattern(pattern, |role, interface| {
        vec![format!("{{{role}:{interface}}}")]
    })
    .map_err(HookPatternError::Grammar)?;
    for name in names {
        let known = match name.split_once('}') {
            // Kept `{role:interface}`: a relation name, then the rest.
            Some((_, rest)) if name.starts_with('{') => RELATION_EVENTS
                .iter()
                .any(|e| rest == format!("-relation-{e}")),
            _ => is_known_hook(&name),
        };
        if !known {
            let suggestion = suggest(&name);
            return Err(HookPatternError::Unknown(UnknownHook {
                hook: name,
                suggestion,
            }));
        }
    }
    Ok(())
}

/// The known hook nearest to `name`, if within a third of its length.
fn suggest(name: &str) -> Option<String> {
    let mut candidates: Vec<String> = UNIT_HOOKS.iter().map(|h| h.to_string()).collect();
    for (infix, events) in FAMILIES {
        // Every prefix `name` could have: up to each `-`.
        let prefixes: Vec<&str> = match name.split_once('}') {
            // A `{role:interface}` group is a relation name, nothing more.
            Some((group, _)) if name.starts_with('{') => {
                if infix != "relation" {
                    continue;
                }
                vec![&name[..=group.len()]]
            }
            _ => name.match_indices('-').map(|(i, _)| &name[..i]).collect(),
        };
        for prefix in prefixes {
            candidates.extend(events.iter().map(|e| format!("{prefix}-{infix}-{e}")));
        }
    }
    let (best, distance) = candidates
        .into_iter()
        .map(|c| {
            let d = distance(name, &c);
            (c, d)
        })
        .min_by_key(|(_, d)| *d)?;
    (distance <= name.chars().count().div_ceil(3)).then_some(best)
}

/// Levenshtein distance in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(pattern: &str) -> Option<String> {
        match check_hook_pattern(pattern) {
            Err(HookPatternError::Unknown(u)) => u.suggestion,
            other => panic!("{pattern}: {other:?}"),
        }
    }

    #[test]
    fn juju_hooks_are_known() {
        for ok in [
            "install",
            "config-changed",
            "{start,update-status}",
            "db-relation-{joined,changed}",
            "{requires:kafka}-relation-departed",
            "{peers:ring}-relation-created",
            "data-storage-attached",
            "workload-pebble-ready",
            "my-app-pebble-check-failed",
            "secret-rotate",
            "collect-metrics",
        ] {
            assert_eq!(check_hook_pattern(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn near_misses_get_the_nearest_hook() {
        assert_eq!(
            suggestion("config-change").as_deref(),
            Some("config-changed")
        );
        assert_eq!(
            suggestion("{requires:kafka}-relation-join").as_deref(),
            Some("{requires:kafka}-relation-joined")
        );
        assert_eq!(
            suggestion("db-relation-{joined,chnged}").as_deref(),
            Some("db-relation-changed")
        );
        assert_eq!(suggestion("instal").as_deref(), Some("install"));
        assert_eq!(suggestion("frobnicate"), None);
    }

    #[test]
    fn relation_groups_take_only_relation_events() {
        assert!(check_hook_pattern("{requires:kafka}-storage-attached").is_err());
        assert!(check_hook_pattern("-relation-joined").is_err());
        assert!(matches!(
            check_hook_pattern("a-{b"),
            Err(HookPatternError::Grammar(_))
        ));
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("same", "same"), 0);
    }
}
