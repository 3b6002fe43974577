//! Secrets in a unit test's [`State`]: ones the unit's application owns and
//! ones another application granted it, and the secret hooks.
//!
//! ```
//! use reactive_core::hookenv::{self, SecretRead, SecretRef};
//! use reactive_core::testing::{Hook, Secret, State};
//! use reactive_core::{Predicate, HandlerDef};
//!
//! let uri = "secret:cqe5hs8pq8r4iaj2ntag";
//! let read = HandlerDef::new("charm.rs", 1, "read", vec![Predicate::Hook(vec!["secret-changed".into()])], |_| {
//!     let event = hookenv::secret_event().expect("a secret hook");
//!     let content = hookenv::secret_get(SecretRef::Uri(&event.uri), SecretRead::Refresh)?;
//!     hookenv::log(format!("password is now {}", content["password"]));
//!     Ok(())
//! });
//! let granted = Secret::new(uri, [("password", "one")]).with_revision([("password", "two")]);
//! let state = State {
//!     secrets: vec![Secret { owner: None, tracked: Some(1), ..granted }],
//!     ..State::default()
//! };
//! let out = state.run_handlers(vec![read], Hook::secret("secret-changed", uri, None));
//! assert_eq!(out.error_message(), None);
//! assert!(out.logs.iter().any(|(_, line)| line.contains("password is now two")));
//! assert_eq!(out.state.secret(uri).unwrap().tracked, Some(2));
//! ```

use std::collections::{BTreeMap, BTreeSet};

use super::{Hook, State};
use crate::hookenv::{SecretContent, SecretEvent, SecretOwner};

/// One secret the unit under test can see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secret {
    /// `secret:<id>`.
    pub uri: String,
    /// Owned by this unit's application (or, with [`SecretOwner::Unit`],
    /// by this unit); `None`: owned elsewhere and granted to this unit.
    pub owner: Option<SecretOwner>,
    /// The label this unit knows it by (the owner's label for an owner).
    pub label: Option<String>,
    /// `--description`.
    pub description: Option<String>,
    /// `--expire`.
    pub expire: Option<String>,
    /// `--rotate`.
    pub rotate: Option<String>,
    /// The revisions kept, by number.
    pub revisions: BTreeMap<u32, SecretContent>,
    /// The revision a consumer tracks (`None` before its first read).
    pub tracked: Option<u32>,
    /// Grants by relation id: the units it is granted to, empty for the
    /// whole remote application.
    pub grants: BTreeMap<String, BTreeSet<String>>,
}

fn content<K: Into<String>, V: ToString>(items: impl IntoIterator<Item = (K, V)>) -> SecretContent {
    items
        .into_iter()
        .map(|(k, v)| (k.into(), v.to_string()))
        .collect()
}

impl Secret {
    /// The latest revision's number, 0 when none is left.
    pub(crate) fn latest(&self) -> u32 {
        self.revisions.keys().next_back().copied().unwrap_or(0)
    }

    /// The content of the revision this unit reads now (the latest for an
    /// owner, the tracked one for a consumer).
    #[must_use]
    pub fn content(&self) -> Option<&SecretContent> {
        let revision = match self.owner {
            Some(_) => self.latest(),
            None => self.tracked.unwrap_or(self.latest()),
        };
        self.revisions.get(&revision)
    }

    /// Secret `uri`, its first revision holding `items`, owned by this
    /// unit's application; one another application owns and granted to
    /// this unit has no owner:
    /// `Secret { owner: None, ..Secret::new(uri, items) }`.
    pub fn new<K: Into<String>, V: ToString>(
        uri: impl Into<String>,
        items: impl IntoIterator<Item = (K, V)>,
    ) -> Secret {
        Secret {
            uri: uri.into(),
            owner: Some(SecretOwner::Application),
            revisions: BTreeMap::from([(1, content(items))]),
            ..Secret::default()
        }
    }

    /// Adds the next revision, holding `items`.
    #[must_use]
    pub fn with_revision<K: Into<String>, V: ToString>(
        mut self,
        items: impl IntoIterator<Item = (K, V)>,
    ) -> Secret {
        let next = self.latest() + 1;
        self.revisions.insert(next, content(items));
        self
    }
}

impl State {
    /// The secret with URI (or id) `uri`.
    #[must_use]
    pub fn secret(&self, uri: &str) -> Option<&Secret> {
        let id = crate::hookenv::secret_id(uri);
        self.secrets
            .iter()
            .find(|s| crate::hookenv::secret_id(&s.uri) == id)
    }
}

impl Hook {
    /// Secret hook `name` (`secret-changed` on a consumer: a new revision
    /// is out; `secret-rotate`, `secret-expired`, `secret-remove` on the
    /// owner) for secret `uri`, known by `label`. The revision that
    /// `secret-expired` and `secret-remove` name goes in
    /// `hook.secret`'s `revision`.
    #[must_use]
    pub fn secret(name: &str, uri: &str, label: Option<&str>) -> Hook {
        Hook {
            secret: Some(SecretEvent {
                uri: uri.to_string(),
                label: label.map(str::to_string),
                revision: None,
            }),
            ..Hook::new(name)
        }
    }
}
