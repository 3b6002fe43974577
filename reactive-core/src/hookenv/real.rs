//! [`RealTools`]: the hook tools Juju puts on `PATH`, run as processes,
//! and the readers of their output the tool table names (`--format=json`
//! parsed with serde).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::de::DeserializeOwned;

use super::error::HookError;
use super::secret::{SecretContent, SecretInfo};
use super::secret_files::with_content_files;
use super::tool_call::ToolCall;
use super::types::{ApplicationStatus, Port, Settings};

/// Longest tool output quoted in an error message.
const QUOTE_LIMIT: usize = 2000;

/// The hook tools of the running hook, found on `PATH` (or in one
/// directory).
#[derive(Debug, Clone, Default)]
pub(crate) struct RealTools {
    dir: Option<PathBuf>,
}

impl RealTools {
    /// The hook tools on `PATH`.
    #[must_use]
    pub(crate) fn new() -> RealTools {
        RealTools { dir: None }
    }

    /// The hook tools in `dir` (`PATH` is not searched).
    #[cfg(test)]
    pub(crate) fn in_dir(dir: impl Into<PathBuf>) -> RealTools {
        RealTools {
            dir: Some(dir.into()),
        }
    }

    /// Runs `c`, writing `input` to its standard input; returns its stdout
    /// and stderr, or an error naming the tool, its arguments and its
    /// stderr.
    pub(super) fn run_with_input(
        &self,
        c: &ToolCall,
        input: Option<&str>,
    ) -> Result<(String, String), HookError> {
        let program = match &self.dir {
            Some(d) => d.join(&c.tool),
            None => PathBuf::from(&c.tool),
        };
        let missing = |source| HookError::Missing {
            call: c.clone(),
            source,
        };
        let mut child = Command::new(program)
            .args(&c.args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(missing)?;
        if let (Some(input), Some(mut pipe)) = (input, child.stdin.take()) {
            // A tool that exits without reading all of it closes the pipe;
            // its exit status says what went wrong, so a broken pipe is not
            // the error to report.
            let _ = pipe.write_all(input.as_bytes());
        }
        let out = child.wait_with_output().map_err(missing)?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if !out.status.success() {
            let status = match out.status.code() {
                Some(code) => format!("exit status {code}"),
                None => out.status.to_string(),
            };
            return Err(HookError::Failed {
                call: c.clone(),
                status,
                stderr: shorten(&stderr),
            });
        }
        Ok((stdout, stderr))
    }

    /// Runs `c` with nothing on its standard input.
    pub(super) fn run(&self, c: &ToolCall) -> Result<(String, String), HookError> {
        self.run_with_input(c, None)
    }
}

fn shorten(s: &str) -> String {
    match crate::quote::split(s, QUOTE_LIMIT) {
        (kept, 0) => kept.to_string(),
        (kept, _) => format!("{kept}... ({} bytes in all)", s.len()),
    }
}

/// Runs `c` on `tools` and reads its output with `read` (what the tool
/// table's `read` names).
pub(super) fn read<T>(
    tools: &RealTools,
    c: &ToolCall,
    read: impl FnOnce(&RealTools, &ToolCall) -> Result<T, HookError>,
) -> Result<T, HookError> {
    read(tools, c)
}

/// Output ignored.
pub(super) fn nothing(tools: &RealTools, c: &ToolCall) -> Result<(), HookError> {
    tools.run(c).map(drop)
}

/// Output as JSON, described as `expected` in an error.
pub(super) fn json<T: DeserializeOwned>(
    expected: &'static str,
) -> impl FnOnce(&RealTools, &ToolCall) -> Result<T, HookError> {
    move |tools, c| {
        let (stdout, stderr) = tools.run(c)?;
        serde_json::from_str(stdout.trim()).map_err(|source| HookError::Parse {
            call: c.clone(),
            expected,
            output: shorten(&stdout).into(),
            stderr: shorten(&stderr).into(),
            source,
        })
    }
}

/// Output as JSON, `null` standing for the empty value.
pub(super) fn json_or_null<T: DeserializeOwned + Default>(
    expected: &'static str,
) -> impl FnOnce(&RealTools, &ToolCall) -> Result<T, HookError> {
    move |tools, c| Ok(json::<Option<T>>(expected)(tools, c)?.unwrap_or_default())
}

/// `opened-ports`: a list of `9092/tcp` words.
pub(super) fn ports(tools: &RealTools, c: &ToolCall) -> Result<Vec<Port>, HookError> {
    let list: Vec<String> = json_or_null(LIST)(tools, c)?;
    list.iter()
        .map(|p| {
            p.parse().map_err(|reason| HookError::Refused {
                call: c.clone(),
                reason,
            })
        })
        .collect()
}

const LIST: &str = "a JSON list of strings (or null)";

/// `status-get --application`: `{"application-status": ...}`.
pub(super) fn application_status(
    tools: &RealTools,
    c: &ToolCall,
) -> Result<ApplicationStatus, HookError> {
    #[derive(serde::Deserialize)]
    struct Wrapped {
        #[serde(rename = "application-status")]
        application_status: ApplicationStatus,
    }
    let w: Wrapped = json("status-get's {\"application-status\": ...} object")(tools, c)?;
    Ok(w.application_status)
}

/// `secret-info-get`: one secret's metadata under its id.
pub(super) fn secret_info(tools: &RealTools, c: &ToolCall) -> Result<SecretInfo, HookError> {
    let all: std::collections::BTreeMap<String, SecretInfo> =
        json("secret-info-get's JSON object")(tools, c)?;
    let (id, mut info) = all.into_iter().next().ok_or_else(|| HookError::Refused {
        call: c.clone(),
        reason: "secret-info-get printed no secret".into(),
    })?;
    info.id = id;
    Ok(info)
}

/// Runs `c` with its `key#file=…` arguments naming files that hold
/// `content`; returns its stdout.
pub(super) fn with_content(
    tools: &RealTools,
    c: &ToolCall,
    content: &SecretContent,
) -> Result<String, HookError> {
    with_content_files(c, content, |c| tools.run(c)).map(|(stdout, _)| stdout)
}

/// `settings` as the YAML map `relation-set --file` reads; every value
/// a string, quoted where YAML would read it as something else.
pub(super) fn settings_yaml(settings: &Settings) -> String {
    if settings.is_empty() {
        return "{}\n".to_string();
    }
    // A map of strings always serialises.
    serde_norway::to_string(settings).unwrap_or_default()
}
