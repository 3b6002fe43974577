//! The `{...}` groups of flag names and hook patterns.

use std::fmt;

use crate::{check_name, NameError};

/// The roles of `{role:interface}` in hook patterns.
pub const ROLES: [&str; 3] = ["provides", "requires", "peers"];

/// The placeholder names a flag may hold, without braces.
const PLACEHOLDER_NAMES: [&str; 2] = ["relation_name", "endpoint_name"];

/// What a declaration is, for messages: `flag` or `hook pattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A flag name.
    Flag,
    /// A hook pattern.
    HookPattern,
}

impl What {
    fn name(self) -> &'static str {
        match self {
            What::Flag => "flag",
            What::HookPattern => "hook pattern",
        }
    }
}

/// Why a flag name or hook pattern is refused. The messages are what the
/// attribute macros print at compile time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrammarError {
    /// The name itself is refused (empty, whitespace, control character).
    Name(What, NameError),
    /// A `{` without `}` (`open`) or a `}` without `{`.
    Unbalanced {
        /// Flag or hook pattern.
        what: What,
        /// The text.
        text: String,
        /// True for a `{` left open.
        open: bool,
    },
    /// `{}`.
    Empty(What, String),
    /// `{` inside `{...}`.
    Nested(What, String),
    /// A flag placeholder other than `{relation_name}` / `{endpoint_name}`.
    UnknownPlaceholder {
        /// The group, without braces.
        group: String,
        /// The flag.
        flag: String,
    },
    /// A hook-pattern group that is neither `{role:interface}` nor an
    /// alternation of two or more names.
    BadGroup {
        /// The group, without braces.
        group: String,
        /// The pattern.
        pattern: String,
    },
    /// `{role:interface}` with another role.
    UnknownRole {
        /// The role given.
        role: String,
        /// The group, without braces.
        group: String,
    },
    /// `{role:}` or `{role:a:b}`.
    BadInterface(String),
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GrammarError::Name(What::Flag, e) => write!(f, "a flag name {e}"),
            GrammarError::Name(What::HookPattern, e) => write!(f, "a hook pattern {e}"),
            GrammarError::Unbalanced { what, text, open } => {
                let brace = if *open { "{" } else { "}" };
                write!(f, "unbalanced `{brace}` in {} {text:?}", what.name())
            }
            GrammarError::Empty(what, text) => {
                write!(f, "empty `{{}}` in {} {text:?}", what.name())
            }
            GrammarError::Nested(what, text) => {
                write!(f, "nested `{{` in {} {text:?}", what.name())
            }
            GrammarError::UnknownPlaceholder { group, flag } => write!(
                f,
                "unknown placeholder `{{{group}}}` in flag {flag:?}: flags may use \
                 `{{relation_name}}` or `{{endpoint_name}}`"
            ),
            GrammarError::BadGroup { group, pattern } => write!(
                f,
                "unknown placeholder `{{{group}}}` in hook pattern {pattern:?}: use \
                 `{{role:interface}}` or an alternation of two or more names, `{{a,b}}`"
            ),
            GrammarError::UnknownRole { role, group } => write!(
                f,
                "unknown role `{role}` in `{{{group}}}`: the role is `provides`, `requires` \
                 or `peers`"
            ),
            GrammarError::BadInterface(group) => write!(
                f,
                "`{{{group}}}` must be `{{role:interface}}` with one interface name"
            ),
        }
    }
}

impl std::error::Error for GrammarError {}

/// The `{...}` groups of `s`, without braces, or an error for unbalanced,
/// empty or nested braces.
pub fn groups(s: &str, what: What) -> Result<Vec<&str>, GrammarError> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        match (rest.find('{'), rest.find('}')) {
            (None, None) => return Ok(out),
            (Some(o), Some(c)) if o < c => {
                let inner = &rest[o + 1..c];
                if inner.contains('{') {
                    return Err(GrammarError::Nested(what, s.to_string()));
                }
                if inner.is_empty() {
                    return Err(GrammarError::Empty(what, s.to_string()));
                }
                out.push(inner);
                rest = &rest[c + 1..];
            }
            (open, _) => {
                return Err(GrammarError::Unbalanced {
                    what,
                    text: s.to_string(),
                    open: open.is_some(),
                })
            }
        }
    }
}

/// Checks a flag as declared: a valid name whose groups are the two
/// placeholders.
pub fn check_flag(flag: &str) -> Result<(), GrammarError> {
    check_name(flag).map_err(|e| GrammarError::Name(What::Flag, e))?;
    for g in groups(flag, What::Flag)? {
        if !PLACEHOLDER_NAMES.contains(&g) {
            return Err(GrammarError::UnknownPlaceholder {
                group: g.to_string(),
                flag: flag.to_string(),
            });
        }
    }
    Ok(())
}

/// A group of a hook pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group<'a> {
    /// `{a,b,c}`: each alternative.
    Choice(Vec<&'a str>),
    /// `{role:interface}`: every relation name declared with them.
    Relations {
        /// `provides`, `requires` or `peers`.
        role: &'a str,
        /// The interface.
        interface: &'a str,
    },
}

/// Parses the groups of a hook pattern, checking it.
pub fn hook_pattern_groups(pattern: &str) -> Result<Vec<Group<'_>>, GrammarError> {
    check_name(pattern).map_err(|e| GrammarError::Name(What::HookPattern, e))?;
    let mut out = Vec::new();
    for g in groups(pattern, What::HookPattern)? {
        if let Some((role, interface)) = g.split_once(':') {
            if !ROLES.contains(&role) {
                return Err(GrammarError::UnknownRole {
                    role: role.to_string(),
                    group: g.to_string(),
                });
            }
            if interface.is_empty() || interface.contains([':', ',']) {
                return Err(GrammarError::BadInterface(g.to_string()));
            }
            out.push(Group::Relations { role, interface });
        } else {
            let choices: Vec<&str> = g.split(',').collect();
            if choices.len() < 2 || choices.iter().any(|c| c.is_empty()) {
                return Err(GrammarError::BadGroup {
                    group: g.to_string(),
                    pattern: pattern.to_string(),
                });
            }
            out.push(Group::Choice(choices));
        }
    }
    Ok(out)
}

/// Expands a hook pattern into the hook names it matches, sorted:
/// `{role:interface}` becomes each name `relations(role, interface)` gives
/// (none: the pattern matches nothing), `{a,b}` each alternative.
pub fn expand_hook_pattern(
    pattern: &str,
    relations: impl Fn(&str, &str) -> Vec<String>,
) -> Result<Vec<String>, GrammarError> {
    let groups = hook_pattern_groups(pattern)?;
    let mut done = vec![String::new()];
    let mut rest = pattern;
    for g in groups {
        let open = rest.find('{').unwrap_or(rest.len());
        let close = rest.find('}').unwrap_or(rest.len());
        let literal = &rest[..open];
        let choices = match g {
            Group::Choice(c) => c.into_iter().map(str::to_string).collect(),
            Group::Relations { role, interface } => relations(role, interface),
        };
        done = done
            .iter()
            .flat_map(|d| choices.iter().map(move |c| format!("{d}{literal}{c}")))
            .collect();
        rest = &rest[(close + 1).min(rest.len())..];
    }
    let mut done: Vec<String> = done.into_iter().map(|d| d + rest).collect();
    done.sort();
    done.dedup();
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternation_and_relations_expand() {
        let none = |_: &str, _: &str| Vec::new();
        let got = expand_hook_pattern("{a,b}-{c,d}", none).unwrap();
        assert_eq!(got, ["a-c", "a-d", "b-c", "b-d"]);
        let rel = |role: &str, i: &str| {
            assert_eq!((role, i), ("requires", "kafka"));
            vec!["b".to_string(), "a".to_string()]
        };
        let got = expand_hook_pattern("{requires:kafka}-x-{1,2}", rel).unwrap();
        assert_eq!(got, ["a-x-1", "a-x-2", "b-x-1", "b-x-2"]);
        assert!(expand_hook_pattern("{peers:x}-relation-joined", none)
            .unwrap()
            .is_empty());
        assert_eq!(expand_hook_pattern("install", none).unwrap(), ["install"]);
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for bad in [
            "",
            "install ",
            "a-{b",
            "a-}b",
            "a-{}",
            "{a{b,c}}",
            "{relation_name}-x",
            "{peer:ring}-x",
            "{requires:}-x",
            "{requires:a:b}-x",
            "{a,}",
            "{,a}",
        ] {
            assert!(hook_pattern_groups(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn flags_take_only_the_two_placeholders() {
        for ok in [
            "a",
            "db.ready",
            "{relation_name}.connected",
            "x.{endpoint_name}",
        ] {
            assert_eq!(check_flag(ok), Ok(()), "{ok}");
        }
        for bad in ["", "a b", "a\u{7}", "{relation}.x", "{}.x", "a}", "{a"] {
            assert!(check_flag(bad).is_err(), "{bad:?}");
        }
    }
}
