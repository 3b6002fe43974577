//! A session: one hook invocation's all-or-nothing transaction over the
//! store.
//!
//! It holds the flags as they were and as they are now, and the key-value
//! changes; [`Session::commit`] writes them as one atomic batch, and
//! dropping a session discards them. What runs the handlers over it (the
//! ambient state the free flag functions act on, the dispatcher's
//! bookkeeping, the triggers) lives in the crate-private `dispatch` module.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use crate::error::Error;
use crate::store::{Changes, Store};
use crate::trace::{Trace, FAILED_IS_LATEST_KEY, TRACE_KEY};

/// The data of a session, moved into the running dispatch while it is
/// entered (see [`crate::dispatch::enter`]).
pub(crate) struct Transaction {
    store: Store,
    hook: String,
    /// Set flags and their values, as they are now.
    flags: HashMap<String, Value>,
    /// The value before this session of every flag it touched.
    original: HashMap<String, Option<Value>>,
    /// Key-value changes over the store (`None` deletes).
    kv: BTreeMap<String, Option<Value>>,
    /// Order-independent hash of the flags and the key-value changes, kept
    /// up to date on every write so that comparing two states costs O(1)
    /// (the dispatcher's livelock detection).
    fingerprint: u128,
}

/// The hash contribution of one entry; entries combine by wrapping addition,
/// so the fingerprint does not depend on order and updates in O(1).
fn entry_hash(domain: u8, key: &str, value: &Value) -> u128 {
    let one = |seed: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (seed, domain, key, value.to_string()).hash(&mut h);
        h.finish() as u128
    };
    (one(0) << 64) | one(1)
}

impl Transaction {
    fn rehash(&mut self, domain: u8, key: &str, old: Option<&Value>, new: Option<&Value>) {
        if let Some(v) = old {
            self.fingerprint = self.fingerprint.wrapping_sub(entry_hash(domain, key, v));
        }
        if let Some(v) = new {
            self.fingerprint = self.fingerprint.wrapping_add(entry_hash(domain, key, v));
        }
    }

    fn remember_original(&mut self, flag: &str) {
        if !self.original.contains_key(flag) {
            let before = self.flags.get(flag).cloned();
            self.original.insert(flag.to_string(), before);
        }
    }

    /// The hook this session runs for.
    pub(crate) fn hook(&self) -> &str {
        &self.hook
    }

    /// Whether `flag` is set.
    pub(crate) fn is_set(&self, flag: &str) -> bool {
        self.flags.contains_key(flag)
    }

    /// The value `flag` carries, if set.
    pub(crate) fn flag_value(&self, flag: &str) -> Option<&Value> {
        self.flags.get(flag)
    }

    /// The names of the set flags, unordered.
    pub(crate) fn flag_names(&self) -> impl Iterator<Item = &String> {
        self.flags.keys()
    }

    /// Sets `flag` (replacing its value). True when it was not set before.
    pub(crate) fn set_flag(&mut self, flag: &str, value: Value) -> bool {
        self.remember_original(flag);
        let old = self.flags.insert(flag.to_string(), value);
        let new = self.flags.get(flag).cloned();
        self.rehash(0, flag, old.as_ref(), new.as_ref());
        old.is_none()
    }

    /// Clears `flag`. True when it was set before.
    pub(crate) fn clear_flag(&mut self, flag: &str) -> bool {
        if !self.flags.contains_key(flag) {
            return false;
        }
        self.remember_original(flag);
        let old = self.flags.remove(flag);
        self.rehash(0, flag, old.as_ref(), None);
        true
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
        let old = self.kv.remove(key).flatten();
        self.rehash(1, key, old.as_ref(), value.as_ref());
        self.kv.insert(key.to_string(), value);
    }

    /// The fingerprint of the flags and key-value changes now.
    pub(crate) fn fingerprint(&self) -> u128 {
        self.fingerprint
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

/// One hook invocation's transaction. See the module docs. Public (hidden)
/// for the workspace's own tests and benchmarks only.
pub struct Session {
    /// Tells this session apart from the others of the process (the
    /// dispatcher keeps its running state by session).
    id: u64,
    tx: Option<Box<Transaction>>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.tx {
            Some(s) => f
                .debug_struct("Session")
                .field("hook", &s.hook)
                .field("store", &s.store)
                .finish(),
            None => f.write_str("Session(entered)"),
        }
    }
}

impl Session {
    /// Starts a session for `hook` over `store`: loads the flags.
    pub fn begin(store: Store, hook: impl Into<String>) -> Result<Session, Error> {
        let flags: HashMap<String, Value> = store.flags()?.into_iter().collect();
        let fingerprint = flags
            .iter()
            .fold(0u128, |h, (k, v)| h.wrapping_add(entry_hash(0, k, v)));
        Ok(Session {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            tx: Some(Box::new(Transaction {
                store,
                hook: hook.into(),
                flags,
                original: HashMap::new(),
                kv: BTreeMap::new(),
                fingerprint,
            })),
        })
    }

    /// This session's id, unique in the process.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Moves the data out while the session is entered.
    pub(crate) fn take(&mut self) -> Box<Transaction> {
        match self.tx.take() {
            Some(tx) => tx,
            None => panic!("a reactive session is entered twice"),
        }
    }

    /// Puts the data back when the session is left.
    pub(crate) fn put_back(&mut self, tx: Box<Transaction>) {
        self.tx = Some(tx);
    }

    fn tx(&self) -> &Transaction {
        match &self.tx {
            Some(s) => s,
            None => unreachable!("session data is only taken while entered"),
        }
    }

    /// The hook this session runs for.
    #[must_use]
    pub(crate) fn hook(&self) -> &str {
        &self.tx().hook
    }

    /// The set flags now, sorted, with their values.
    #[must_use]
    pub fn flags(&self) -> BTreeMap<String, Value> {
        self.tx()
            .flags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// What [`Session::commit`] would write (without a trace).
    #[must_use]
    pub(crate) fn changes(&self) -> Changes {
        let s = self.tx();
        Changes {
            flags: s.flag_changes(),
            kv: s.kv.clone(),
        }
    }

    /// Writes every change of this session as one atomic batch; the flag
    /// document written is the one the session holds.
    pub fn commit(self) -> Result<(), Error> {
        self.write(None)
    }

    /// [`Session::commit`], recording `trace` (bounded, see
    /// [`crate::trace`]) as the last successful dispatch's trace in the
    /// same batch.
    pub(crate) fn commit_with_trace(self, trace: &Trace) -> Result<(), Error> {
        self.write(Some(trace))
    }

    fn write(self, trace: Option<&Trace>) -> Result<(), Error> {
        let s = self.tx();
        let mut changes = self.changes();
        let flags = (!changes.flags.is_empty()).then(|| self.flags());
        if let Some(trace) = trace {
            let trace = crate::trace::stored(trace).map_err(|source| Error::Json {
                context: "encoding the dispatch trace".into(),
                source,
            })?;
            changes.kv.insert(TRACE_KEY.to_string(), Some(trace));
            // A failed dispatch kept before this one is no longer the latest.
            changes.kv.insert(FAILED_IS_LATEST_KEY.to_string(), None);
        }
        s.store.write(flags.as_ref(), &changes.kv)?;
        Ok(())
    }

    /// The store this session reads from.
    #[must_use]
    pub(crate) fn store(&self) -> &Store {
        &self.tx().store
    }
}
