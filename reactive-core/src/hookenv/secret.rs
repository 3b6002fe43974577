//! Juju 3 secrets: the types the `secret-*` hook tools take and return,
//! and their command lines (as Juju's
//! `worker/uniter/runner/jujuc/secret-{add,get,set,grant,revoke,remove,ids,info-get}.go`
//! define their flags).
//!
//! Content never appears on a command line: each value travels in a file
//! of its own (`key#file=<path>`, as `cmd/juju/secrets` reads content), so
//! no other process can read it from `ps`, and the dispatch trace records
//! only `key#file=…`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::tool_call::ToolCall;

/// The content of one secret revision: keys to values. Juju accepts keys of
/// at least three characters, lower-case letters, digits and single dashes,
/// starting with a letter.
pub type SecretContent = BTreeMap<String, String>;

/// Who owns a secret: its application (managed by the leader) or one unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretOwner {
    /// The application; only its leader may change it.
    #[default]
    Application,
    /// The unit that added it.
    Unit,
}

impl SecretOwner {
    /// The word `secret-add --owner` takes and `secret-info-get` prints.
    #[must_use]
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SecretOwner::Application => "application",
            SecretOwner::Unit => "unit",
        }
    }
}

/// Which revision `secret-get` reads, for a consumer (the owner always
/// reads the latest).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SecretRead {
    /// The revision this unit tracks (the first read tracks the latest).
    #[default]
    Tracked,
    /// `--peek`: the latest revision, still tracking the old one.
    Peek,
    /// `--refresh`: the latest revision, tracked from now on.
    Refresh,
}

/// The metadata `secret-add` and `secret-set` can set; `None` leaves a
/// field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretOptions {
    /// `--label`: the owner's name for the secret (unique per owner).
    pub label: Option<String>,
    /// `--description`.
    pub description: Option<String>,
    /// `--expire`: a duration (`24h`) or an RFC 3339 time.
    pub expire: Option<String>,
    /// `--rotate`: `never`, `hourly`, `daily`, `weekly`, `monthly`,
    /// `quarterly` or `yearly`.
    pub rotate: Option<String>,
    /// `--owner` (`secret-add` only): default the application.
    pub owner: Option<SecretOwner>,
}

/// What `secret-info-get` tells the owner about a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretInfo {
    /// The secret's id (the 20 characters after `secret:`).
    #[serde(default)]
    pub id: String,
    /// The latest revision.
    pub revision: u32,
    /// The owner's label (empty when none).
    #[serde(default)]
    pub label: String,
    /// Who owns it.
    pub owner: SecretOwner,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its rotation policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<String>,
    /// When the latest revision expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// When it is next rotated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotates: Option<String>,
}

/// The secret a secret hook is about (`JUJU_SECRET_ID`,
/// `JUJU_SECRET_LABEL`, `JUJU_SECRET_REVISION`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretEvent {
    /// The secret's URI (`secret:<id>`).
    pub uri: String,
    /// The label this unit knows it by, if any.
    pub label: Option<String>,
    /// The revision (`secret-remove`, `secret-expired`).
    pub revision: Option<u32>,
}

/// How a secret is named on a command line: by URI, by label, or by URI
/// setting the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretRef<'a> {
    /// `secret:<id>` (or the bare id).
    Uri(&'a str),
    /// The label this unit gave it.
    Label(&'a str),
    /// By URI, giving it a label (a consumer's label, or the owner's).
    UriLabelled(&'a str, &'a str),
}

impl fmt::Display for SecretRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Uri(uri) | SecretRef::UriLabelled(uri, _) => f.write_str(uri),
            SecretRef::Label(label) => write!(f, "label {label:?}"),
        }
    }
}

/// A secret key as Juju accepts it ([`juju_charm::is_valid_secret_key`]).
pub(crate) use juju_charm::is_valid_secret_key as valid_key;

/// What stands for a content file's path in a recorded call.
pub(crate) const CONTENT_FILE: &str = "…";

/// The parts of the secret tools' command lines.
impl ToolCall {
    /// Adds the `options` flags, as `secret-add` and `secret-set` take them.
    #[must_use]
    pub(super) fn secret_options(self, o: &SecretOptions) -> ToolCall {
        self.opt("--owner", o.owner.map(SecretOwner::as_str))
            .opt("--label", o.label.as_ref())
            .opt("--description", o.description.as_ref())
            .opt("--expire", o.expire.as_ref())
            .opt("--rotate", o.rotate.as_ref())
    }

    /// Adds `key#file=…` for each key of `content`: the values never reach
    /// a command line.
    #[must_use]
    pub(super) fn secret_content(self, content: &SecretContent) -> ToolCall {
        content
            .keys()
            .fold(self, |c, k| c.arg(format!("{k}#file={CONTENT_FILE}")))
    }

    /// Names `secret`: its URI, `--label <label>`, or both.
    #[must_use]
    pub(super) fn secret(self, secret: SecretRef<'_>) -> ToolCall {
        match secret {
            SecretRef::Uri(uri) => self.arg(uri),
            SecretRef::Label(label) => self.args(["--label", label]),
            SecretRef::UriLabelled(uri, label) => self.args([uri, "--label", label]),
        }
    }
}

/// The id part of a secret URI (`secret:<id>`, or a model-qualified
/// `secret://<model>/<id>`); the text itself when it has no scheme.
#[must_use]
pub(crate) fn secret_id(uri: &str) -> &str {
    let rest = uri.strip_prefix("secret:").unwrap_or(uri);
    rest.rsplit('/').next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hookenv::tools::call;

    #[test]
    fn content_is_passed_as_files_and_options_come_first() {
        let content = SecretContent::from([("password".into(), "s3cret".into())]);
        let o = SecretOptions {
            owner: Some(SecretOwner::Unit),
            label: Some("creds".into()),
            ..SecretOptions::default()
        };
        let c = call::secret_add(&content, &o);
        assert_eq!(
            c.to_string(),
            "secret-add --owner unit --label creds password#file=…"
        );
        assert!(!c.to_string().contains("s3cret"));
    }

    #[test]
    fn get_names_the_secret_by_uri_or_label() {
        let uri = "secret:cqe5hs8pq8r4iaj2ntag";
        let by_uri = call::secret_get(SecretRef::UriLabelled(uri, "mine"), SecretRead::Refresh);
        assert_eq!(
            by_uri.to_string(),
            format!("secret-get --format=json --refresh {uri} --label mine")
        );
        let by_label = call::secret_get(SecretRef::Label("mine"), SecretRead::Peek);
        assert_eq!(
            by_label.to_string(),
            "secret-get --format=json --peek --label mine"
        );
    }

    #[test]
    fn ids_come_out_of_every_uri_form() {
        assert_eq!(secret_id("secret:abc"), "abc");
        assert_eq!(secret_id("secret://model-uuid/abc"), "abc");
        assert_eq!(secret_id("abc"), "abc");
    }
}
