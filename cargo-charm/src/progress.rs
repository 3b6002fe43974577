//! Progress lines on stderr for the steps that take a while.

use std::time::Instant;

/// Where progress goes: stderr, or nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Print nothing.
    pub quiet: bool,
}

/// A step under way; [`Step::done`] reports how long it took.
#[derive(Debug)]
#[must_use = "report the end of the step with `done`"]
pub struct Step {
    progress: Progress,
    started: Instant,
}

impl Progress {
    /// Announces a step (`building kafka-provider`).
    pub fn step(&self, what: impl std::fmt::Display) -> Step {
        if !self.quiet {
            eprintln!("cargo-charm: {what} ...");
        }
        Step {
            progress: *self,
            started: Instant::now(),
        }
    }

    /// A line of its own.
    pub fn note(&self, what: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("cargo-charm: {what}");
        }
    }
}

impl Step {
    /// Reports the step's end: `detail` and the time it took.
    pub fn done(self, detail: impl std::fmt::Display) {
        if !self.progress.quiet {
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!("cargo-charm:   {detail} ({secs:.1} s)");
        }
    }
}
