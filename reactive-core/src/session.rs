//! A session: one hook invocation's in-memory transaction over the store.
//!
//! Every flag and key-value change is held here and written to the store as
//! one atomic batch by [`Session::commit`]; dropping a session discards it.
//! While a session is *entered* it is ambient: the free functions of
//! [`crate::flags`] and [`crate::memory`] act on it, as the Python
//! framework's module-level functions do.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use serde_json::Value;

use crate::error::Error;
use crate::store::{Changes, Store};
use crate::trace::{FlagChange, Trace, TRACE_KEY};
use crate::triggers::{TriggerTable, TRIGGER_DEPTH_LIMIT};

thread_local! {
    static CURRENT: RefCell<Option<Box<State>>> = const { RefCell::new(None) };
}

/// The state of a running session.
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) hook: String,
    /// Set flags and their values, as they are now.
    pub(crate) flags: HashMap<String, Value>,
    /// The value before this session of every flag it touched.
    original: HashMap<String, Option<Value>>,
    /// Key-value changes over the store (`None` deletes).
    pub(crate) kv: BTreeMap<String, Option<Value>>,
    pub(crate) triggers: TriggerTable,
    /// Flags changed since the last [`State::take_changed`] (the Python
    /// framework's `FlagWatch` pending list).
    changed: Vec<String>,
    /// A flag was cleared (or clear was called) since the last reset: the
    /// rest of the queue must be re-tested (rule D4).
    pub(crate) removed: bool,
    /// Changes since the last [`State::take_step_changes`], for the trace.
    step_changes: Vec<FlagChange>,
    /// An error raised inside an API call that returns nothing (an invalid
    /// flag name); it fails the running handler.
    pub(crate) deferred: Option<Error>,
    /// Order-independent hash of flags and key-value changes, kept up to date
    /// on every change so livelock detection costs O(1) per iteration.
    pub(crate) state_hash: u128,
    pub(crate) trace: Trace,
    trigger_depth: usize,
}

/// The hash contribution of one entry; entries combine by wrapping addition,
/// so the state hash does not depend on order and updates in O(1).
fn entry_hash(domain: u8, key: &str, value: &Value) -> u128 {
    let one = |seed: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (seed, domain, key, value.to_string()).hash(&mut h);
        h.finish() as u128
    };
    (one(0) << 64) | one(1)
}

impl State {
    fn rehash(&mut self, domain: u8, key: &str, old: Option<&Value>, new: Option<&Value>) {
        if let Some(v) = old {
            self.state_hash = self.state_hash.wrapping_sub(entry_hash(domain, key, v));
        }
        if let Some(v) = new {
            self.state_hash = self.state_hash.wrapping_add(entry_hash(domain, key, v));
        }
    }

    fn remember_original(&mut self, flag: &str) {
        if !self.original.contains_key(flag) {
            let before = self.flags.get(flag).cloned();
            self.original.insert(flag.to_string(), before);
        }
    }

    /// Sets `flag` (replacing its value). Fires triggers on a transition.
    pub(crate) fn set_flag(&mut self, flag: &str, value: Value) {
        self.remember_original(flag);
        let old = self.flags.insert(flag.to_string(), value);
        let new = self.flags.get(flag).cloned();
        self.rehash(0, flag, old.as_ref(), new.as_ref());
        if old.is_none() {
            self.changed.push(flag.to_string());
            self.step_changes.push(FlagChange::Set(flag.to_string()));
            self.fire(flag, true);
        }
    }

    /// Clears `flag`; always asks for a re-test of the queue (rule D4).
    pub(crate) fn clear_flag(&mut self, flag: &str) {
        self.removed = true;
        if !self.flags.contains_key(flag) {
            return;
        }
        self.remember_original(flag);
        let old = self.flags.remove(flag);
        self.rehash(0, flag, old.as_ref(), None);
        self.changed.push(flag.to_string());
        self.step_changes
            .push(FlagChange::Cleared(flag.to_string()));
        self.fire(flag, false);
    }

    fn fire(&mut self, flag: &str, set: bool) {
        let Some(actions) = self.triggers.actions(flag, set) else {
            return;
        };
        self.trigger_depth += 1;
        if self.trigger_depth > TRIGGER_DEPTH_LIMIT {
            self.deferred.get_or_insert(Error::Other(format!(
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
        self.trigger_depth -= 1;
    }

    /// Reads a key-value entry, this session's changes first.
    pub(crate) fn kv_get(&self, key: &str) -> Result<Option<Value>, Error> {
        match self.kv.get(key) {
            Some(v) => Ok(v.clone()),
            None => Ok(self.store.kv_get(key)?),
        }
    }

    /// Every key-value entry under `prefix`, this session's changes applied.
    pub(crate) fn kv_prefix(&self, prefix: &str) -> Result<BTreeMap<String, Value>, Error> {
        let mut out = self.store.kv_prefix(prefix)?;
        for (k, v) in self.kv.range(prefix.to_string()..) {
            if !k.starts_with(prefix) {
                break;
            }
            match v {
                Some(v) => out.insert(k.clone(), v.clone()),
                None => out.remove(k),
            };
        }
        Ok(out)
    }

    /// Writes (or with `None` deletes) a key-value entry.
    pub(crate) fn kv_set(&mut self, key: &str, value: Option<Value>) {
        let old = self.kv.insert(key.to_string(), value.clone());
        let old = old.flatten();
        self.rehash(1, key, old.as_ref(), value.as_ref());
    }

    /// The flags changed since the last call, deduplicated.
    pub(crate) fn take_changed(&mut self) -> Vec<String> {
        let mut c = std::mem::take(&mut self.changed);
        c.sort();
        c.dedup();
        c
    }

    pub(crate) fn take_step_changes(&mut self) -> Vec<FlagChange> {
        std::mem::take(&mut self.step_changes)
    }

    /// The flag changes to write: touched flags whose value differs.
    fn flag_changes(&self) -> BTreeMap<String, Option<Value>> {
        self.original
            .iter()
            .filter_map(|(name, before)| {
                let now = self.flags.get(name);
                (now != before.as_ref()).then(|| (name.clone(), now.cloned()))
            })
            .collect()
    }
}

/// One hook invocation's transaction. See the module docs.
pub struct Session {
    state: Option<Box<State>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.state {
            Some(s) => f
                .debug_struct("Session")
                .field("hook", &s.hook)
                .field("store", &s.store)
                .finish(),
            None => f.write_str("Session(entered)"),
        }
    }
}

/// Puts the state back into its session when an `enter` ends, even by panic.
struct Restore<'a>(&'a mut Session);

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        self.0.state = CURRENT.with(|c| c.borrow_mut().take());
    }
}

impl Session {
    /// Starts a session for `hook` over `store`: loads the flags and the
    /// static triggers.
    pub fn begin(store: Store, hook: impl Into<String>) -> Result<Session, Error> {
        let flags: HashMap<String, Value> = store.flags()?.into_iter().collect();
        let state_hash = flags
            .iter()
            .fold(0u128, |h, (k, v)| h.wrapping_add(entry_hash(0, k, v)));
        let hook = hook.into();
        Ok(Session {
            state: Some(Box::new(State {
                store,
                trace: Trace {
                    hook: hook.clone(),
                    ..Trace::default()
                },
                hook,
                flags,
                original: HashMap::new(),
                kv: BTreeMap::new(),
                triggers: TriggerTable::from_inventory()?,
                changed: Vec::new(),
                removed: false,
                step_changes: Vec::new(),
                deferred: None,
                state_hash,
                trigger_depth: 0,
            })),
        })
    }

    /// Runs `f` with this session ambient, so the free functions of the flag
    /// and memory APIs act on it.
    ///
    /// # Panics
    /// If another session is already entered on this thread.
    pub fn enter<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let state = self.state.take();
        CURRENT.with(|c| {
            let mut cur = c.borrow_mut();
            assert!(
                cur.is_none(),
                "a reactive session is already entered on this thread"
            );
            *cur = state;
        });
        let _restore = Restore(self);
        f()
    }

    fn state(&self) -> &State {
        match &self.state {
            Some(s) => s,
            None => unreachable!("session state is only taken while entered"),
        }
    }

    fn state_mut(&mut self) -> &mut State {
        match &mut self.state {
            Some(s) => s,
            None => unreachable!("session state is only taken while entered"),
        }
    }

    /// The hook this session runs for.
    pub fn hook(&self) -> &str {
        &self.state().hook
    }

    /// The set flags now, sorted, with their values.
    pub fn flags(&self) -> BTreeMap<String, Value> {
        self.state()
            .flags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.state().trace
    }

    /// The trace, to add to (the runtime records hook-tool calls in it).
    pub fn trace_mut(&mut self) -> &mut Trace {
        &mut self.state_mut().trace
    }

    /// What [`Session::commit`] would write (without the trace).
    pub fn changes(&self) -> Changes {
        let s = self.state();
        Changes {
            flags: s.flag_changes(),
            kv: s.kv.clone(),
        }
    }

    /// Writes every change of this session, and its trace, as one atomic
    /// batch. Returns what was written.
    pub fn commit(self) -> Result<Changes, Error> {
        let s = self.state();
        let mut changes = self.changes();
        let trace = serde_json::to_value(&s.trace).map_err(|source| Error::Json {
            context: "encoding the dispatch trace".into(),
            source,
        })?;
        changes.kv.insert(TRACE_KEY.to_string(), Some(trace));
        s.store.commit(&changes)?;
        changes.kv.remove(TRACE_KEY);
        Ok(changes)
    }

    /// The store this session reads from.
    pub fn store(&self) -> &Store {
        &self.state().store
    }
}

/// Runs `f` on the ambient session; `api` names the caller for the error.
pub(crate) fn with_state<R>(
    api: &'static str,
    f: impl FnOnce(&mut State) -> R,
) -> Result<R, Error> {
    CURRENT.with(|c| match c.try_borrow_mut() {
        Ok(mut cur) => match cur.as_deref_mut() {
            Some(s) => Ok(f(s)),
            None => Err(Error::NoDispatch(api)),
        },
        Err(_) => Err(Error::Other(format!(
            "{api} called re-entrantly from inside the engine"
        ))),
    })
}

/// True while a session is entered on this thread.
pub fn in_session() -> bool {
    CURRENT.with(|c| c.try_borrow().map(|s| s.is_some()).unwrap_or(true))
}
