//! The flag API, under the Python framework's names.
//!
//! These act on the running dispatch (the ambient session), as
//! `charms.reactive.set_flag` does; [`Context`](crate::Context) offers the
//! same calls as methods. Changes are kept only if the whole dispatch
//! succeeds.
//!
//! # Panics
//! Every function here panics when called outside a dispatch (no session
//! entered on this thread): that is a bug in the caller, not bad input.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::session::{with_state, State};

/// Checks a flag name: not empty, no whitespace, no control characters.
pub fn validate_flag(flag: &str) -> Result<(), Error> {
    let reason = if flag.is_empty() {
        "a flag name must not be empty"
    } else if flag.chars().any(char::is_whitespace) {
        "a flag name must not contain whitespace"
    } else if flag.chars().any(char::is_control) {
        "a flag name must not contain control characters"
    } else {
        return Ok(());
    };
    Err(Error::InvalidFlag {
        flag: flag.to_string(),
        reason,
    })
}

fn ambient<R>(api: &'static str, f: impl FnOnce(&mut State) -> R) -> R {
    match with_state(api, f) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

/// Runs `f` on the session; an error it returns fails the running handler
/// (for calls that, like Python's, return nothing).
pub(crate) fn deferred(api: &'static str, f: impl FnOnce(&mut State) -> Result<(), Error>) {
    ambient(api, |s| {
        if let Err(e) = f(s) {
            s.deferred.get_or_insert(e);
        }
    })
}

/// Sets `flag`. Setting a set flag is not a change.
pub fn set_flag(flag: &str) {
    set_flag_json(flag, Value::Null)
}

/// Sets `flag` carrying `value` (replacing the value of a set flag, which is
/// not a change). A value that cannot be encoded fails the running handler.
pub fn set_flag_value<T: Serialize + ?Sized>(flag: &str, value: &T) {
    match serde_json::to_value(value) {
        Ok(v) => set_flag_json(flag, v),
        Err(source) => deferred("set_flag_value", |_| {
            Err(Error::Json {
                context: format!("value of flag {flag:?}"),
                source,
            })
        }),
    }
}

fn set_flag_json(flag: &str, value: Value) {
    deferred("set_flag", |s| {
        validate_flag(flag)?;
        s.set_flag(flag, value);
        Ok(())
    })
}

/// Clears `flag`. Clearing an unset flag is not a change, but still makes
/// the rest of the queue be re-tested (rule D4).
pub fn clear_flag(flag: &str) {
    deferred("clear_flag", |s| {
        validate_flag(flag)?;
        s.clear_flag(flag);
        Ok(())
    })
}

/// [`set_flag`] if `should_set`, else [`clear_flag`].
pub fn toggle_flag(flag: &str, should_set: bool) {
    if should_set {
        set_flag(flag)
    } else {
        clear_flag(flag)
    }
}

/// Whether `flag` is set.
pub fn is_flag_set(flag: &str) -> bool {
    ambient("is_flag_set", |s| s.flags.contains_key(flag))
}

/// Whether every one of `flags` is set.
pub fn all_flags_set(flags: &[&str]) -> bool {
    ambient("all_flags_set", |s| {
        flags.iter().all(|f| s.flags.contains_key(*f))
    })
}

/// Whether at least one of `flags` is set.
pub fn any_flags_set(flags: &[&str]) -> bool {
    ambient("any_flags_set", |s| {
        flags.iter().any(|f| s.flags.contains_key(*f))
    })
}

/// Every set flag, sorted.
pub fn get_flags() -> Vec<String> {
    ambient("get_flags", |s| {
        let mut v: Vec<String> = s.flags.keys().cloned().collect();
        v.sort();
        v
    })
}

/// Those of `flags` that are not set, sorted.
pub fn get_unset_flags(flags: &[&str]) -> Vec<String> {
    ambient("get_unset_flags", |s| {
        let mut v: Vec<String> = flags
            .iter()
            .filter(|f| !s.flags.contains_key(**f))
            .map(|f| f.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    })
}

/// The value `flag` carries: `None` if unset, `Some(Value::Null)` if set
/// without a value.
pub fn get_flag_value(flag: &str) -> Option<Value> {
    ambient("get_flag_value", |s| s.flags.get(flag).cloned())
}

/// The name of the hook being dispatched.
pub fn current_hook() -> String {
    ambient("current_hook", |s| s.hook.clone())
}
