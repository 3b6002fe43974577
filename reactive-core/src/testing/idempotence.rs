//! The idempotence check: fire a hook again on a settled state and report
//! everything that still happens. Handlers that re-run and rewrite on every
//! `update-status` are the most common complaint about reactive charms
//! (charms.reactive issues 139 and 154); this makes them visible in a test.

use std::collections::BTreeMap;
use std::fmt;

use super::{Outcome, State};

/// Hook tools that change the unit's world; a settled charm calls none.
const WRITE_TOOLS: [&str; 8] = [
    "relation-set",
    "leader-set",
    "open-port",
    "close-port",
    "status-set",
    "application-version-set",
    "juju-reboot",
    "secret-set",
];

/// What re-firing a hook did, though nothing had changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotence {
    /// The hook fired again.
    pub hook: String,
    /// Every handler that ran, by id (`file:line:name`).
    pub handlers: Vec<String>,
    /// Every change to the state: flags, key-value data, relation settings,
    /// leader settings, ports, statuses, the workload version.
    pub changes: Vec<String>,
    /// Every hook-tool call that writes (`relation-set`, `status-set`,
    /// `open-port`, ...), as command lines, even when it wrote the same.
    pub writes: Vec<String>,
    /// The error, if the hook failed.
    pub error: Option<String>,
}

impl Idempotence {
    /// Whether re-firing did nothing at all: no handler ran, nothing
    /// changed, nothing was written, no error.
    #[must_use]
    pub fn is_idempotent(&self) -> bool {
        self.handlers.is_empty()
            && self.changes.is_empty()
            && self.writes.is_empty()
            && self.error.is_none()
    }
}

impl fmt::Display for Idempotence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_idempotent() {
            return write!(f, "{}: nothing ran, nothing changed", self.hook);
        }
        writeln!(f, "{} fired again on its own output:", self.hook)?;
        let lists = [
            ("handler ran", &self.handlers),
            ("changed", &self.changes),
            ("written", &self.writes),
        ];
        for (label, items) in lists {
            for item in items {
                writeln!(f, "  {label}: {item}")?;
            }
        }
        if let Some(e) = &self.error {
            writeln!(f, "  failed: {e}")?;
        }
        Ok(())
    }
}

/// The entries of two maps that differ, as `what key: before -> after`.
fn diff<V: fmt::Debug + PartialEq>(
    what: &str,
    before: &BTreeMap<String, V>,
    after: &BTreeMap<String, V>,
    out: &mut Vec<String>,
) {
    for (k, v) in before {
        match after.get(k) {
            None => out.push(format!("{what} {k}: {v:?} -> unset")),
            Some(w) if w != v => out.push(format!("{what} {k}: {v:?} -> {w:?}")),
            Some(_) => {}
        }
    }
    for (k, w) in after {
        if !before.contains_key(k) {
            out.push(format!("{what} {k}: unset -> {w:?}"));
        }
    }
}

/// Every difference between two states a hook can make.
pub(crate) fn changes(before: &State, after: &State) -> Vec<String> {
    let mut out = Vec::new();
    diff("flag", &before.flags, &after.flags, &mut out);
    // The hook counter changes in every hook by design.
    let counted = |kv: &BTreeMap<String, serde_json::Value>| {
        let mut kv = kv.clone();
        kv.remove(crate::skips::HOOK_NUMBER_KEY);
        kv
    };
    diff(
        "key-value",
        &counted(&before.kv),
        &counted(&after.kv),
        &mut out,
    );
    diff(
        "leader setting",
        &before.leader_settings,
        &after.leader_settings,
        &mut out,
    );
    for (b, a) in before.relations.iter().zip(&after.relations) {
        let rid = b.relation_id();
        diff(
            &format!("{rid} unit setting"),
            &b.local_unit_data,
            &a.local_unit_data,
            &mut out,
        );
        diff(
            &format!("{rid} application setting"),
            &b.local_app_data,
            &a.local_app_data,
            &mut out,
        );
    }
    for (path, bytes) in &after.files {
        if before.files.get(path) != Some(bytes) {
            out.push(format!("file {} written", path.display()));
        }
    }
    for path in before
        .files
        .keys()
        .filter(|p| !after.files.contains_key(*p))
    {
        out.push(format!("file {} removed", path.display()));
    }
    for p in before.opened_ports.difference(&after.opened_ports) {
        out.push(format!("port {p} closed"));
    }
    for p in after.opened_ports.difference(&before.opened_ports) {
        out.push(format!("port {p} opened"));
    }
    for (what, b, a) in [
        ("unit status", &before.status, &after.status),
        ("application status", &before.app_status, &after.app_status),
    ] {
        if b != a {
            out.push(format!("{what}: {b} -> {a}"));
        }
    }
    if before.application_version != after.application_version {
        out.push(format!(
            "workload version: {:?} -> {:?}",
            before.application_version, after.application_version
        ));
    }
    out
}

impl Idempotence {
    /// What firing a hook on `before` did, when nothing should happen:
    /// `before` is typically the output of an earlier hook, and `outcome`
    /// its run of a hook such as `update-status`:
    /// `Idempotence::of(&state, &state.run(Hook::new("update-status"))).is_idempotent()`.
    #[must_use]
    pub fn of(before: &State, outcome: &Outcome) -> Idempotence {
        Idempotence {
            hook: outcome.trace.hook.clone(),
            handlers: outcome.trace.invoked().map(str::to_string).collect(),
            changes: changes(before, &outcome.state),
            writes: outcome
                .tool_calls
                .iter()
                .filter(|c| WRITE_TOOLS.contains(&c.tool.as_str()))
                .map(ToString::to_string)
                .collect(),
            error: outcome.error_message(),
        }
    }
}
