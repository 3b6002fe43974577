//! The running action's side of the hook environment: its parameters,
//! typed; its results; its failure; its progress lines
//! (`worker/uniter/runner/jujuc/action-*.go`).
//!
//! An action runs as `actions/<name>` (see
//! [`HookContext::dispatch_name`](super::HookContext::dispatch_name)) and
//! its handlers are declared with `#[action("<name>")]`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::api::settings;
use super::config::short_type_name;
use super::error::HookError;
use super::tools::check_argument_sizes;
use super::with_env;

/// Every parameter of the running action, as a `T` (a `serde_json::Value`
/// for all of them as JSON). A missing or mistyped parameter is an error
/// naming it (`action parameters: tls.port: invalid type: ...`).
///
/// ```no_run
/// # fn h() -> reactive_core::Result {
/// #[derive(serde::Deserialize)]
/// struct Restart {
///     #[serde(default)]
///     force: bool,
///     delay: u32,
/// }
/// let p: Restart = reactive_core::hookenv::action_params()?;
/// # let _ = (p.force, p.delay); Ok(()) }
/// ```
pub fn action_params<T: DeserializeOwned>() -> Result<T, HookError> {
    let params = with_env("action_get", |env| env.action_get())?;
    serde_path_to_error::deserialize(params).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        HookError::ActionParams {
            reason: if path == "." {
                inner
            } else {
                format!("{path}: {inner}")
            },
        }
    })
}

/// The action parameter at `key` (dots go into nested maps: `tls.port`), as
/// a `T`; `None` when absent.
pub fn action_get<T: DeserializeOwned>(key: &str) -> Result<Option<T>, HookError> {
    let params: Value = action_params()?;
    let mut v = &params;
    for part in key.split('.') {
        match v.get(part) {
            Some(next) => v = next,
            None => return Ok(None),
        }
    }
    serde_json::from_value(v.clone())
        .map(Some)
        .map_err(|_| HookError::ActionParamType {
            param: key.to_string(),
            expected: short_type_name::<T>(),
            found: v.to_string(),
        })
}

/// Sets action results (`key=value`; dotted keys nest). Each dotted part
/// of a key must match `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`, and
/// `key=value` fit in one argument, as `action-set` requires
/// (`worker/uniter/runner/jujuc/action-set.go`); both are checked before
/// the call, naming the key.
pub fn action_set<K: Into<String>, V: ToString>(
    values: impl IntoIterator<Item = (K, V)>,
) -> Result<(), HookError> {
    let values = settings("action_set", values)?;
    if let Some(k) = values.keys().find(|k| !valid_action_key(k)) {
        return Err(HookError::InvalidArgument {
            api: "action_set",
            reason: format!(
                "invalid key {k:?}: each dotted part must be lowercase letters, digits and \
                 dashes, starting and ending with a letter or digit, and the key none of \
                 stdout, stdout-encoding, stderr, stderr-encoding"
            ),
        });
    }
    check_argument_sizes("action-set", &values)?;
    with_env("action_set", |env| env.tools().action_set(&values))
}

/// Whether `key` is a key `action-set` takes: dotted parts, each
/// `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`, and none of the keys Juju keeps
/// for itself (`stdout`, `stdout-encoding`, `stderr`, `stderr-encoding`).
#[must_use]
fn valid_action_key(key: &str) -> bool {
    const RESERVED: [&str; 4] = ["stdout", "stdout-encoding", "stderr", "stderr-encoding"];
    !RESERVED.contains(&key) && key.split('.').all(juju_charm::is_valid_action_name)
}

#[cfg(test)]
mod tests {
    /// `jujuc/action-set.go`: each dotted part of a key matches
    /// `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`, and Juju keeps `stdout`,
    /// `stderr` and their encodings.
    #[test]
    fn action_keys_are_the_ones_action_set_takes_action_set_go() {
        for good in ["result", "out.size", "a-1.b2", "0"] {
            assert!(super::valid_action_key(good), "{good}");
        }
        for bad in [
            "Result",
            "out_size",
            "-a",
            "a-",
            "a..b",
            "",
            "stdout",
            "stderr-encoding",
        ] {
            assert!(!super::valid_action_key(bad), "{bad}");
        }
    }
}
