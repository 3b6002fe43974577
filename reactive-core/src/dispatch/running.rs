//! The running hook: the session entered on this thread, with the
//! triggers in force and the dispatcher's watch. The free functions of
//! [`mod@crate::flags`] and [`crate::unitdata`] act on it, as the Python
//! framework's module-level functions do.
//!
//! The running state outlives one [`enter`]: a session entered again (the
//! runtime enters it for the automatic flags, the endpoints, the dispatch
//! and the end of the hook) finds the triggers registered and the changes
//! watched before.

use std::cell::RefCell;

use serde_json::Value;

use super::watch::Watch;
use crate::error::Error;
use crate::session::{Session, Transaction};
use crate::triggers::{Trigger, TriggerTable, TRIGGER_DEPTH_LIMIT};

thread_local! {
    static CURRENT: RefCell<Option<Running>> = const { RefCell::new(None) };
    /// The running state of the session entered last, while it is not.
    static PARKED: RefCell<Option<(u64, Box<Kept>)>> = const { RefCell::new(None) };
}

/// What a running hook keeps between two entries of its session. Boxed, so
/// that entering and leaving a session (once per queue test in the
/// benchmarks) moves two pointers, not the tables.
pub(crate) struct Kept {
    triggers: TriggerTable,
    pub(crate) watch: Watch,
    /// The first error of an API call that returns nothing (an invalid flag
    /// name); it fails the running handler.
    failure: Option<Error>,
    trigger_depth: usize,
}

/// The state the free functions act on while a session is entered.
pub(crate) struct Running {
    pub(crate) tx: Box<Transaction>,
    pub(crate) kept: Box<Kept>,
}

impl Running {
    /// Sets `flag`; fires the triggers on a transition.
    pub(crate) fn set_flag(&mut self, flag: &str, value: Value) {
        if self.tx.set_flag(flag, value) {
            self.kept.watch.changed(flag, true);
            self.fire(flag, true);
        }
    }

    /// Clears `flag`; fires the triggers on a transition. Always asks for a
    /// re-test of the queue (rule D4).
    pub(crate) fn clear_flag(&mut self, flag: &str) {
        self.kept.watch.clear_called();
        if self.tx.clear_flag(flag) {
            self.kept.watch.changed(flag, false);
            self.fire(flag, false);
        }
    }

    fn fire(&mut self, flag: &str, set: bool) {
        let Some(actions) = self.kept.triggers.actions(flag, set) else {
            return;
        };
        self.kept.trigger_depth += 1;
        if self.kept.trigger_depth > TRIGGER_DEPTH_LIMIT {
            self.fail(Error::Other(format!(
                "triggers chained more than {TRIGGER_DEPTH_LIMIT} deep at flag {flag:?}: \
                 the triggers form a cycle"
            )));
        } else {
            for f in &actions.set_flags {
                self.set_flag(f, Value::Null);
            }
            for f in &actions.clear_flags {
                self.clear_flag(f);
            }
        }
        self.kept.trigger_depth -= 1;
    }

    /// Adds a trigger for the rest of the hook.
    pub(crate) fn add_trigger(&mut self, trigger: Trigger) {
        self.kept.triggers.add(trigger);
    }

    /// Records `error` to fail the running handler (the first one wins).
    pub(crate) fn fail(&mut self, error: Error) {
        self.kept.failure.get_or_insert(error);
    }

    /// The recorded failure, if any; resets it.
    pub(crate) fn take_failure(&mut self) -> Option<Error> {
        self.kept.failure.take()
    }
}

/// Puts the session's data back and parks the running state when an
/// `enter` ends, even by panic.
struct Leave<'a> {
    session: &'a mut Session,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        let Some(r) = CURRENT.with(|c| c.borrow_mut().take()) else {
            return;
        };
        let Running { tx, kept } = r;
        let id = self.session.id();
        self.session.put_back(tx);
        PARKED.with(|p| *p.borrow_mut() = Some((id, kept)));
    }
}

/// Runs `f` with `session` entered on this thread, so the free functions of
/// the flag and key-value APIs act on it.
///
/// # Panics
/// If another session is already entered on this thread.
pub fn enter<R>(session: &mut Session, f: impl FnOnce() -> R) -> Result<R, Error> {
    let id = session.id();
    let parked = PARKED.with(|p| match p.borrow_mut().take() {
        Some((parked_id, parked)) if parked_id == id => Some(parked),
        _ => None,
    });
    let mut kept = match parked {
        Some(p) => p,
        None => Box::new(Kept {
            triggers: TriggerTable::declared()?,
            watch: Watch::default(),
            failure: None,
            trigger_depth: 0,
        }),
    };
    kept.failure = None;
    kept.trigger_depth = 0;
    let tx = session.take();
    CURRENT.with(|c| {
        let mut cur = c.borrow_mut();
        assert!(
            cur.is_none(),
            "a reactive session is already entered on this thread"
        );
        *cur = Some(Running { tx, kept });
    });
    let _leave = Leave { session };
    Ok(f())
}

/// Runs `f` on the running hook; `api` names the caller for the error.
pub(crate) fn with_running<R>(
    api: &'static str,
    f: impl FnOnce(&mut Running) -> R,
) -> Result<R, Error> {
    CURRENT.with(|c| match c.try_borrow_mut() {
        Ok(mut cur) => match cur.as_mut() {
            Some(s) => Ok(f(s)),
            None => Err(Error::NoDispatch(api)),
        },
        Err(_) => Err(Error::Other(format!(
            "{api} called re-entrantly from inside the engine"
        ))),
    })
}

/// True while a session is entered on this thread.
pub(crate) fn is_running() -> bool {
    CURRENT.with(|c| c.try_borrow().map(|s| s.is_some()).unwrap_or(true))
}
