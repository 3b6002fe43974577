//! An in-memory unit for the hookenv tests: the state of its world and the
//! context of a `kafka-relation-changed` hook.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use crate::hookenv::{self, HookContext, HookEnv, HookSource, Settings};
use crate::testing::tools::MemoryTools;
use crate::testing::{Hook, Relation, State};
use serde_json::json;

pub(crate) fn s(pairs: &[(&str, &str)]) -> Settings {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) fn model() -> State {
    let config = json!({"source_port": 9092, "name": "k", "ratio": 0.5, "debug": false});
    State {
        unit_name: Some("kafka/0".into()),
        config: config.as_object().cloned().unwrap_or_default(),
        leader: true,
        leader_settings: s(&[("secret", "s1")]),
        relations: vec![
            Relation {
                remote_units: BTreeMap::from([
                    ("client/0".to_string(), s(&[("port", "1"), ("host", "a")])),
                    ("client/1".to_string(), s(&[("port", "2")])),
                ]),
                remote_app_data: s(&[("topic", "t")]),
                local_unit_data: s(&[("private-address", "10.0.0.1"), ("old", "x")]),
                ..Relation::new("kafka", 3, "client")
            },
            Relation::new("kafka", 7, "other"),
        ],
        private_address: "10.0.0.1".into(),
        public_address: Some("1.2.3.4".into()),
        ..State::default()
    }
}

pub(crate) fn ctx() -> HookContext {
    HookContext {
        unit_name: "kafka/0".into(),
        charm_dir: PathBuf::from("/charm"),
        hook_name: "kafka-relation-changed".into(),
        hook_source: HookSource::DispatchPath,
        relation_name: Some("kafka".into()),
        relation_id: Some("kafka:3".into()),
        remote_unit: Some("client/0".into()),
        remote_app: Some("client".into()),
        departing_unit: None,
        action_name: None,
        model_name: None,
        secret: None,
    }
}

/// Runs `f` with a hook environment over `state` for the hook of `ctx`
/// (the action's parameters: `count` 3, `tls.port` 443); returns what `f`
/// returns and the tools (to look at the state afterwards).
pub(crate) fn with_env<R>(
    state: State,
    ctx: HookContext,
    f: impl FnOnce(&Rc<HookEnv>) -> R,
) -> (R, MemoryTools) {
    let params = json!({"count": 3, "tls": {"port": 443}});
    let hook = Hook {
        name: ctx.hook_name.clone(),
        relation_id: ctx.relation_id.clone(),
        remote_unit: ctx.remote_unit.clone(),
        remote_app: ctx.remote_app.clone(),
        departing_unit: ctx.departing_unit.clone(),
        action_name: ctx.action_name.clone(),
        action_params: params.as_object().cloned().unwrap_or_default(),
        secret: ctx.secret.clone(),
    };
    let tools = MemoryTools::new(state, &hook);
    let (env, _guard) = hookenv::install(ctx, tools.clone());
    (f(&env), tools)
}

pub(crate) fn count(env: &HookEnv, tool: &str) -> usize {
    env.calls().iter().filter(|c| c.tool == tool).count()
}
