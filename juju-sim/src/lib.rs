//! An offline Juju that runs charms as processes.
#![warn(missing_docs)]

pub mod charm;
pub mod context;
pub mod error;
mod locate;
mod model;
pub mod ports;
pub mod report;
mod runner;
pub mod tool;

pub use error::Error;
pub use locate::{locate_tool, TOOL_BIN, TOOL_ENV};
pub use model::{Model, Options};
