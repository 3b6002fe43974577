//! An in-memory unit for the hookenv tests: a model of its world and the
//! context of a `kafka-relation-changed` hook.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use crate::hookenv::{
    self, HookContext, HookEnv, HookSource, MemoryTools, Model, RelationModel, Settings,
};
use serde_json::json;

pub(crate) fn s(pairs: &[(&str, &str)]) -> Settings {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) fn model() -> Model {
    let mut relations = BTreeMap::new();
    relations.insert(
        "kafka:3".to_string(),
        RelationModel {
            name: "kafka".into(),
            remote_app: "client".into(),
            units: BTreeMap::from([
                ("client/0".to_string(), s(&[("port", "1"), ("host", "a")])),
                ("client/1".to_string(), s(&[("port", "2")])),
            ]),
            remote_app_data: s(&[("topic", "t")]),
            local_unit_data: s(&[("private-address", "10.0.0.1"), ("old", "x")]),
            local_app_data: Settings::new(),
        },
    );
    relations.insert(
        "kafka:7".to_string(),
        RelationModel {
            name: "kafka".into(),
            remote_app: "other".into(),
            ..RelationModel::default()
        },
    );
    Model {
        unit_name: "kafka/0".into(),
        config: json!({"source_port": 9092, "name": "k", "ratio": 0.5, "debug": false})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        leader: true,
        leader_settings: s(&[("secret", "s1")]),
        relations,
        unit_addresses: s(&[
            ("private-address", "10.0.0.1"),
            ("public-address", "1.2.3.4"),
        ]),
        action_params: json!({"count": 3, "tls": {"port": 443}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        ..Model::default()
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

/// Runs `f` with a hook environment over `model`; returns what `f` returns
/// and the tools (to look at the model afterwards).
pub(crate) fn with_env<R>(
    model: Model,
    ctx: HookContext,
    f: impl FnOnce(&Rc<HookEnv>) -> R,
) -> (R, MemoryTools) {
    let tools = MemoryTools::new(model);
    let (env, _guard) = hookenv::install(ctx, tools.clone());
    (f(&env), tools)
}

pub(crate) fn count(env: &HookEnv, tool: &str) -> usize {
    env.calls().iter().filter(|c| c.tool == tool).count()
}
