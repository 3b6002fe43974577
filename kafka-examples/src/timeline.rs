//! A readable account of hook runs: per hook, the handlers it invoked (from
//! the engine's `Invoking reactive handler:` log lines), the flags it set
//! and cleared, and the status it left.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use juju_sim::report::{HookRun, RunStatus};
use serde_json::Value;

/// The prefix of the line the engine logs before each handler.
pub const INVOKING: &str = "Invoking reactive handler: ";

/// One hook run, summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Position in the model's history.
    pub seq: u64,
    /// The unit.
    pub unit: String,
    /// The hook.
    pub hook: String,
    /// The remote unit of a relation hook.
    pub remote: Option<String>,
    /// Names of the handlers invoked, in order (`client_joined`).
    pub handlers: Vec<String>,
    /// Flags set by the hook.
    pub set: Vec<String>,
    /// Flags cleared by the hook.
    pub cleared: Vec<String>,
    /// The status the hook set last, if it set one: (status, message).
    pub status: Option<(String, String)>,
    /// Other lines logged (`LEVEL: message`), DEBUG left out.
    pub logs: Vec<String>,
    /// How it ended.
    pub outcome: RunStatus,
    /// Attempt number (2 for the first retry).
    pub attempt: u32,
    /// Wall time, ms.
    pub wall_ms: f64,
}

/// The handler name in an engine handler id (`file:line:name` or
/// `file:line:name:endpoint`).
pub fn handler_name(id: &str) -> &str {
    let parts: Vec<&str> = id.split(':').collect();
    match parts.iter().position(|p| p.parse::<u32>().is_ok()) {
        Some(i) if i + 1 < parts.len() => parts[i + 1],
        _ => id,
    }
}

/// Builds [`Entry`]s, remembering each unit's flags to report changes.
#[derive(Debug, Default)]
pub struct Timeline {
    flags: HashMap<String, BTreeMap<String, Value>>,
}

impl Timeline {
    /// A timeline with no unit seen yet.
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// Summarises `run`; its flags (recorded by juju-sim with
    /// `record_flags`) are compared with the unit's flags after its
    /// previous run.
    pub fn record(&mut self, run: &HookRun) -> Entry {
        let mut handlers = Vec::new();
        let mut logs = Vec::new();
        let mut status = None;
        // Juju prefixes juju-log messages of a relation hook with the
        // relation id (`jujuc/juju-log.go`).
        let prefix = run.relation.as_ref().map(|r| format!("{}: ", r.id));
        for call in &run.calls {
            match call.tool.as_str() {
                "juju-log" => {
                    let Some(line) = &call.log else { continue };
                    let message = prefix
                        .as_deref()
                        .and_then(|p| line.message.strip_prefix(p))
                        .unwrap_or(&line.message);
                    if let Some(id) = message.strip_prefix(INVOKING) {
                        handlers.push(handler_name(id).to_string());
                    } else if line.level != "DEBUG" {
                        logs.push(format!("{}: {message}", line.level));
                    }
                }
                "status-set" if call.exit_code == 0 => {
                    let mut args = call.args.iter().filter(|a| !a.starts_with("--"));
                    if let Some(state) = args.next() {
                        let message = args.cloned().collect::<Vec<_>>().join(" ");
                        status = Some((state.clone(), message));
                    }
                }
                _ => {}
            }
        }
        let (mut set, mut cleared) = (Vec::new(), Vec::new());
        if let Some(after) = &run.flags {
            let before = self.flags.insert(run.unit.clone(), after.clone());
            let before = before.unwrap_or_default();
            set = after
                .keys()
                .filter(|f| !before.contains_key(*f))
                .cloned()
                .collect();
            cleared = before
                .keys()
                .filter(|f| !after.contains_key(*f))
                .cloned()
                .collect();
        }
        Entry {
            seq: run.seq,
            unit: run.unit.clone(),
            hook: run.hook.clone(),
            remote: run.relation.as_ref().and_then(|r| r.remote_unit.clone()),
            handlers,
            set,
            cleared,
            status,
            logs,
            outcome: run.status.clone(),
            attempt: run.attempt,
            wall_ms: run.wall_micros as f64 / 1000.0,
        }
    }
}

impl fmt::Display for Entry {
    /// A header line (seq, unit, hook, remote unit, outcome, time) and one
    /// indented line per thing that happened.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hook = match &self.remote {
            Some(r) => format!("{} ({r})", self.hook),
            None => self.hook.clone(),
        };
        let outcome = match &self.outcome {
            RunStatus::Succeeded => String::new(),
            RunStatus::Skipped => "  skipped".into(),
            RunStatus::Failed { exit_code, .. } => format!(
                "  FAILED (exit {}), attempt {}",
                exit_code.map_or("?".into(), |c| c.to_string()),
                self.attempt
            ),
        };
        writeln!(
            f,
            "{:>4} {:<18} {:<50} {:>6.1} ms{outcome}",
            self.seq, self.unit, hook, self.wall_ms
        )?;
        let pad = "       ";
        if !self.handlers.is_empty() {
            writeln!(f, "{pad}handlers: {}", self.handlers.join(", "))?;
        }
        if !self.set.is_empty() || !self.cleared.is_empty() {
            let changes: Vec<String> = (self.set.iter().map(|s| format!("+{s}")))
                .chain(self.cleared.iter().map(|c| format!("-{c}")))
                .collect();
            writeln!(f, "{pad}flags:    {}", changes.join(" "))?;
        }
        if let Some((state, message)) = &self.status {
            writeln!(f, "{pad}status:   {state}: {message}")?;
        }
        for line in &self.logs {
            writeln!(f, "{pad}log:      {line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::handler_name;

    #[test]
    fn handler_names_come_out_of_ids() {
        assert_eq!(
            handler_name("kafka-iface/src/provides.rs:40:client_joined"),
            "client_joined"
        );
        assert_eq!(
            handler_name("examples/src/bin/kafka-provider.rs:12:report_ready:kafka"),
            "report_ready"
        );
        assert_eq!(handler_name("odd"), "odd");
    }
}
