//! [`HookError`]: what a hook-tool call, or a `hookenv` function, can fail
//! with. Every variant names what a charm author needs to find the cause:
//! the tool and its arguments, the option, the relation.

use super::tool_call::ToolCall;

/// Errors of the hook environment.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HookError {
    /// The tool could not be started (not on `PATH`, not executable).
    #[error("hook tool `{call}` could not be run")]
    Missing {
        /// The tool and its arguments.
        call: ToolCall,
        /// Why it could not be started.
        #[source]
        source: std::io::Error,
    },
    /// The tool exited non-zero.
    #[error("hook tool `{call}` failed ({status}): {stderr}")]
    Failed {
        /// The tool and its arguments.
        call: ToolCall,
        /// How it exited.
        status: String,
        /// What it printed on stderr, trimmed.
        stderr: String,
    },
    /// The tool's output is not what `--format=json` should print.
    #[error("hook tool `{call}` printed output that is not {expected}; output: {output:?}; stderr: {stderr:?}")]
    Parse {
        /// The tool and its arguments.
        call: ToolCall,
        /// What was expected (`a JSON map of strings`).
        expected: &'static str,
        /// The output, possibly shortened (boxed, as `stderr`: keeps every
        /// `Result<_, HookError>` small).
        output: Box<str>,
        /// What it printed on stderr, trimmed.
        stderr: Box<str>,
        /// serde_json's error.
        #[source]
        source: serde_json::Error,
    },
    /// A hook tool refused the request (in-memory tools; real tools report
    /// this as [`HookError::Failed`]).
    #[error("hook tool `{call}` refused: {reason}")]
    Refused {
        /// The tool and its arguments.
        call: ToolCall,
        /// Why, as Juju would say it.
        reason: String,
    },
    /// A config option holds a value of another type than the one asked for.
    #[error("config option `{option}`: expected {expected}, found {found}")]
    ConfigType {
        /// The option.
        option: String,
        /// The Rust type asked for.
        expected: String,
        /// The value found, as JSON.
        found: String,
    },
    /// A config option that must be set has no value.
    #[error("config option `{0}` is not set and has no default")]
    ConfigMissing(String),
    /// An action parameter holds a value of another type than the one asked for.
    #[error("action parameter `{param}`: expected {expected}, found {found}")]
    ActionParamType {
        /// The parameter (dotted path).
        param: String,
        /// The Rust type asked for.
        expected: String,
        /// The value found, as JSON.
        found: String,
    },
    /// A call needs the current relation (or remote unit) and the hook is
    /// not a relation hook, and none was given.
    #[error("{api}: no {what} given and hook `{hook}` has none")]
    NoCurrent {
        /// The hookenv function.
        api: &'static str,
        /// `relation id`, `remote unit`, `relation name`.
        what: &'static str,
        /// The running hook.
        hook: String,
    },
    /// `leader_set` on a unit that is not the leader.
    #[error("leader_set({keys}): this unit is not the leader; only the leader may write leader settings")]
    NotLeader {
        /// The keys that were to be written.
        keys: String,
    },
    /// A bad argument to a hookenv function (a key with `=`, ...).
    #[error("{api}: {reason}")]
    InvalidArgument {
        /// The hookenv function.
        api: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A `key=value` argument longer than the kernel passes to a program;
    /// refused before the tool runs.
    #[error(
        "{tool}: the value of `{key}` makes a {bytes}-byte argument, over the \
         {limit}-byte limit of one argument"
    )]
    TooLong {
        /// The hook tool (`leader-set`, `action-set`).
        tool: &'static str,
        /// The key.
        key: String,
        /// The length of `key=value`, in bytes.
        bytes: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// An action parameter is missing or does not fit the type asked for.
    #[error("action parameters: {reason}")]
    ActionParams {
        /// serde's message, naming the parameter.
        reason: String,
    },
    /// Updating the unit's state (flags, key-value store) failed.
    #[error("{api}: updating the unit's state failed")]
    State {
        /// The hookenv function.
        api: &'static str,
        /// The engine's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A hookenv function that calls hook tools was used while no hook
    /// environment is installed on this thread.
    #[error(
        "hookenv::{0} called outside a hook: no hook environment on this thread \
         (hooks get one from reactive_core::main; tests from reactive_core::testing)"
    )]
    NoEnvironment(&'static str),
    /// A secret's content could not be written to the file a `secret-*`
    /// tool reads it from.
    #[error("hook tool `{call}`: writing secret content to {path}")]
    SecretFile {
        /// The tool and its arguments (content as `key#file=…`).
        call: ToolCall,
        /// The file.
        path: std::path::PathBuf,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
}
