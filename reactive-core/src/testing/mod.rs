//! Charm unit tests in the state-transition style of Python's
//! `ops.testing` (Scenario): declare the unit's [`State`], fire one
//! [`Hook`] through the real dispatch (automatic flags, handlers, buffered
//! hook-tool writes) with in-memory hook tools and a temporary store, and
//! assert on the output [`State`] and what the hook did.
//!
//! ```
//! use reactive_core::testing::{Hook, Relation, State};
//! use reactive_core::{hookenv, Cond, HandlerDef};
//! use reactive_core::flags::set_flag;
//!
//! let handlers = vec![HandlerDef::new("charm.rs", 1, "configure", vec![Cond::WhenAll(vec!["config.set.port".into()])],
//!     |_| {
//!         let port: u16 = hookenv::config().require("port")?;
//!         for rid in hookenv::relation_ids(Some("website"))? {
//!             hookenv::relation_set(Some(&rid), [("port", port)])?;
//!         }
//!         set_flag("configured");
//!         Ok(())
//!     })];
//! let state = State::default()
//!     .with_metadata("name: web\nprovides:\n  website:\n    interface: http\n")
//!     .with_config("port", 8080)
//!     .with_relation(Relation::new("website", 1, "proxy").with_unit("proxy/0", [("x", "1")]));
//! let out = state.run_handlers(handlers, Hook::new("config-changed"));
//! assert!(out.is_ok(), "{:?}", out.error);
//! assert!(out.state.is_flag_set("configured"));
//! assert_eq!(out.state.relation("website:1").unwrap().local_unit_data["port"], "8080");
//! assert_eq!(out.calls_to("relation-set"), 1);
//! ```
//!
//! A failing hook returns its error in [`Outcome::error`] and the input
//! state (nothing committed, no write sent). Chain hooks on `outcome.state`.
//!
//! Lines the charm logs reach [`Outcome::logs`] through the `juju-log`
//! bridge ([`crate::logging`]), installed as the `log` logger on first use
//! (a test binary that installs another logger first still gets
//! `hookenv::log` lines). Each test runs on its own thread with its own
//! hook environment and store, so tests run in parallel.

mod state;

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

pub use state::{Hook, Relation, Secret, State};

use crate::autoflags::ConfigDefaults;
use crate::dispatch::DispatchOptions;
use crate::handler::HandlerDef;
use crate::hookenv::{
    HookContext, HookEnv, HookSource, LogLevel, MemoryTools, Model, RelationModel, Settings,
};
use crate::metadata::Metadata;
use crate::registry::Registry;
use crate::runtime::{dispatch_hook, report_failure, RuntimeError};
use crate::store::{Changes, Store};
use crate::trace::{ToolCall, Trace, TRACE_KEY};

/// What firing a hook did.
#[derive(Debug)]
pub struct Outcome {
    /// The state after the hook; equal to the input if it failed.
    pub state: State,
    /// Why the hook failed, if it did.
    pub error: Option<RuntimeError>,
    /// Lines sent to `juju-log`, with their level (also on failure).
    pub logs: Vec<(LogLevel, String)>,
    /// Every hook-tool call the hook made, in order.
    pub tool_calls: Vec<ToolCall>,
    /// The dispatch trace.
    pub trace: Trace,
    /// Results set with `action_set`.
    pub action_results: Settings,
    /// The message of `action_fail`, if called.
    pub action_failed: Option<String>,
}

impl Outcome {
    /// Whether the hook succeeded.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// The error's message with its causes, or `None` on success.
    #[must_use]
    pub fn error_message(&self) -> Option<String> {
        self.error.as_ref().map(|e| crate::error::error_chain(e))
    }

    /// How many times `tool` was called.
    #[must_use]
    pub fn calls_to(&self, tool: &str) -> usize {
        self.tool_calls.iter().filter(|c| c.tool == tool).count()
    }

    /// Whether a log line contains `text`.
    #[must_use]
    pub fn logged(&self, text: &str) -> bool {
        self.logs.iter().any(|(_, l)| l.contains(text))
    }

    /// Handlers invoked, in order.
    #[must_use]
    pub fn invoked(&self) -> Vec<&str> {
        self.trace.invoked().collect()
    }
}

/// A scratch directory (charm dir and store), removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "reactive-testing-{}-{n}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A harness failure before the charm ran (bad metadata, I/O): a test bug.
fn setup<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("testing: {what}: {e}"),
    }
}

impl State {
    fn metadata_parsed(&self) -> Option<Metadata> {
        self.metadata
            .as_ref()
            .map(|m| setup("metadata.yaml", Metadata::parse(m, "metadata.yaml")))
    }

    fn unit(&self, metadata: Option<&Metadata>) -> String {
        self.unit_name.clone().unwrap_or_else(|| {
            let app = metadata.map(|m| m.name.as_str()).unwrap_or("charm");
            format!("{app}/0")
        })
    }

    /// Fires `hook` with every handler registered by the attribute macros
    /// in this executable.
    ///
    /// # Panics
    /// If `metadata` or `config_yaml` do not parse, or the scratch
    /// directory cannot be made: bugs in the test, not in the charm.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // `run(Hook::new("install"))` reads best
    pub fn run(&self, hook: Hook) -> Outcome {
        let metadata = self.metadata_parsed();
        let registry = setup(
            "registering handlers",
            Registry::from_inventory(metadata.as_ref()),
        );
        self.fire(&registry, metadata, &hook, &DispatchOptions::default())
    }

    /// Fires `hook` with the macro-registered handlers of module
    /// `module_prefix` and its submodules (`run_in(module_path!(), ..)` in a
    /// test module next to the handlers it tests).
    ///
    /// # Panics
    /// As [`State::run`].
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // `run(Hook::new("install"))` reads best
    pub fn run_in(&self, module_prefix: &str, hook: Hook) -> Outcome {
        let metadata = self.metadata_parsed();
        let registry = Registry::from_inventory_in(module_prefix, metadata.as_ref());
        let registry = setup("registering handlers", registry);
        self.fire(&registry, metadata, &hook, &DispatchOptions::default())
    }

    /// Fires `hook` with `handlers` only (no macro-registered handler).
    ///
    /// # Panics
    /// As [`State::run`].
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // `run(Hook::new("install"))` reads best
    pub fn run_handlers(&self, handlers: Vec<HandlerDef>, hook: Hook) -> Outcome {
        let metadata = self.metadata_parsed();
        let registry = setup(
            "registering handlers",
            Registry::new(handlers, metadata.as_ref()),
        );
        self.fire(&registry, metadata, &hook, &DispatchOptions::default())
    }

    /// Fires `hook` with an explicit registry and dispatch options.
    ///
    /// # Panics
    /// As [`State::run`].
    #[must_use]
    pub fn run_registry(
        &self,
        registry: &Registry,
        hook: &Hook,
        options: &DispatchOptions,
    ) -> Outcome {
        self.fire(registry, self.metadata_parsed(), hook, options)
    }

    fn fire(
        &self,
        registry: &Registry,
        metadata: Option<Metadata>,
        hook: &Hook,
        options: &DispatchOptions,
    ) -> Outcome {
        let scratch = setup("scratch directory", Scratch::new());
        let dir = &scratch.0;
        for (file, text) in [
            ("metadata.yaml", &self.metadata),
            ("config.yaml", &self.config_yaml),
        ] {
            if let Some(text) = text {
                setup(file, std::fs::write(dir.join(file), text));
            }
        }
        let defaults = match &self.config_yaml {
            Some(t) => setup(
                "config.yaml",
                ConfigDefaults::parse(t, Path::new("config.yaml")),
            ),
            None => ConfigDefaults::default(),
        };
        let store = setup("store", Store::open(dir.join("state.sled")));
        let changes = Changes {
            flags: self
                .flags
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
            kv: self
                .kv
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
        };
        setup("store", store.commit(&changes));

        let unit = self.unit(metadata.as_ref());
        let tools = MemoryTools::new(self.model(&unit, hook, &defaults));
        crate::logging::init(crate::hookenv::send_log);
        let env = Rc::new(HookEnv::new(self.context(&unit, dir, hook), tools.clone()));
        env.set_metadata(metadata);
        let (result, trace) = {
            let _guard = HookEnv::install(&env);
            let (result, trace) = dispatch_hook(&env, registry, store.clone(), &defaults, options);
            if let Err(e) = &result {
                report_failure(&hook.name, e);
            }
            (result, trace)
        };
        let model = tools.model().clone();
        let state = match &result {
            Ok(()) => self.output(&store, &model),
            Err(_) => self.clone(),
        };
        Outcome {
            state,
            error: result.err(),
            logs: model.logs.clone(),
            tool_calls: env.calls(),
            trace,
            action_results: model.action_results.clone(),
            action_failed: model.action_failed.clone(),
        }
    }

    /// The in-memory Juju the hook runs against. Its config is config.yaml's
    /// defaults overlaid with the state's values, as `config-get` answers.
    fn model(&self, unit: &str, hook: &Hook, defaults: &ConfigDefaults) -> Model {
        let mut config: serde_json::Map<String, Value> = defaults
            .0
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
            .collect();
        config.extend(self.config.clone());
        let relations = self
            .relations
            .iter()
            .map(|r| {
                let rid = r.relation_id();
                // In -relation-broken no remote unit is left.
                let broken = hook.relation_id.as_deref() == Some(rid.as_str())
                    && hook.name.ends_with("-relation-broken");
                let units = if broken {
                    Default::default()
                } else {
                    r.remote_units.clone()
                };
                let m = RelationModel {
                    name: r.name.clone(),
                    remote_app: r.remote_app.clone(),
                    units,
                    remote_app_data: r.remote_app_data.clone(),
                    local_unit_data: r.local_unit_data.clone(),
                    local_app_data: r.local_app_data.clone(),
                };
                (rid, m)
            })
            .collect();
        let addresses = Settings::from([
            ("private-address".to_string(), self.private_address.clone()),
            ("public-address".to_string(), self.private_address.clone()),
        ]);
        Model {
            unit_name: unit.to_string(),
            config,
            leader: self.leader,
            leader_settings: self.leader_settings.clone(),
            relations,
            departing: hook.relation_id.clone().zip(hook.departing_unit.clone()),
            unit_addresses: addresses,
            networks: self.networks.clone(),
            unit_status: self.status.clone(),
            app_status: self.app_status.clone(),
            opened_ports: self.opened_ports.clone(),
            application_version: self.application_version.clone(),
            action_params: hook.action_params.clone(),
            ..self.secrets_model()
        }
    }

    fn context(&self, unit: &str, dir: &Path, hook: &Hook) -> HookContext {
        let relation = hook
            .relation_id
            .as_deref()
            .and_then(|rid| self.relation(rid));
        let remote_app = hook.remote_app.clone().or_else(|| {
            hook.remote_unit
                .as_deref()
                .and_then(|u| u.split_once('/'))
                .map(|(a, _)| a.to_string())
                .or_else(|| relation.map(|r| r.remote_app.clone()))
        });
        HookContext {
            unit_name: unit.to_string(),
            charm_dir: dir.to_path_buf(),
            hook_name: hook.name.clone(),
            hook_source: HookSource::DispatchPath,
            relation_name: hook.relation_id.as_deref().map(|rid| {
                rid.rsplit_once(':')
                    .map(|(n, _)| n)
                    .unwrap_or(rid)
                    .to_string()
            }),
            relation_id: hook.relation_id.clone(),
            remote_unit: hook.remote_unit.clone(),
            remote_app,
            departing_unit: hook.departing_unit.clone(),
            action_name: hook.action_name.clone(),
            model_name: Some("test-model".into()),
            secret: hook.secret.clone(),
        }
    }

    fn output(&self, store: &Store, model: &Model) -> State {
        let mut out = self.clone();
        out.flags = setup("reading flags", store.flags()).into_iter().collect();
        out.kv = setup("reading key-value store", store.kv_prefix(""))
            .into_iter()
            .filter(|(k, _)| k != TRACE_KEY)
            .collect::<std::collections::BTreeMap<String, Value>>();
        out.leader_settings = model.leader_settings.clone();
        for r in &mut out.relations {
            if let Some(m) = model.relations.get(&r.relation_id()) {
                r.local_unit_data = m.local_unit_data.clone();
                r.local_app_data = m.local_app_data.clone();
            }
        }
        out.status = model.unit_status.clone();
        out.app_status = model.app_status.clone();
        out.opened_ports = model.opened_ports.clone();
        out.application_version = model.application_version.clone();
        out.with_secrets_of(model)
    }
}
