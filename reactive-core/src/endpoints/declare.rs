//! Declaring an endpoint type: [`EndpointType`], the
//! [`endpoint_type!`](crate::endpoint_type) macro, and what it registers.

use super::{lookup, Endpoint};
use crate::error::{Error, HandlerError};
use crate::handler::Invocation;
use crate::metadata::{Role, TypeSpec};

/// A function an endpoint type gives to run at the start of every hook
/// (see [`endpoint_type!`](crate::endpoint_type)).
pub(crate) type EndpointHook = fn(&Endpoint) -> Result<(), HandlerError>;

/// An endpoint type as [`endpoint_type!`](crate::endpoint_type) registers
/// it: its `register_triggers`, run before the automatic flags are updated
/// (to register triggers on them), and its `manage_flags`, run after, when
/// remote data was compared.
pub(crate) type EndpointSpec = TypeSpec<(Option<EndpointHook>, Option<EndpointHook>)>;

inventory::collect!(EndpointSpec);

/// A type that speaks one role of one interface in the endpoint model.
/// Declare one with [`endpoint_type!`](crate::endpoint_type); the provided
/// methods find its endpoints as the Python framework's class methods of
/// the same names do.
pub trait EndpointType: Sized {
    /// The role.
    const ROLE: Role;
    /// The interface.
    const INTERFACE: &'static str;

    /// Wraps an endpoint.
    fn from_endpoint(endpoint: Endpoint) -> Self;

    /// Endpoint `name`, if `metadata.yaml` binds it to this type's role
    /// and interface.
    fn from_name(name: &str) -> Result<Option<Self>, Error> {
        lookup::bound_endpoint::<Self>(name)
    }

    /// The endpoint that set `flag` (`endpoint.<name>.…`, or `<name>.…`),
    /// if the flag is set and names an endpoint of this type.
    fn from_flag(flag: &str) -> Result<Option<Self>, Error> {
        lookup::endpoint_of_flag::<Self>(flag)
    }

    /// The endpoint a handler parameter of this type receives (see the
    /// [module documentation](crate::endpoints#handler-parameters)); what
    /// the type's `HandlerArg` implementation calls.
    #[doc(hidden)]
    fn resolve(inv: &Invocation<'_>, param: &'static str) -> Result<Self, Error> {
        lookup::resolve::<Self>(inv, param)
    }
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

        $crate::__bound_type!(
            $name,
            $crate::endpoints::Endpoint,
            <$name as $crate::endpoints::EndpointType>::resolve,
            $role,
            $interface,
            (
                $crate::__endpoint_hook!($name $(, $triggers)?),
                $crate::__endpoint_hook!($name $(, $manage)?),
            )
        );
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
        ::core::option::Option::Some(
            __endpoint_hook
                as fn(
                    &$crate::endpoints::Endpoint,
                ) -> ::core::result::Result<(), $crate::HandlerError>,
        )
    }};
}
