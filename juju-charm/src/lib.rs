//! # juju-charm
//!
//! A charm's metadata, config, actions and bases read as Juju reads them.
//! The source of truth is the Go package `juju/charm` (`meta.go`,
//! `config.go`, `actions.go`, `manifest.go`, `base.go`); each rule here is
//! pinned by a test naming the file it copies. Dependencies are only serde
//! and a YAML parser, so the crate can be read in every hook.
//!
//! ## Map of the crate
//! - [`Charm::load`] (`charm.rs`): a charm directory, each part from its
//!   own file or from `charmcraft.yaml` (charmcraft 3+).
//! - [`Meta`] (`meta.rs`): `metadata.yaml`: name, subordinate, storage,
//!   containers, resources, extra bindings and Juju's checks on them;
//!   [`Relation`], [`Role`], [`Scope`] (`relation.rs`) for the short
//!   (`db: mysql`) and long relation forms; [`Storage`] (`storage.rs`).
//! - [`Config`] (`config.rs`): `config.yaml`, the five option types
//!   ([`OptionType`]), typed defaults, and values checked against the
//!   declared types ([`Config::validate`], [`Config::parse_text`]).
//! - [`Actions`] (`actions.rs`): `actions.yaml`, action names checked with
//!   Juju's rule, each action's parameters as a JSON schema, checked with
//!   [`ActionSpec::validate_params`] ([`schema`], a documented subset of
//!   JSON Schema draft 4).
//! - [`is_valid_secret_key`] (`secrets.rs`): the keys a secret's content
//!   may have.
//! - [`Manifest`], [`Base`] (`bases.rs`): `manifest.yaml` read and
//!   written ([`Manifest::to_yaml`]), bases as `ubuntu@22.04`, and the
//!   deploy check [`Manifest::declares`]; [`Manifest::from_charmcraft`]
//!   (`charmcraft.rs`): charmcraft's `bases:` / `base:` + `platforms:`
//!   forms; [`normalise_arch`], [`host_architecture`] (`arch.rs`): Juju's
//!   architecture names.
//! - [`Error`], [`Problem`] (`error.rs`): every error names the file and the
//!   item (`requires.db.limit`); `yaml.rs` holds the `juju/schema`
//!   coercions.
//!
//! ## Example
//! ```
//! use juju_charm::{Config, Meta, Role, Scope};
//! use serde_json::json;
//!
//! let meta = Meta::parse(
//!     "name: logger\nsubordinate: true\nrequires:\n  db: mysql\n  \
//!      host: {interface: juju-info, scope: container}\n",
//!     "metadata.yaml",
//! )?;
//! let db = meta.relation("db").unwrap();
//! assert_eq!((db.role, db.interface.as_str()), (Role::Requires, "mysql"));
//! assert_eq!(meta.requires["host"].scope, Scope::Container);
//!
//! let config = Config::parse("options:\n  port: {type: int, default: 80}\n", "config.yaml")?;
//! assert_eq!(config.options["port"].default, Some(json!(80)));
//! let settings = json!({"port": "eighty"});
//! assert!(config.validate(settings.as_object().unwrap()).is_err());
//! # Ok::<(), juju_charm::Error>(())
//! ```

#![warn(missing_docs)]

mod actions;
mod arch;
mod bases;
mod charm;
mod charmcraft;
mod config;
mod error;
mod meta;
mod relation;
pub mod schema;
mod secrets;
mod storage;
mod yaml;

pub use actions::{is_valid_action_name, ActionSpec, Actions};
pub use arch::{host_architecture, normalise_arch, ARCHES};
pub use bases::{Base, BaseError, Manifest};
pub use charm::Charm;
pub use config::{Config, ConfigOption, OptionType, ValueError};
pub use error::{Error, Problem};
pub use meta::Meta;
pub use relation::{Relation, Role, Scope};
pub use secrets::is_valid_secret_key;
pub use storage::{Storage, StorageType};
