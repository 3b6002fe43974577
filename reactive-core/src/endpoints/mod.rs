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
//! As in the Python framework, remote data is compared only in the
//! endpoint's own relation hooks (or when `joined` was not set before), so
//! other hooks cost no `relation-get` call.
//!
//! # Data
//! [`Endpoint::relations`] lists the relations, [`Relation::joined_units`]
//! and [`Endpoint::all_joined_units`] the remote units, whose
//! [`RelatedUnit::received`] values are JSON-decoded where they parse.
//! Remote data is untrusted: a missing key is `None`, and a typed read
//! ([`RelatedUnit::received_as`]) of a malformed value is an
//! [`Error::RemoteValue`](crate::Error::RemoteValue) naming the relation
//! id, the unit and the key. [`Relation::to_publish`] writes JSON-encoded
//! values (the text Python's `json.dumps(sort_keys=True)` gives),
//! [`Relation::to_publish_raw`] plain text; writes are sent when the hook
//! succeeds.
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
//!             let host = unit.received_as::<String>("hostname")?;
//!             let port = unit.received_as::<u16>("port")?;
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
//!     http.toggle_flag("{endpoint_name}.available", !http.services()?.is_empty());
//!     http.clear_flag("changed");
//!     Ok(())
//! }
//!
//! #[when_not("endpoint.{endpoint_name}.joined")]
//! fn gone(http: &HttpRequires) {
//!     http.clear_flag("{endpoint_name}.available");
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
mod departed;
mod endpoint;
pub mod json;
mod lookup;
mod manage;
mod relation;

pub use data::{decode, Received, ToPublish, ToPublishRaw};
pub use departed::DepartedUnits;
pub use endpoint::Endpoint;
pub use lookup::{endpoint_from_flag, endpoint_from_name, resolve};
pub use relation::{RelatedUnit, Relation, Units};

pub(crate) use manage::at_start;

use crate::error::HandlerError;
use crate::metadata::Role;

/// A function an endpoint type gives to run at the start of every hook
/// (see [`endpoint_type!`](crate::endpoint_type)).
pub type EndpointHook = fn(&Endpoint) -> Result<(), HandlerError>;

/// An endpoint type as [`endpoint_type!`](crate::endpoint_type) registers
/// it.
#[derive(Debug)]
pub struct EndpointSpec {
    /// The role it implements.
    pub role: Role,
    /// The interface it implements.
    pub interface: &'static str,
    /// The Rust type's name, for messages.
    pub type_name: &'static str,
    /// Runs before the automatic flags are updated, to register triggers
    /// on them.
    pub register_triggers: Option<EndpointHook>,
    /// Runs after the automatic flags are updated, when remote data was
    /// compared.
    pub manage_flags: Option<EndpointHook>,
}

inventory::collect!(EndpointSpec);

/// A type that speaks one role of one interface in the endpoint model.
/// Declare one with [`endpoint_type!`](crate::endpoint_type).
pub trait EndpointType: Sized {
    /// The role.
    const ROLE: Role;
    /// The interface.
    const INTERFACE: &'static str;
    /// Wraps an endpoint.
    fn from_endpoint(endpoint: Endpoint) -> Self;
}

/// Declares an endpoint type for one role of one interface.
///
/// `endpoint_type! { pub struct HttpRequires: requires "http"; }` makes a
/// type that derefs to [`Endpoint`](crate::endpoints::Endpoint), is
/// registered (so `metadata.yaml` binds it to endpoint names and the
/// automatic flags are kept for them), and can be a handler parameter.
///
/// Two optional functions taking `&HttpRequires` and returning `()` or a
/// `Result` run at the start of every hook, as the Python framework's
/// methods of the same names: `register_triggers`, before the automatic
/// flags are updated, and `manage_flags`, after (only when remote data was
/// compared). Name them with paths, in this order:
///
/// ```
/// use reactive_core::prelude::*;
///
/// reactive_core::endpoint_type! {
///     /// The providing side of the `http` interface.
///     pub struct HttpProvides: provides "http",
///         register_triggers = HttpProvides::triggers;
/// }
///
/// impl HttpProvides {
///     fn triggers(&self) {
///         register_trigger(
///             Trigger::when(self.expand_name("changed.port")).clear_flag("http.configured"),
///         );
///     }
/// }
/// ```
#[macro_export]
macro_rules! endpoint_type {
    ($(#[$meta:meta])* $vis:vis struct $name:ident : $role:ident $interface:literal
        $(, register_triggers = $triggers:path)? $(, manage_flags = $manage:path)? ;) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        $vis struct $name($crate::endpoints::Endpoint);

        impl $crate::endpoints::EndpointType for $name {
            const ROLE: $crate::Role = $crate::__role!($role);
            const INTERFACE: &'static str = $interface;
            fn from_endpoint(endpoint: $crate::endpoints::Endpoint) -> Self {
                $name(endpoint)
            }
        }

        $crate::__bound_type!($name, endpoints, Endpoint, $role, $interface);

        $crate::__private::inventory::submit! {
            $crate::endpoints::EndpointSpec {
                role: $crate::__role!($role),
                interface: $interface,
                type_name: stringify!($name),
                register_triggers: $crate::__endpoint_hook!($name $(, $triggers)?),
                manage_flags: $crate::__endpoint_hook!($name $(, $manage)?),
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_hook {
    ($name:ident) => {
        ::core::option::Option::None
    };
    ($name:ident, $f:path) => {{
        fn __endpoint_hook(
            endpoint: &$crate::endpoints::Endpoint,
        ) -> ::core::result::Result<(), $crate::HandlerError> {
            let typed = <$name as $crate::endpoints::EndpointType>::from_endpoint(endpoint.clone());
            $crate::IntoHandlerResult::into_handler_result($f(&typed))
        }
        ::core::option::Option::Some(__endpoint_hook as $crate::endpoints::EndpointHook)
    }};
}
