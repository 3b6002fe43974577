//! Triggers: the moment a flag is set (or cleared), set and clear other flags
//! atomically with it, so no handler runs in between.
//!
//! Declare one that holds in every dispatch with [`trigger!`](crate::trigger),
//! or register one for the rest of the running hook with
//! [`register_trigger`](crate::register_trigger). This module holds
//! the triggers in force; the dispatcher fires them.

use std::collections::HashMap;

use std::sync::OnceLock;

use crate::error::{check_flag, Error};

/// How deep triggers may chain before the chain is taken for a cycle.
pub(crate) const TRIGGER_DEPTH_LIMIT: usize = 1000;

/// A trigger declared with [`trigger!`](crate::trigger); active in every
/// dispatch.
#[doc(hidden)]
#[derive(Debug)]
pub struct TriggerSpec {
    /// Fire when this flag becomes set.
    pub when: Option<&'static str>,
    /// Fire when this flag becomes cleared.
    pub when_not: Option<&'static str>,
    /// `(action, flag)` pairs: action is `set_flag` or `clear_flag`.
    pub actions: &'static [(&'static str, &'static str)],
    /// Where it was declared.
    pub file: &'static str,
    /// Line of the declaration.
    pub line: u32,
}

inventory::collect!(TriggerSpec);

/// Declares a trigger active in every dispatch.
///
/// ```
/// reactive_core::trigger!(when: "db.available", set_flag: "db.ready", clear_flag: "db.waiting");
/// reactive_core::trigger!(when_not: "db.available", clear_flag: "db.ready");
/// ```
#[macro_export]
macro_rules! trigger {
    ($on:ident : $flag:literal, $($action:ident : $target:literal),+ $(,)?) => {
        const _: () = {
            $crate::__private::inventory::submit! {
                $crate::__private::TriggerSpec {
                    when: $crate::__trigger_on!(when, $on, $flag),
                    when_not: $crate::__trigger_on!(when_not, $on, $flag),
                    actions: &[$((stringify!($action), $target)),+],
                    file: file!(),
                    line: line!(),
                }
            }
        };
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __trigger_on {
    (when, when, $flag:literal) => {
        Some($flag)
    };
    (when_not, when_not, $flag:literal) => {
        Some($flag)
    };
    (when, when_not, $flag:literal) => {
        None
    };
    (when_not, when, $flag:literal) => {
        None
    };
}

/// A trigger registered at run time with
/// [`register_trigger`](crate::register_trigger).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    flag: String,
    on_set: bool,
    set_flags: Vec<String>,
    clear_flags: Vec<String>,
}

impl Trigger {
    /// Fires when `flag` becomes set.
    pub fn when(flag: impl Into<String>) -> Trigger {
        Trigger {
            flag: flag.into(),
            on_set: true,
            set_flags: Vec::new(),
            clear_flags: Vec::new(),
        }
    }

    /// Fires when `flag` becomes cleared.
    pub fn when_not(flag: impl Into<String>) -> Trigger {
        Trigger {
            on_set: false,
            ..Trigger::when(flag)
        }
    }

    /// Sets `flag` when the trigger fires.
    #[must_use]
    pub fn set_flag(mut self, flag: impl Into<String>) -> Trigger {
        self.set_flags.push(flag.into());
        self
    }

    /// Clears `flag` when the trigger fires.
    #[must_use]
    pub fn clear_flag(mut self, flag: impl Into<String>) -> Trigger {
        self.clear_flags.push(flag.into());
        self
    }

    pub(crate) fn validate(&self, id: &str) -> Result<(), Error> {
        check_flag(&self.flag)?;
        for f in self.set_flags.iter().chain(&self.clear_flags) {
            check_flag(f)?;
        }
        if self.set_flags.is_empty() && self.clear_flags.is_empty() {
            return Err(Error::Declaration {
                id: id.to_string(),
                reason: "a trigger needs at least one set_flag or clear_flag".into(),
            });
        }
        Ok(())
    }
}

/// What a trigger does when it fires.
#[derive(Debug, Clone, Default)]
pub(crate) struct Actions {
    pub(crate) set_flags: Vec<String>,
    pub(crate) clear_flags: Vec<String>,
}

/// Every trigger in force in a session, by flag and direction.
#[derive(Debug, Clone, Default)]
pub(crate) struct TriggerTable {
    on_set: HashMap<String, Actions>,
    on_clear: HashMap<String, Actions>,
}

impl TriggerTable {
    /// The triggers declared with [`trigger!`](crate::trigger), read from
    /// the inventory once per process.
    pub(crate) fn declared() -> Result<TriggerTable, Error> {
        static DECLARED: OnceLock<TriggerTable> = OnceLock::new();
        if let Some(t) = DECLARED.get() {
            return Ok(t.clone());
        }
        let mut t = TriggerTable::default();
        for spec in inventory::iter::<TriggerSpec> {
            t.add(spec_to_trigger(spec)?);
        }
        Ok(DECLARED.get_or_init(|| t).clone())
    }

    pub(crate) fn add(&mut self, t: Trigger) {
        let table = if t.on_set {
            &mut self.on_set
        } else {
            &mut self.on_clear
        };
        let a = table.entry(t.flag).or_default();
        for f in t.set_flags {
            if !a.set_flags.contains(&f) {
                a.set_flags.push(f);
            }
        }
        for f in t.clear_flags {
            if !a.clear_flags.contains(&f) {
                a.clear_flags.push(f);
            }
        }
    }

    /// The actions for `flag` becoming set (`set`) or cleared; cloned, since
    /// firing them changes the state that holds this table.
    pub(crate) fn actions(&self, flag: &str, set: bool) -> Option<Actions> {
        let table = if set { &self.on_set } else { &self.on_clear };
        table.get(flag).cloned()
    }
}

fn spec_to_trigger(spec: &TriggerSpec) -> Result<Trigger, Error> {
    let id = format!("trigger at {}:{}", spec.file, spec.line);
    let mut t = match (spec.when, spec.when_not) {
        (Some(f), None) => Trigger::when(f),
        (None, Some(f)) => Trigger::when_not(f),
        _ => {
            return Err(Error::Declaration {
                id,
                reason: "exactly one of `when` and `when_not` must be given".into(),
            })
        }
    };
    for (action, flag) in spec.actions {
        t = match *action {
            "set_flag" => t.set_flag(*flag),
            "clear_flag" => t.clear_flag(*flag),
            other => {
                return Err(Error::Declaration {
                    id,
                    reason: format!("unknown action `{other}` (expected set_flag or clear_flag)"),
                })
            }
        };
    }
    t.validate(&id)?;
    Ok(t)
}
