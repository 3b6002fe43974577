//! The endpoint model interface crates are written in (the Python
//! framework's `Endpoint`, the successor of [`crate::relations`]): a type
//! per role and interface, bound to every endpoint (relation name) that
//! `metadata.yaml` declares with them, flags the framework keeps for each
//! endpoint, and direct access to every relation, remote unit and value.
//!
//! # Automatic flags
//! At the start of every hook, before any handler runs and in the same
//! transaction, for every endpoint `<name>` bound to a type declared with
//! [`endpoint_type!`](crate::endpoint_type):
//! - `endpoint.<name>.joined` is set while any remote unit is joined on any
//!   relation of the endpoint, and cleared when the last one has gone;
//! - `endpoint.<name>.changed` and `endpoint.<name>.changed.<key>` are set
//!   when a value a remote unit published differs from the one seen last;
//!   they are never cleared automatically: the handler that acts on the
//!   change clears them;
//!   a key that cannot be part of a flag name (whitespace, a control
//!   character, over 1 KiB) sets neither, and is named in a warning;
//! - `endpoint.<name>.departed` is set in the endpoint's
//!   `-relation-departed` hook, and cleared in any later hook while a unit
//!   is still (or again) joined;
//! - the departing unit is added to [`Endpoint::all_departed_units`].
//!
//! [`Endpoint::expand_name`] names them, and an interface's own flags
//! (`{endpoint_name}.available`), for the flag functions.
//!
//! As in the Python framework, remote data is compared only in the
//! endpoint's own relation hooks (or when `joined` was not set before), so
//! other hooks cost no `relation-get` call.
//!
//! # Data
//! [`Endpoint::relations`] lists the relations, [`Relation::joined_units`]
//! and [`Endpoint::all_joined_units`] the remote units ([`RelatedUnit`]),
//! whose data [`RemoteData`] reads, one unit's or a list's merged:
//! `received` JSON-decoded where it parses, `received_raw` as text;
//! [`Relation::received_app`] is the remote application's.
//! Remote data is untrusted: a missing key is `None`, and a typed read
//! ([`Received::get`]) of a malformed value is an
//! [`Error::RemoteValue`](crate::Error::RemoteValue) naming the relation
//! id, the unit and the key. [`Relation::to_publish`] writes JSON-encoded
//! values (the text Python's `json.dumps(sort_keys=True)` gives),
//! [`Relation::to_publish_raw`] plain text ([`ToPublish`] both); writes
//! are sent when the hook succeeds.
//!
//! # Map
//! - `endpoint`: [`Endpoint`], one endpoint name and its relations;
//! - `relation`: [`Relation`] and [`RelatedUnit`];
//! - `data`: [`RemoteData`], [`Received`] and [`ToPublish`];
//! - `departed`: [`DepartedUnits`], kept in the key-value store;
//! - `lookup`: the endpoint of a name or a flag
//!   ([`EndpointType::from_name`], [`EndpointType::from_flag`]) and the
//!   resolution of handler parameters;
//! - `declare`: [`EndpointType`] and [`endpoint_type!`](crate::endpoint_type);
//! - `manage`: the automatic flags, at the start of every hook;
//! - `json`: Python's `json.dumps` text.
//!
//! # Handler parameters
//! A handler taking an endpoint type is expanded once per endpoint bound to
//! it when its flags hold `{endpoint_name}`, and receives that endpoint.
//! Otherwise the endpoint comes from the first set `when` flag that names
//! one (`endpoint.<name>.…` or `<name>.…`), else from the running relation
//! hook, else it is the only endpoint bound to the type; a handler for
//! which none applies fails with an error naming it and the parameter.
//!
//! # Example: a small interface and a test of it
//! ```
//! use reactive_core::prelude::*;
//! use reactive_core::testing::{Hook, Relation, State};
//! use reactive_core::Error;
//!
//! reactive_core::endpoint_type! {
//!     /// The requiring side of the `http` interface.
//!     pub struct HttpRequires: requires "http";
//! }
//!
//! /// A web service a remote unit offers.
//! #[derive(Debug, PartialEq)]
//! pub struct Service {
//!     pub host: String,
//!     pub port: u16,
//! }
//!
//! impl HttpRequires {
//!     /// Every service published completely so far.
//!     pub fn services(&self) -> Result<Vec<Service>, Error> {
//!         let mut out = Vec::new();
//!         for unit in self.all_joined_units()?.iter() {
//!             let data = unit.received()?;
//!             let host = data.get::<String>("hostname")?;
//!             let port = data.get::<u16>("port")?;
//!             if let (Some(host), Some(port)) = (host, port) {
//!                 out.push(Service { host, port });
//!             }
//!         }
//!         Ok(out)
//!     }
//! }
//!
//! #[when("endpoint.{endpoint_name}.changed")]
//! fn changed(http: &HttpRequires) -> reactive_core::Result {
//!     toggle_flag(&http.expand_name("{endpoint_name}.available"), !http.services()?.is_empty());
//!     clear_flag(&http.expand_name("changed"));
//!     Ok(())
//! }
//!
//! #[when_not("endpoint.{endpoint_name}.joined")]
//! fn gone(http: &HttpRequires) {
//!     clear_flag(&http.expand_name("{endpoint_name}.available"));
//! }
//!
//! fn main() {
//!     // A charm that names its `http` endpoint `backend`.
//!     let state = State::default()
//!         .with_file("metadata.yaml", "name: proxy\nrequires:\n  backend: {interface: http}\n")
//!         .with_relation(
//!             Relation::new("backend", 1, "web")
//!                 .with_unit("web/0", [("hostname", "10.0.0.5"), ("port", "8080")]),
//!         );
//!     let out = state.run_in(module_path!(), Hook::relation("changed", "backend:1", Some("web/0")));
//!     assert_eq!(out.error_message(), None);
//!     assert!(out.state.is_flag_set("backend.available"));
//!     assert!(out.state.is_flag_set("endpoint.backend.joined"));
//!     assert!(!out.state.is_flag_set("endpoint.backend.changed"));
//! }
//! ```

mod data;
mod declare;
mod departed;
mod endpoint;
mod json;
mod lookup;
mod manage;
mod relation;

pub use self::{
    data::{Received, RemoteData, ToPublish},
    declare::EndpointType,
    departed::DepartedUnits,
    endpoint::Endpoint,
    relation::{RelatedUnit, Relation},
};

pub(crate) use declare::{EndpointHook, EndpointSpec};
pub(crate) use manage::at_start;
