//! [`HookTools`]: one typed method per hook-tool invocation, and the
//! command line each one stands for (`call`, internal).
//!
//! Two implementations: [`RealTools`](super::RealTools) runs the
//! executables Juju puts on `PATH`; `MemoryTools` (feature `testing`)
//! (feature `testing`) answers from an in-memory model for charm unit tests.
//! Neither caches nor buffers: [`HookEnv`](super::HookEnv) does that above
//! them, and records every call it makes into the dispatch trace.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::HookError;
use super::secret::{SecretContent, SecretInfo, SecretOptions, SecretRead, SecretRef};
use super::types::{
    ApplicationStatus, LogLevel, NetworkInfo, Port, Settings, StatusInfo, WorkloadState,
};

/// The longest single argument the kernel passes to a program
/// (`MAX_ARG_STRLEN`, 128 KiB, the terminating NUL included): a longer
/// `key=value` makes the exec fail with "Argument list too long".
pub const ARGUMENT_LIMIT: usize = 128 * 1024 - 1;
/// One hook-tool call, as the runtime records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The tool (`relation-get`).
    pub tool: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// What it read on standard input, as the trace keeps it: for
    /// `relation-set --file -`, the settings sent as `key=value` words,
    /// each value escaped and cut as [`quote`](crate::quote::quote) cuts
    /// it, so the trace stays small whatever the size of the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Box<str>>,
}

/// `relation-get --format=json -r db:1 - app/0`: a hook-tool call as a
/// command line, for error messages and the trace listing.
impl fmt::Display for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tool)?;
        for a in &self.args {
            if a.is_empty() || a.contains(char::is_whitespace) {
                write!(f, " {a:?}")?;
            } else {
                write!(f, " {a}")?;
            }
        }
        if let Some(input) = &self.input {
            write!(f, " <<< {input}")?;
        }
        Ok(())
    }
}

/// Hook tools, typed. Each method is exactly one invocation of one tool;
/// the internal `call` module gives its command line.
pub trait HookTools {
    /// `config-get --all --format=json`: every option that has a value.
    fn config_get_all(&self) -> Result<Map<String, Value>, HookError>;
    /// `relation-ids --format=json <name>`.
    fn relation_ids(&self, relation_name: &str) -> Result<Vec<String>, HookError>;
    /// `relation-list --format=json -r <id>`: remote units in scope.
    fn relation_list(&self, relation_id: &str) -> Result<Vec<String>, HookError>;
    /// `relation-get --format=json -r <id> - <unit>` (with `--app`: the
    /// settings of application `unit_or_app`).
    fn relation_get(
        &self,
        relation_id: &str,
        unit_or_app: &str,
        app: bool,
    ) -> Result<Settings, HookError>;
    /// `relation-set [--app] -r <id> --file -`, the settings as a YAML map
    /// on standard input (any size); an empty value deletes.
    fn relation_set(
        &self,
        relation_id: &str,
        app: bool,
        settings: &Settings,
    ) -> Result<(), HookError>;
    /// `is-leader --format=json`.
    fn is_leader(&self) -> Result<bool, HookError>;
    /// `leader-get --format=json -`.
    fn leader_get(&self) -> Result<Settings, HookError>;
    /// `leader-set key=value ...`; an empty value deletes. Juju writes
    /// them to the controller at once (`context/leader.go`).
    fn leader_set(&self, settings: &Settings) -> Result<(), HookError>;
    /// `unit-get --format=json <key>`.
    fn unit_get(&self, key: &str) -> Result<Option<String>, HookError>;
    /// `network-get --format=json <binding>`.
    fn network_get(&self, binding: &str) -> Result<NetworkInfo, HookError>;
    /// `status-get --format=json --include-data [--application]`: the
    /// unit's status, or the application's own.
    fn status_get(&self, application: bool) -> Result<StatusInfo, HookError>;
    /// `status-get --format=json --include-data --application`: the
    /// application's status and each unit's (leader only).
    fn application_status_get(&self) -> Result<ApplicationStatus, HookError>;
    /// `status-set [--application] -- <state> <message>`.
    fn status_set(
        &self,
        state: WorkloadState,
        message: &str,
        application: bool,
    ) -> Result<(), HookError>;
    /// `juju-log -l <LEVEL> -- <message>`, the message cut to
    /// [`ARGUMENT_LIMIT`].
    fn juju_log(&self, level: LogLevel, message: &str) -> Result<(), HookError>;
    /// `open-port <port>/<protocol>`.
    fn open_port(&self, port: Port) -> Result<(), HookError>;
    /// `close-port <port>/<protocol>`.
    fn close_port(&self, port: Port) -> Result<(), HookError>;
    /// `opened-ports --format=json`.
    fn opened_ports(&self) -> Result<Vec<Port>, HookError>;
    /// `application-version-set -- <version>`.
    fn application_version_set(&self, version: &str) -> Result<(), HookError>;
    /// `action-get --format=json`: every parameter.
    fn action_get(&self) -> Result<Value, HookError>;
    /// `action-set key=value ...`.
    fn action_set(&self, values: &Settings) -> Result<(), HookError>;
    /// `action-fail -- <message>`.
    fn action_fail(&self, message: &str) -> Result<(), HookError>;
    /// `action-log -- <message>`: a progress line of the running action.
    fn action_log(&self, message: &str) -> Result<(), HookError>;
    /// `relation-list --format=json -r <id> --app`: the remote
    /// application, known even before any of its units joined.
    fn relation_list_app(&self, relation_id: &str) -> Result<Option<String>, HookError>;
    /// `secret-add [options] key#file=<path>...`: the new secret's URI.
    fn secret_add(
        &self,
        content: &SecretContent,
        options: &SecretOptions,
    ) -> Result<String, HookError>;
    /// `secret-get --format=json [--peek|--refresh] <ID> [--label <label>]`
    /// (or `--label <label>` alone): the content, decoded.
    fn secret_get(
        &self,
        secret: SecretRef<'_>,
        read: SecretRead,
    ) -> Result<SecretContent, HookError>;
    /// `secret-set <ID> [options] key#file=<path>...`: a new revision when
    /// `content` is not empty, and the metadata in `options`.
    fn secret_set(
        &self,
        uri: &str,
        content: &SecretContent,
        options: &SecretOptions,
    ) -> Result<(), HookError>;
    /// `secret-grant <ID> -r <relation id> [--unit <unit>]`.
    fn secret_grant(
        &self,
        uri: &str,
        relation_id: &str,
        unit: Option<&str>,
    ) -> Result<(), HookError>;
    /// `secret-revoke <ID> [-r <relation id>] [--unit <unit>]`.
    fn secret_revoke(
        &self,
        uri: &str,
        relation_id: Option<&str>,
        unit: Option<&str>,
    ) -> Result<(), HookError>;
    /// `secret-remove <ID> [--revision <n>]`.
    fn secret_remove(&self, uri: &str, revision: Option<u32>) -> Result<(), HookError>;
    /// `secret-ids --format=json`: the ids of the secrets this unit (or its
    /// application) owns.
    fn secret_ids(&self) -> Result<Vec<String>, HookError>;
    /// `secret-info-get --format=json <ID>` (or `--label <label>`): an owned
    /// secret's metadata.
    fn secret_info_get(&self, secret: SecretRef<'_>) -> Result<SecretInfo, HookError>;
}

/// Refuses, before calling `tool`, a `key=value` argument longer than
/// [`ARGUMENT_LIMIT`], naming the key and the limit.
pub(crate) fn check_argument_sizes(tool: &'static str, values: &Settings) -> Result<(), HookError> {
    match values
        .iter()
        .find(|(k, v)| k.len() + 1 + v.len() > ARGUMENT_LIMIT)
    {
        Some((k, v)) => Err(HookError::TooLong {
            tool,
            key: k.clone(),
            bytes: k.len() + 1 + v.len(),
            limit: ARGUMENT_LIMIT,
        }),
        None => Ok(()),
    }
}

/// The command line of each [`HookTools`] method, options in the order
/// charmhelpers writes them.
pub(crate) mod call {
    use super::*;

    fn c(tool: &str, args: impl IntoIterator<Item = String>) -> ToolCall {
        ToolCall {
            tool: tool.to_string(),
            args: args.into_iter().collect(),
            input: None,
        }
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    fn assignments(settings: &Settings) -> impl Iterator<Item = String> + '_ {
        settings.iter().map(|(k, v)| format!("{k}={v}"))
    }

    /// See [`HookTools::config_get_all`].
    pub(crate) fn config_get_all() -> ToolCall {
        c("config-get", [s("--all"), s("--format=json")])
    }
    /// See [`HookTools::relation_ids`].
    pub(crate) fn relation_ids(name: &str) -> ToolCall {
        c("relation-ids", [s("--format=json"), s(name)])
    }
    /// See [`HookTools::relation_list`].
    pub(crate) fn relation_list(rid: &str) -> ToolCall {
        c("relation-list", [s("--format=json"), s("-r"), s(rid)])
    }
    /// See [`HookTools::relation_get`].
    pub(crate) fn relation_get(rid: &str, unit_or_app: &str, app: bool) -> ToolCall {
        let mut a = vec![s("--format=json")];
        if app {
            a.push(s("--app"));
        }
        a.extend([s("-r"), s(rid), s("-"), s(unit_or_app)]);
        c("relation-get", a)
    }
    /// See [`HookTools::relation_set`].
    /// The settings go as YAML on standard input ([`settings_yaml`]), as
    /// charmhelpers sends them, so that no value meets the argument limit.
    pub(crate) fn relation_set(rid: &str, app: bool) -> ToolCall {
        let mut a = Vec::new();
        if app {
            a.push(s("--app"));
        }
        a.extend([s("-r"), s(rid), s("--file"), s("-")]);
        c("relation-set", a)
    }

    /// `settings` as the trace records them ([`ToolCall::input`]):
    /// `key=value` words (`key=` deletes), a value quoted when it holds
    /// anything but plain printable characters, and bounded.
    pub(crate) fn settings_words(settings: &Settings) -> String {
        let plain = |v: &str| {
            v.len() <= crate::quote::QUOTE_LIMIT
                && v.chars().all(|c| c.is_ascii_graphic() && c != '"')
        };
        settings
            .iter()
            .map(|(k, v)| {
                if plain(v) {
                    format!("{k}={v}")
                } else {
                    format!("{k}={}", crate::quote::quote(v))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `settings` as the YAML map `relation-set --file` reads; every value
    /// a string, quoted where YAML would read it as something else.
    pub(crate) fn settings_yaml(settings: &Settings) -> String {
        if settings.is_empty() {
            return "{}\n".to_string();
        }
        // A map of strings always serialises.
        serde_norway::to_string(settings).unwrap_or_default()
    }
    /// See [`HookTools::is_leader`].
    pub(crate) fn is_leader() -> ToolCall {
        c("is-leader", [s("--format=json")])
    }
    /// See [`HookTools::leader_get`].
    pub(crate) fn leader_get() -> ToolCall {
        c("leader-get", [s("--format=json"), s("-")])
    }
    /// See [`HookTools::leader_set`].
    pub(crate) fn leader_set(settings: &Settings) -> ToolCall {
        c("leader-set", assignments(settings))
    }
    /// See [`HookTools::unit_get`].
    pub(crate) fn unit_get(key: &str) -> ToolCall {
        c("unit-get", [s("--format=json"), s(key)])
    }
    /// See [`HookTools::network_get`].
    pub(crate) fn network_get(binding: &str) -> ToolCall {
        c("network-get", [s("--format=json"), s(binding)])
    }
    /// See [`HookTools::status_get`].
    pub(crate) fn status_get(application: bool) -> ToolCall {
        let mut a = vec![s("--format=json"), s("--include-data")];
        if application {
            a.push(s("--application"));
        }
        c("status-get", a)
    }
    /// See [`HookTools::status_set`].
    pub(crate) fn status_set(state: WorkloadState, message: &str, application: bool) -> ToolCall {
        let mut a = Vec::new();
        if application {
            a.push(s("--application"));
        }
        a.extend([s("--"), s(state.as_str()), s(message)]);
        c("status-set", a)
    }
    /// See [`HookTools::juju_log`]. `--` ends the flags, so a message
    /// starting with `-` is sent as it is.
    pub(crate) fn juju_log(level: LogLevel, message: &str) -> ToolCall {
        let message = crate::hookenv::juju_log::bounded(message).into_owned();
        c("juju-log", [s("-l"), s(level.as_str()), s("--"), message])
    }
    /// See [`HookTools::open_port`].
    pub(crate) fn open_port(port: Port) -> ToolCall {
        c("open-port", [port.to_string()])
    }
    /// See [`HookTools::close_port`].
    pub(crate) fn close_port(port: Port) -> ToolCall {
        c("close-port", [port.to_string()])
    }
    /// See [`HookTools::opened_ports`].
    pub(crate) fn opened_ports() -> ToolCall {
        c("opened-ports", [s("--format=json")])
    }
    /// See [`HookTools::application_version_set`].
    pub(crate) fn application_version_set(version: &str) -> ToolCall {
        c("application-version-set", [s("--"), s(version)])
    }
    /// See [`HookTools::action_get`].
    pub(crate) fn action_get() -> ToolCall {
        c("action-get", [s("--format=json")])
    }
    /// See [`HookTools::action_set`].
    pub(crate) fn action_set(values: &Settings) -> ToolCall {
        c("action-set", assignments(values))
    }
    /// See [`HookTools::action_fail`].
    pub(crate) fn action_fail(message: &str) -> ToolCall {
        c("action-fail", [s("--"), s(message)])
    }
    /// See [`HookTools::action_log`].
    pub(crate) fn action_log(message: &str) -> ToolCall {
        let message = crate::hookenv::juju_log::bounded(message).into_owned();
        c("action-log", [s("--"), message])
    }
    /// See [`HookTools::relation_list_app`].
    pub(crate) fn relation_list_app(rid: &str) -> ToolCall {
        c(
            "relation-list",
            [s("--format=json"), s("-r"), s(rid), s("--app")],
        )
    }
}
