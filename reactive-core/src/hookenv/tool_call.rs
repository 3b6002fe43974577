//! [`ToolCall`]: one hook-tool invocation as a command line, the builder
//! the tool table writes command lines with, and how one is displayed
//! (error messages, the trace listing).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One hook-tool call, as the runtime records it (in the dispatch trace
/// and in the testing harness's outcome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The tool (`relation-get`).
    pub tool: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// What it read on standard input, as the trace keeps it: for
    /// `relation-set --file -`, the settings sent as `key=value` words,
    /// each value escaped and cut as [`quote`](crate::quote()) cuts
    /// it, so the trace stays small whatever the size of the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Box<str>>,
}

/// The start of a command line: `tool` with no arguments yet.
pub(super) fn line(tool: &str) -> ToolCall {
    ToolCall {
        tool: tool.to_string(),
        // Room for the longest common line without growing.
        args: Vec::with_capacity(6),
        input: None,
    }
}

impl ToolCall {
    /// Adds one argument.
    #[must_use]
    pub(super) fn arg(mut self, a: impl Into<String>) -> ToolCall {
        self.args.push(a.into());
        self
    }

    /// Adds arguments.
    #[must_use]
    pub(super) fn args<const N: usize>(mut self, a: [&str; N]) -> ToolCall {
        self.args.extend(a.iter().map(|a| (*a).to_string()));
        self
    }

    /// Adds `flag` when `on`.
    #[must_use]
    pub(super) fn flag(self, on: bool, flag: &str) -> ToolCall {
        if on {
            self.arg(flag)
        } else {
            self
        }
    }

    /// Adds `flag value` when there is a value.
    #[must_use]
    pub(super) fn opt(self, flag: &str, value: Option<impl ToString>) -> ToolCall {
        match value {
            Some(v) => self.arg(flag).arg(v.to_string()),
            None => self,
        }
    }

    /// Adds `--` and then free text, so that text starting with `-` is not
    /// read as a flag.
    #[must_use]
    pub(super) fn text(self, text: impl Into<String>) -> ToolCall {
        self.arg("--").arg(text)
    }

    /// Adds `key=value` for each setting, in key order.
    #[must_use]
    pub(super) fn assignments(self, settings: &super::Settings) -> ToolCall {
        settings
            .iter()
            .fold(self, |c, (k, v)| c.arg(format!("{k}={v}")))
    }

    /// Sets what the trace records as the call's standard input.
    #[must_use]
    pub(super) fn input(mut self, input: String) -> ToolCall {
        self.input = Some(input.into());
        self
    }
}

/// `relation-get --format=json -r db:1 - app/0`: a hook-tool call as a
/// command line, for error messages and the trace listing.
impl fmt::Display for ToolCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tool)?;
        for a in &self.args {
            if a.is_empty() || a.contains(char::is_whitespace) {
                write!(f, " {a:?}")?;
            } else {
                write!(f, " {a}")?;
            }
        }
        if let Some(input) = &self.input {
            write!(f, " <<< {input}")?;
        }
        Ok(())
    }
}

/// `settings` as the trace records them ([`ToolCall::input`]):
/// `key=value` words (`key=` deletes), a value quoted when it holds
/// anything but plain printable characters, and bounded.
pub(super) fn settings_words(settings: &super::Settings) -> String {
    let plain = |v: &str| {
        v.len() <= crate::quote::QUOTE_LIMIT && v.chars().all(|c| c.is_ascii_graphic() && c != '"')
    };
    settings
        .iter()
        .map(|(k, v)| {
            if plain(v) {
                format!("{k}={v}")
            } else {
                format!("{k}={}", crate::quote::quote(v))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
