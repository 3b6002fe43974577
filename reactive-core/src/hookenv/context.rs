//! [`HookContext`]: who and where the running hook is, from the environment
//! Juju gives it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The context of one hook invocation, read from the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HookContext {
    /// `JUJU_UNIT_NAME` (`kafka/0`); empty when not run by Juju.
    pub(crate) unit_name: String,
    /// The charm directory: `JUJU_CHARM_DIR`, else `CHARM_DIR`, else the
    /// executable's directory if it holds `metadata.yaml`, else the
    /// working directory.
    pub(crate) charm_dir: PathBuf,
    /// The hook: basename of `JUJU_DISPATCH_PATH`, else `JUJU_HOOK_NAME`,
    /// else basename of `argv[0]`.
    pub(crate) hook_name: String,
    /// Where [`HookContext::hook_name`] came from.
    pub(crate) hook_source: HookSource,
    /// `JUJU_RELATION`: the relation name of a relation hook.
    pub(crate) relation_name: Option<String>,
    /// `JUJU_RELATION_ID` (`kafka:3`).
    pub(crate) relation_id: Option<String>,
    /// `JUJU_REMOTE_UNIT` (`client/1`); `None` when empty (app-level events).
    pub(crate) remote_unit: Option<String>,
    /// `JUJU_REMOTE_APP`, else the application of the remote unit.
    pub(crate) remote_app: Option<String>,
    /// `JUJU_DEPARTING_UNIT` in `-relation-departed`.
    pub(crate) departing_unit: Option<String>,
    /// `JUJU_ACTION_NAME` when running an action, else the basename of a
    /// `JUJU_DISPATCH_PATH` under `actions/`.
    pub(crate) action_name: Option<String>,
    /// `JUJU_MODEL_NAME`.
    pub(crate) model_name: Option<String>,
    /// The secret of a secret hook (`JUJU_SECRET_ID`, `JUJU_SECRET_LABEL`,
    /// `JUJU_SECRET_REVISION`).
    pub(crate) secret: Option<super::SecretEvent>,
}

/// What [`HookContext::dispatch_name`] puts before an action's name (and
/// the directory Juju runs actions from, as `JUJU_DISPATCH_PATH` says).
pub(crate) const ACTION_PREFIX: &str = "actions/";

/// Where the hook name was found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum HookSource {
    /// `JUJU_DISPATCH_PATH` (Juju 2.8+ with a `dispatch` executable).
    DispatchPath,
    /// `JUJU_HOOK_NAME`.
    HookNameVar,
    /// The basename of `argv[0]` (`hooks/install` as a symlink).
    #[default]
    Argv0,
}

impl HookContext {
    /// The context of this process.
    #[must_use]
    pub(crate) fn from_env() -> HookContext {
        let argv0 = std::env::args_os().next().unwrap_or_default();
        HookContext::from_vars(|k| std::env::var_os(k), &argv0)
    }

    /// The context from the variables `var` looks up and `argv0`.
    pub(crate) fn from_vars(
        var: impl Fn(&str) -> Option<OsString>,
        argv0: &OsString,
    ) -> HookContext {
        let get = |k: &str| {
            var(k)
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
        };
        let basename = |p: &str| {
            Path::new(p)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let dispatch_path = get("JUJU_DISPATCH_PATH");
        // Juju runs an action with `JUJU_DISPATCH_PATH=actions/<name>` and
        // `JUJU_ACTION_NAME` (`worker/uniter/runner/runner.go`,
        // `context/context.go`); either says this is an action.
        let action_name = get("JUJU_ACTION_NAME").or_else(|| {
            dispatch_path
                .as_deref()
                .filter(|p| p.starts_with(ACTION_PREFIX))
                .map(basename)
        });
        let (hook_name, hook_source) = if let Some(p) = dispatch_path {
            (basename(&p), HookSource::DispatchPath)
        } else if let Some(h) = get("JUJU_HOOK_NAME") {
            (h, HookSource::HookNameVar)
        } else {
            (basename(&argv0.to_string_lossy()), HookSource::Argv0)
        };
        let remote_unit = get("JUJU_REMOTE_UNIT");
        let remote_app = get("JUJU_REMOTE_APP").or_else(|| {
            remote_unit
                .as_deref()
                .and_then(|u| u.split_once('/'))
                .map(|(app, _)| app.to_string())
        });
        let charm_dir = get("JUJU_CHARM_DIR")
            .or_else(|| get("CHARM_DIR"))
            .map(PathBuf::from)
            .unwrap_or_else(default_charm_dir);
        HookContext {
            unit_name: get("JUJU_UNIT_NAME").unwrap_or_default(),
            charm_dir,
            hook_name,
            hook_source,
            relation_name: get("JUJU_RELATION"),
            relation_id: get("JUJU_RELATION_ID"),
            remote_unit,
            remote_app,
            departing_unit: get("JUJU_DEPARTING_UNIT"),
            action_name,
            model_name: get("JUJU_MODEL_NAME"),
            secret: get("JUJU_SECRET_ID").map(|uri| super::SecretEvent {
                uri,
                label: get("JUJU_SECRET_LABEL"),
                revision: get("JUJU_SECRET_REVISION").and_then(|r| r.parse().ok()),
            }),
        }
    }

    /// Whether this is an action rather than a hook.
    #[must_use]
    pub(crate) fn is_action(&self) -> bool {
        self.action_name.is_some()
    }

    /// The name the dispatch runs under: the hook's name, or
    /// `actions/<name>` for an action, so that an action named like a hook
    /// (`stop`) never runs that hook's `#[hook]` handlers, and only
    /// `#[action]` handlers match it.
    #[must_use]
    pub(crate) fn dispatch_name(&self) -> String {
        match &self.action_name {
            Some(a) => format!("{ACTION_PREFIX}{a}"),
            None => self.hook_name.clone(),
        }
    }

    /// The application of this unit (`kafka` for `kafka/0`).
    #[must_use]
    pub(crate) fn application_name(&self) -> &str {
        self.unit_name
            .split_once('/')
            .map(|(a, _)| a)
            .unwrap_or(&self.unit_name)
    }

    /// Whether this looks like a hook Juju runs: a hook name from Juju's
    /// variables, or a unit name and an `argv[0]` other than `dispatch`.
    #[must_use]
    pub(crate) fn is_hook(&self) -> bool {
        match self.hook_source {
            HookSource::DispatchPath | HookSource::HookNameVar => !self.hook_name.is_empty(),
            HookSource::Argv0 => {
                !self.unit_name.is_empty()
                    && !self.hook_name.is_empty()
                    && self.hook_name != "dispatch"
            }
        }
    }
}

/// The executable's directory if it holds `metadata.yaml`, else the working
/// directory (Juju runs hooks in the charm directory).
fn default_charm_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
        .filter(|d| d.join("metadata.yaml").is_file())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ctx(vars: &[(&str, &str)], argv0: &str) -> HookContext {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        HookContext::from_vars(|k| map.get(k).cloned(), &OsString::from(argv0))
    }

    #[test]
    fn hook_name_prefers_dispatch_path_then_hook_name_then_argv0() {
        let all = [
            ("JUJU_DISPATCH_PATH", "hooks/config-changed"),
            ("JUJU_HOOK_NAME", "install"),
        ];
        let c = ctx(&all, "/charm/hooks/start");
        assert_eq!(
            (c.hook_name.as_str(), c.hook_source),
            ("config-changed", HookSource::DispatchPath)
        );
        let c = ctx(&all[1..], "/charm/hooks/start");
        assert_eq!(
            (c.hook_name.as_str(), c.hook_source),
            ("install", HookSource::HookNameVar)
        );
        let c = ctx(&[], "/charm/hooks/start");
        assert_eq!(
            (c.hook_name.as_str(), c.hook_source),
            ("start", HookSource::Argv0)
        );
    }

    /// `worker/uniter/runner/runner.go`: an action runs with
    /// `JUJU_DISPATCH_PATH=actions/<name>` (and `JUJU_ACTION_NAME`).
    #[test]
    fn an_action_has_its_own_namespace_runner_go() {
        let c = ctx(&[("JUJU_DISPATCH_PATH", "actions/stop")], "./dispatch");
        assert!(c.is_action());
        assert_eq!(c.action_name.as_deref(), Some("stop"));
        assert_eq!(c.hook_name, "stop", "hookenv::hook_name() as charmhelpers");
        assert_eq!(c.dispatch_name(), "actions/stop");
        let c = ctx(&[("JUJU_DISPATCH_PATH", "hooks/stop")], "./dispatch");
        assert!(!c.is_action());
        assert_eq!(c.dispatch_name(), "stop");
        let c = ctx(
            &[("JUJU_ACTION_NAME", "backup"), ("JUJU_UNIT_NAME", "a/0")],
            "/charm/actions/backup",
        );
        assert_eq!(c.dispatch_name(), "actions/backup");
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let c = ctx(
            &[
                ("JUJU_DISPATCH_PATH", ""),
                ("JUJU_REMOTE_UNIT", ""),
                ("JUJU_UNIT_NAME", "k/0"),
            ],
            "hooks/stop",
        );
        assert_eq!(c.hook_name, "stop");
        assert_eq!(c.remote_unit, None);
        assert!(c.is_hook());
    }

    #[test]
    fn relation_context_and_remote_app_from_unit() {
        let c = ctx(
            &[
                ("JUJU_UNIT_NAME", "kafka/0"),
                ("JUJU_RELATION", "kafka"),
                ("JUJU_RELATION_ID", "kafka:3"),
                ("JUJU_REMOTE_UNIT", "client/1"),
                ("JUJU_DEPARTING_UNIT", "client/1"),
                ("JUJU_CHARM_DIR", "/var/lib/juju/charm"),
            ],
            "dispatch",
        );
        assert_eq!(c.relation_id.as_deref(), Some("kafka:3"));
        assert_eq!(c.remote_app.as_deref(), Some("client"));
        assert_eq!(c.departing_unit.as_deref(), Some("client/1"));
        assert_eq!(c.application_name(), "kafka");
        assert_eq!(c.charm_dir, PathBuf::from("/var/lib/juju/charm"));
        // argv[0] `dispatch` with no Juju variable is not a hook.
        assert!(!c.is_hook());
    }

    #[test]
    fn dispatch_run_by_hand_is_not_a_hook() {
        assert!(!ctx(&[], "./dispatch").is_hook());
        assert!(!ctx(&[], "/charm/my-charm").is_hook());
        assert!(ctx(&[("JUJU_UNIT_NAME", "a/0")], "/charm/hooks/install").is_hook());
    }
}
