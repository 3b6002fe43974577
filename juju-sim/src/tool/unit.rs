//! Tools about the unit and its application: config, status, log,
//! addresses, leadership, ports, version.

use serde_json::{json, Value};

use super::args::{apply_changes, opt, render, Args, Format};
use super::{Output, Reply, Tool, ToolError};
use crate::context::{HookContext, LogLine, Status};
use crate::ports::Port;

pub(crate) const TOOLS: &[Tool] = &[
    Tool {
        name: "config-get",
        output: Output::Formatted,
        usage: "[options] [<key>]",
        opts: &[opt(&["a", "all"], false)],
        writes: false,
        run: config_get,
    },
    Tool {
        name: "status-set",
        output: Output::None,
        usage: "[options] <maintenance|blocked|waiting|active> [message]",
        opts: &[opt(&["application"], false)],
        writes: true,
        run: status_set,
    },
    Tool {
        name: "status-get",
        output: Output::Formatted,
        usage: "[options]",
        opts: &[opt(&["include-data"], false), opt(&["application"], false)],
        writes: false,
        run: status_get,
    },
    Tool {
        name: "juju-log",
        output: Output::Deprecated,
        usage: "[options] <message>",
        opts: &[opt(&["l", "log-level"], true), opt(&["debug"], false)],
        writes: false,
        run: juju_log,
    },
    Tool {
        name: "unit-get",
        output: Output::Formatted,
        usage: "[options] <private-address|public-address>",
        opts: &[],
        writes: false,
        run: unit_get,
    },
    Tool {
        name: "network-get",
        output: Output::Formatted,
        usage: "[options] <binding> [--ingress-address] [--bind-address] [--egress-subnets]",
        opts: &[
            opt(&["ingress-address"], false),
            opt(&["bind-address"], false),
            opt(&["egress-subnets"], false),
            opt(&["primary-address"], false),
            opt(&["r", "relation"], true),
        ],
        writes: false,
        run: network_get,
    },
    Tool {
        name: "goal-state",
        output: Output::Formatted,
        usage: "[options]",
        opts: &[],
        writes: false,
        run: goal_state,
    },
    Tool {
        name: "is-leader",
        output: Output::Formatted,
        usage: "[options]",
        opts: &[],
        writes: false,
        run: is_leader,
    },
    Tool {
        name: "leader-get",
        output: Output::Formatted,
        usage: "[options] [<key>|-]",
        opts: &[],
        writes: false,
        run: leader_get,
    },
    Tool {
        name: "leader-set",
        output: Output::None,
        usage: "key=value [key=value ...]",
        opts: &[],
        writes: true,
        run: leader_set,
    },
    Tool {
        name: "open-port",
        output: Output::None,
        usage: "<port>[/<protocol>] | <from>-<to>[/<protocol>] | icmp",
        opts: &[opt(&["endpoints"], true)],
        writes: true,
        run: open_port,
    },
    Tool {
        name: "close-port",
        output: Output::None,
        usage: "<port>[/<protocol>] | <from>-<to>[/<protocol>] | icmp",
        opts: &[opt(&["endpoints"], true)],
        writes: true,
        run: close_port,
    },
    Tool {
        name: "opened-ports",
        output: Output::Formatted,
        usage: "[options]",
        opts: &[opt(&["endpoints"], false)],
        writes: false,
        run: opened_ports,
    },
    Tool {
        name: "application-version-set",
        output: Output::None,
        usage: "<version>",
        opts: &[],
        writes: true,
        run: application_version_set,
    },
];

fn config_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let value = match args.at_most(1)?.first() {
        Some(key) => ctx.config.get(key).cloned().unwrap_or(Value::Null),
        None => Value::Object(
            ctx.config
                .iter()
                .filter(|(_, v)| args.flag("a") || !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
    };
    Ok(Reply::out(render(&value, args.format)))
}

fn leader_only(ctx: &HookContext, what: &str) -> Result<(), ToolError> {
    if ctx.leader {
        Ok(())
    } else {
        Err(ToolError::Failed(format!(
            "cannot {what}: {} is not the leader",
            ctx.unit
        )))
    }
}

fn status_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let positional = args.at_most(2)?;
    let Some(status) = positional.first() else {
        return Err(ToolError::Usage(
            "invalid args, require <status> [message]".into(),
        ));
    };
    if !["maintenance", "blocked", "waiting", "active"].contains(&status.as_str()) {
        return Err(ToolError::Usage(format!(
            "invalid status {status:?}, expected one of [maintenance blocked waiting active]"
        )));
    }
    let new = Status {
        status: status.clone(),
        message: positional.get(1).cloned().unwrap_or_default(),
    };
    if args.flag("application") {
        leader_only(ctx, "set the application status")?;
        ctx.app_status = new;
    } else {
        ctx.app_unit_statuses.insert(ctx.unit.clone(), new.clone());
        ctx.unit_status = new;
    }
    Ok(Reply::default())
}

/// `toDetails` of `jujuc/status-get.go`: the status, and with
/// `--include-data` its message and data too.
fn status_details(s: &Status, include_data: bool) -> Value {
    if include_data {
        json!({"status": s.status, "message": s.message, "status-data": {}})
    } else {
        json!({"status": s.status})
    }
}

/// `jujuc/status-get.go`: the bare status in the smart format without
/// `--include-data`, else the details (for `--application`, under
/// `application-status` with every unit's).
fn status_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    let data = args.flag("include-data");
    let bare = !data && args.format == Format::Smart;
    let value = if args.flag("application") {
        leader_only(ctx, "read the application status")?;
        if bare {
            json!(ctx.app_status.status)
        } else {
            let mut app = status_details(&ctx.app_status, data);
            let units: serde_json::Map<String, Value> = ctx
                .app_unit_statuses
                .iter()
                .map(|(u, s)| (u.clone(), status_details(s, data)))
                .collect();
            app["units"] = Value::Object(units);
            json!({ "application-status": app })
        }
    } else if bare {
        json!(ctx.unit_status.status)
    } else {
        status_details(&ctx.unit_status, data)
    };
    Ok(Reply::out(render(&value, args.format)))
}

/// loggo's `ParseLevel`: case-insensitive, `WARN` for `WARNING`.
fn parse_level(level: &str) -> Option<&'static str> {
    Some(match level.trim().to_ascii_uppercase().as_str() {
        "TRACE" => "TRACE",
        "DEBUG" => "DEBUG",
        "INFO" => "INFO",
        "WARN" | "WARNING" => "WARNING",
        "ERROR" => "ERROR",
        "CRITICAL" => "CRITICAL",
        _ => return None,
    })
}

/// `jujuc/juju-log.go`: `--debug` wins over `-l`; an invalid level logs
/// a warning and the message at INFO (exit 0); in a relation hook the
/// message is prefixed with the relation id (`db:2: `).
fn juju_log(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    if args.positional.is_empty() {
        return Err(ToolError::Usage("no message specified".into()));
    }
    let mut warnings = Vec::new();
    let level = match args.value("l") {
        _ if args.flag("debug") => "DEBUG",
        None => "INFO",
        Some(given) => parse_level(given).unwrap_or_else(|| {
            warnings.push(LogLine {
                level: "WARNING".into(),
                message: format!("Specified log level of {given:?} is not valid"),
            });
            "INFO"
        }),
    };
    let prefix = ctx
        .relation_id
        .and_then(|id| ctx.relations.get(&id).map(|r| format!("{}:{id}: ", r.name)))
        .unwrap_or_default();
    let message = format!("{prefix}{}", args.positional.join(" "));
    Ok(Reply {
        stdout: String::new(),
        log: Some(LogLine {
            level: level.into(),
            message,
        }),
        warnings,
    })
}

fn unit_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let value = match args.at_most(1)?.first().map(String::as_str) {
        Some("private-address") => &ctx.private_address,
        Some("public-address") => &ctx.public_address,
        Some(other) => return Err(ToolError::Usage(format!("unknown setting {other:?}"))),
        None => return Err(ToolError::Usage("no setting specified".into())),
    };
    Ok(Reply::out(render(&json!(value), args.format)))
}

fn network_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let Some(binding) = args.at_most(1)?.first() else {
        return Err(ToolError::Usage(
            "no endpoint binding name specified".into(),
        ));
    };
    if !ctx.bindings.contains(binding) {
        return Err(ToolError::Failed(format!(
            "no network config found for binding {binding:?}"
        )));
    }
    let address = &ctx.private_address;
    let egress = json!([format!("{address}/32")]);
    let parts: Vec<(&str, Value)> = [
        ("primary-address", "primary-address", json!(address)),
        ("bind-address", "bind-address", json!(address)),
        ("ingress-address", "ingress-address", json!(address)),
        ("egress-subnets", "egress-subnets", egress.clone()),
    ]
    .into_iter()
    .filter(|(flag, _, _)| args.flag(flag))
    .map(|(_, key, v)| (key, v))
    .collect();
    let value = match parts.len() {
        0 => json!({
            "bind-addresses": [{
                "mac-address": "",
                "interface-name": "eth0",
                "addresses": [{"hostname": "", "address": address, "cidr": "198.18.0.0/15", "value": address}],
            }],
            "egress-subnets": egress,
            "ingress-addresses": [address],
        }),
        1 => parts[0].1.clone(),
        _ => Value::Object(parts.into_iter().map(|(k, v)| (k.into(), v)).collect()),
    };
    Ok(Reply::out(render(&value, args.format)))
}

fn goal_state(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    Ok(Reply::out(render(&ctx.goal_state, args.format)))
}

fn is_leader(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    Ok(Reply::out(render(&json!(ctx.leader), args.format)))
}

fn leader_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let value = match args.at_most(1)?.first().map(String::as_str) {
        None | Some("-") => json!(ctx.leader_settings),
        Some(key) => ctx
            .leader_settings
            .get(key)
            .map_or(Value::Null, |v| json!(v)),
    };
    Ok(Reply::out(render(&value, args.format)))
}

/// `context/leader.go` (`WriteLeaderSettings`): a leader's settings are
/// merged at once, whatever the hook's exit status; on a unit that is not
/// the leader the write is skipped with a warning, and the tool succeeds.
fn leader_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let changes = args.pairs()?;
    if !ctx.leader {
        return Ok(Reply {
            warnings: vec![LogLine {
                level: "WARNING".into(),
                message: "skipping write settings; not the leader".into(),
            }],
            ..Reply::default()
        });
    }
    apply_changes(&mut ctx.leader_settings, changes);
    Ok(Reply::default())
}

fn port_arg(args: &Args) -> Result<Port, ToolError> {
    match args.at_most(1)?.first() {
        Some(spec) => spec.parse().map_err(|e| ToolError::Usage(format!("{e}"))),
        None => Err(ToolError::Usage("no port specified".into())),
    }
}

fn open_port(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    ctx.ports.insert(port_arg(args)?);
    Ok(Reply::default())
}

fn close_port(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    ctx.ports.remove(&port_arg(args)?);
    Ok(Reply::default())
}

fn opened_ports(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    let ports: Vec<String> = ctx.ports.iter().map(Port::to_string).collect();
    Ok(Reply::out(render(&json!(ports), args.format)))
}

fn application_version_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    match args.at_most(1)?.first() {
        Some(version) => ctx.workload_version = version.clone(),
        None => return Err(ToolError::Usage("no version specified".into())),
    }
    Ok(Reply::default())
}
