//! Firing a hook: the scratch charm directory and store, the in-memory
//! Juju built from the [`State`], the dispatch, and the output state.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use super::tools::MemoryTools;
use super::{Hook, Outcome, State};
use crate::autoflags::ConfigDefaults;
use crate::dispatch::DispatchOptions;
use crate::hookenv::{HookContext, HookEnv, HookSource};
use crate::metadata::Metadata;
use crate::registry::Registry;
use crate::runtime::{dispatch_hook, report_failure};
use crate::store::{Changes, Store};
use crate::trace::TRACE_KEY;

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
pub(super) fn setup<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("testing: {what}: {e}"),
    }
}

impl State {
    pub(super) fn metadata_parsed(&self) -> Option<Metadata> {
        self.charm_file("metadata.yaml")
            .map(|m| setup("metadata.yaml", Metadata::parse(m, "metadata.yaml")))
    }

    fn unit(&self, metadata: Option<&Metadata>) -> String {
        self.unit_name.clone().unwrap_or_else(|| {
            let app = metadata.map(|m| m.name.as_str()).unwrap_or("charm");
            format!("{app}/0")
        })
    }

    /// The action's parameters, with `actions.yaml`'s defaults for those
    /// not given, as Juju passes them.
    fn action_params(&self, hook: &Hook) -> serde_json::Map<String, Value> {
        let spec = hook.action_name.as_deref().and_then(|name| {
            let yaml = self.charm_file("actions.yaml")?;
            let actions = juju_charm::Actions::parse(yaml, "actions.yaml", "").ok()?;
            actions.get(name).cloned()
        });
        match spec {
            Some(spec) => spec.with_defaults(&hook.action_params),
            None => hook.action_params.clone(),
        }
    }

    pub(super) fn fire(
        &self,
        registry: &Registry,
        metadata: Option<Metadata>,
        hook: &Hook,
        options: &DispatchOptions,
    ) -> Outcome {
        let scratch = setup("scratch directory", Scratch::new());
        let dir = &scratch.0;
        setup("charm files", super::files::write(dir, &self.files));
        let defaults = match self.charm_file("config.yaml") {
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
        // A state out of an earlier run is what that hook committed: the
        // marker beside the store says so, as it would on the unit, so the
        // hook skips the reads Juju lets a unit skip after a committed hook.
        if let Some(n) = self.kv.get(crate::skips::HOOK_NUMBER_KEY) {
            let marker = crate::skips::started_marker(store.path());
            setup("hook marker", std::fs::write(marker, n.to_string()));
        }

        let unit = self.unit(metadata.as_ref());
        // `config-get` answers config.yaml's defaults overlaid with the
        // state's values.
        let mut config: serde_json::Map<String, Value> = defaults
            .0
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.clone(), v)))
            .collect();
        config.extend(self.config.clone());
        let mut hook_in = hook.clone();
        hook_in.action_params = self.action_params(hook);
        let tools = MemoryTools::start(self.clone(), &hook_in, unit.clone(), config);
        let ctx = self.context(&unit, dir, hook);
        crate::logging::init(crate::hookenv::send_log);
        let env = Rc::new(HookEnv::new(ctx, tools.clone()));
        env.set_metadata(metadata);
        let (result, trace) = {
            let _guard = HookEnv::install(&env);
            let (result, trace) = dispatch_hook(&env, registry, store.clone(), &defaults, options);
            if let Err(e) = &result {
                report_failure(&hook.name, e);
            }
            (result, trace)
        };
        let mut out = tools.outcome();
        match &result {
            Ok(()) => read_back(&mut out.state, dir, &store),
            Err(_) => out.state = self.clone(),
        }
        Outcome {
            error: result.err(),
            tool_calls: env.calls(),
            trace,
            ..out
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
}

/// What the store and the charm directory hold after the hook, into the
/// output `state`.
fn read_back(state: &mut State, dir: &Path, store: &Store) {
    state.files = setup("reading charm files", super::files::read(dir));
    state.flags = setup("reading flags", store.flags()).into_iter().collect();
    state.kv = setup("reading key-value store", store.kv_prefix(""))
        .into_iter()
        .filter(|(k, _)| k != TRACE_KEY)
        .collect();
}
