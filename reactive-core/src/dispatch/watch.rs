//! What the dispatcher watches while handlers run: the flags changed since
//! the last iteration, whether the rest of the queue must be re-tested, and
//! the changes of the running handler, for the trace.

use crate::trace::FlagChange;

/// The dispatcher's bookkeeping of flag changes (the Python framework's
/// `FlagWatch`).
#[derive(Debug, Default)]
pub(crate) struct Watch {
    /// Flags changed since the last [`Watch::take_changed`].
    changed: Vec<String>,
    /// A flag was cleared (or clear was called) since the last
    /// [`Watch::take_retest`]: the rest of the queue must be re-tested
    /// (rule D4).
    retest: bool,
    /// Changes since the last [`Watch::take_steps`], for the trace.
    steps: Vec<FlagChange>,
}

impl Watch {
    /// Records that `flag` became set (`set`) or cleared.
    pub(crate) fn changed(&mut self, flag: &str, set: bool) {
        self.changed.push(flag.to_string());
        self.steps.push(if set {
            FlagChange::Set(flag.to_string())
        } else {
            FlagChange::Cleared(flag.to_string())
        });
    }

    /// Records that a flag was cleared, changed or not (rule D4).
    pub(crate) fn clear_called(&mut self) {
        self.retest = true;
    }

    /// The flags changed since the last call, deduplicated and sorted.
    pub(crate) fn take_changed(&mut self) -> Vec<String> {
        let mut c = std::mem::take(&mut self.changed);
        c.sort();
        c.dedup();
        c
    }

    /// Whether the queue must be re-tested; resets the mark.
    pub(crate) fn take_retest(&mut self) -> bool {
        std::mem::take(&mut self.retest)
    }

    /// The changes since the last call, in order.
    pub(crate) fn take_steps(&mut self) -> Vec<FlagChange> {
        std::mem::take(&mut self.steps)
    }
}
