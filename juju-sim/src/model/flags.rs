//! The charm's flags, through its `flags` subcommand, and the tools
//! directory every unit process gets on `PATH`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::Model;
use crate::context::ContextDir;
use crate::error::Error;
use crate::locate::{install_tools, locate_tool};
use crate::report::RunStatus;
use crate::runner::{self, Spawn};

impl Model {
    /// The unit's flags, from `<charm dir>/dispatch flags` (a JSON object
    /// of flag name to value), run with the unit's environment.
    pub fn flags(&mut self, unit: &str) -> Result<BTreeMap<String, Value>, Error> {
        let tools = self.tools()?;
        let u = self.unit(unit)?;
        let (charm_dir, run_dir) = (u.charm_dir(), u.run_dir());
        let dispatch = charm_dir.join("dispatch");
        if !dispatch.is_file() {
            return Err(Error::NoDispatch {
                unit: unit.into(),
                path: dispatch,
            });
        }
        let ctx_dir = ContextDir::new(run_dir.join("flags"));
        ctx_dir
            .begin(&self.hook_context(unit, None))
            .map_err(|e| Error::io(ctx_dir.path(), e))?;
        let env = self.unit_env(unit, None, None, ctx_dir.path(), &tools);
        let spawn = Spawn {
            program: &dispatch,
            args: &["flags"],
            cwd: &charm_dir,
            env: &env,
            out_dir: ctx_dir.path(),
            timeout: self.options.hook_timeout,
            keep: usize::MAX,
        };
        let problem = |problem: String| Error::Flags {
            unit: unit.into(),
            problem,
        };
        let exit = runner::run(&spawn).map_err(|e| problem(format!("could not run: {e}")))?;
        if exit.status != RunStatus::Succeeded {
            return Err(problem(format!(
                "failed ({:?}): {}",
                exit.status,
                exit.stderr.trim_end()
            )));
        }
        serde_json::from_str(&exit.stdout).map_err(|e| {
            problem(format!(
                "printed no JSON object of flags ({e}): {:?}",
                exit.stdout
            ))
        })
    }

    /// The tools directory, installed on first use.
    pub(super) fn tools(&mut self) -> Result<PathBuf, Error> {
        if let Some(dir) = &self.tools_installed {
            return Ok(dir.clone());
        }
        let tool = match &self.options.tool {
            Some(t) if t.is_file() => t.clone(),
            Some(t) => {
                return Err(Error::ToolNotFound {
                    searched: vec![t.clone()],
                })
            }
            None => locate_tool()?,
        };
        let dir = self.workdir.join("tools");
        install_tools(&dir, &tool)?;
        self.tools_installed = Some(dir.clone());
        Ok(dir)
    }
}
