//! Conversations: the persistent exchange between this unit and a group of
//! remote units, grouped by the relation type's [`Scope`].

use std::collections::BTreeSet;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::endpoints::RelatedUnit;
use crate::error::check_flag;
use crate::error::{BadRemoteValue, Error};
use crate::flags::{clear_flag, get_flag_value, set_flag_value};
use crate::hookenv;
use crate::unitdata::kv;

/// Key prefix of stored conversations (the Python framework's).
pub(crate) const CONVERSATIONS_PREFIX: &str = "reactive.conversations.";

/// How remote units are grouped into conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One conversation for every remote unit of every relation id of the
    /// relation name.
    Global,
    /// One conversation per remote application (per relation id).
    Service,
    /// One conversation per remote unit (the default).
    Unit,
}

/// A conversation, as stored under `reactive.conversations.<namespace>.<scope>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// The relation id (`kafka:3`), or the relation name for [`Scope::Global`].
    pub namespace: String,
    /// The scope key: the remote unit, the remote application, or `global`.
    pub scope: String,
    /// The remote units in this conversation.
    pub units: BTreeSet<String>,
}

/// The value a relation flag carries: which relation and which
/// conversations hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FlagHolders {
    pub(crate) relation: String,
    pub(crate) conversations: Vec<String>,
}

impl FlagHolders {
    /// The holders recorded in `flag`'s value, if it is a relation flag.
    pub(crate) fn of(flag: &str) -> Option<FlagHolders> {
        get_flag_value(flag).and_then(|v| serde_json::from_value(v).ok())
    }
}

impl Conversation {
    /// The key this conversation is stored under.
    pub(crate) fn key(&self) -> String {
        Conversation::key_of(&self.namespace, &self.scope)
    }

    /// The key of the conversation with `namespace` and `scope`.
    pub(crate) fn key_of(namespace: &str, scope: &str) -> String {
        format!("{CONVERSATIONS_PREFIX}{namespace}.{scope}")
    }

    /// The relation name (`kafka`).
    pub(crate) fn relation_name(&self) -> &str {
        self.namespace.split(':').next().unwrap_or(&self.namespace)
    }

    /// Loads the conversation stored under `key`.
    pub(crate) fn load(key: &str) -> Result<Option<Conversation>, Error> {
        kv().get(key)
    }

    pub(crate) fn save(&self) -> Result<(), Error> {
        if self.units.is_empty() {
            kv().unset(&self.key())
        } else {
            kv().set(&self.key(), self)
        }
    }

    /// The namespace and scope key of the running relation hook's remote
    /// unit under `scope`; `None` outside a relation hook.
    pub(crate) fn current_key(scope: Scope) -> Option<(String, String)> {
        let relation = hookenv::relation_type()?;
        let rid = hookenv::relation_id().unwrap_or_else(|| relation.clone());
        let unit = hookenv::remote_unit().unwrap_or_default();
        let app = hookenv::remote_app()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| unit.split('/').next().unwrap_or_default().to_string());
        Some(match scope {
            Scope::Global => (relation, "global".to_string()),
            Scope::Service => (rid, app),
            Scope::Unit => (rid, unit),
        })
    }

    /// The conversation of the running relation hook under `scope`, with the
    /// current remote unit added (and saved).
    pub(crate) fn join(scope: Scope) -> Result<Conversation, Error> {
        let (namespace, scope_key) =
            Conversation::current_key(scope).ok_or_else(|| Error::Conversation {
                relation: "?".into(),
                reason: "a conversation can only be joined in a relation hook".into(),
            })?;
        let key = Conversation::key_of(&namespace, &scope_key);
        let mut conv = Conversation::load(&key)?.unwrap_or(Conversation {
            namespace,
            scope: scope_key,
            units: BTreeSet::new(),
        });
        if let Some(u) = hookenv::remote_unit().filter(|u| !u.is_empty()) {
            if conv.units.insert(u) {
                conv.save()?;
            }
        }
        Ok(conv)
    }

    /// The relation ids this conversation speaks on.
    fn relation_ids(&self) -> Result<Vec<String>, Error> {
        if self.namespace.contains(':') {
            Ok(vec![self.namespace.clone()])
        } else {
            Ok(hookenv::relation_ids(Some(&self.namespace))?)
        }
    }

    fn expand(&self, flag: &str) -> Result<String, Error> {
        let f = crate::predicates::expand_flag(flag, self.relation_name());
        check_flag(&f)?;
        Ok(f)
    }

    /// Sets `flag` (`{relation_name}` expanded) and records this
    /// conversation as one that holds it.
    pub fn set_state(&self, flag: &str) -> Result<(), Error> {
        let flag = self.expand(flag)?;
        let mut holders = FlagHolders::of(&flag).unwrap_or(FlagHolders {
            relation: self.relation_name().to_string(),
            conversations: Vec::new(),
        });
        let key = self.key();
        if !holders.conversations.contains(&key) {
            holders.conversations.push(key);
        }
        set_flag_value(&flag, &holders);
        Ok(())
    }

    /// Removes this conversation from `flag`; clears the flag when no
    /// conversation holds it any more.
    pub fn remove_state(&self, flag: &str) -> Result<(), Error> {
        let flag = self.expand(flag)?;
        release(&flag, &self.key());
        Ok(())
    }

    /// Publishes `key=value` to the remote side on every relation id of
    /// this conversation.
    #[allow(clippy::needless_pass_by_value)] // any `ToString` value, as charmhelpers takes any value
    pub fn set_remote(&self, key: &str, value: impl ToString) -> Result<(), Error> {
        let value = value.to_string();
        for rid in self.relation_ids()? {
            hookenv::relation_set(Some(&rid), [(key, value.as_str())])?;
        }
        Ok(())
    }

    /// The remote units of this conversation in scope on `rid`, including the
    /// unit departing in a `-relation-departed` hook (Juju no longer lists it).
    fn units_on(&self, rid: &str) -> Result<Vec<String>, Error> {
        let mut units = hookenv::related_units(Some(rid))?;
        if hookenv::hook_name().ends_with("-relation-departed")
            && hookenv::relation_id().as_deref() == Some(rid)
        {
            if let Some(u) = hookenv::remote_unit() {
                if !units.contains(&u) {
                    units.push(u);
                }
            }
        }
        units.retain(|u| self.units.contains(u));
        Ok(units)
    }

    /// The first non-empty value of `key` among the remote units of this
    /// conversation, parsed as a `T` (a `String` is the text itself);
    /// `None` when no unit published it, an error naming the relation id,
    /// the unit and the key when it does not parse.
    pub fn get_remote<T: FromStr>(&self, key: &str) -> Result<Option<T>, Error> {
        match self.get_remote_with_unit(key)? {
            None => Ok(None),
            Some((rid, unit, v)) => v.parse().map(Some).map_err(|_| {
                Error::from(BadRemoteValue {
                    relation_id: rid,
                    unit,
                    key: key.to_string(),
                    value: v,
                    expected: std::any::type_name::<T>().to_string(),
                })
            }),
        }
    }

    /// `(relation id, unit, value)` of the first unit that published `key`.
    fn get_remote_with_unit(&self, key: &str) -> Result<Option<(String, String, String)>, Error> {
        for rid in self.relation_ids()? {
            for unit in self.units_on(&rid)? {
                if let Some(v) = hookenv::relation_get(key, Some(&unit), Some(&rid))? {
                    if !v.is_empty() {
                        return Ok(Some((rid, unit, v)));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Every remote unit of this conversation in scope now (with, in a
    /// `-relation-departed` hook, the departing one), by relation id; what
    /// each published is read through
    /// [`RemoteData`](crate::endpoints::RemoteData).
    pub fn remote_units(&self) -> Result<Vec<RelatedUnit>, Error> {
        let mut out = Vec::new();
        for rid in self.relation_ids()? {
            for unit in self.units_on(&rid)? {
                out.push(RelatedUnit::new(&rid, unit, None));
            }
        }
        Ok(out)
    }

    /// Stores `value` under `key` in this conversation's local memory.
    pub fn set_local<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), Error> {
        kv().set(&format!("{}.local-data.{key}", self.key()), value)
    }

    /// A value stored with [`Conversation::set_local`].
    pub fn get_local<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        kv().get(&format!("{}.local-data.{key}", self.key()))
    }

    /// Removes `unit` (leaving the relation) and saves; a conversation left
    /// with no unit is dropped, its local memory too, and it is removed from
    /// every flag it held, so a flag stays set only while some remaining
    /// conversation holds it.
    pub(crate) fn depart(mut self, unit: &str) -> Result<(), Error> {
        if !self.units.remove(unit) {
            return Ok(());
        }
        self.save()?;
        if self.units.is_empty() {
            kv().unset_prefix(&format!("{}.local-data.", self.key()))?;
            for flag in crate::flags::get_flags() {
                if FlagHolders::of(&flag).is_some_and(|h| h.relation == self.relation_name()) {
                    release(&flag, &self.key());
                }
            }
        }
        Ok(())
    }
}

/// Removes `key` from `flag`'s holders, clearing the flag if none remain.
fn release(flag: &str, key: &str) {
    let Some(mut holders) = FlagHolders::of(flag) else {
        return;
    };
    holders.conversations.retain(|k| k != key);
    if holders.conversations.is_empty() {
        clear_flag(flag);
    } else {
        set_flag_value(flag, &json!(holders));
    }
}

/// Every stored conversation of relation `name`.
pub(crate) fn stored(name: &str) -> Result<Vec<Conversation>, Error> {
    let mut out = Vec::new();
    for (_, v) in kv().get_prefix(CONVERSATIONS_PREFIX)? {
        if let Ok(c) = serde_json::from_value::<Conversation>(v) {
            if c.relation_name() == name {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// Loads the conversations stored under `keys`, skipping dropped ones.
pub(crate) fn load_all(keys: &[String]) -> Result<Vec<Conversation>, Error> {
    let mut out = Vec::new();
    for k in keys {
        if let Some(c) = Conversation::load(k)? {
            out.push(c);
        }
    }
    Ok(out)
}
