//! [`Recorder`]: the hook tools of one hook as [`HookEnv`](super::HookEnv)
//! calls them, every call recorded for the dispatch trace. Its methods,
//! one per tool, come from the tool table (`tools.rs`).

use std::any::Any;
use std::cell::RefCell;

use super::real::RealTools;
use super::tool_call::ToolCall;
use super::tools::HookTools;

/// What runs the calls.
pub(super) enum Backend {
    /// The processes Juju puts on `PATH`, given the command line the
    /// recorder built (not built again).
    Real(RealTools),
    /// Any other implementation (the testing harness's in-memory tools).
    Other(Box<dyn HookTools>),
}

/// The tools of one hook and the calls made to them so far.
pub(crate) struct Recorder {
    pub(super) backend: Backend,
    calls: RefCell<Vec<ToolCall>>,
}

impl Recorder {
    /// Records the calls made to `tools`.
    pub(super) fn new<T: HookTools + 'static>(tools: T) -> Recorder {
        let backend = match (&tools as &dyn Any).downcast_ref::<RealTools>() {
            Some(real) => Backend::Real(real.clone()),
            None => Backend::Other(Box::new(tools)),
        };
        Recorder {
            backend,
            calls: RefCell::default(),
        }
    }

    /// Appends `c` to the calls made.
    pub(super) fn record(&self, c: ToolCall) {
        self.calls.borrow_mut().push(c);
    }

    /// Every call made so far, in order.
    pub(super) fn calls(&self) -> Vec<ToolCall> {
        self.calls.borrow().clone()
    }

    /// How many calls were made so far.
    pub(super) fn len(&self) -> usize {
        self.calls.borrow().len()
    }
}
