//! Predicates: hook-pattern expansion, `{relation_name}` expansion of flag
//! names, and the test of one handler's predicates in a phase.

use crate::error::Error;
use crate::metadata::{Metadata, Role};
use crate::trace::Phase;

/// The placeholders a flag name may hold, expanded per relation name.
pub const FLAG_PLACEHOLDERS: [&str; 2] = ["{relation_name}", "{endpoint_name}"];

/// Whether `flag` holds a `{relation_name}` or `{endpoint_name}` placeholder.
pub fn has_placeholder(flag: &str) -> bool {
    FLAG_PLACEHOLDERS.iter().any(|p| flag.contains(p))
}

/// `flag` with its placeholders replaced by `relation`.
pub fn expand_flag(flag: &str, relation: &str) -> String {
    FLAG_PLACEHOLDERS
        .iter()
        .fold(flag.to_string(), |f, p| f.replace(p, relation))
}

/// Expands a hook pattern into the hook names it matches.
///
/// `{role:interface}` becomes every relation name `metadata` declares with
/// that role and interface (none when there is no metadata, or no such
/// relation: the pattern then matches nothing); `{a,b,c}` becomes each
/// alternative. Both combine: `{requires:kafka}-relation-{joined,changed}`.
pub fn expand_hook_pattern(
    pattern: &str,
    metadata: Option<&Metadata>,
) -> Result<Vec<String>, Error> {
    let mut done = Vec::new();
    let mut todo = vec![pattern.to_string()];
    while let Some(p) = todo.pop() {
        let Some(open) = p.find('{') else {
            done.push(p);
            continue;
        };
        let close = p[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| bad(pattern, "unbalanced `{`"))?;
        let inner = &p[open + 1..close];
        if inner.is_empty() || inner.contains('{') {
            return Err(bad(pattern, "empty or nested `{}`"));
        }
        let choices: Vec<String> = match inner.split_once(':') {
            Some((role, interface)) => {
                let role = Role::parse(role).ok_or_else(|| {
                    bad(pattern, "role must be `provides`, `requires` or `peers`")
                })?;
                metadata
                    .map(|m| m.relations_for(role, interface))
                    .unwrap_or_default()
            }
            None => inner.split(',').map(str::to_string).collect(),
        };
        for c in choices {
            todo.push(format!("{}{}{}", &p[..open], c, &p[close + 1..]));
        }
    }
    if done.iter().any(|d| d.contains('}')) {
        return Err(bad(pattern, "unbalanced `}`"));
    }
    done.sort();
    done.dedup();
    Ok(done)
}

fn bad(pattern: &str, reason: &str) -> Error {
    Error::Declaration {
        id: format!("hook pattern {pattern:?}"),
        reason: reason.to_string(),
    }
}

/// The order predicates are tested in: flag and hook predicates first, so
/// a handler that cannot run in this phase never records a file hash or
/// reads its only-once mark.
pub(crate) fn test_rank(c: &crate::handler::Cond) -> u8 {
    use crate::handler::Cond;
    match c {
        Cond::WhenFileChanged(_) => 1,
        Cond::OnlyOnce => 2,
        _ => 0,
    }
}

/// Whether a flag predicate can hold in `phase`: flag predicates are false
/// outside the other phase, hook predicates outside the hooks phase, and
/// restricted predicates outside restricted mode.
pub(crate) fn phase_allows(c: &crate::handler::Cond, phase: Phase) -> bool {
    use crate::handler::Cond;
    match c {
        Cond::WhenAll(_) | Cond::WhenAny(_) | Cond::WhenNone(_) | Cond::WhenNotAll(_) => {
            phase == Phase::Other
        }
        Cond::Hook(_) => phase == Phase::Hooks,
        Cond::Restricted(_) => phase == Phase::Restricted,
        Cond::WhenFileChanged(_) | Cond::OnlyOnce => true,
    }
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

    #[test]
    fn flags_expand_both_placeholders() {
        assert_eq!(
            expand_flag("{relation_name}.connected", "queue"),
            "queue.connected"
        );
        assert_eq!(
            expand_flag("endpoint.{endpoint_name}.joined", "db"),
            "endpoint.db.joined"
        );
        assert!(has_placeholder("{relation_name}.x"));
        assert!(!has_placeholder("kafka.x"));
    }
}
