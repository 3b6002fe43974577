//! Errors: the engine's typed [`Error`], and [`HandlerError`], the error a
//! handler returns.
//!
//! A handler may fail with any error type (`?` works on `std::io::Error`,
//! `serde_json::Error`, this crate's [`Error`], ...), so the error a handler
//! returns is a box, in the manner of `anyhow::Error`; the engine wraps it in
//! [`Error::Handler`], which names the handler.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

pub(crate) use crate::panic::panic_message;

/// The result type charm authors write: `fn h() -> reactive_core::Result`.
pub type Result<T = (), E = HandlerError> = std::result::Result<T, E>;

/// Everything that can make a dispatch, or an engine call, fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A flag name that is empty or holds whitespace or control characters.
    #[error("invalid flag name {flag:?}: a flag name {reason}")]
    InvalidFlag {
        /// The offending name.
        flag: String,
        /// Why it is refused.
        reason: reactive_grammar::NameError,
    },
    /// A handler returned an error or panicked.
    #[error("handler {handler} failed")]
    Handler {
        /// `file:line:name` of the handler.
        handler: String,
        /// What the handler reported.
        #[source]
        source: Box<dyn StdError + Send + Sync + 'static>,
    },
    /// A handler parameter could not be resolved from the handler's flags.
    #[error("handler {handler}: cannot provide parameter `{param}`: {reason}")]
    Argument {
        /// `file:line:name` of the handler.
        handler: String,
        /// The parameter's name in the handler's signature.
        param: String,
        /// Why it could not be resolved (names the flag where one is involved).
        reason: String,
    },
    /// The same flag state came back between iterations with handlers still
    /// queued: the handlers would run forever.
    #[error(
        "livelock: the flag state of iteration {first} came back at iteration {again}; \
         handlers in the cycle: [{}]; flags changed in the cycle: [{}]",
        handlers.join(", "), flags.join(", ")
    )]
    Livelock {
        /// The iteration whose state recurred.
        first: usize,
        /// The iteration at which it recurred.
        again: usize,
        /// Handlers invoked within the cycle.
        handlers: Vec<String>,
        /// Flags set or cleared within the cycle.
        flags: Vec<String>,
    },
    /// The configured upper bound on iterations was reached.
    #[error("dispatch did not settle within {limit} iterations; still queued: [{}]", queued.join(", "))]
    IterationLimit {
        /// The configured bound.
        limit: usize,
        /// Handlers that were still queued.
        queued: Vec<String>,
    },
    /// A flag or trigger API was called while no dispatch is running.
    #[error("{0} called outside a reactive dispatch")]
    NoDispatch(&'static str),
    /// A hook tool failed, or a hook-environment call was made outside a
    /// hook.
    #[error(transparent)]
    Hook(Box<crate::hookenv::HookError>),
    /// A relation conversation could not be found for the call.
    #[error("relation {relation}: {reason}")]
    Conversation {
        /// The relation name.
        relation: String,
        /// Why no conversation fits.
        reason: String,
    },
    /// A value a remote unit published has the wrong shape.
    #[error(transparent)]
    RemoteValue(Box<BadRemoteValue>),
    /// The unit's state store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A value could not be encoded or decoded as JSON.
    #[error("{context}")]
    Json {
        /// What was being encoded or decoded.
        context: String,
        /// The serde_json error.
        #[source]
        source: serde_json::Error,
    },
    /// A file could not be read or written.
    #[error("{path}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A registered handler or trigger declaration is malformed.
    #[error("invalid declaration {id}: {reason}")]
    Declaration {
        /// The handler or trigger id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// Any other failure, with a message saying what and where.
    #[error("{0}")]
    Other(String),
    /// A databag could not be loaded or saved as a type.
    #[error(transparent)]
    Data(Box<crate::databag::DataError>),
}

impl From<crate::databag::DataError> for Error {
    fn from(e: crate::databag::DataError) -> Self {
        Error::Data(Box::new(e))
    }
}

impl From<crate::hookenv::HookError> for Error {
    fn from(e: crate::hookenv::HookError) -> Self {
        Error::Hook(Box::new(e))
    }
}

/// Checks a flag name against the framework's rule (see
/// [`reactive_grammar::check_name`]).
pub(crate) fn check_flag(flag: &str) -> std::result::Result<(), Error> {
    reactive_grammar::check_name(flag).map_err(|reason| Error::InvalidFlag {
        flag: flag.to_string(),
        reason,
    })
}

/// A value a remote unit published that does not have the expected shape.
#[derive(Debug, thiserror::Error)]
#[error(
    "relation {relation_id}: unit {unit} published {key}={}: expected {expected}",
    crate::quote::quote(value)
)]
pub struct BadRemoteValue {
    /// The relation id (`kafka:3`).
    pub relation_id: String,
    /// The remote unit.
    pub unit: String,
    /// The key.
    pub key: String,
    /// What it published (the message quotes at most
    /// [`QUOTE_LIMIT`](crate::QUOTE_LIMIT) bytes of it).
    pub value: String,
    /// What was expected.
    pub expected: String,
}

impl From<BadRemoteValue> for Error {
    fn from(e: BadRemoteValue) -> Self {
        Error::RemoteValue(Box::new(e))
    }
}

/// The error a handler returns: any `std::error::Error + Send + Sync`.
///
/// `?` converts into it from any error type. It deliberately does not
/// implement `std::error::Error` itself (that would conflict with the blanket
/// conversion); use [`HandlerError::into_inner`] to get the box back.
pub struct HandlerError(Box<dyn StdError + Send + Sync + 'static>);

impl HandlerError {
    /// An error made of a message.
    pub fn msg(message: impl fmt::Display) -> Self {
        HandlerError(Box::new(Error::Other(message.to_string())))
    }

    /// An error from a boxed one (`Box<dyn Error + Send + Sync>` cannot
    /// convert by `?`: the blanket conversion from every error type rules
    /// that impl out).
    #[must_use]
    pub fn from_boxed(e: Box<dyn StdError + Send + Sync + 'static>) -> Self {
        HandlerError(e)
    }

    /// The boxed error.
    #[must_use]
    pub fn into_inner(self) -> Box<dyn StdError + Send + Sync + 'static> {
        self.0
    }
}

/// The error, borrowed.
impl AsRef<dyn StdError + Send + Sync + 'static> for HandlerError {
    fn as_ref(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.0
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for HandlerError {
    fn from(e: E) -> Self {
        HandlerError(Box::new(e))
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// An error and its chain of causes, one per line, for logs. Each error's
/// message leaves its cause out (thiserror's convention), so each cause is
/// printed once.
pub fn error_chain(e: &(dyn StdError + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        out.push_str("\n  caused by: ");
        out.push_str(&c.to_string());
        cur = c.source();
    }
    out
}
