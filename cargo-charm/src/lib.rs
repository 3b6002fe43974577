//! # cargo-charm
//!
//! `cargo charm`: from nothing to a packed charm that runs on every base
//! it declares, for charms written with reactive-rs.
//!
//! ## Map of the crate
//! - [`new`]: `cargo charm new NAME`, a charm crate that builds and passes
//!   its unit test at once;
//! - [`charmcraft`]: what is read of `charmcraft.yaml` (bases, metadata,
//!   config, actions, `dump` parts);
//! - [`build`]: `cargo charm build`, a release build against the oldest
//!   glibc of the bases (with cargo-zigbuild when present), checked;
//! - [`elf`] and [`glibc`]: the architecture and `GLIBC_*` versions an
//!   executable needs, and the bases' glibc;
//! - [`pack`] and [`archive`]: `cargo charm pack`, the charm folder and its
//!   reproducible `.charm` zip;
//! - [`deploy`]: `cargo charm deploy`, a try in juju-sim;
//! - [`progress`]: the progress lines of long steps;
//! - [`error`]: what goes wrong.
//!
//! ## Example
//! ```no_run
//! use cargo_charm::{build, charmcraft::Project, new, pack};
//!
//! let dir = new::new_charm("/tmp".as_ref(), "web", &new::NewOptions::default())?;
//! let project = Project::load(&dir)?;
//! let built = build::build(&project, &build::BuildOptions::default())?;
//! let packed = pack::pack(&project, &built, &dir)?;
//! println!("{}", packed.archive.display()); // /tmp/web/web.charm
//! # Ok::<(), cargo_charm::Error>(())
//! ```

#![warn(missing_docs)]

pub mod archive;
pub mod build;
pub mod charmcraft;
pub mod deploy;
pub mod elf;
pub mod error;
pub mod glibc;
pub mod new;
pub mod pack;
pub mod progress;

pub use error::{Error, Result};
