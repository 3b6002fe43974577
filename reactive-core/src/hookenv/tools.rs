//! The hook-tool table: one entry per tool method, and everything that
//! comes from it.
//!
//! Each entry gives the method's doc and typed signature, its command
//! line (options in the order charmhelpers writes them, `--` before free
//! text), how [`RealTools`] reads its output, and for tools that are
//! neither cached nor buffered the doc of the charmhelpers-named free
//! function that calls it. From the table come:
//!
//! - the [`HookTools`] trait, one method per entry, which [`RealTools`]
//!   (the processes Juju puts on `PATH`) and the in-memory tools of the
//!   testing harness implement;
//! - `call::<method>`, the entry's command line as a [`ToolCall`];
//! - `RealTools`'s implementation: the command line run, its output read;
//! - the [`Recorder`](super::record::Recorder) methods [`HookEnv`](super::HookEnv)
//!   calls tools through: the call recorded in the trace, the command line
//!   built once;
//! - the free functions of the plain tools (`application_version_set`,
//!   `action_fail`, ...).
//!
//! What [`HookEnv`](super::HookEnv) caches (`cache.rs`) and buffers
//! (`writes.rs`, `flush.rs`) is written there, next to this table.
//!
//! Adding a plain tool is one entry here plus its in-memory behaviour
//! (the harness's `HookTools` implementation):
//!
//! ```text
//! /// `goal-state --format=json`: the units Juju means to run.
//! goal_state() -> Value
//!     = line("goal-state").args(["--format=json"]),
//!     read json("a JSON object"),
//!     free "The units and relations Juju means this application to have.";
//! ```

use serde_json::{Map, Value};

use super::error::HookError;
use super::juju_log::bounded;
use super::real::{self, json, json_or_null, nothing, RealTools};
use super::record::{Backend, Recorder};
use super::secret::{SecretContent, SecretInfo, SecretOptions, SecretRead, SecretRef};
use super::tool_call::{line, settings_words, ToolCall};
use super::types::{
    ApplicationStatus, LogLevel, NetworkInfo, Port, Settings, StatusInfo, WorkloadState,
};
use super::with_env;

/// The longest single argument the kernel passes to a program
/// (`MAX_ARG_STRLEN`, 128 KiB, the terminating NUL included): a longer
/// `key=value` makes the exec fail with "Argument list too long".
pub const ARGUMENT_LIMIT: usize = 128 * 1024 - 1;

/// Expands the table (see the module docs).
macro_rules! hook_tools {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty
            = $line:expr,
            read $read:expr
            $(, free $($free:literal)+)?;
    )*) => {
        /// Hook tools, typed. Each method is exactly one invocation of one
        /// tool; `call::<method>` gives its command line.
        pub(crate) trait HookTools {
            $(
                $(#[doc = $doc])*
                fn $name(&self, $($arg: $ty),*) -> Result<$ret, HookError>;
            )*
        }

        /// The command line of each [`HookTools`] method.
        pub(crate) mod call {
            #[allow(clippy::wildcard_imports)]
            use super::*;
            $(
                #[doc = concat!("The command line of [`HookTools::", stringify!($name), "`].")]
                #[allow(unused_variables)]
                pub(crate) fn $name($($arg: $ty),*) -> ToolCall {
                    $line
                }
            )*
        }

        impl HookTools for RealTools {
            $(
                fn $name(&self, $($arg: $ty),*) -> Result<$ret, HookError> {
                    real::read(self, &call::$name($($arg),*), $read)
                }
            )*
        }

        impl Recorder {
            $(
                #[doc = concat!("[`HookTools::", stringify!($name), "`], recorded.")]
                pub(crate) fn $name(&self, $($arg: $ty),*) -> Result<$ret, HookError> {
                    let c = call::$name($($arg),*);
                    let out = match &self.backend {
                        Backend::Real(t) => real::read(t, &c, $read),
                        Backend::Other(t) => t.$name($($arg),*),
                    };
                    self.record(c);
                    out
                }
            )*
        }

        $(free_function! { [$($($free)+)?] $name($($arg: $ty),*) -> $ret })*
    };
}

/// The free function of an entry with a `free` doc; nothing without one.
macro_rules! free_function {
    ([] $($rest:tt)*) => {};
    ([$($doc:literal)+] $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty) => {
        $(#[doc = $doc])*
        pub fn $name($($arg: $ty),*) -> Result<$ret, HookError> {
            with_env(stringify!($name), |env| env.tools().$name($($arg),*))
        }
    };
}

const MAP: &str = "a JSON object (or null)";
const STRINGS: &str = "a JSON object of strings (or null)";
const LIST: &str = "a JSON list of strings (or null)";
const STRING: &str = "a JSON string (or null)";

hook_tools! {
    /// `config-get --all --format=json`: every option that has a value.
    config_get_all() -> Map<String, Value>
        = line("config-get").args(["--all", "--format=json"]),
        read json_or_null(MAP);

    /// `relation-ids --format=json <name>`.
    relation_ids(relation_name: &str) -> Vec<String>
        = line("relation-ids").args(["--format=json", relation_name]),
        read json_or_null(LIST);

    /// `relation-list --format=json -r <id>`: remote units in scope.
    relation_list(relation_id: &str) -> Vec<String>
        = line("relation-list").args(["--format=json", "-r", relation_id]),
        read json_or_null(LIST);

    /// `relation-get --format=json [--app] -r <id> - <unit>` (with `--app`:
    /// the settings of application `unit_or_app`).
    relation_get(relation_id: &str, unit_or_app: &str, app: bool) -> Settings
        = line("relation-get")
            .arg("--format=json")
            .flag(app, "--app")
            .args(["-r", relation_id, "-", unit_or_app]),
        read json_or_null(STRINGS);

    /// `relation-set [--app] -r <id> --file -`, the settings as a YAML map
    /// on standard input (any size), as charmhelpers sends them; an empty
    /// value deletes. The trace records them as `key=value` words.
    relation_set(relation_id: &str, app: bool, settings: &Settings) -> ()
        = line("relation-set")
            .flag(app, "--app")
            .args(["-r", relation_id, "--file", "-"])
            .input(settings_words(settings)),
        read |t, c| t.run_with_input(c, Some(&real::settings_yaml(settings))).map(drop);

    /// `is-leader --format=json`.
    is_leader() -> bool
        = line("is-leader").args(["--format=json"]),
        read json("true or false");

    /// `leader-get --format=json -`.
    leader_get() -> Settings
        = line("leader-get").args(["--format=json", "-"]),
        read json_or_null(STRINGS);

    /// `leader-set key=value ...`; an empty value deletes. Juju writes
    /// them to the controller at once (`context/leader.go`).
    leader_set(settings: &Settings) -> ()
        = line("leader-set").assignments(settings),
        read nothing;

    /// `unit-get --format=json <key>`.
    unit_get(key: &str) -> Option<String>
        = line("unit-get").args(["--format=json", key]),
        read json(STRING);

    /// `network-get --format=json <binding>`.
    network_get(binding: &str) -> NetworkInfo
        = line("network-get").args(["--format=json", binding]),
        read json("network-get's JSON object");

    /// `status-get --format=json --include-data [--application]`: the
    /// unit's status, or the application's own.
    status_get(application: bool) -> StatusInfo
        = line("status-get")
            .args(["--format=json", "--include-data"])
            .flag(application, "--application"),
        read |t, c| if application {
            real::application_status(t, c).map(|a| a.application)
        } else {
            real::read(t, c, json("status-get's JSON object"))
        };

    /// `status-get --format=json --include-data --application`: the
    /// application's status and each unit's (leader only).
    application_status_get() -> ApplicationStatus
        = call::status_get(true),
        read real::application_status,
        free "The application's status and each of its units' (leader only:"
            "`status-get --application`).";

    /// `status-set [--application] -- <state> <message>`.
    status_set(state: WorkloadState, message: &str, application: bool) -> ()
        = line("status-set")
            .flag(application, "--application")
            .args(["--", state.as_str(), message]),
        read nothing;

    /// `juju-log -l <LEVEL> -- <message>`, the message cut to
    /// [`ARGUMENT_LIMIT`].
    juju_log(level: LogLevel, message: &str) -> ()
        = line("juju-log").args(["-l", level.as_str()]).text(bounded(message)),
        read nothing;

    /// `open-port <port>/<protocol>`.
    open_port(port: Port) -> ()
        = line("open-port").arg(port.to_string()),
        read nothing;

    /// `close-port <port>/<protocol>`.
    close_port(port: Port) -> ()
        = line("close-port").arg(port.to_string()),
        read nothing;

    /// `opened-ports --format=json`.
    opened_ports() -> Vec<Port>
        = line("opened-ports").args(["--format=json"]),
        read real::ports;

    /// `application-version-set -- <version>`.
    application_version_set(version: &str) -> ()
        = line("application-version-set").text(version),
        read nothing,
        free "Sets the version of the workload shown by `juju status`.";

    /// `action-get --format=json`: every parameter.
    action_get() -> Value
        = line("action-get").args(["--format=json"]),
        read |t, c| real::read(t, c, json::<Value>("a JSON value"))
            .map(|v| if v.is_null() { Value::Object(Map::new()) } else { v });

    /// `action-set key=value ...`.
    action_set(values: &Settings) -> ()
        = line("action-set").assignments(values),
        read nothing;

    /// `action-fail -- <message>`.
    action_fail(message: &str) -> ()
        = line("action-fail").text(message),
        read nothing,
        free "Marks the running action failed with `message` (the hook itself still"
            "succeeds: Juju reports the action as failed with this message).";

    /// `action-log -- <message>`: a progress line of the running action,
    /// cut to [`ARGUMENT_LIMIT`].
    action_log(message: &str) -> ()
        = line("action-log").text(bounded(message)),
        read nothing,
        free "Sends a progress line of the running action (`action-log`), shown by"
            "`juju show-task` while the action runs.";

    /// `relation-list --format=json -r <id> --app`: the remote
    /// application, known even before any of its units joined.
    relation_list_app(relation_id: &str) -> Option<String>
        = line("relation-list").args(["--format=json", "-r", relation_id, "--app"]),
        read |t, c| real::read(t, c, json::<Option<String>>(STRING))
            .map(|a| a.filter(|a| !a.is_empty()));

    /// `secret-add [options] key#file=<path>...`: the new secret's URI.
    secret_add(content: &SecretContent, options: &SecretOptions) -> String
        = line("secret-add").secret_options(options).secret_content(content),
        read |t, c| real::with_content(t, c, content).map(|out| out.trim().to_string());

    /// `secret-get --format=json [--peek|--refresh] <ID> [--label <label>]`
    /// (or `--label <label>` alone): the content, decoded.
    secret_get(secret: SecretRef<'_>, read: SecretRead) -> SecretContent
        = line("secret-get")
            .arg("--format=json")
            .flag(read == SecretRead::Peek, "--peek")
            .flag(read == SecretRead::Refresh, "--refresh")
            .secret(secret),
        read json_or_null(STRINGS),
        free "The content of a secret: for its owner the latest revision; for a"
            "consumer the revision it tracks ([`SecretRead::Tracked`]), the latest"
            "without tracking it ([`SecretRead::Peek`]) or the latest, tracked from"
            "now on ([`SecretRead::Refresh`]). Naming it with"
            "[`SecretRef::UriLabelled`] gives it a label later reads can use.";

    /// `secret-set <ID> [options] key#file=<path>...`: a new revision when
    /// `content` is not empty, and the metadata in `options`.
    secret_set(uri: &str, content: &SecretContent, options: &SecretOptions) -> ()
        = line("secret-set").arg(uri).secret_options(options).secret_content(content),
        read |t, c| real::with_content(t, c, content).map(drop);

    /// `secret-grant <ID> -r <relation id> [--unit <unit>]`.
    secret_grant(uri: &str, relation_id: &str, unit: Option<&str>) -> ()
        = line("secret-grant").args([uri, "-r", relation_id]).opt("--unit", unit),
        read nothing;

    /// `secret-revoke <ID> [-r <relation id>] [--unit <unit>]`.
    secret_revoke(uri: &str, relation_id: Option<&str>, unit: Option<&str>) -> ()
        = line("secret-revoke").arg(uri).opt("-r", relation_id).opt("--unit", unit),
        read nothing;

    /// `secret-remove <ID> [--revision <n>]`.
    secret_remove(uri: &str, revision: Option<u32>) -> ()
        = line("secret-remove").arg(uri).opt("--revision", revision),
        read nothing,
        free "Removes revision `revision` of an owned secret, or the whole secret.";

    /// `secret-ids --format=json`: the ids of the secrets this unit (or its
    /// application) owns.
    secret_ids() -> Vec<String>
        = line("secret-ids").args(["--format=json"]),
        read json_or_null(LIST);

    /// `secret-info-get --format=json <ID>` (or `--label <label>`): an owned
    /// secret's metadata.
    secret_info_get(secret: SecretRef<'_>) -> SecretInfo
        = line("secret-info-get").arg("--format=json").secret(secret),
        read real::secret_info,
        free "The metadata of an owned secret: latest revision, label, owner,"
            "rotation and expiry.";
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
