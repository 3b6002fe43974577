//! Tools about the unit and its application: config, status, log,
//! addresses, leadership, ports, version.

use serde_json::{json, Value};

use super::args::{apply_changes, opt, render, Args};
use super::{Reply, Tool, ToolError};
use crate::context::{HookContext, LogLine, Status};
use crate::ports::Port;

pub(crate) const TOOLS: &[Tool] = &[
    Tool {
        name: "config-get",
        usage: "[options] [<key>]",
        opts: &[opt(&["-a", "--all"], false)],
        writes: false,
        run: config_get,
    },
    Tool {
        name: "status-set",
        usage: "[options] <maintenance|blocked|waiting|active> [message]",
        opts: &[opt(&["--application"], false)],
        writes: true,
        run: status_set,
    },
    Tool {
        name: "status-get",
        usage: "[options]",
        opts: &[
            opt(&["--include-data"], false),
            opt(&["--application"], false),
        ],
        writes: false,
        run: status_get,
    },
    Tool {
        name: "juju-log",
        usage: "[options] <message>",
        opts: &[opt(&["-l", "--log-level"], true), opt(&["--debug"], false)],
        writes: false,
        run: juju_log,
    },
    Tool {
        name: "unit-get",
        usage: "[options] <private-address|public-address>",
        opts: &[],
        writes: false,
        run: unit_get,
    },
    Tool {
        name: "network-get",
        usage: "[options] <binding> [--ingress-address] [--bind-address] [--egress-subnets]",
        opts: &[
            opt(&["--ingress-address"], false),
            opt(&["--bind-address"], false),
            opt(&["--egress-subnets"], false),
            opt(&["--primary-address"], false),
            opt(&["-r", "--relation"], true),
        ],
        writes: false,
        run: network_get,
    },
    Tool {
        name: "is-leader",
        usage: "[options]",
        opts: &[],
        writes: false,
        run: is_leader,
    },
    Tool {
        name: "leader-get",
        usage: "[options] [<key>|-]",
        opts: &[],
        writes: false,
        run: leader_get,
    },
    Tool {
        name: "leader-set",
        usage: "key=value [key=value ...]",
        opts: &[],
        writes: true,
        run: leader_set,
    },
    Tool {
        name: "open-port",
        usage: "<port>[/<protocol>] | <from>-<to>[/<protocol>] | icmp",
        opts: &[opt(&["--endpoints"], true)],
        writes: true,
        run: open_port,
    },
    Tool {
        name: "close-port",
        usage: "<port>[/<protocol>] | <from>-<to>[/<protocol>] | icmp",
        opts: &[opt(&["--endpoints"], true)],
        writes: true,
        run: close_port,
    },
    Tool {
        name: "opened-ports",
        usage: "[options]",
        opts: &[opt(&["--endpoints"], false)],
        writes: false,
        run: opened_ports,
    },
    Tool {
        name: "application-version-set",
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
                .filter(|(_, v)| args.flag("-a") || !v.is_null())
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
    if args.flag("--application") {
        leader_only(ctx, "set the application status")?;
        ctx.app_status = new;
    } else {
        ctx.app_unit_statuses.insert(ctx.unit.clone(), new.clone());
        ctx.unit_status = new;
    }
    Ok(Reply::default())
}

fn status_json(s: &Status) -> Value {
    json!({"status": s.status, "message": s.message, "status-data": {}})
}

fn status_get(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    args.at_most(0)?;
    let value = if args.flag("--application") {
        leader_only(ctx, "read the application status")?;
        let mut app = status_json(&ctx.app_status);
        let units: serde_json::Map<String, Value> = ctx
            .app_unit_statuses
            .iter()
            .map(|(u, s)| (u.clone(), status_json(s)))
            .collect();
        app["units"] = Value::Object(units);
        json!({ "application-status": app })
    } else if args.flag("--include-data") {
        status_json(&ctx.unit_status)
    } else {
        json!(ctx.unit_status.status)
    };
    Ok(Reply::out(render(&value, args.format)))
}

const LEVELS: &[&str] = &["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

fn juju_log(_ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let level = match args.value("-l") {
        Some(l) => l.to_ascii_uppercase(),
        None if args.flag("--debug") => "DEBUG".into(),
        None => "INFO".into(),
    };
    if !LEVELS.contains(&level.as_str()) {
        return Err(ToolError::Usage(format!("invalid log level {level:?}")));
    }
    if args.positional.is_empty() {
        return Err(ToolError::Usage("no message specified".into()));
    }
    let message = args.positional.join(" ");
    Ok(Reply {
        stdout: String::new(),
        log: Some(LogLine { level, message }),
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
        ("--primary-address", "primary-address", json!(address)),
        ("--bind-address", "bind-address", json!(address)),
        ("--ingress-address", "ingress-address", json!(address)),
        ("--egress-subnets", "egress-subnets", egress.clone()),
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

fn leader_set(ctx: &mut HookContext, args: &Args) -> Result<Reply, ToolError> {
    let changes = args.pairs()?;
    leader_only(ctx, "write leadership settings")?;
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
