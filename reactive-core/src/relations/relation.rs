//! Relation types: a type per role and interface, bound to every relation
//! name `metadata.yaml` declares with them, handed to handlers as arguments
//! ([`RelationType`], deref to a [`RelationBase`]).

use crate::error::Error;
use crate::handler::Invocation;
use crate::hookenv;
use crate::metadata::{Role, TypeSpec};

use super::conversation::{load_all, stored, Conversation, FlagHolders, Scope};

/// A relation type as [`relation_type!`](crate::relation_type) registers
/// it, with the scope it groups remote units by.
pub(crate) type RelationSpec = TypeSpec<Scope>;

inventory::collect!(RelationSpec);

/// A type that speaks one role of one interface. Declare one with
/// [`relation_type!`](crate::relation_type).
pub trait RelationType: Sized {
    /// The role.
    const ROLE: Role;
    /// The interface.
    const INTERFACE: &'static str;
    /// The conversation scope.
    const SCOPE: Scope;

    /// Wraps a relation instance.
    fn from_relation(relation: RelationBase) -> Self;

    /// The relation of this type that set `flag`, with the conversations
    /// that hold it (the Python framework's `RelationBase.from_flag`);
    /// `None` if the flag is unset, not a relation flag, or set by a
    /// relation of another type.
    fn from_flag(flag: &str) -> Result<Option<Self>, Error> {
        match FlagHolders::of(flag) {
            Some(h) if bound::<Self>(&h.relation) => Ok(Some(Self::from_relation(
                RelationBase::holding(h, Self::SCOPE)?,
            ))),
            _ => Ok(None),
        }
    }

    /// The instance a handler parameter of this type receives: from its
    /// `when` flags, the relation it was expanded for, the running relation
    /// hook, or the only relation bound to the type; what the type's
    /// `HandlerArg` implementation calls.
    #[doc(hidden)]
    fn resolve(inv: &Invocation<'_>, param: &'static str) -> Result<Self, Error> {
        resolve::<Self>(inv, param)
    }
}

/// One relation name's instance (the Python framework's `RelationBase`):
/// its conversations for the current call. The flag and data calls are the
/// [`Conversation`]'s, on [`RelationBase::conversation`] or on each of
/// [`RelationBase::conversations`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationBase {
    /// The relation name (`kafka`, or `queue` if the charm named it so).
    pub relation_name: String,
    /// The conversation scope.
    pub scope: Scope,
    /// The conversations this instance handles.
    pub conversations: Vec<Conversation>,
}

impl RelationBase {
    /// The relation named `name`: in one of its relation hooks, the
    /// conversation of the current remote unit (joined); elsewhere, every
    /// stored conversation of it.
    pub(crate) fn from_name(name: &str, scope: Scope) -> Result<RelationBase, Error> {
        let conversations = if hookenv::relation_type().as_deref() == Some(name) {
            vec![Conversation::join(scope)?]
        } else {
            stored(name)?
        };
        Ok(RelationBase {
            relation_name: name.to_string(),
            scope,
            conversations,
        })
    }

    /// The relation the flag holders `h` name, with their conversations.
    fn holding(h: FlagHolders, scope: Scope) -> Result<RelationBase, Error> {
        Ok(RelationBase {
            scope,
            conversations: load_all(&h.conversations)?,
            relation_name: h.relation,
        })
    }

    /// The conversation of the current remote unit in a relation hook;
    /// elsewhere the only conversation (an error if there are several or
    /// none).
    pub fn conversation(&self) -> Result<&Conversation, Error> {
        if let Some((namespace, scope)) = Conversation::current_key(self.scope) {
            if let Some(c) = self
                .conversations
                .iter()
                .find(|c| c.namespace == namespace && c.scope == scope)
            {
                return Ok(c);
            }
        }
        match self.conversations.as_slice() {
            [only] => Ok(only),
            list => Err(Error::Conversation {
                relation: self.relation_name.clone(),
                reason: format!(
                    "cannot choose one conversation among {} outside a hook of the relation",
                    list.len()
                ),
            }),
        }
    }
}

/// Whether relation `name` is declared with `T`'s role and interface.
fn bound<T: RelationType>(name: &str) -> bool {
    hookenv::relation_is_bound(name, T::ROLE, T::INTERFACE)
}

/// Resolves a handler parameter of relation type `T`: from the handler's
/// `when` flags (the conversations recorded in the first relation flag of
/// `T`'s kind, and of the relation the handler was expanded for, if it
/// was), else from the relation the handler was expanded for, else, for a
/// handler with no `when` flag (a hook handler), from the running relation
/// hook, or the only relation name bound to `T`.
///
/// Flags come first so that a handler on `{relation_name}.available`
/// receives every conversation holding that flag, also in a hook of that
/// relation (where the relation by name is only the current conversation).
pub(crate) fn resolve<T: RelationType>(
    inv: &Invocation<'_>,
    param: &'static str,
) -> Result<T, Error> {
    let what = format!("{}:{}", T::ROLE, T::INTERFACE);
    let endpoint = inv.endpoint_name().filter(|ep| bound::<T>(ep));
    for flag in inv.flags() {
        let holders = FlagHolders::of(flag)
            .filter(|h| bound::<T>(&h.relation) && endpoint.is_none_or(|ep| ep == h.relation));
        if let Some(h) = holders {
            return Ok(T::from_relation(RelationBase::holding(h, T::SCOPE)?));
        }
    }
    if let Some(ep) = endpoint {
        return Ok(T::from_relation(RelationBase::from_name(ep, T::SCOPE)?));
    }
    if !inv.flags().is_empty() {
        return Err(inv.arg_error(
            param,
            format!(
                "none of its flags [{}] was set by a {what} relation",
                inv.flags().join(", ")
            ),
        ));
    }
    if let Some(name) = hookenv::relation_type().filter(|n| bound::<T>(n)) {
        return Ok(T::from_relation(RelationBase::from_name(&name, T::SCOPE)?));
    }
    match hookenv::role_and_interface_to_relations(T::ROLE, T::INTERFACE).as_slice() {
        [only] => Ok(T::from_relation(RelationBase::from_name(only, T::SCOPE)?)),
        names => Err(inv.arg_error(
            param,
            format!(
                "hook {} is not a hook of a {what} relation, and metadata.yaml binds {} relations to it",
                hookenv::hook_name(),
                names.len()
            ),
        )),
    }
}

/// At the end of a `-relation-departed` hook, the departing remote unit
/// leaves its conversation (as the Python framework does at exit).
pub(crate) fn depart_current() -> Result<(), Error> {
    if !hookenv::hook_name().ends_with("-relation-departed") {
        return Ok(());
    }
    let (Some(name), Some(unit)) = (hookenv::relation_type(), hookenv::remote_unit()) else {
        return Ok(());
    };
    let Some((role, interface)) = hookenv::relation_to_role_and_interface(&name) else {
        return Ok(());
    };
    let Some(spec) = inventory::iter::<RelationSpec>
        .into_iter()
        .find(|s| s.implements(role, &interface))
    else {
        return Ok(());
    };
    if let Some((namespace, scope)) = Conversation::current_key(spec.data) {
        if let Some(conv) = Conversation::load(&Conversation::key_of(&namespace, &scope))? {
            conv.depart(&unit)?;
        }
    }
    Ok(())
}
