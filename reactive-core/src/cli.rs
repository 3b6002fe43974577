//! The charm's command line: the charm executable run with a subcommand
//! instead of as a hook, for shell scripts, operators on the unit, and the
//! offline Juju.
//!
//! - `flags`: the set flags as one JSON object, flag name to value (`null`
//!   for a flag without value), keys sorted, pretty-printed, then a
//!   newline; the offline Juju reads this.
//! - `is-flag-set FLAG`: exit status 0 if set, 1 if not.
//! - `set-flag FLAG [VALUE-JSON]`, `clear-flag FLAG`: change the store
//!   directly (no dispatch runs, so no trigger fires and no handler reacts
//!   until the next hook), as `charms.reactive set_flag` does.
//! - `trace [--json]`: the trace of the last successful dispatch.
//! - `handlers [--json]`: every registered handler with its predicates;
//!   `--unreachable`: the flags handlers wait for that nothing sets.
//! - `snapshot FILE`: the unit's flags, data and hook context as JSON, for
//!   `testing::State::from_snapshot`.
//! - `graph [--mermaid]`: handlers, triggers, and the flags and hooks they watch, as
//!   Graphviz DOT (or a Mermaid flowchart).
//!
//! The store is found as the hook finds it ([`Store::default_path`]).
//! Errors print on stderr and exit 2 (usage) or 1.

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
use crate::store::{Changes, Store};
use crate::trace::{Trace, TRACE_KEY};

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
    /// Exit 0 if FLAG is set, 1 if not.
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
    /// Print the trace of the last successful dispatch.
    Trace {
        /// As JSON.
        #[arg(long)]
        json: bool,
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
pub fn run(args: Vec<OsString>, options: &Options) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match execute(cli.command, options) {
        Ok(code) => code,
        Err(Failure(msg, code)) => {
            eprintln!("error: {msg}");
            code
        }
    }
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
            println!("{}", serde_json::to_string_pretty(&flags)?);
        }
        Command::IsFlagSet { flag } => {
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
        Command::Trace { json } => {
            let Some(v) = Store::open_default()?.kv_get(TRACE_KEY)? else {
                return Err(Failure("no dispatch has been recorded yet".into(), 1));
            };
            let trace: Trace = serde_json::from_value(v)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&trace)?);
            } else {
                print!("{trace}");
            }
        }
        Command::Handlers {
            json,
            unreachable: true,
        } => {
            let metadata = Metadata::from_charm_dir(HookContext::from_env().charm_dir)?;
            let reg = options.registry(metadata.as_ref())?;
            let found = crate::reach::unreachable(&reg, metadata.as_ref());
            if json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                for (flag, handlers) in &found {
                    println!("{flag}\n    waited for by {}", handlers.join(", "));
                }
            }
        }
        Command::Snapshot { file } => {
            crate::snapshot::Snapshot::take()?.write(&file)?;
        }
        Command::Handlers { json, .. } => {
            let reg = registry(options)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&reg.handlers())?);
            } else {
                for h in reg.handlers() {
                    println!("{}\n    {}", h.id, h.predicates.join("\n    "));
                }
            }
        }
        Command::Graph { mermaid } => {
            let reg = registry(options)?;
            print!(
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
