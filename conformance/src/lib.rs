//! # conformance
//!
//! The same charms, run on the Python reference framework (`charms.reactive`
//! 1.5.3 + `charmhelpers` 1.2.1) and on this project's engine, must behave
//! alike. This crate drives the same scenarios through [`juju_sim::Model`]
//! for both and compares what they did, hook by hook and step by step.
//!
//! ## Map of the crate
//! - [`scenario`]: the scenarios (`conformance/scenarios/sim/*.json`):
//!   model operations, each followed by a settle;
//! - [`charms`]: the charms both sides provide, and how each becomes a
//!   charm directory (Python: `build-charm.sh`; Rust: the binary as
//!   `dispatch` next to the charm's YAML files);
//! - [`venv`]: the reference framework's virtualenv, bootstrapped once;
//! - [`binaries`]: the Rust charms and the simulator's hook tool, built once;
//! - [`mod@run`]: one scenario on one implementation, or on both at once;
//! - [`observe`]: what a run records;
//! - [`ops_charms`]: the Python ops charms juju-sim hosts beside Rust ones;
//! - [`mod@compare`]: the comparison, and the rule checks each side must pass;
//! - [`deviations`]: where we differ on purpose, and why;
//! - [`report`]: the report in `docs/conformance.md`.
//!
//! ## Example
//! ```no_run
//! use conformance::{compare, run_both, RunOptions, Scenario};
//!
//! let scenario = Scenario::load("probe")?;
//! let dir = tempfile::tempdir()?;
//! let pair = run_both(&scenario, dir.path(), &RunOptions::default())?;
//! let comparison = compare(&scenario, &pair);
//! comparison.assert_ok(); // panics with the differences, step by step
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod binaries;
pub mod charms;
pub mod compare;
pub mod deviations;
pub mod error;
pub mod observe;
pub mod ops_charms;
pub mod paths;
pub mod report;
pub mod run;
pub mod scenario;
pub mod venv;

pub use charms::Implementation;
pub use compare::{compare, Comparison, Difference};
pub use error::Error;
pub use run::{run, run_both, Pair, RunOptions};
pub use scenario::Scenario;
