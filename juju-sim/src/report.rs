//! What the simulator reports: hook runs, units left in error, actions.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::context::CallRecord;

/// How a hook run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunStatus {
    /// Exit status 0: its writes were committed.
    Succeeded,
    /// Non-zero exit or killed: its writes were discarded.
    Failed {
        /// The exit status, if it exited.
        exit_code: Option<i32>,
        /// The signal that killed it, if one did (also after a timeout).
        signal: Option<i32>,
    },
    /// The charm has neither `dispatch` nor `hooks/<hook>`: nothing ran.
    Skipped,
}

/// The relation variables a relation hook ran with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationEnv {
    /// `JUJU_RELATION`: the local endpoint name.
    pub name: String,
    /// `JUJU_RELATION_ID`: `name:id`.
    pub id: String,
    /// `JUJU_REMOTE_UNIT` (`None` when empty).
    pub remote_unit: Option<String>,
    /// `JUJU_REMOTE_APP`.
    pub remote_app: String,
    /// `JUJU_DEPARTING_UNIT`, for `-relation-departed`.
    pub departing_unit: Option<String>,
}

/// One hook (or action) run on one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HookRun {
    /// Position in the model's history, from 0.
    pub seq: u64,
    /// The unit.
    pub unit: String,
    /// The hook name (`kafka-relation-changed`), or the action name.
    pub hook: String,
    /// The action id, if this was an action.
    pub action: Option<String>,
    /// The relation variables, for relation hooks.
    pub relation: Option<RelationEnv>,
    /// How it ended.
    pub status: RunStatus,
    /// 1 for the first try of this event, 2 for the first retry, ...
    pub attempt: u32,
    /// Wall time of the hook process, µs.
    pub wall_micros: u64,
    /// Time spent inside hook tools, µs (sum of the tools' own timings).
    pub tool_micros: u64,
    /// Peak resident set size of the hook process (the largest of it and
    /// the processes it waited for, such as hook tools), KiB.
    pub peak_rss_kib: u64,
    /// Every hook-tool call, in order.
    pub calls: Vec<CallRecord>,
    /// The end of the hook's stdout.
    pub stdout_tail: String,
    /// The end of the hook's stderr.
    pub stderr_tail: String,
    /// The unit's flags after the hook, when flag recording is on.
    pub flags: Option<BTreeMap<String, Value>>,
}

impl HookRun {
    /// Whether the hook exited 0 (or was skipped).
    pub fn succeeded(&self) -> bool {
        !matches!(self.status, RunStatus::Failed { .. })
    }

    /// Number of calls per tool name.
    pub fn calls_by_tool(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for call in &self.calls {
            *counts.entry(call.tool.as_str()).or_default() += 1;
        }
        counts
    }
}

impl fmt::Display for HookRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = match &self.status {
            RunStatus::Succeeded => "ok".to_string(),
            RunStatus::Skipped => "skipped".to_string(),
            RunStatus::Failed {
                exit_code: Some(c), ..
            } => format!("FAILED (exit {c})"),
            RunStatus::Failed {
                signal: Some(s), ..
            } => format!("FAILED (signal {s})"),
            RunStatus::Failed { .. } => "FAILED".to_string(),
        };
        write!(f, "{:<14} {:<36} {outcome}", self.unit, self.hook)?;
        if self.status != RunStatus::Skipped {
            write!(
                f,
                "  {:.1} ms, {} tool calls ({:.1} ms)",
                self.wall_micros as f64 / 1000.0,
                self.calls.len(),
                self.tool_micros as f64 / 1000.0
            )?;
        }
        Ok(())
    }
}

/// A unit whose hook failed on every attempt of a settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitError {
    /// The unit.
    pub unit: String,
    /// The hook at the head of its queue.
    pub hook: String,
    /// Attempts made during the settle.
    pub attempts: u32,
    /// The exit status of the last attempt.
    pub exit_code: Option<i32>,
    /// The end of the last attempt's stderr.
    pub stderr_tail: String,
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unit {} hook {} failed {} times",
            self.unit, self.hook, self.attempts
        )?;
        if let Some(code) = self.exit_code {
            write!(f, " (exit {code})")?;
        }
        let last = summary(&self.stderr_tail);
        if !last.is_empty() {
            write!(f, ": {last}")?;
        }
        Ok(())
    }
}

/// The last message of a hook's stderr: its last line that is not
/// indented, with the indented lines under it (`caused by: ...`).
fn summary(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines
        .iter()
        .rposition(|l| !l.starts_with(char::is_whitespace))
        .unwrap_or(0);
    let parts: Vec<&str> = lines[start.min(lines.len())..]
        .iter()
        .map(|l| l.trim())
        .collect();
    parts.join(" / ")
}

/// What one `settle` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    /// The hook runs, in order.
    pub runs: Vec<HookRun>,
    /// Units left in error (their failed hook stays queued).
    pub errors: Vec<UnitError>,
    /// The model's seed ([`Model::seed`](crate::Model::seed)), to replay
    /// the run.
    #[serde(default)]
    pub seed: u64,
}

impl Settlement {
    /// Every hook run that failed (with the end of its stderr) and every
    /// unit left in error, one text each; empty when all went well.
    #[must_use]
    pub fn failures(&self) -> Vec<String> {
        let runs = self
            .runs
            .iter()
            .filter(|r| !r.succeeded())
            .map(|r| format!("{r}\n{}", r.stderr_tail));
        let units = self.errors.iter().map(|e| format!("{e:?}"));
        runs.chain(units).collect()
    }
}

/// The state of a queued or finished action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    /// Queued, not run yet.
    Pending,
    /// Ran, exited 0 and did not call `action-fail`.
    Completed,
    /// Called `action-fail` or exited non-zero.
    Failed,
}

/// An action and, once run, its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// The action id (also `JUJU_ACTION_UUID`).
    pub id: String,
    /// The unit it runs on.
    pub unit: String,
    /// The action name.
    pub name: String,
    /// Its parameters, defaults included.
    pub params: serde_json::Map<String, Value>,
    /// Its state.
    pub status: ActionStatus,
    /// `action-set` results.
    pub results: serde_json::Map<String, Value>,
    /// The `action-fail` message or the failure reason.
    pub message: Option<String>,
    /// `action-log` messages.
    pub logs: Vec<String>,
    /// What the task printed (the end of it), as `juju show-task` shows.
    #[serde(default)]
    pub stdout: String,
    /// What the task printed on stderr (the end of it).
    #[serde(default)]
    pub stderr: String,
    /// The task's exit status, once it ran.
    #[serde(default)]
    pub exit_code: Option<i32>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_keeps_the_headline_of_a_multi_line_error() {
        let stderr = "noise\nhook start failed: writing out\n  caused by: relation-set exited 1\n";
        assert_eq!(
            super::summary(stderr),
            "hook start failed: writing out / caused by: relation-set exited 1"
        );
        assert_eq!(super::summary("it broke\n"), "it broke");
        assert_eq!(super::summary(""), "");
    }
}
