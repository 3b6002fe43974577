//! `secret-add`, `secret-get`, `secret-set`, `secret-grant`,
//! `secret-revoke`, `secret-remove`, `secret-ids`, `secret-info-get`, with
//! the flags and outputs of Juju's `worker/uniter/runner/jujuc/secret-*.go`
//! (content arguments as `cmd/juju/secrets` reads them).

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::args::{opt, render, Args, Opt};
use super::relation::relation_id;
use super::secret_content::{apply_metadata, content};
use super::{Output, Reply, Tool, ToolError};
use crate::context::HookContext;
use crate::secret::{parse_uri, uri, Caller, Grant, Secret, SecretError};

const LABEL: Opt = opt(&["label"], true);
const RELATION: Opt = opt(&["r", "relation"], true);
const UNIT: Opt = opt(&["unit"], true);
/// `secretUpsertCommand` and `SecretUpsertContentCommand` flags.
const UPSERT: &[Opt] = &[
    LABEL,
    opt(&["description"], true),
    opt(&["expire"], true),
    opt(&["rotate"], true),
    opt(&["owner"], true),
    opt(&["file"], true),
];

pub(crate) const TOOLS: &[Tool] = &[
    Tool {
        name: "secret-add",
        output: Output::None,
        usage: "[options] [key[#base64|#file]=value...]",
        opts: UPSERT,
        writes: true,
        run: secret_add,
    },
    Tool {
        name: "secret-get",
        output: Output::Formatted,
        usage: "[options] <ID> [key[#base64]]",
        opts: &[LABEL, opt(&["peek"], false), opt(&["refresh"], false)],
        writes: true,
        run: secret_get,
    },
    Tool {
        name: "secret-set",
        output: Output::None,
        usage: "[options] <ID> [key[#base64|#file]=value...]",
        opts: UPSERT,
        writes: true,
        run: secret_set,
    },
    Tool {
        name: "secret-grant",
        output: Output::None,
        usage: "[options] <ID>",
        opts: &[RELATION, UNIT],
        writes: true,
        run: secret_grant,
    },
    Tool {
        name: "secret-revoke",
        output: Output::None,
        usage: "[options] <ID>",
        opts: &[RELATION, UNIT, opt(&["app", "application"], true)],
        writes: true,
        run: secret_revoke,
    },
    Tool {
        name: "secret-remove",
        output: Output::None,
        usage: "[options] <ID>",
        opts: &[opt(&["revision"], true)],
        writes: true,
        run: secret_remove,
    },
    Tool {
        name: "secret-ids",
        output: Output::Formatted,
        usage: "[options]",
        opts: &[],
        writes: false,
        run: secret_ids,
    },
    Tool {
        name: "secret-info-get",
        output: Output::Formatted,
        usage: "[options] <ID>",
        opts: &[LABEL],
        writes: false,
        run: secret_info_get,
    },
];

fn failed(e: SecretError) -> ToolError {
    ToolError::Failed(e.to_string())
}

fn caller(ctx: &HookContext) -> Caller {
    Caller {
        unit: ctx.unit.clone(),
        app: ctx.app.clone(),
        leader: ctx.leader,
    }
}

/// Relations the unit is in now: the ones a grant can cover.
fn live_relations(ctx: &HookContext) -> BTreeSet<u32> {
    ctx.relations
        .iter()
        .filter(|(_, r)| r.listed)
        .map(|(id, _)| *id)
        .collect()
}

fn secret_uri(text: &str) -> Result<String, ToolError> {
    parse_uri(text).ok_or_else(|| ToolError::Usage(format!("secret URI {text:?} not valid")))
}

fn secret_add(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    if args.positional.is_empty() && args.value("file").is_none() {
        return Err(ToolError::Usage("missing secret value or filename".into()));
    }
    let owner = args.value("owner").unwrap_or("application");
    if owner != "application" && owner != "unit" {
        return Err(ToolError::Usage(format!(
            "secret owner {owner:?} not valid"
        )));
    }
    let mut secret = Secret {
        unit_owned: owner == "unit",
        owner: if owner == "unit" { &ctx.unit } else { &ctx.app }.clone(),
        label: args.value("label").map(String::from),
        ..Secret::default()
    };
    apply_metadata(&mut secret, args)?;
    let content = content(&args.positional, args.value("file"))?;
    if content.is_empty() {
        return Err(ToolError::Failed("empty secret value not valid".into()));
    }
    if !secret.unit_owned && !ctx.leader {
        return Err(ToolError::Failed("this unit is not the leader".into()));
    }
    let uuid = ctx.model_uuid.clone();
    let id = ctx.secrets.add(&uuid, secret, content).map_err(failed)?;
    Ok(Reply::out(format!("{}\n", uri(&id))))
}

/// The id named by the first positional, else by `--label`.
fn target(ctx: &HookContext, args: &Args) -> Result<String, ToolError> {
    match (args.positional.first(), args.value("label")) {
        (Some(given), _) => secret_uri(given),
        (None, Some(label)) => ctx
            .secrets
            .by_label(&caller(ctx), label)
            .ok_or_else(|| failed(SecretError::NotFound(label.into()))),
        (None, None) => Err(ToolError::Usage(
            "require either a secret URI or label".into(),
        )),
    }
}

fn secret_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let (peek, refresh) = (args.flag("peek"), args.flag("refresh"));
    if peek && refresh {
        return Err(ToolError::Usage(
            "specify one of --peek or --refresh but not both".into(),
        ));
    }
    let id = target(ctx, args)?;
    let skip = usize::from(!args.positional.is_empty());
    let key = args.positional.get(skip).cloned();
    if args.positional.len() > skip + 1 {
        return Err(ToolError::Usage(format!(
            "unrecognized args: {:?}",
            &args.positional[skip + 1..]
        )));
    }
    // Naming the secret by URI with a label sets the label.
    let label = args.value("label").filter(|_| skip == 1);
    let live = live_relations(ctx);
    let who = caller(ctx);
    let content = ctx
        .secrets
        .get(&who, &live, &id, label, refresh, peek)
        .map_err(failed)?;
    let decode = |v: &str| {
        let bytes = STANDARD.decode(v).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let value = match key {
        None => json!(content
            .iter()
            .map(|(k, v)| (k.clone(), decode(v)))
            .collect::<BTreeMap<_, _>>()),
        Some(key) => {
            let (name, raw) = match key.strip_suffix("#base64") {
                Some(name) => (name.to_string(), true),
                None => (key.clone(), false),
            };
            let v = content
                .get(&name)
                .ok_or_else(|| ToolError::Failed(format!("secret key {name:?} not found")))?;
            json!(if raw { v.clone() } else { decode(v) })
        }
    };
    Ok(Reply::out(render(&value, args.format)))
}

fn secret_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let Some(first) = args.positional.first() else {
        return Err(ToolError::Usage("missing secret URI".into()));
    };
    let id = secret_uri(first)?;
    let new = content(&args.positional[1..], args.value("file"))?;
    let who = caller(ctx);
    let secret = ctx.secrets.managed(&who, &id).map_err(failed)?;
    apply_metadata(secret, args)?;
    if let Some(label) = args.value("label") {
        ctx.secrets.set_owner_label(&id, label).map_err(failed)?;
    }
    if !new.is_empty() {
        ctx.secrets.new_revision(&who, &id, new).map_err(failed)?;
    }
    Ok(Reply::default())
}

fn secret_grant(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let Some(first) = args.at_most(1)?.first() else {
        return Err(ToolError::Usage("missing secret URI".into()));
    };
    let id = secret_uri(first)?;
    let relation = relation_id(ctx, args)?;
    let remote_app = ctx.relations[&relation].remote_app.clone();
    let unit = args.value("unit").map(String::from);
    if let Some(unit) = &unit {
        if unit.split_once('/').map(|(a, _)| a) != Some(remote_app.as_str()) {
            return Err(ToolError::Usage(format!(
                "cannot specify unit {unit:?} in relation to application {remote_app:?}"
            )));
        }
    }
    let who = caller(ctx);
    let secret = ctx.secrets.managed(&who, &id).map_err(failed)?;
    let grant = secret.grants.entry(relation).or_insert_with(|| Grant {
        app: remote_app,
        units: BTreeSet::new(),
    });
    match unit {
        Some(unit) => {
            grant.units.insert(unit);
        }
        None => grant.units.clear(),
    }
    Ok(Reply::default())
}

fn secret_revoke(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let Some(first) = args.at_most(1)?.first() else {
        return Err(ToolError::Usage("missing secret URI".into()));
    };
    let id = secret_uri(first)?;
    let relation = match args.value("r") {
        Some(_) => Some(relation_id(ctx, args)?),
        None => None,
    };
    let (app, unit) = (args.value("app"), args.value("unit"));
    if relation.is_none() && app.is_none() && unit.is_none() {
        return Err(ToolError::Usage(
            "missing relation or application or unit".into(),
        ));
    }
    let who = caller(ctx);
    let secret = ctx.secrets.managed(&who, &id).map_err(failed)?;
    secret.grants.retain(|rel, grant| {
        let by_relation = relation.is_none_or(|r| r == *rel);
        match unit {
            Some(unit) if by_relation => {
                // A unit taken out of an application-wide grant loses it
                // alone; what is left names the other units.
                grant.units.remove(unit);
                !grant.units.is_empty()
            }
            _ => !(by_relation && app.is_none_or(|a| a == grant.app)),
        }
    });
    Ok(Reply::default())
}

fn secret_remove(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let Some(first) = args.at_most(1)?.first() else {
        return Err(ToolError::Usage("missing secret URI".into()));
    };
    let id = secret_uri(first)?;
    let revision = match args.value("revision") {
        Some(r) => Some(r.parse::<u32>().map_err(|_| {
            ToolError::Usage(format!(
                "invalid value {r:?} for flag --revision: parse error"
            ))
        })?),
        None => None,
    };
    let who = caller(ctx);
    ctx.secrets.remove(&who, &id, revision).map_err(failed)?;
    Ok(Reply::default())
}

fn secret_ids(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    let ids: Vec<Value> = ctx
        .secrets
        .owned_ids(&caller(ctx))
        .into_iter()
        .map(Value::String)
        .collect();
    Ok(Reply::out(render(&Value::Array(ids), args.format)))
}

fn secret_info_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    if !args.positional.is_empty() && args.value("label").is_some() {
        return Err(ToolError::Usage(
            "specify either a secret URI or label but not both".into(),
        ));
    }
    args.at_most(1)?;
    let id = target(ctx, args)?;
    // Only the owner sees metadata (`SecretMetadata` lists owned secrets).
    let secret = ctx
        .secrets
        .secrets
        .get(&id)
        .filter(|s| s.owned_by(&caller(ctx)))
        .ok_or_else(|| failed(SecretError::NotFound(id.clone())))?;
    let mut info = serde_json::Map::new();
    info.insert("revision".into(), json!(secret.latest));
    info.insert(
        "label".into(),
        json!(secret.label.clone().unwrap_or_default()),
    );
    let owner = if secret.unit_owned {
        "unit"
    } else {
        "application"
    };
    info.insert("owner".into(), json!(owner));
    if !secret.description.is_empty() {
        info.insert("description".into(), json!(secret.description));
    }
    if let Some(rotate) = &secret.rotate {
        info.insert("rotation".into(), json!(rotate));
    }
    if let Some(expire) = &secret.expire {
        info.insert("expiry".into(), json!(expire));
    }
    let value = json!({ id: Value::Object(info) });
    Ok(Reply::out(render(&value, args.format)))
}
