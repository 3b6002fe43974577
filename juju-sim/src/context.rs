//! The per-hook context: what the simulator tells the hook tools, and what
//! they hand back.
//!
//! Before a hook the simulator writes `context.json` into a directory named
//! by `JUJU_SIM_CONTEXT`; the tools read it, and the tools that change
//! something (relation-set, status-set, ...) rewrite it. Every tool call
//! appends one line to `calls.jsonl`. After the hook the simulator reads both
//! back and decides what to commit. Hooks of a unit run one at a time; the
//! tools still lock the context file (shared to read, exclusive to write),
//! so tools run in parallel by one hook do not lose each other's writes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ports::Port;

/// The environment variable naming the context directory of a hook.
pub const CONTEXT_ENV: &str = "JUJU_SIM_CONTEXT";

/// Relation settings: string keys to string values.
pub type Settings = BTreeMap<String, String>;

/// A workload status (`status-set`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// `maintenance`, `blocked`, `waiting`, `active` or `unknown`.
    pub status: String,
    /// The message shown next to it.
    pub message: String,
}

impl Default for Status {
    fn default() -> Self {
        Status {
            status: "unknown".into(),
            message: String::new(),
        }
    }
}

/// One `juju-log` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// `DEBUG`, `INFO`, `WARNING`, `ERROR`, ...
    pub level: String,
    /// The message.
    pub message: String,
}

/// One hook-tool call, as the tool recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The tool (`relation-get`).
    pub tool: String,
    /// Its arguments, without the tool name.
    pub args: Vec<String>,
    /// Its exit status.
    pub exit_code: i32,
    /// Time spent inside the tool, from its start to its reply, in µs.
    pub micros: u64,
    /// The message printed on stderr when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The line logged, for `juju-log`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogLine>,
    /// Lines Juju logs about the call itself (`juju-log` with an invalid
    /// level), before [`CallRecord::log`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<LogLine>,
}

/// One relation as the local unit sees it during a hook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationContext {
    /// The local endpoint name (`kafka`).
    pub name: String,
    /// The remote application (the local one for peers).
    pub remote_app: String,
    /// A peer relation.
    pub peer: bool,
    /// Listed by `relation-ids` (false while the relation is being left).
    pub listed: bool,
    /// Remote units in scope, for `relation-list`.
    pub units: Vec<String>,
    /// The local unit's settings; the tools edit these.
    pub local_unit: Settings,
    /// The local application's settings; the leader edits these.
    pub local_app: Settings,
    /// Committed settings of remote units (including one departing now).
    pub remote_units: BTreeMap<String, Settings>,
    /// Committed settings of the remote application.
    pub remote_app_data: Settings,
}

/// The action being run, for the `action-*` tools.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionContext {
    /// The action name.
    pub name: String,
    /// Its parameters, defaults from `actions.yaml` filled in.
    pub params: serde_json::Map<String, Value>,
    /// What `action-set` recorded (dotted keys become nested maps).
    pub results: serde_json::Map<String, Value>,
    /// The `action-fail` message, once called.
    pub failed: Option<String>,
    /// `action-log` messages.
    pub logs: Vec<String>,
}

/// Everything a hook tool may read or change during one hook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HookContext {
    /// The local unit (`kafka/0`).
    pub unit: String,
    /// Its application (`kafka`).
    pub app: String,
    /// Whether the unit holds leadership.
    pub leader: bool,
    /// `unit-get private-address`.
    pub private_address: String,
    /// `unit-get public-address`.
    pub public_address: String,
    /// Endpoint names `network-get` answers for.
    pub bindings: Vec<String>,
    /// The application config; options without a value are `null`.
    pub config: BTreeMap<String, Value>,
    /// The relation of a relation hook (default for `-r`).
    pub relation_id: Option<u32>,
    /// The remote unit of a relation hook (default for `relation-get`).
    pub remote_unit: Option<String>,
    /// Relations the unit is in, by id.
    pub relations: BTreeMap<u32, RelationContext>,
    /// Leader settings; the leader edits these.
    pub leader_settings: Settings,
    /// Opened ports; `open-port` and `close-port` edit these.
    pub ports: BTreeSet<Port>,
    /// The unit's workload status.
    pub unit_status: Status,
    /// The application status.
    pub app_status: Status,
    /// Workload status of every unit of the application.
    pub app_unit_statuses: BTreeMap<String, Status>,
    /// `application-version-set`.
    pub workload_version: String,
    /// The action being run, if this is an action.
    pub action: Option<ActionContext>,
    /// What `goal-state` prints (`units` and `relations`).
    #[serde(default)]
    pub goal_state: Value,
    /// `JUJU_MODEL_UUID` (secret ids derive from it).
    #[serde(default)]
    pub model_uuid: String,
    /// The model's secrets; the `secret-*` tools check who may see what.
    #[serde(default)]
    pub secrets: crate::secret::SecretStore,
}

/// The directory holding one hook's context files.
#[derive(Debug, Clone)]
pub struct ContextDir {
    dir: PathBuf,
}

impl ContextDir {
    /// A context directory at `dir` (created by [`ContextDir::begin`]).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ContextDir { dir: dir.into() }
    }

    /// Its path, the value of `JUJU_SIM_CONTEXT`.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn context_file(&self) -> PathBuf {
        self.dir.join("context.json")
    }

    fn calls_file(&self) -> PathBuf {
        self.dir.join("calls.jsonl")
    }

    /// Starts a hook: writes `ctx` and empties the call journal.
    pub fn begin(&self, ctx: &HookContext) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        fresh_file(&self.calls_file())?;
        let bytes = serde_json::to_vec(ctx).map_err(|e| invalid(&self.context_file(), e))?;
        fresh_file(&self.context_file())?.write_all(&bytes)
    }

    /// Reads the context (under a shared lock, so never half-written).
    pub fn read(&self) -> io::Result<HookContext> {
        let mut file = File::open(self.context_file())?;
        lock(&file, libc::LOCK_SH)?;
        self.parse(&mut file)
    }

    /// Read-modify-write under an exclusive lock. The context is written
    /// back, in place, only when `f` succeeds.
    pub fn update<T, E>(
        &self,
        f: impl FnOnce(&mut HookContext) -> Result<T, E>,
    ) -> io::Result<Result<T, E>> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(self.context_file())?;
        lock(&file, libc::LOCK_EX)?;
        let mut ctx = self.parse(&mut file)?;
        let result = f(&mut ctx);
        if result.is_ok() {
            let bytes = serde_json::to_vec(&ctx).map_err(|e| invalid(&self.context_file(), e))?;
            // Overwrite, then cut: truncating to zero first would make ext4
            // flush the file on close (its replace-by-truncate heuristic).
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&bytes)?;
            file.set_len(bytes.len() as u64)?;
        }
        Ok(result)
    }

    fn parse(&self, file: &mut File) -> io::Result<HookContext> {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        serde_json::from_slice(&bytes).map_err(|e| invalid(&self.context_file(), e))
    }

    /// Appends one call record (a single `write` of one line, so concurrent
    /// appends do not interleave).
    pub fn append_call(&self, record: &CallRecord) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(|e| invalid(&self.calls_file(), e))?;
        line.push(b'\n');
        let mut file = OpenOptions::new().append(true).open(self.calls_file())?;
        file.write_all(&line)
    }

    /// The calls recorded so far, in order.
    pub fn read_calls(&self) -> io::Result<Vec<CallRecord>> {
        let path = self.calls_file();
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| invalid(&path, e)))
            .collect()
    }
}

/// Creates `path` as a new, empty file. Removing the old one first, rather
/// than truncating it, spares the flush that ext4 does when a truncated
/// file is closed.
pub(crate) fn fresh_file(path: &Path) -> io::Result<File> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    File::create(path)
}

fn lock(file: &File, how: libc::c_int) -> io::Result<()> {
    // SAFETY: flock on a descriptor we own; released when `file` closes.
    if unsafe { libc::flock(file.as_raw_fd(), how) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn invalid(path: &Path, e: serde_json::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {e}", path.display()),
    )
}
