//! The flag API, under the Python framework's names.
//!
//! These act on the running dispatch (the ambient session), as
//! `charms.reactive.set_flag` does. Changes are kept only if the whole
//! dispatch succeeds.
//!
//! # Panics
//! Every function here panics when called outside a dispatch (no session
//! entered on this thread): that is a bug in the caller, not bad input.

use serde::Serialize;
use serde_json::Value;

use crate::dispatch::{with_running, Running};
use crate::error::{check_flag, Error};
use crate::triggers::Trigger;

fn ambient<R>(api: &'static str, f: impl FnOnce(&mut Running) -> R) -> R {
    match with_running(api, f) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

/// Runs `f` on the running hook; an error it returns fails the running
/// handler (for calls that, like Python's, return nothing).
fn or_fail_handler(api: &'static str, f: impl FnOnce(&mut Running) -> Result<(), Error>) {
    ambient(api, |s| {
        if let Err(e) = f(s) {
            s.fail(e);
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
        Err(source) => or_fail_handler("set_flag_value", |_| {
            Err(Error::Json {
                context: format!("value of flag {flag:?}"),
                source,
            })
        }),
    }
}

fn set_flag_json(flag: &str, value: Value) {
    or_fail_handler("set_flag", |s| {
        check_flag(flag)?;
        s.set_flag(flag, value);
        Ok(())
    })
}

/// Clears `flag`. Clearing an unset flag is not a change, but still makes
/// the rest of the queue be re-tested (rule D4).
pub fn clear_flag(flag: &str) {
    or_fail_handler("clear_flag", |s| {
        check_flag(flag)?;
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
#[must_use]
pub fn is_flag_set(flag: &str) -> bool {
    ambient("is_flag_set", |s| s.tx.is_set(flag))
}

/// Whether every one of `flags` is set.
#[must_use]
pub fn all_flags_set(flags: &[&str]) -> bool {
    ambient("all_flags_set", |s| flags.iter().all(|f| s.tx.is_set(f)))
}

/// Whether at least one of `flags` is set.
#[must_use]
pub fn any_flags_set(flags: &[&str]) -> bool {
    ambient("any_flags_set", |s| flags.iter().any(|f| s.tx.is_set(f)))
}

/// Every set flag, sorted.
#[must_use]
pub fn get_flags() -> Vec<String> {
    ambient("get_flags", |s| {
        let mut v: Vec<String> = s.tx.flag_names().cloned().collect();
        v.sort();
        v
    })
}

/// Those of `flags` that are not set, sorted.
#[must_use]
pub fn get_unset_flags(flags: &[&str]) -> Vec<String> {
    ambient("get_unset_flags", |s| {
        let mut v: Vec<String> = flags
            .iter()
            .filter(|f| !s.tx.is_set(f))
            .map(|f| f.to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    })
}

/// The value `flag` carries: `None` if unset, `Some(Value::Null)` if set
/// without a value.
#[must_use]
pub fn get_flag_value(flag: &str) -> Option<Value> {
    ambient("get_flag_value", |s| s.tx.flag_value(flag).cloned())
}

/// Registers `trigger` for the rest of the running hook.
///
/// An invalid trigger (bad flag name, no action) fails the running handler.
pub fn register_trigger(trigger: Trigger) {
    or_fail_handler("register_trigger", |s| {
        trigger.validate("register_trigger")?;
        s.add_trigger(trigger);
        Ok(())
    });
}

/// The check `#[not_unless(...)]` puts at the top of a function: logs a
/// warning naming `id` and those of `flags` that are not set. Outside a
/// dispatch there are no flags to check, and nothing is logged.
#[doc(hidden)]
pub fn warn_unless_flags(id: &str, flags: &[&str]) {
    let missing = with_running("not_unless", |s| {
        flags
            .iter()
            .filter(|f| !s.tx.is_set(f))
            .copied()
            .collect::<Vec<_>>()
    });
    if let Ok(missing) = missing {
        if !missing.is_empty() {
            let plural = if missing.len() > 1 { "s" } else { "" };
            log::warn!("{id} called before flag{plural}: {}", missing.join(", "));
        }
    }
}

/// The failure recorded by a flag call made outside a handler (the
/// endpoints' automatic flags), if any; resets it.
pub(crate) fn take_failure() -> Result<Option<Error>, Error> {
    with_running("endpoints", Running::take_failure)
}
