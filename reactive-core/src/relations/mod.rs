//! The relation model interface crates are written in (the Python
//! framework's `RelationBase`): a type per role and interface, bound to
//! every relation name `metadata.yaml` declares with them, grouping remote
//! units into [`Conversation`]s by [`Scope`], setting flags written with
//! `{relation_name}`, and handed to handlers as their argument. The
//! declared type derefs to a [`RelationBase`], whose conversations set the
//! flags and the data.
//!
//! # Map
//! - `relation`: [`RelationBase`], [`RelationType`], the resolution of
//!   handler parameters, and the departing unit leaving its conversation;
//! - `conversation`: [`Conversation`] and [`Scope`], stored in the
//!   key-value store.
//!
//! ```
//! use reactive_core::prelude::*;
//! use reactive_core::relations::Scope;
//!
//! reactive_core::relation_type! {
//!     /// The providing side of the `http` interface.
//!     pub struct HttpProvides: provides "http", scope = Unit;
//! }
//!
//! #[hook("{provides:http}-relation-joined")]
//! fn joined(http: &HttpProvides) -> reactive_core::Result {
//!     http.conversation()?.set_state("{relation_name}.connected")?;
//!     Ok(())
//! }
//!
//! impl HttpProvides {
//!     /// Publishes where the service listens, to every remote unit.
//!     pub fn configure(&self, port: u16) -> reactive_core::Result<(), reactive_core::Error> {
//!         for c in &self.conversations {
//!             c.set_remote("port", port)?;
//!         }
//!         Ok(())
//!     }
//! }
//! # fn main() {}
//! ```
//!
//! Flags a conversation sets carry `{"relation": NAME, "conversations":
//! [KEYS]}`; a flag is cleared only when no conversation holds it. At the
//! end of a `-relation-departed` hook the departing unit leaves its
//! conversation; a conversation left empty is dropped and (beyond the Python
//! framework) released from every flag it still held.

mod conversation;
mod relation;

pub use self::{
    conversation::{Conversation, Scope},
    relation::{RelationBase, RelationType},
};

pub(crate) use relation::RelationSpec;

use crate::error::Error;

/// Work done at the start of every hook, before the dispatch.
pub(crate) fn at_start() -> Result<(), Error> {
    crate::endpoints::at_start()
}

/// Work done at the end of every successful dispatch.
pub(crate) fn at_exit() -> Result<(), Error> {
    relation::depart_current()
}

/// Declares a relation type for one role of one interface.
///
/// `relation_type! { pub struct KafkaRequires: requires "kafka"; }` makes a
/// type that derefs to [`RelationBase`], is registered (so the charm's
/// `metadata.yaml` binds it to relation names), and can be a handler
/// parameter. The scope defaults to `Unit`; write `, scope = Global` or
/// `, scope = Service` to change it.
#[macro_export]
macro_rules! relation_type {
    ($(#[$meta:meta])* $vis:vis struct $name:ident : $role:ident $interface:literal $(, scope = $scope:ident)? ;) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        $vis struct $name($crate::relations::RelationBase);

        impl $crate::relations::RelationType for $name {
            const ROLE: $crate::Role = $crate::__role!($role);
            const INTERFACE: &'static str = $interface;
            const SCOPE: $crate::relations::Scope = $crate::__scope!($($scope)?);
            fn from_relation(relation: $crate::relations::RelationBase) -> Self {
                $name(relation)
            }
        }

        $crate::__bound_type!(
            $name,
            $crate::relations::RelationBase,
            <$name as $crate::relations::RelationType>::resolve,
            $role,
            $interface,
            $crate::__scope!($($scope)?)
        );
    };
}

/// The parts a relation type and an endpoint type share: `Deref` to the
/// wrapped value, `HandlerArg` resolving it through the model's `resolve`
/// and binding it to its role and interface, and its registration with
/// `data`, what the model needs of the type.
#[doc(hidden)]
#[macro_export]
macro_rules! __bound_type {
    ($name:ident, $inner:ty, $resolve:expr, $role:ident, $interface:literal, $data:expr) => {
        impl ::core::ops::Deref for $name {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl $crate::HandlerArg for $name {
            fn from_invocation(
                inv: &$crate::Invocation<'_>,
                param: &'static str,
            ) -> ::core::result::Result<Self, $crate::Error> {
                $resolve(inv, param)
            }
            fn binding() -> ::core::option::Option<$crate::Binding> {
                ::core::option::Option::Some($crate::Binding {
                    role: $crate::__role!($role),
                    interface: $interface,
                })
            }
        }

        $crate::__private::inventory::submit! {
            $crate::__private::TypeSpec {
                binding: $crate::Binding {
                    role: $crate::__role!($role),
                    interface: $interface,
                },
                rust_name: stringify!($name),
                data: $data,
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __role {
    (provides) => {
        $crate::Role::Provides
    };
    (requires) => {
        $crate::Role::Requires
    };
    (peers) => {
        $crate::Role::Peers
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __scope {
    () => {
        $crate::relations::Scope::Unit
    };
    ($scope:ident) => {
        $crate::relations::Scope::$scope
    };
}
