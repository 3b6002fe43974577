//! The charm's command line: the charm executable run with a subcommand
//! instead of as a hook, for shell scripts, operators on the unit, and the
//! offline Juju.
//!
//! - `flags`: the set flags as one JSON object, flag name to value (`null`
//!   for a flag without value), keys sorted, pretty-printed, then a
//!   newline; the offline Juju reads this.
//! - `is-flag-set FLAG`: exit status 0 if set, 1 if not, 2 on any error
//!   (a bad flag name, a store that is locked or cannot be read), so that
//!   `if ./dispatch is-flag-set ...` never reads an error as "not set".
//! - `set-flag FLAG [VALUE-JSON]`, `clear-flag FLAG`: change the store
//!   directly (no dispatch runs, so no trigger fires and no handler reacts
//!   until the next hook), as `charms.reactive set_flag` does.
//! - `trace [--json] [--failed]`: the trace of the last dispatch; after a
//!   failed one, its trace with the error, then the last successful one's
//!   (`--failed`: the last failed one's, whatever came after).
//! - `handlers [--json]`: every registered handler with its predicates;
//!   `--unreachable`: the flags handlers wait for that nothing sets.
//! - `snapshot FILE`: the unit's flags, data and hook context as JSON, for
//!   `testing::State::from_snapshot`.
//! - `graph [--mermaid]`: handlers, triggers, and the flags and hooks they watch, as
//!   Graphviz DOT (or a Mermaid flowchart).
//!
//! The store is found as the hook finds it ([`Store::default_path`]).
//! Errors print on stderr and exit 2 (usage) or 1. A closed standard output
//! (`| head -0`) ends a command quietly with its own status, a full one
//! (`>/dev/full`) with one line on stderr and status 1; neither panics.

use std::collections::BTreeMap;
use std::ffi::OsString;

use clap::{CommandFactory, Parser, Subcommand};
use serde_json::Value;

use crate::error::check_flag;
use crate::graph::{dot_graph, mermaid_graph};
use crate::hookenv::HookContext;
use crate::metadata::Metadata;
use crate::options::Options;
use crate::registry::Registry;
use crate::stdout::{out, outln};
use crate::store::{Changes, Store};
use crate::trace::{Trace, FAILED_IS_LATEST_KEY, FAILED_TRACE_KEY, TRACE_KEY};

#[derive(Parser)]
#[command(
    about = "A reactive Juju charm. Run by Juju with no arguments, it runs the hook \
             named by JUJU_DISPATCH_PATH, JUJU_HOOK_NAME or its own name; with a command, \
             it inspects or changes the unit's reactive state."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the set flags as a JSON object (flag name to value).
    Flags,
    /// Exit 0 if FLAG is set, 1 if not, 2 on any error.
    IsFlagSet {
        /// The flag.
        flag: String,
    },
    /// Set FLAG, with an optional JSON value.
    SetFlag {
        /// The flag.
        flag: String,
        /// Its value, as JSON (`42`, `'"text"'`, `'{"a":1}'`).
        value: Option<String>,
    },
    /// Clear FLAG.
    ClearFlag {
        /// The flag.
        flag: String,
    },
    /// Print the trace of the last dispatch: after a failed one, its trace
    /// and error, then the last successful one's.
    Trace {
        /// As JSON (one trace: the latest).
        #[arg(long)]
        json: bool,
        /// The last failed dispatch's, even if a later one succeeded.
        #[arg(long)]
        failed: bool,
    },
    /// List every registered handler with its predicates.
    Handlers {
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// Instead, list the flags handlers wait for that no handler,
        /// trigger, interface or automatic flag sets (best effort: flags set
        /// through a variable or a helper function are not seen).
        #[arg(long)]
        unreachable: bool,
    },
    /// Write the unit's flags, key-value data and hook context as a JSON
    /// file that the testing harness loads (`State::from_snapshot`).
    Snapshot {
        /// The file to write.
        file: std::path::PathBuf,
    },
    /// Print handlers and the flags and hooks they watch as Graphviz DOT.
    Graph {
        /// As a Mermaid flowchart instead.
        #[arg(long)]
        mermaid: bool,
    },
}

/// A failed command: message and exit status.
struct Failure(String, i32);

impl<E: std::error::Error + 'static> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(crate::error::error_chain(&e), 1)
    }
}

/// Runs the command in `args` (`argv[0]` first); returns the exit status.
#[must_use]
pub(crate) fn run(args: Vec<OsString>, options: &Options) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    // `is-flag-set` keeps 1 for "not set": any error is 2.
    let error_code = match cli.command {
        Command::IsFlagSet { .. } => Some(2),
        _ => None,
    };
    let code = match execute(cli.command, options) {
        Ok(code) => code,
        Err(Failure(msg, code)) => {
            eprintln!("error: {msg}");
            error_code.unwrap_or(code)
        }
    };
    crate::stdout::finish(code)
}

/// What the executable prints when run with neither a hook context nor a
/// command (`./dispatch` by hand).
pub(crate) fn not_a_hook_message(ctx: &HookContext) -> String {
    let help = Cli::command().render_help();
    format!(
        "{:?} is not a hook: JUJU_DISPATCH_PATH and JUJU_HOOK_NAME are unset{}.\n\n{help}",
        ctx.hook_name,
        if ctx.unit_name.is_empty() {
            " and so is JUJU_UNIT_NAME"
        } else {
            ""
        },
    )
}

fn usage(msg: String) -> Failure {
    Failure(msg, 2)
}

fn execute(command: Command, options: &Options) -> Result<i32, Failure> {
    match command {
        Command::Flags => {
            let flags = Store::open_default()?.flags()?;
            outln!("{}", serde_json::to_string_pretty(&flags)?);
        }
        Command::IsFlagSet { flag } => {
            check_flag(&flag).map_err(|e| usage(e.to_string()))?;
            let set = Store::open_default()?.flags()?.contains_key(&flag);
            return Ok(if set { 0 } else { 1 });
        }
        Command::SetFlag { flag, value } => {
            check_flag(&flag).map_err(|e| usage(e.to_string()))?;
            let value = match value {
                None => Value::Null,
                Some(text) => serde_json::from_str(&text).map_err(|e| {
                    usage(format!(
                        "value of flag {flag:?} is not JSON ({e}): {text:?}"
                    ))
                })?,
            };
            write_flag(flag, Some(value))?;
        }
        Command::ClearFlag { flag } => {
            check_flag(&flag).map_err(|e| usage(e.to_string()))?;
            write_flag(flag, None)?;
        }
        Command::Trace { json, failed } => print_trace(json, failed)?,
        Command::Handlers {
            json,
            unreachable: true,
        } => {
            let metadata = Metadata::from_charm_dir(HookContext::from_env().charm_dir)?;
            let reg = options.registry(metadata.as_ref())?;
            let found = crate::reach::unreachable(&reg, metadata.as_ref());
            if json {
                outln!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                for (flag, handlers) in &found {
                    outln!("{flag}\n    waited for by {}", handlers.join(", "));
                }
            }
        }
        Command::Snapshot { file } => {
            crate::snapshot::Snapshot::take()?.write(&file)?;
        }
        Command::Handlers { json, .. } => {
            let reg = registry(options)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&reg.handlers())?);
            } else {
                for h in reg.handlers() {
                    outln!("{}\n    {}", h.id, h.predicates.join("\n    "));
                }
            }
        }
        Command::Graph { mermaid } => {
            let reg = registry(options)?;
            out!(
                "{}",
                if mermaid {
                    mermaid_graph(&reg)
                } else {
                    dot_graph(&reg)
                }
            );
        }
    }
    Ok(0)
}

/// The `trace` command.
fn print_trace(json: bool, failed: bool) -> Result<(), Failure> {
    let store = Store::open_default()?;
    let read = |key: &str| -> Result<Option<Trace>, Failure> {
        match store.kv_get(key)? {
            Some(v) => Ok(Some(serde_json::from_value(v)?)),
            None => Ok(None),
        }
    };
    let latest_failed = store.kv_get(FAILED_IS_LATEST_KEY)?.is_some();
    let (first, then) = if failed {
        let Some(t) = read(FAILED_TRACE_KEY)? else {
            return Err(Failure("no failed dispatch has been recorded".into(), 1));
        };
        (t, None)
    } else {
        let last = read(TRACE_KEY)?;
        match (latest_failed, read(FAILED_TRACE_KEY)?, last) {
            (true, Some(f), last) => (f, last),
            (_, _, Some(last)) => (last, None),
            _ => return Err(Failure("no dispatch has been recorded yet".into(), 1)),
        }
    };
    if json {
        outln!("{}", serde_json::to_string_pretty(&first)?);
    } else {
        out!("{first}");
        if let Some(t) = then {
            out!("\nthe last successful dispatch:\n{t}");
        }
    }
    Ok(())
}

fn write_flag(flag: String, value: Option<Value>) -> Result<(), Failure> {
    let store = Store::open_default()?;
    let changes = Changes {
        flags: BTreeMap::from([(flag, value)]),
        kv: BTreeMap::new(),
    };
    store.commit(&changes)?;
    Ok(())
}

fn registry(options: &Options) -> Result<Registry, Failure> {
    let metadata = Metadata::from_charm_dir(HookContext::from_env().charm_dir)?;
    Ok(options.registry(metadata.as_ref())?)
}
