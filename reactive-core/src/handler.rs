//! Handlers: what the attribute macros register, and how a handler's
//! parameters are provided (the [`HandlerArg`] extractor trait).

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, HandlerError};
use crate::metadata::Binding;

/// One predicate of a handler, as the attribute macros write it.
///
/// All predicates of a handler must hold for it to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predicate {
    /// `#[when]` / `#[when_all]`: every flag is set.
    WhenAll(&'static [&'static str]),
    /// `#[when_any]`: at least one flag is set.
    WhenAny(&'static [&'static str]),
    /// `#[when_not]` / `#[when_none]`: no flag is set.
    WhenNone(&'static [&'static str]),
    /// `#[when_not_all]`: at least one flag is not set.
    WhenNotAll(&'static [&'static str]),
    /// `#[hook]`: the current hook matches one of the patterns.
    Hook(&'static [&'static str]),
    /// `#[action]`: the running action is the one named.
    Action(&'static str),
    /// `#[when_file_changed]`: a file's content hash differs from the one
    /// recorded the last time this predicate was checked.
    WhenFileChanged(&'static [&'static str]),
    /// `#[only_once]`: the handler has never run successfully on this unit.
    OnlyOnce,
    /// `#[collect_metrics]` / `#[meter_status_changed]`: runs only in the
    /// restricted mode of that hook (rule D1).
    Restricted(&'static str),
}

/// A predicate with owned names: what a [`HandlerDef`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    /// Every flag is set.
    WhenAll(Vec<String>),
    /// At least one flag is set.
    WhenAny(Vec<String>),
    /// No flag is set.
    WhenNone(Vec<String>),
    /// At least one flag is not set.
    WhenNotAll(Vec<String>),
    /// The current hook matches one of the patterns.
    Hook(Vec<String>),
    /// The running action is the one named (it dispatches as
    /// `actions/<name>`).
    Action(String),
    /// A file changed since this predicate was last checked.
    WhenFileChanged(Vec<String>),
    /// Never ran successfully before.
    OnlyOnce,
    /// Restricted mode of the named hook.
    Restricted(String),
}

impl Cond {
    /// The flags this predicate names (the flags a handler *watches*).
    #[must_use]
    pub fn flags(&self) -> &[String] {
        match self {
            Cond::WhenAll(f) | Cond::WhenAny(f) | Cond::WhenNone(f) | Cond::WhenNotAll(f) => f,
            _ => &[],
        }
    }

    /// A short form for listings: `when_all(a, b)`.
    #[must_use]
    pub fn describe(&self) -> String {
        let list = |k: &str, v: &[String]| format!("{k}({})", v.join(", "));
        match self {
            Cond::WhenAll(v) => list("when_all", v),
            Cond::WhenAny(v) => list("when_any", v),
            Cond::WhenNone(v) => list("when_none", v),
            Cond::WhenNotAll(v) => list("when_not_all", v),
            Cond::Hook(v) => list("hook", v),
            Cond::Action(a) => format!("action({a})"),
            Cond::WhenFileChanged(v) => list("when_file_changed", v),
            Cond::OnlyOnce => "only_once".into(),
            Cond::Restricted(h) => format!("restricted({h})"),
        }
    }
}

impl From<Predicate> for Cond {
    fn from(p: Predicate) -> Cond {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        match p {
            Predicate::WhenAll(v) => Cond::WhenAll(owned(v)),
            Predicate::WhenAny(v) => Cond::WhenAny(owned(v)),
            Predicate::WhenNone(v) => Cond::WhenNone(owned(v)),
            Predicate::WhenNotAll(v) => Cond::WhenNotAll(owned(v)),
            Predicate::Hook(v) => Cond::Hook(owned(v)),
            Predicate::Action(a) => Cond::Action(a.to_string()),
            Predicate::WhenFileChanged(v) => Cond::WhenFileChanged(owned(v)),
            Predicate::OnlyOnce => Cond::OnlyOnce,
            Predicate::Restricted(h) => Cond::Restricted(h.to_string()),
        }
    }
}

/// The function that runs a handler, with its parameters resolved.
pub type InvokeFn = fn(&Invocation<'_>) -> Result<(), Error>;

/// A handler body with its parameters resolved, shareable between the
/// instances a handler expands to.
pub type HandlerBody = Arc<dyn Fn(&Invocation<'_>) -> Result<(), Error> + Send + Sync>;

/// A handler as the attribute macros register it through `inventory`.
///
/// Charm authors never write this by hand; `#[when(...)]` and friends do.
#[derive(Debug)]
pub struct HandlerSpec {
    /// Source file of the handler, as `file!()` gives it.
    pub file: &'static str,
    /// Line of the function.
    pub line: u32,
    /// Function name.
    pub name: &'static str,
    /// Module the function is declared in, as `module_path!()` gives it.
    pub module: &'static str,
    /// Its predicates, all of which must hold.
    pub predicates: &'static [Predicate],
    /// Resolves the parameters and calls the function.
    pub invoke: InvokeFn,
    /// The role and interface of the relation type among the parameters, if
    /// any: flags with `{relation_name}` or `{endpoint_name}` are expanded
    /// once per relation name bound to it.
    pub binding: fn() -> Option<Binding>,
}

inventory::collect!(HandlerSpec);

/// A handler definition with owned data: what the registry is built from.
///
/// Macro-registered handlers become one through `From<&HandlerSpec>`;
/// tests and generated charms may build them directly.
#[derive(Clone)]
pub struct HandlerDef {
    /// Source file.
    pub file: String,
    /// Line.
    pub line: u32,
    /// Function name.
    pub name: String,
    /// Predicates.
    pub conds: Vec<Cond>,
    /// What to run.
    pub invoke: HandlerBody,
    /// Relation binding for `{relation_name}` / `{endpoint_name}` expansion.
    pub binding: Option<Binding>,
}

impl fmt::Debug for HandlerDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerDef")
            .field("id", &format!("{}:{}:{}", self.file, self.line, self.name))
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
        conds: Vec<Cond>,
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
    #[must_use]
    pub fn id(&self) -> String {
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
            conds: s.predicates.iter().copied().map(Cond::from).collect(),
            invoke: Arc::new(move |inv: &Invocation<'_>| invoke(inv)),
            binding: (s.binding)(),
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
    /// `file:line:name` of the handler (with `:endpoint` for expanded ones).
    #[must_use]
    pub fn handler_id(&self) -> &str {
        self.id
    }

    /// The flags of the handler's `when`/`when_all` predicates, expanded, in
    /// the order written: what relation parameters are resolved from.
    #[must_use]
    pub fn flags(&self) -> &[String] {
        self.flags
    }

    /// The relation name this handler instance was expanded for, if its flags
    /// used `{relation_name}` or `{endpoint_name}`.
    #[must_use]
    pub fn endpoint_name(&self) -> Option<&str> {
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
/// `reactive-core` implements it for [`Context`](crate::Context); relation
/// and endpoint types implement it to be resolved from the handler's flags.
/// A parameter of type `&T` is resolved as `T` and passed by reference.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler parameter",
    label = "the engine cannot provide this parameter",
    note = "a handler parameter's type implements `reactive_core::HandlerArg`: \
            `&Context`, or a relation type"
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

/// Wraps a handler's own failure into [`Error::Handler`]. Used by the code
/// the macros generate.
#[doc(hidden)]
#[must_use]
pub fn handler_failed(inv: &Invocation<'_>, e: HandlerError) -> Error {
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

/// The first relation binding among a handler's parameter types (the
/// `binding` of a macro-registered handler).
#[doc(hidden)]
pub fn first_binding(candidates: &[fn() -> Option<Binding>]) -> Option<Binding> {
    candidates.iter().find_map(|binding| binding())
}
