//! `relation-ids`, `relation-list`, `relation-get`, `relation-set`.

use serde_json::{json, Value};

use super::args::{apply_changes, opt, render, Args, Opt};
use super::{Output, Reply, Tool, ToolError};
use crate::context::{HookContext, RelationContext, Settings};

const RELATION: Opt = opt(&["r", "relation"], true);
const APP: Opt = opt(&["app"], false);

pub(crate) const TOOLS: &[Tool] = &[
    Tool {
        name: "relation-ids",
        output: Output::Formatted,
        usage: "[options] [<name>]",
        opts: &[],
        writes: false,
        run: relation_ids,
    },
    Tool {
        name: "relation-list",
        output: Output::Formatted,
        usage: "[options]",
        opts: &[RELATION, APP],
        writes: false,
        run: relation_list,
    },
    Tool {
        name: "relation-get",
        output: Output::Formatted,
        usage: "[options] <key|-> [<unit id>|<app>]",
        opts: &[RELATION, APP],
        writes: false,
        run: relation_get,
    },
    Tool {
        name: "relation-set",
        output: Output::Deprecated,
        usage: "[options] key=value [key=value ...]\n\n--file reads a YAML or JSON map of settings (- for stdin); key= deletes a key",
        opts: &[RELATION, APP, opt(&["file"], true)],
        writes: true,
        run: relation_set,
    },
];

/// The relation named by `-r` (`name:3` or `3`), else the hook's relation.
pub(super) fn relation_id(ctx: &HookContext, args: &Args) -> Result<u32, ToolError> {
    let Some(given) = args.value("r") else {
        return ctx
            .relation_id
            .ok_or_else(|| ToolError::Usage("no relation id specified".into()));
    };
    let number = given.rsplit(':').next().unwrap_or(given);
    match number.parse::<u32>() {
        Ok(id) if ctx.relations.contains_key(&id) => Ok(id),
        _ => Err(ToolError::Usage(format!(
            "invalid value {given:?} for option -r: relation not found"
        ))),
    }
}

fn relation<'a>(
    ctx: &'a mut HookContext,
    args: &Args,
) -> Result<(u32, &'a mut RelationContext), ToolError> {
    let id = relation_id(ctx, args)?;
    let rel = ctx
        .relations
        .get_mut(&id)
        .ok_or_else(|| ToolError::Usage(format!("relation {id} not found")))?;
    Ok((id, rel))
}

fn relation_ids(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let name = match args.at_most(1)?.first() {
        Some(name) => name.clone(),
        None => ctx
            .relation_id
            .and_then(|id| ctx.relations.get(&id))
            .map(|r| r.name.clone())
            .ok_or_else(|| ToolError::Usage("no relation name specified".into()))?,
    };
    let ids: Vec<Value> = ctx
        .relations
        .iter()
        .filter(|(_, r)| r.listed && r.name == name)
        .map(|(id, r)| json!(format!("{}:{id}", r.name)))
        .collect();
    Ok(Reply::out(render(&Value::Array(ids), args.format)))
}

fn relation_list(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    let (_, rel) = relation(ctx, args)?;
    let value = if args.flag("app") {
        json!(rel.remote_app)
    } else {
        json!(rel.units)
    };
    Ok(Reply::out(render(&value, args.format)))
}

fn relation_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let positional = args.at_most(2)?;
    let key = positional.first().map(String::as_str).unwrap_or("-");
    let app = args.flag("app");
    let remote_unit = ctx.remote_unit.clone();
    let (local_unit, local_app, leader) = (ctx.unit.clone(), ctx.app.clone(), ctx.leader);
    let (id, rel) = relation(ctx, args)?;
    let target = match positional.get(1) {
        Some(t) => t.clone(),
        None if app => rel.remote_app.clone(),
        None => remote_unit.ok_or_else(|| ToolError::Usage("no unit id specified".into()))?,
    };
    let not_found = || {
        ToolError::Failed(format!(
            "cannot read settings for {target:?} in relation \"{}:{id}\": settings not found",
            rel.name
        ))
    };
    let settings: &Settings = if app {
        if target == local_app {
            if !rel.peer && !leader {
                return Err(ToolError::Failed(format!(
                    "permission denied: only the leader of {local_app:?} can read its application settings"
                )));
            }
            &rel.local_app
        } else if target == rel.remote_app {
            &rel.remote_app_data
        } else {
            return Err(not_found());
        }
    } else if target == local_unit {
        &rel.local_unit
    } else {
        rel.remote_units.get(&target).ok_or_else(not_found)?
    };
    let value = if key == "-" {
        json!(settings)
    } else {
        settings.get(key).map_or(Value::Null, |v| json!(v))
    };
    Ok(Reply::out(render(&value, args.format)))
}

fn relation_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let mut changes: Vec<(String, String)> = match args.value("file") {
        Some(path) => read_settings_file(path)?,
        None => Vec::new(),
    };
    for (k, v) in args.pairs()? {
        changes.push((k.to_string(), v.to_string()));
    }
    let app = args.flag("app");
    if app && !ctx.leader {
        return Err(ToolError::Failed(
            "cannot write relation settings: this unit is not the leader".into(),
        ));
    }
    let (_, rel) = relation(ctx, args)?;
    let settings = if app {
        &mut rel.local_app
    } else {
        &mut rel.local_unit
    };
    apply_changes(settings, changes);
    Ok(Reply::default())
}

/// Reads `--file`: a YAML (or JSON, which is YAML) map. Scalars become
/// strings; `null` or an empty string deletes the key.
fn read_settings_file(path: &str) -> Result<Vec<(String, String)>, ToolError> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| ToolError::Failed(format!("cannot read {path}: {e}")))?;
    let map: serde_norway::Mapping = match serde_norway::from_str(&text) {
        Ok(serde_norway::Value::Mapping(m)) => m,
        Ok(serde_norway::Value::Null) => serde_norway::Mapping::new(),
        Ok(_) => {
            return Err(ToolError::Failed(format!(
                "{path}: expected a map of settings"
            )))
        }
        Err(e) => return Err(ToolError::Failed(format!("{path}: {e}"))),
    };
    map.into_iter()
        .map(|(k, v)| Ok((scalar(path, k)?, scalar(path, v)?)))
        .collect()
}

fn scalar(path: &str, v: serde_norway::Value) -> Result<String, ToolError> {
    use serde_norway::Value as Y;
    match v {
        Y::Null => Ok(String::new()),
        Y::String(s) => Ok(s),
        Y::Bool(b) => Ok(b.to_string()),
        Y::Number(n) => Ok(n.to_string()),
        other => Err(ToolError::Failed(format!(
            "{path}: settings must be strings, got {other:?}"
        ))),
    }
}
