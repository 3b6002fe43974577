//! `action-get`, `action-set`, `action-fail`, `action-log`.

use serde_json::{Map, Value};

use super::args::{render, Args};
use super::{Output, Reply, Tool, ToolError};
use crate::context::{ActionContext, HookContext};

pub(crate) const TOOLS: &[Tool] = &[
    Tool {
        name: "action-get",
        output: Output::Formatted,
        usage: "[options] [<key>[.<key>.<key>...]]",
        opts: &[],
        writes: false,
        run: action_get,
    },
    Tool {
        name: "action-set",
        output: Output::None,
        usage: "<key>=<value> [<key>.<key>=<value> ...]",
        opts: &[],
        writes: true,
        run: action_set,
    },
    Tool {
        name: "action-fail",
        output: Output::None,
        usage: "[<message>]",
        opts: &[],
        writes: true,
        run: action_fail,
    },
    Tool {
        name: "action-log",
        output: Output::None,
        usage: "<message>",
        opts: &[],
        writes: true,
        run: action_log,
    },
];

fn action(ctx: &mut HookContext) -> Result<&mut ActionContext, ToolError> {
    ctx.action
        .as_mut()
        .ok_or_else(|| ToolError::Failed("not running an action".into()))
}

fn action_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let positional = args.at_most(1)?;
    let action = action(ctx)?;
    let mut value = Value::Object(action.params.clone());
    if let Some(path) = positional.first() {
        for key in path.split('.') {
            value = value.get(key).cloned().unwrap_or(Value::Null);
        }
    }
    Ok(Reply::out(render(&value, args.format)))
}

/// `action-set` as `jujuc/action-set.go` parses it: every argument
/// `key[.key...]=value`, each key matching `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`;
/// a later value wins; no argument at all is no error.
fn action_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let mut pairs = Vec::new();
    for arg in &args.positional {
        let Some((path, v)) = arg.split_once('=') else {
            return Err(ToolError::Usage(format!(
                "argument {arg:?} must be of the form key...=value"
            )));
        };
        if let Some(bad) = path.split('.').find(|k| !valid_result_key(k)) {
            return Err(ToolError::Usage(format!(
                "key {bad:?} must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods"
            )));
        }
        pairs.push((path, v));
    }
    let action = action(ctx)?;
    for (path, v) in pairs {
        insert_dotted(&mut action.results, path, v)?;
    }
    Ok(Reply::default())
}

fn valid_result_key(key: &str) -> bool {
    let ok = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = key.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            ok(*first) && ok(*last) && b.iter().all(|c| ok(*c) || *c == b'-')
        }
        _ => false,
    }
}

/// `a.b=v` sets `{"a": {"b": "v"}}`, merging with what is there.
fn insert_dotted(map: &mut Map<String, Value>, path: &str, v: &str) -> Result<(), ToolError> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    if head.is_empty() {
        return Err(ToolError::Usage(format!("invalid key {path:?}")));
    }
    match rest {
        None => {
            map.insert(head.into(), Value::String(v.into()));
            Ok(())
        }
        Some(rest) => {
            let entry = map.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            match entry {
                Value::Object(inner) => insert_dotted(inner, rest, v),
                _ => Ok(()),
            }
        }
    }
}

fn action_fail(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let message = args.at_most(1)?.first().cloned();
    // jujuc/action-fail.go's default reason.
    action(ctx)?.failed =
        Some(message.unwrap_or_else(|| "action failed without reason given".into()));
    Ok(Reply::default())
}

fn action_log(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    if args.positional.is_empty() {
        return Err(ToolError::Usage("no message specified".into()));
    }
    let message = args.positional.join(" ");
    action(ctx)?.logs.push(message);
    Ok(Reply::default())
}
