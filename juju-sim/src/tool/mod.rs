//! The hook tools: one executable installed under every tool name, which
//! dispatches on the name it was called by (`argv[0]`).
//!
//! Each call reads the hook's context ([`crate::context`]), answers on
//! stdout or fails with `ERROR <message>` on stderr (exit 2 for usage
//! errors, 1 otherwise, as Juju does), and appends a [`CallRecord`] with its
//! own elapsed time. Tools that change something rewrite the context under
//! its lock; the simulator decides after the hook what to commit.

mod action;
mod args;
mod relation;
mod relation_model;
mod secret;
mod secret_content;
mod unit;

use std::io::Write;
use std::time::Instant;

use crate::context::{CallRecord, ContextDir, HookContext, LogLine, CONTEXT_ENV};
use args::{Args, Opt, Output};

/// Every tool name the simulator installs.
pub const TOOL_NAMES: &[&str] = &[
    "action-fail",
    "action-get",
    "action-log",
    "action-set",
    "application-version-set",
    "close-port",
    "config-get",
    "goal-state",
    "is-leader",
    "juju-log",
    "leader-get",
    "leader-set",
    "network-get",
    "open-port",
    "opened-ports",
    "relation-get",
    "relation-ids",
    "relation-list",
    "relation-model-get",
    "relation-set",
    "secret-add",
    "secret-get",
    "secret-grant",
    "secret-ids",
    "secret-info-get",
    "secret-remove",
    "secret-revoke",
    "secret-set",
    "status-get",
    "status-set",
    "unit-get",
];

/// Why a tool call failed.
#[derive(Debug)]
pub(crate) enum ToolError {
    /// Bad arguments (exit status 2, like Juju's flag errors).
    Usage(String),
    /// The request cannot be served (exit status 1).
    Failed(String),
    /// `-h` or `--help`: the usage is printed, exit status 0.
    Help,
}

impl ToolError {
    fn exit_code(&self) -> i32 {
        match self {
            ToolError::Usage(_) => 2,
            ToolError::Failed(_) => 1,
            ToolError::Help => 0,
        }
    }

    fn message(&self) -> &str {
        match self {
            ToolError::Usage(m) | ToolError::Failed(m) => m,
            ToolError::Help => "",
        }
    }
}

/// What a tool answers: its stdout, and the log line for `juju-log`.
#[derive(Default)]
pub(crate) struct Reply {
    pub stdout: String,
    pub log: Option<LogLine>,
    /// Lines Juju itself logs about the call (a bad juju-log level).
    pub warnings: Vec<LogLine>,
}

impl Reply {
    fn out(stdout: String) -> Reply {
        Reply {
            stdout,
            ..Reply::default()
        }
    }
}

type Run = fn(&mut HookContext, &Args) -> Result<Reply, ToolError>;

/// A tool: how to parse its arguments, whether it writes, what it does.
pub(crate) struct Tool {
    pub name: &'static str,
    pub usage: &'static str,
    pub opts: &'static [Opt],
    /// Whether it takes `--format`.
    pub output: Output,
    pub writes: bool,
    pub run: Run,
}

fn find(name: &str) -> Option<&'static Tool> {
    [
        relation::TOOLS,
        relation_model::TOOLS,
        unit::TOOLS,
        action::TOOLS,
        secret::TOOLS,
    ]
    .into_iter()
    .flatten()
    .find(|t| t.name == name)
}

/// Runs the tool named by `argv[0]` (or by `argv[1]` when called as
/// `juju-sim-tool <tool> ...`) and returns its exit status.
pub fn main(argv: Vec<String>) -> i32 {
    let start = Instant::now();
    let mut argv = argv.into_iter();
    let called_as = argv.next().unwrap_or_default();
    let mut name = called_as.rsplit('/').next().unwrap_or_default().to_string();
    if find(&name).is_none() {
        name = argv.next().unwrap_or_default();
    }
    let args: Vec<String> = argv.collect();
    let Some(tool) = find(&name) else {
        eprintln!("ERROR juju-sim-tool: unknown hook tool {name:?}");
        return 2;
    };
    let dir = std::env::var_os(CONTEXT_ENV).map(ContextDir::new);
    let result = match &dir {
        None => Err(ToolError::Failed(format!(
            "{name}: not inside a juju-sim hook ({CONTEXT_ENV} is not set)"
        ))),
        Some(dir) => call(tool, dir, &args),
    };
    let result = match result {
        Err(ToolError::Help) => Ok(Reply::out(help(tool))),
        other => other,
    };
    let (exit_code, error, log, warnings) = match result {
        Ok(reply) => {
            let mut out = std::io::stdout().lock();
            // A closed stdout is the caller's business; the call still counts.
            let _ = out
                .write_all(reply.stdout.as_bytes())
                .and_then(|_| out.flush());
            (0, None, reply.log, reply.warnings)
        }
        Err(e) => {
            eprintln!("ERROR {}", e.message());
            (
                e.exit_code(),
                Some(e.message().to_string()),
                None,
                Vec::new(),
            )
        }
    };
    if let Some(dir) = dir {
        let record = CallRecord {
            tool: name,
            args,
            exit_code,
            micros: start.elapsed().as_micros() as u64,
            error,
            log,
            warnings,
        };
        if let Err(e) = dir.append_call(&record) {
            eprintln!(
                "ERROR cannot record the call in {}: {e}",
                dir.path().display()
            );
            return 1;
        }
    }
    exit_code
}

fn call(tool: &Tool, dir: &ContextDir, args: &[String]) -> Result<Reply, ToolError> {
    let args = Args::parse(args, tool.opts, tool.output)?;
    if args.deprecated_format {
        eprint!("--format flag deprecated for command {:?}", tool.name);
    }
    let io_error = |e: std::io::Error| ToolError::Failed(format!("hook context: {e}"));
    if tool.writes {
        dir.update(|ctx| (tool.run)(ctx, &args)).map_err(io_error)?
    } else {
        let mut ctx = dir.read().map_err(io_error)?;
        (tool.run)(&mut ctx, &args)
    }
}

fn help(tool: &Tool) -> String {
    let mut text = format!("Usage: {} {}\n", tool.name, tool.usage);
    if !tool.opts.is_empty() {
        text.push_str("\nOptions:\n");
        for opt in tool.opts {
            let value = if opt.value { " <value>" } else { "" };
            let names: Vec<String> = opt.names.iter().map(|n| args::with_minus(n)).collect();
            text.push_str(&format!("{}{value}\n", names.join(", ")));
        }
    }
    if tool.output == Output::Formatted {
        text.push_str("--format  json|yaml|smart\n");
    }
    text
}
