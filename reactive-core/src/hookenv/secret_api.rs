//! The secret functions of the hook environment: add, read, update, share
//! and remove Juju 3 secrets, and the secret a secret hook is about.
//!
//! Juju applies what the `secret-*` tools change only when the hook
//! succeeds (as it does relation settings), so these calls go to the tools
//! at once: a failed hook leaves no secret behind. Reads are not cached:
//! `--refresh` and `--peek` change what the next read answers.
//!
//! ```no_run
//! use reactive_core::hookenv::{self, SecretOptions, SecretRead, SecretRef};
//!
//! fn share_password(rid: &str) -> reactive_core::Result {
//!     let uri = hookenv::secret_add(
//!         [("username", "app"), ("password", "s3cret")],
//!         &SecretOptions {
//!             label: Some("app-credentials".into()),
//!             ..SecretOptions::default()
//!         },
//!     )?;
//!     hookenv::secret_grant(&uri, Some(rid), None)?;
//!     hookenv::relation_set(Some(rid), [("secret-user", &uri)])?;
//!     Ok(())
//! }
//!
//! fn read_password(uri: &str) -> reactive_core::Result<Option<String>> {
//!     let mut content = hookenv::secret_get(SecretRef::Uri(uri), SecretRead::Refresh)?;
//!     Ok(content.remove("password"))
//! }
//! ```

use super::api::rid_of;
use super::current::with_env;
use super::error::HookError;
use super::secret::{secret_id, valid_key, SecretContent, SecretOptions};

fn content<K: Into<String>, V: ToString>(
    api: &'static str,
    items: impl IntoIterator<Item = (K, V)>,
) -> Result<SecretContent, HookError> {
    let mut out = SecretContent::new();
    for (k, v) in items {
        let k: String = k.into();
        if !valid_key(&k) {
            return Err(HookError::InvalidArgument {
                api,
                reason: format!(
                    "secret key {k:?} not valid: Juju takes a lower-case letter, then at \
                     least two lower-case letters, digits or single dashes"
                ),
            });
        }
        out.insert(k, v.to_string());
    }
    Ok(out)
}

/// Adds a secret owned by the application (only the leader may), or with
/// `options.owner` [`Unit`](super::SecretOwner::Unit) by this unit; returns
/// its URI. The content must not be empty.
pub fn secret_add<K: Into<String>, V: ToString>(
    items: impl IntoIterator<Item = (K, V)>,
    options: &SecretOptions,
) -> Result<String, HookError> {
    let c = content("secret_add", items)?;
    with_env("secret_add", |env| env.tools().secret_add(&c, options))
}

/// Publishes a new revision of an owned secret with `items` (none: only
/// the metadata in `options` changes).
pub fn secret_set<K: Into<String>, V: ToString>(
    uri: &str,
    items: impl IntoIterator<Item = (K, V)>,
    options: &SecretOptions,
) -> Result<(), HookError> {
    let c = content("secret_set", items)?;
    with_env("secret_set", |env| env.tools().secret_set(uri, &c, options))
}

/// Grants an owned secret to the remote application of relation `rid`
/// (default: the current relation), or to one of its units.
pub fn secret_grant(uri: &str, rid: Option<&str>, unit: Option<&str>) -> Result<(), HookError> {
    with_env("secret_grant", |env| {
        let rid = rid_of(env, "secret_grant", rid)?;
        env.tools().secret_grant(uri, &rid, unit)
    })
}

/// Revokes a grant over relation `rid`, or to `unit`; with neither, over
/// the current relation.
pub fn secret_revoke(uri: &str, rid: Option<&str>, unit: Option<&str>) -> Result<(), HookError> {
    with_env("secret_revoke", |env| {
        let rid = match (rid, unit) {
            (None, Some(_)) => None,
            _ => Some(rid_of(env, "secret_revoke", rid)?),
        };
        env.tools().secret_revoke(uri, rid.as_deref(), unit)
    })
}

/// The URIs (`secret:<id>`) of the secrets this unit or its application
/// owns.
pub fn secret_ids() -> Result<Vec<String>, HookError> {
    with_env("secret_ids", |env| {
        let ids = env.tools().secret_ids()?;
        Ok(ids
            .iter()
            .map(|id| format!("secret:{}", secret_id(id)))
            .collect())
    })
}
