//! # juju-sim
//!
//! An offline Juju: it runs charms as real Juju does (one process per hook,
//! hook tools on `PATH`, the environment of the hook protocol) without
//! machines or a controller. It speaks only that protocol, so it runs any
//! charm: Rust, Python reactive, plain shell.
//!
//! ## Map of the crate
//! - [`Model`]: deploy, add and remove units, relate, configure, change the
//!   leader, run actions; [`Model::settle`] runs the queued events; then
//!   read what the hooks left (status, logs, relation data, ports, ...).
//!   The event order and commit rules are documented on the operations
//!   (`model/ops.rs`) and on [`Model::settle`] (`model/settle.rs`).
//! - [`report`]: [`HookRun`](report::HookRun) (one hook: env, exit, wall
//!   time, time in tools, tool calls, output tail, peak RSS, flags),
//!   [`Settlement`](report::Settlement), actions.
//! - [`tool`]: the hook tools, one executable (`juju-sim-tool`) installed
//!   under every tool name and dispatching on `argv[0]`.
//! - [`context`]: the per-hook context file shared by the simulator and the
//!   tools, and the call records the tools append.
//! - [`charm`]: what is read from `metadata.yaml`, `config.yaml`,
//!   `actions.yaml`.
//! - [`archive`]: unpacking `.charm` archives; [`manifest`]: the bases a
//!   charm declares and the check against the model's.
//! - [`ports`]: `open-port` specifications.
//! - [`secret`]: secrets (owner, revisions, labels, grants, consumers).
//! - [`locate_tool`]: how the tool executable is found (`JUJU_SIM_TOOL`,
//!   next to the current executable, or a `target/<profile>` directory
//!   above it).
//!
//! Each unit gets its own copy of the charm directory (hard links) under
//! `<workdir>/units/unit-<app>-<n>/charm`, its working directory in hooks;
//! state a charm keeps there (such as `.unit-state.sled`) is the unit's.
//! The command line `juju-sim` drives a model persisted in a directory.
//!
//! ## Example
//! ```no_run
//! use juju_sim::Model;
//!
//! let mut model = Model::new("/tmp/my-model")?;
//! model.deploy("kafka", "charms/kafka", 3)?;
//! model.deploy_with_config("client", "charms/client", 1, &[("topic", "events")])?;
//! let id = model.relate("kafka:kafka", "client:queue")?;
//! for run in model.settle()? {
//!     println!("{run}"); // unit, hook, outcome, wall time, tool calls
//! }
//! assert_eq!(model.unit_status("client/0")?.status, "active");
//! let published = model.relation_data(id, "kafka/0")?;
//! println!("kafka/0 published {published:?}");
//! let flags = model.flags("client/0")?; // `dispatch flags`
//! assert!(flags.contains_key("queue.available"));
//! # Ok::<(), juju_sim::Error>(())
//! ```

#![warn(missing_docs)]

pub mod archive;
pub mod charm;
pub mod context;
pub mod error;
mod locate;
pub mod manifest;
mod model;
pub mod ports;
pub mod report;
mod runner;
pub mod secret;
pub mod tool;

pub use error::Error;
pub use locate::{locate_tool, TOOL_BIN, TOOL_ENV};
pub use model::{Model, Options};
