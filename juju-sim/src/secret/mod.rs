//! Secrets as Juju 3 keeps them: an owner (an application, whose leader
//! manages it, or one unit), numbered revisions of base64-encoded content,
//! an owner label and a label per consumer, grants per relation, and the
//! revision each consumer tracks.
//!
//! The store travels in the hook context: the tools change a copy, and the
//! simulator keeps it only when the hook succeeds (`model/secrets.rs`
//! queues the hooks that follow).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

mod store;

/// Content of one revision: keys to base64-encoded values.
pub type Content = BTreeMap<String, String>;

/// Every secret of the model, by id (the 20 characters after `secret:`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretStore {
    /// The secrets, by id.
    pub secrets: BTreeMap<String, Secret>,
    /// Secrets created so far (the next id derives from it).
    pub created: u64,
}

/// One secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    /// The owner: an application name, or a unit name when `unit_owned`.
    pub owner: String,
    /// Owned by one unit (`secret-add --owner unit`).
    pub unit_owned: bool,
    /// The owner's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `--description`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `--rotate`: never, hourly, daily, weekly, monthly, quarterly, yearly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate: Option<String>,
    /// `--expire`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire: Option<String>,
    /// The revisions still kept, by number (the first is 1).
    pub revisions: BTreeMap<u32, Content>,
    /// The latest revision number.
    pub latest: u32,
    /// Grants by relation id.
    #[serde(default)]
    pub grants: BTreeMap<u32, Grant>,
    /// Units that have read the secret: the revision each tracks, its label.
    #[serde(default)]
    pub consumers: BTreeMap<String, Consumer>,
    /// Revisions the owner was told no consumer tracks (`secret-remove`).
    #[serde(default)]
    pub obsolete_notified: BTreeSet<u32>,
}

/// Access granted over one relation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The remote application.
    pub app: String,
    /// Only these units (`--unit`); empty: every unit of `app`.
    #[serde(default)]
    pub units: BTreeSet<String>,
}

/// A unit that read a secret it does not own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    /// The revision `secret-get` answers with until `--refresh`.
    pub revision: u32,
    /// The consumer's label (`secret-get <ID> --label`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Who asks: a unit, its application, whether it leads it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The unit (`kafka/0`).
    pub unit: String,
    /// Its application.
    pub app: String,
    /// Whether it is the leader.
    pub leader: bool,
}

/// Why a secret operation is refused (the message Juju prints).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No such secret (or not visible to the caller).
    #[error("secret {0:?} not found")]
    NotFound(String),
    /// Not the owner, or not the leader of the owning application.
    #[error("permission denied")]
    PermissionDenied,
    /// An owner label already used by another secret of the owner.
    #[error("secret with label {0:?} already exists")]
    LabelTaken(String),
    /// No such revision.
    #[error("secret revision {1} for {0:?} not found")]
    NoRevision(String, u32),
}

/// `secret:<id>`, the URI form Juju prints.
pub fn uri(id: &str) -> String {
    format!("secret:{id}")
}

/// The id in `secret:<id>`, `secret://<model>/<id>` or a bare id, as
/// `core/secrets` `ParseURI` reads them; `None` if it is none of these.
pub fn parse_uri(text: &str) -> Option<String> {
    let id = match text.strip_prefix("secret:") {
        Some(rest) => match rest.strip_prefix("//") {
            Some(path) => path.rsplit('/').next().unwrap_or_default(),
            None => rest,
        },
        None => text,
    };
    // An xid: 20 characters of base32hex, lower case.
    let valid = id.len() == 20 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'v'));
    valid.then(|| id.to_string())
}

impl Secret {
    /// Whether `caller` owns it (for an application-owned secret, any unit
    /// of the application; managing it takes the leader).
    pub fn owned_by(&self, caller: &Caller) -> bool {
        if self.unit_owned {
            self.owner == caller.unit
        } else {
            self.owner == caller.app
        }
    }

    /// Whether `caller` may change it.
    pub fn manageable_by(&self, caller: &Caller) -> bool {
        self.owned_by(caller) && (self.unit_owned || caller.leader)
    }

    /// Whether a grant over a relation in `live` covers `unit`.
    pub fn granted_to(&self, unit: &str, live: &BTreeSet<u32>) -> bool {
        let app = unit.split('/').next().unwrap_or(unit);
        self.grants.iter().any(|(id, g)| {
            live.contains(id) && g.app == app && (g.units.is_empty() || g.units.contains(unit))
        })
    }

    /// Revisions older than the latest that no consumer tracks.
    pub fn obsolete(&self) -> Vec<u32> {
        self.revisions
            .keys()
            .copied()
            .filter(|r| *r != self.latest)
            .filter(|r| !self.consumers.values().any(|c| c.revision == *r))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `core/secrets/secret.go` `ParseURI`: `secret:ID`, `secret://model/ID`.
    #[test]
    fn uris_as_juju_parses_them() {
        let id = "9m4e2mr0ui3e8a215n4g";
        assert_eq!(parse_uri(&uri(id)).as_deref(), Some(id));
        assert_eq!(
            parse_uri(&format!("secret://abc-123/{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(parse_uri(id).as_deref(), Some(id));
        assert_eq!(parse_uri("secret:nope"), None);
        assert_eq!(parse_uri("secret:9M4E2MR0UI3E8A215N4G"), None);
    }

    #[test]
    fn consumers_track_their_revision_until_refresh() {
        let owner = Caller {
            unit: "db/0".into(),
            app: "db".into(),
            leader: true,
        };
        let reader = Caller {
            unit: "web/1".into(),
            app: "web".into(),
            leader: false,
        };
        let mut store = SecretStore::default();
        let secret = Secret {
            owner: "db".into(),
            ..Secret::default()
        };
        let content = |v: &str| Content::from([("pass".to_string(), v.to_string())]);
        let id = store.add("uuid", secret, content("one")).unwrap();
        assert!(parse_uri(&id).is_some());
        let live = BTreeSet::from([4]);
        let get =
            |s: &mut SecretStore, refresh, peek| s.get(&reader, &live, &id, None, refresh, peek);
        assert_eq!(
            get(&mut store, false, false),
            Err(SecretError::PermissionDenied)
        );
        store.secrets.get_mut(&id).unwrap().grants.insert(
            4,
            Grant {
                app: "web".into(),
                units: BTreeSet::new(),
            },
        );
        assert_eq!(get(&mut store, false, false).unwrap(), content("one"));
        assert_eq!(store.new_revision(&owner, &id, content("two")), Ok(2));
        assert_eq!(store.secrets[&id].obsolete(), Vec::<u32>::new());
        assert_eq!(get(&mut store, false, false).unwrap(), content("one"));
        assert_eq!(get(&mut store, false, true).unwrap(), content("two"));
        assert_eq!(get(&mut store, true, false).unwrap(), content("two"));
        assert_eq!(store.secrets[&id].obsolete(), vec![1]);
        // A follower cannot manage an application's secret.
        let follower = Caller {
            unit: "db/1".into(),
            app: "db".into(),
            leader: false,
        };
        assert_eq!(
            store.new_revision(&follower, &id, content("x")),
            Err(SecretError::PermissionDenied)
        );
        store.prune_grants(&BTreeSet::new());
        assert_eq!(
            get(&mut store, false, false),
            Err(SecretError::PermissionDenied)
        );
    }
}
