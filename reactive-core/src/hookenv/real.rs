//! [`RealTools`]: the hook tools Juju puts on `PATH`, run as processes with
//! `--format=json` and their output parsed with serde.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::HookError;
use super::secret::{self, SecretContent, SecretInfo, SecretOptions, SecretRead, SecretRef};
use super::secret_files::with_content_files;
use super::tools::ToolCall;
use super::tools::{call, HookTools};
use super::types::{
    ApplicationStatus, LogLevel, NetworkInfo, Port, Settings, StatusInfo, WorkloadState,
};

/// Longest tool output quoted in an error message.
const QUOTE_LIMIT: usize = 2000;

/// The hook tools of the running hook, found on `PATH` (or in one
/// directory).
#[derive(Debug, Clone, Default)]
pub struct RealTools {
    dir: Option<PathBuf>,
}

impl RealTools {
    /// The hook tools on `PATH`.
    #[must_use]
    pub fn new() -> RealTools {
        RealTools { dir: None }
    }

    /// The hook tools in `dir` (`PATH` is not searched).
    pub fn in_dir(dir: impl Into<PathBuf>) -> RealTools {
        RealTools {
            dir: Some(dir.into()),
        }
    }

    /// Runs `c` and returns its stdout, or an error naming the tool, its
    /// arguments and its stderr.
    pub fn run(&self, c: &ToolCall) -> Result<(String, String), HookError> {
        self.run_with_input(c, None)
    }

    /// [`RealTools::run`], writing `input` to the tool's standard input.
    fn run_with_input(
        &self,
        c: &ToolCall,
        input: Option<&str>,
    ) -> Result<(String, String), HookError> {
        let inv = || c.clone();
        let program = match &self.dir {
            Some(d) => d.join(&c.tool),
            None => PathBuf::from(&c.tool),
        };
        let missing = |source| HookError::Missing {
            call: inv(),
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
                call: inv(),
                status,
                stderr: shorten(&stderr),
            });
        }
        Ok((stdout, stderr))
    }

    fn run_json<T: DeserializeOwned>(
        &self,
        c: ToolCall,
        expected: &'static str,
    ) -> Result<T, HookError> {
        let (stdout, stderr) = self.run(&c)?;
        serde_json::from_str(stdout.trim()).map_err(|source| HookError::Parse {
            call: c,
            expected,
            output: shorten(&stdout).into(),
            stderr: shorten(&stderr).into(),
            source,
        })
    }

    fn run_unit(&self, c: &ToolCall) -> Result<(), HookError> {
        self.run(c).map(drop)
    }
}

fn shorten(s: &str) -> String {
    match crate::quote::split(s, QUOTE_LIMIT) {
        (kept, 0) => kept.to_string(),
        (kept, _) => format!("{kept}... ({} bytes in all)", s.len()),
    }
}

const MAP: &str = "a JSON object (or null)";
const STRINGS: &str = "a JSON object of strings (or null)";
const LIST: &str = "a JSON list of strings (or null)";

impl HookTools for RealTools {
    fn config_get_all(&self) -> Result<Map<String, Value>, HookError> {
        let m: Option<Map<String, Value>> = self.run_json(call::config_get_all(), MAP)?;
        Ok(m.unwrap_or_default())
    }

    fn relation_ids(&self, relation_name: &str) -> Result<Vec<String>, HookError> {
        let v: Option<Vec<String>> = self.run_json(call::relation_ids(relation_name), LIST)?;
        Ok(v.unwrap_or_default())
    }

    fn relation_list(&self, relation_id: &str) -> Result<Vec<String>, HookError> {
        let v: Option<Vec<String>> = self.run_json(call::relation_list(relation_id), LIST)?;
        Ok(v.unwrap_or_default())
    }

    fn relation_get(
        &self,
        relation_id: &str,
        unit_or_app: &str,
        app: bool,
    ) -> Result<Settings, HookError> {
        let c = call::relation_get(relation_id, unit_or_app, app);
        let v: Option<Settings> = self.run_json(c, STRINGS)?;
        Ok(v.unwrap_or_default())
    }

    fn relation_set(
        &self,
        relation_id: &str,
        app: bool,
        settings: &Settings,
    ) -> Result<(), HookError> {
        let yaml = call::settings_yaml(settings);
        self.run_with_input(&call::relation_set(relation_id, app), Some(&yaml))
            .map(drop)
    }

    fn is_leader(&self) -> Result<bool, HookError> {
        self.run_json(call::is_leader(), "true or false")
    }

    fn leader_get(&self) -> Result<Settings, HookError> {
        let v: Option<Settings> = self.run_json(call::leader_get(), STRINGS)?;
        Ok(v.unwrap_or_default())
    }

    fn leader_set(&self, settings: &Settings) -> Result<(), HookError> {
        self.run_unit(&call::leader_set(settings))
    }

    fn unit_get(&self, key: &str) -> Result<Option<String>, HookError> {
        self.run_json(call::unit_get(key), "a JSON string (or null)")
    }

    fn network_get(&self, binding: &str) -> Result<NetworkInfo, HookError> {
        self.run_json(call::network_get(binding), "network-get's JSON object")
    }

    fn status_get(&self, application: bool) -> Result<StatusInfo, HookError> {
        if application {
            return self.application_status_get().map(|a| a.application);
        }
        self.run_json(call::status_get(false), "status-get's JSON object")
    }

    fn application_status_get(&self) -> Result<ApplicationStatus, HookError> {
        #[derive(serde::Deserialize)]
        struct Wrapped {
            #[serde(rename = "application-status")]
            application_status: ApplicationStatus,
        }
        let w: Wrapped = self.run_json(
            call::status_get(true),
            "status-get's {\"application-status\": ...} object",
        )?;
        Ok(w.application_status)
    }

    fn status_set(
        &self,
        state: WorkloadState,
        message: &str,
        application: bool,
    ) -> Result<(), HookError> {
        self.run_unit(&call::status_set(state, message, application))
    }

    fn juju_log(&self, level: LogLevel, message: &str) -> Result<(), HookError> {
        self.run_unit(&call::juju_log(level, message))
    }

    fn open_port(&self, port: Port) -> Result<(), HookError> {
        self.run_unit(&call::open_port(port))
    }

    fn close_port(&self, port: Port) -> Result<(), HookError> {
        self.run_unit(&call::close_port(port))
    }

    fn opened_ports(&self) -> Result<Vec<Port>, HookError> {
        let c = call::opened_ports();
        let list: Option<Vec<String>> = self.run_json(c.clone(), LIST)?;
        list.unwrap_or_default()
            .iter()
            .map(|p| {
                p.parse().map_err(|reason| HookError::Refused {
                    call: c.clone(),
                    reason,
                })
            })
            .collect()
    }

    fn application_version_set(&self, version: &str) -> Result<(), HookError> {
        self.run_unit(&call::application_version_set(version))
    }

    fn action_get(&self) -> Result<Value, HookError> {
        let v: Value = self.run_json(call::action_get(), "a JSON value")?;
        Ok(if v.is_null() {
            Value::Object(Map::new())
        } else {
            v
        })
    }

    fn action_set(&self, values: &Settings) -> Result<(), HookError> {
        self.run_unit(&call::action_set(values))
    }

    fn action_fail(&self, message: &str) -> Result<(), HookError> {
        self.run_unit(&call::action_fail(message))
    }

    fn action_log(&self, message: &str) -> Result<(), HookError> {
        self.run_unit(&call::action_log(message))
    }

    fn relation_list_app(&self, relation_id: &str) -> Result<Option<String>, HookError> {
        let app: Option<String> = self.run_json(
            call::relation_list_app(relation_id),
            "a JSON string (or null)",
        )?;
        Ok(app.filter(|a| !a.is_empty()))
    }

    fn secret_add(
        &self,
        content: &SecretContent,
        options: &SecretOptions,
    ) -> Result<String, HookError> {
        let c = secret::call::secret_add(content, options);
        let (stdout, _) = with_content_files(&c, content, |c| self.run(c))?;
        Ok(stdout.trim().to_string())
    }

    fn secret_get(
        &self,
        secret: SecretRef<'_>,
        read: SecretRead,
    ) -> Result<SecretContent, HookError> {
        let c = secret::call::secret_get(secret, read);
        let v: Option<SecretContent> = self.run_json(c, STRINGS)?;
        Ok(v.unwrap_or_default())
    }

    fn secret_set(
        &self,
        uri: &str,
        content: &SecretContent,
        options: &SecretOptions,
    ) -> Result<(), HookError> {
        let c = secret::call::secret_set(uri, content, options);
        with_content_files(&c, content, |c| self.run_unit(c))
    }

    fn secret_grant(
        &self,
        uri: &str,
        relation_id: &str,
        unit: Option<&str>,
    ) -> Result<(), HookError> {
        self.run_unit(&secret::call::secret_grant(uri, relation_id, unit))
    }

    fn secret_revoke(
        &self,
        uri: &str,
        relation_id: Option<&str>,
        unit: Option<&str>,
    ) -> Result<(), HookError> {
        self.run_unit(&secret::call::secret_revoke(uri, relation_id, unit))
    }

    fn secret_remove(&self, uri: &str, revision: Option<u32>) -> Result<(), HookError> {
        self.run_unit(&secret::call::secret_remove(uri, revision))
    }

    fn secret_ids(&self) -> Result<Vec<String>, HookError> {
        let v: Option<Vec<String>> = self.run_json(secret::call::secret_ids(), LIST)?;
        Ok(v.unwrap_or_default())
    }

    fn secret_info_get(&self, secret: SecretRef<'_>) -> Result<SecretInfo, HookError> {
        let c = secret::call::secret_info_get(secret);
        let all: std::collections::BTreeMap<String, SecretInfo> =
            self.run_json(c.clone(), "secret-info-get's JSON object")?;
        let (id, mut info) = all.into_iter().next().ok_or_else(|| HookError::Refused {
            call: c,
            reason: "secret-info-get printed no secret".into(),
        })?;
        info.id = id;
        Ok(info)
    }
}
