//! # kafka-examples
//!
//! Example charms on the Kafka interfaces, and what runs them offline.
//!
//! - `kafka-provider` and `kafka-client` (in `src/bin/`): the charms, each
//!   a `fn main() { reactive_core::main() }` plus handlers; their
//!   `metadata.yaml`, `config.yaml` and `charmcraft.yaml` are in
//!   `charms/<name>/`. The client speaks the seed's `kafka` interface and
//!   `kafka_client`; `kafka-broker` is a `kafka_client` provider (topics
//!   granted with credentials in Juju secrets) the demo relates it to.
//! - [`mod@pack`]: a runnable charm directory and a `.charm` zip per charm,
//!   with `cargo-charm`'s library
//!   (`cargo run --release -p kafka-examples --bin pack-charms`).
//! - [`binaries`]: finding (and building) the executables the demo needs.
//! - [`scenario`] and [`timeline`]: the demo's steps in `juju-sim`, and the
//!   account of each hook (`cargo run --release -p kafka-examples --bin demo`).
//!
//! Charm handlers live in the binaries, not in this library: handlers
//! register themselves when linked, and each charm must see only its own.

#![warn(missing_docs)]

pub mod binaries;
pub mod pack;
pub mod scenario;
pub mod timeline;

pub use cargo_charm::archive::write_archive;
pub use pack::{pack, pack_charm, pack_charm_dir, pack_portable, PackError, Packed};
