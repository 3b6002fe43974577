//! # reactive-grammar
//!
//! The few rules of the reactive framework's declarations, in one place so
//! that the attribute macros (at compile time) and the engine (at run time)
//! accept exactly the same things. No dependencies.
//!
//! - [`check_name`]: what a flag name (or a hook pattern) may hold;
//! - [`FLAG_PLACEHOLDERS`], [`has_placeholder`], [`expand_flag`]: the
//!   `{relation_name}` / `{endpoint_name}` placeholders of flag names;
//! - [`check_flag`]: a flag as declared, placeholders included;
//! - [`hook_pattern_groups`], [`expand_hook_pattern`]: hook patterns,
//!   `{a,b}` alternations and `{role:interface}` relation names;
//! - [`check_hook_pattern`], [`is_known_hook`]: the hook names Juju runs
//!   ([`UNIT_HOOKS`], and the relation, storage and workload hooks), with a
//!   suggestion for a near miss (`did you mean `config-changed`?`).
//!
//! ```
//! use reactive_grammar::{check_name, expand_flag, NameError};
//!
//! assert_eq!(check_name("db.ready"), Ok(()));
//! assert_eq!(check_name("db ready"), Err(NameError::Whitespace));
//! assert_eq!(expand_flag("{relation_name}.connected", "db"), "db.connected");
//! ```

use std::fmt;

mod hooks;
mod pattern;

pub use hooks::{
    check_hook_pattern, is_known_hook, HookPatternError, UnknownHook, RELATION_EVENTS,
    STORAGE_EVENTS, UNIT_HOOKS, WORKLOAD_EVENTS,
};
pub use pattern::{
    check_flag, expand_hook_pattern, groups, hook_pattern_groups, GrammarError, Group, What, ROLES,
};

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// The name is empty.
    Empty,
    /// The name holds whitespace.
    Whitespace,
    /// The name holds a control character.
    Control,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameError::Empty => "must not be empty",
            NameError::Whitespace => "must not contain whitespace",
            NameError::Control => "must not contain control characters",
        })
    }
}

impl std::error::Error for NameError {}

/// Checks a flag name or hook pattern: not empty, no whitespace, no control
/// characters.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        Err(NameError::Empty)
    } else if name.chars().any(char::is_whitespace) {
        Err(NameError::Whitespace)
    } else if name.chars().any(char::is_control) {
        Err(NameError::Control)
    } else {
        Ok(())
    }
}

/// The placeholders a flag name may hold, expanded per relation name.
pub const FLAG_PLACEHOLDERS: [&str; 2] = ["{relation_name}", "{endpoint_name}"];

/// Whether `flag` holds a `{relation_name}` or `{endpoint_name}` placeholder.
#[must_use]
pub fn has_placeholder(flag: &str) -> bool {
    FLAG_PLACEHOLDERS.iter().any(|p| flag.contains(p))
}

/// `flag` with its placeholders replaced by `relation`.
#[must_use]
pub fn expand_flag(flag: &str, relation: &str) -> String {
    FLAG_PLACEHOLDERS
        .iter()
        .fold(flag.to_string(), |f, p| f.replace(p, relation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name(""), Err(NameError::Empty));
        assert_eq!(check_name("a b"), Err(NameError::Whitespace));
        assert_eq!(check_name("a\u{7}"), Err(NameError::Control));
        assert_eq!(check_name("{relation_name}.x"), Ok(()));
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
