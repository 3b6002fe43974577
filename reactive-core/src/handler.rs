//! Handlers: what the attribute macros register, and how a handler's
//! parameters are provided (the [`HandlerArg`] extractor trait).

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, HandlerError};
use crate::metadata::Binding;

/// One predicate of a handler. All predicates of a handler must hold for it
/// to run.
///
/// The attribute macros write it with static lists
/// (`Predicate<&'static [&'static str], &'static str>`); a hand-built
/// [`HandlerDef`] and the registry hold owned names (the defaults), after
/// `{relation_name}` expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predicate<L = Vec<String>, N = String> {
    /// `#[when]` / `#[when_all]`: every flag is set.
    WhenAll(L),
    /// `#[when_any]`: at least one flag is set.
    WhenAny(L),
    /// `#[when_not]` / `#[when_none]`: no flag is set.
    WhenNone(L),
    /// `#[when_not_all]`: at least one flag is not set.
    WhenNotAll(L),
    /// `#[hook]`: the current hook matches one of the patterns.
    Hook(L),
    /// `#[action]`: the running action is the one named (it dispatches as
    /// `actions/<name>`).
    Action(N),
    /// `#[when_file_changed]`: a file's content hash differs from the one
    /// recorded the last time this predicate was checked.
    WhenFileChanged(L),
    /// `#[only_once]`: the handler has never run successfully on this unit.
    OnlyOnce,
    /// `#[collect_metrics]` / `#[meter_status_changed]`: runs only in the
    /// restricted mode of that hook (rule D1).
    Restricted(N),
}

/// A predicate as the attribute macros write it.
pub(crate) type StaticPredicate = Predicate<&'static [&'static str], &'static str>;

impl Predicate {
    /// The flags this predicate names (the flags a handler *watches*).
    pub(crate) fn flags(&self) -> &[String] {
        match self {
            Predicate::WhenAll(f)
            | Predicate::WhenAny(f)
            | Predicate::WhenNone(f)
            | Predicate::WhenNotAll(f) => f,
            _ => &[],
        }
    }

    /// A short form for listings: `when_all(a, b)`.
    pub(crate) fn describe(&self) -> String {
        let list = |k: &str, v: &[String]| format!("{k}({})", v.join(", "));
        match self {
            Predicate::WhenAll(v) => list("when_all", v),
            Predicate::WhenAny(v) => list("when_any", v),
            Predicate::WhenNone(v) => list("when_none", v),
            Predicate::WhenNotAll(v) => list("when_not_all", v),
            Predicate::Hook(v) => list("hook", v),
            Predicate::Action(a) => format!("action({a})"),
            Predicate::WhenFileChanged(v) => list("when_file_changed", v),
            Predicate::OnlyOnce => "only_once".into(),
            Predicate::Restricted(h) => format!("restricted({h})"),
        }
    }
}

impl From<StaticPredicate> for Predicate {
    fn from(p: StaticPredicate) -> Predicate {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        match p {
            Predicate::WhenAll(v) => Predicate::WhenAll(owned(v)),
            Predicate::WhenAny(v) => Predicate::WhenAny(owned(v)),
            Predicate::WhenNone(v) => Predicate::WhenNone(owned(v)),
            Predicate::WhenNotAll(v) => Predicate::WhenNotAll(owned(v)),
            Predicate::Hook(v) => Predicate::Hook(owned(v)),
            Predicate::Action(a) => Predicate::Action(a.to_string()),
            Predicate::WhenFileChanged(v) => Predicate::WhenFileChanged(owned(v)),
            Predicate::OnlyOnce => Predicate::OnlyOnce,
            Predicate::Restricted(h) => Predicate::Restricted(h.to_string()),
        }
    }
}

/// A handler body with its parameters resolved, shareable between the
/// instances a handler expands to.
pub(crate) type HandlerBody = Arc<dyn Fn(&Invocation<'_>) -> Result<(), Error> + Send + Sync>;

/// A handler as the attribute macros register it through `inventory`.
///
/// Charm authors never write this by hand; `#[when(...)]` and friends do.
#[doc(hidden)]
#[derive(Debug)]
pub struct HandlerSpec {
    /// Source file of the handler, as `file!()` gives it.
    pub file: &'static str,
    /// Line of the function.
    pub line: u32,
    /// Function name.
    pub name: &'static str,
    /// Module the function is declared in, as `module_path!()` gives it.
    pub declared_in: &'static str,
    /// Its predicates, all of which must hold.
    pub predicates: &'static [Predicate<&'static [&'static str], &'static str>],
    /// Resolves the parameters and calls the function.
    pub invoke: fn(&Invocation<'_>) -> Result<(), HandlerError>,
    /// The [`HandlerArg::binding`] of each parameter type: the first relation
    /// type among them binds the handler, and flags with `{relation_name}`
    /// or `{endpoint_name}` are expanded once per relation name bound to it.
    pub bindings: &'static [fn() -> Option<Binding>],
    /// The flags the body sets, as written (with placeholders), as the
    /// attribute macros read them (for `handlers --unreachable`). A
    /// function, so that a `static` flag name reads as well as a constant.
    pub writes: fn() -> Vec<&'static str>,
}

inventory::collect!(HandlerSpec);

/// A handler built by hand (by tests and generated charms): its place
/// `file:line:name`, predicates and body. The attribute macros build the
/// same from what they register.
///
/// ```
/// use reactive_core::{set_flag, HandlerDef, Predicate};
///
/// let start = HandlerDef::new(
///     "charm.rs",
///     12,
///     "start",
///     vec![Predicate::WhenAll(vec!["app.installed".into()])],
///     |_| {
///         set_flag("app.started");
///         Ok(())
///     },
/// );
/// # let _ = start;
/// ```
#[derive(Clone)]
pub struct HandlerDef {
    pub(crate) file: String,
    pub(crate) line: u32,
    pub(crate) name: String,
    pub(crate) conds: Vec<Predicate>,
    pub(crate) invoke: HandlerBody,
    /// Relation binding for `{relation_name}` / `{endpoint_name}` expansion
    /// (what a relation parameter gives a macro-declared handler).
    pub binding: Option<Binding>,
}

impl fmt::Debug for HandlerDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerDef")
            .field("id", &self.id())
            .field("conds", &self.conds)
            .field("binding", &self.binding)
            .finish()
    }
}

impl HandlerDef {
    /// A handler at `file:line:name` with the given predicates and body.
    pub fn new(
        file: impl Into<String>,
        line: u32,
        name: impl Into<String>,
        conds: Vec<Predicate>,
        invoke: impl Fn(&Invocation<'_>) -> Result<(), Error> + Send + Sync + 'static,
    ) -> HandlerDef {
        HandlerDef {
            file: file.into(),
            line,
            name: name.into(),
            conds,
            invoke: Arc::new(invoke),
            binding: None,
        }
    }

    /// `file:line:name`.
    pub(crate) fn id(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.name)
    }
}

impl From<&'static HandlerSpec> for HandlerDef {
    fn from(s: &'static HandlerSpec) -> HandlerDef {
        let invoke = s.invoke;
        HandlerDef {
            file: s.file.to_string(),
            line: s.line,
            name: s.name.to_string(),
            conds: s.predicates.iter().copied().map(Predicate::from).collect(),
            invoke: Arc::new(move |inv: &Invocation<'_>| {
                invoke(inv).map_err(|e| handler_failed(inv, e))
            }),
            binding: s.bindings.iter().find_map(|binding| binding()),
        }
    }
}

/// What a handler's parameters are resolved from: the handler being invoked.
pub struct Invocation<'a> {
    pub(crate) id: &'a str,
    pub(crate) flags: &'a [String],
    pub(crate) endpoint: Option<&'a str>,
}

impl<'a> Invocation<'a> {
    /// The flags of the handler's `when`/`when_all` predicates, expanded, in
    /// the order written: what relation parameters are resolved from.
    #[must_use]
    pub fn flags(&self) -> &[String] {
        self.flags
    }

    /// The relation name this handler instance was expanded for, if its flags
    /// used `{relation_name}` or `{endpoint_name}`.
    pub(crate) fn endpoint_name(&self) -> Option<&str> {
        self.endpoint
    }

    /// An [`Error::Argument`] for parameter `param` of this handler.
    pub fn arg_error(&self, param: &str, reason: impl Into<String>) -> Error {
        Error::Argument {
            handler: self.id.to_string(),
            param: param.to_string(),
            reason: reason.into(),
        }
    }
}

/// A type a handler can take as a parameter, resolved when it is invoked
/// (in the manner of axum's extractors or bevy's system parameters).
///
/// Relation and endpoint types implement it to be resolved from the
/// handler's flags.
/// A parameter of type `&T` is resolved as `T` and passed by reference.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler parameter",
    label = "the engine cannot provide this parameter",
    note = "a handler parameter's type implements `reactive_core::HandlerArg`: \
            a relation or endpoint type"
)]
pub trait HandlerArg: Sized {
    /// Resolves the value for parameter `param` of the invoked handler.
    fn from_invocation(inv: &Invocation<'_>, param: &'static str) -> Result<Self, Error>;

    /// The relation role and interface this type is bound to, if it is a
    /// relation type. Used to expand `{relation_name}` in the handler's flags.
    #[must_use]
    fn binding() -> Option<Binding> {
        None
    }
}

/// What a handler may return: `()` or `Result<(), E>` for any error `E` that
/// converts into [`HandlerError`] (every `std::error::Error + Send + Sync`).
#[diagnostic::on_unimplemented(
    message = "a handler cannot return `{Self}`",
    label = "a handler returns `()` or `Result<(), E>`",
    note = "`E` is any `std::error::Error + Send + Sync + 'static`, or `reactive_core::HandlerError` \
            (`reactive_core::Result`)"
)]
pub trait IntoHandlerResult {
    /// Converts the handler's return value.
    fn into_handler_result(self) -> Result<(), HandlerError>;
}

impl IntoHandlerResult for () {
    fn into_handler_result(self) -> Result<(), HandlerError> {
        Ok(())
    }
}

impl<E: Into<HandlerError>> IntoHandlerResult for Result<(), E> {
    fn into_handler_result(self) -> Result<(), HandlerError> {
        self.map_err(Into::into)
    }
}

/// Wraps a handler's own failure into [`Error::Handler`].
fn handler_failed(inv: &Invocation<'_>, e: HandlerError) -> Error {
    match e.into_inner().downcast::<Error>() {
        // An engine error raised inside the handler keeps its own variant
        // when it already names a handler (argument errors, nested failures).
        Ok(inner) if matches!(*inner, Error::Argument { .. } | Error::Handler { .. }) => *inner,
        Ok(inner) => Error::Handler {
            handler: inv.id.to_string(),
            source: inner,
        },
        Err(source) => Error::Handler {
            handler: inv.id.to_string(),
            source,
        },
    }
}
