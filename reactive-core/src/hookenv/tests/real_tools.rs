//! The real hook tools: processes run with `--format=json`, output parsed,
//! and errors that name the tool, its arguments and its stderr.

use std::path::Path;

use crate::hookenv::{
    tools::HookTools, HookError, Port, Protocol, RealTools, Settings, WorkloadState,
};

/// Writes an executable script. The executable is created by `install`, a
/// separate process: if this process held a write descriptor on it, a fork
/// made meanwhile by a test on another thread would inherit it, and running
/// the script would fail with "Text file busy" (ETXTBSY).
fn script(dir: &Path, tool: &str, body: &str) {
    let src = dir.join(format!(".{tool}.src"));
    std::fs::write(&src, format!("#!/bin/sh\n{body}\n")).unwrap();
    let status = std::process::Command::new("install")
        .args(["-m", "0755"])
        .arg(&src)
        .arg(dir.join(tool))
        .status()
        .unwrap();
    assert!(status.success());
}

fn tools() -> (tempfile::TempDir, RealTools) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Each script echoes its arguments to a file, to check the command line.
    let log = d.join("args.log");
    let rec = format!("echo \"$0 $*\" >> {}", log.display());
    script(
        d,
        "config-get",
        &format!("{rec}\necho '{{\"port\": 9092, \"name\": \"k\"}}'"),
    );
    script(
        d,
        "relation-ids",
        &format!("{rec}\necho 'ERROR permission denied' >&2\nexit 2"),
    );
    script(d, "is-leader", &format!("{rec}\necho maybe"));
    script(d, "leader-get", &format!("{rec}\necho null"));
    script(
        d,
        "relation-get",
        &format!("{rec}\necho '{{\"port\": \"1\"}}'"),
    );
    script(
        d,
        "relation-set",
        &format!("{rec}\ncat > {}", d.join("stdin.yaml").display()),
    );
    script(d, "status-set", &rec);
    script(
        d,
        "opened-ports",
        &format!("{rec}\necho '[\"80/tcp\", \"53/udp\", \"8000-8100/tcp\", \"icmp\"]'"),
    );
    script(d, "network-get", &format!("{rec}\necho '{{\"bind-addresses\": [{{\"interface-name\": \"eth0\", \"addresses\": [{{\"address\": \"10.1.1.1\", \"cidr\": \"10.1.1.0/24\"}}]}}], \"ingress-addresses\": [\"10.1.1.1\"], \"egress-subnets\": [\"10.1.1.0/24\"]}}'"));
    let t = RealTools::in_dir(d);
    (dir, t)
}

fn recorded(dir: &tempfile::TempDir) -> Vec<String> {
    std::fs::read_to_string(dir.path().join("args.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let (prog, rest) = l.split_once(' ').unwrap_or((l, ""));
            let name = Path::new(prog).file_name().unwrap().to_string_lossy();
            format!("{name} {rest}").trim_end().to_string()
        })
        .collect()
}

#[test]
fn reads_parse_json_output() {
    let (dir, t) = tools();
    let cfg = t.config_get_all().unwrap();
    assert_eq!(cfg["port"], 9092);
    assert!(t.leader_get().unwrap().is_empty(), "null is no settings");
    let rel = t.relation_get("db:1", "pg/0", false).unwrap();
    assert_eq!(rel["port"], "1");
    // `opened-ports.go`: single ports, ranges and `icmp`.
    assert_eq!(
        t.opened_ports().unwrap(),
        [
            Port::tcp(80),
            Port::udp(53),
            Port::range(8000, 8100, Protocol::Tcp).unwrap(),
            Port::icmp()
        ]
    );
    let net = t.network_get("db").unwrap();
    assert_eq!(net.ingress_address(), Some("10.1.1.1"));
    assert_eq!(net.bind_addresses[0].addresses[0].cidr, "10.1.1.0/24");
    assert_eq!(
        recorded(&dir),
        [
            "config-get --all --format=json",
            "leader-get --format=json -",
            "relation-get --format=json -r db:1 - pg/0",
            "opened-ports --format=json",
            "network-get --format=json db",
        ]
    );
}

#[test]
fn writes_pass_their_arguments() {
    let (dir, t) = tools();
    let s: Settings = [
        ("a".to_string(), "1 2".to_string()),
        ("b".into(), String::new()),
    ]
    .into();
    t.relation_set("db:1", true, &s).unwrap();
    t.status_set(WorkloadState::Active, "Ready", false).unwrap();
    assert_eq!(
        recorded(&dir),
        [
            "relation-set --app -r db:1 --file -",
            "status-set -- active Ready"
        ]
    );
    let yaml = std::fs::read_to_string(dir.path().join("stdin.yaml")).unwrap();
    let sent: Settings = serde_norway::from_str(&yaml).unwrap();
    assert_eq!(sent, s, "{yaml}");
}

#[test]
fn a_failing_tool_is_named_with_arguments_and_stderr() {
    let (_dir, t) = tools();
    let e = t.relation_ids("db").unwrap_err();
    assert!(matches!(e, HookError::Failed { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "hook tool `relation-ids --format=json db` failed (exit status 2): ERROR permission denied"
    );
}

#[test]
fn output_that_does_not_parse_is_named() {
    let (_dir, t) = tools();
    let e = t.is_leader().unwrap_err();
    assert!(matches!(e, HookError::Parse { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(
            "hook tool `is-leader --format=json` printed output that is not true or false"
        ),
        "{msg}"
    );
    assert!(msg.contains("output: \"maybe\\n\""), "{msg}");
}

#[test]
fn a_missing_tool_is_named() {
    let (_dir, t) = tools();
    let e = t.unit_get("private-address").unwrap_err();
    assert!(matches!(e, HookError::Missing { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "hook tool `unit-get --format=json private-address` could not be run"
    );
    assert!(std::error::Error::source(&e).is_some(), "{e:?}");
}

/// `jujuc/relation-set.go`: the YAML map on stdin holds every value as the
/// string it is, whatever YAML would otherwise read in it.
#[test]
fn relation_settings_survive_the_yaml_on_stdin_relation_set_go() {
    let (dir, t) = tools();
    let s: Settings = [
        "true",
        "null",
        "~",
        "",
        " padded ",
        "multi\nline\n",
        "-dash",
        "{a: 1}",
        "0x10",
        "1e3",
        "é ✓",
        "tab\there",
        "#hash",
        "'quoted'",
    ]
    .iter()
    .enumerate()
    .map(|(i, v)| (format!("k{i}"), v.to_string()))
    .collect();
    t.relation_set("db:1", false, &s).unwrap();
    let yaml = std::fs::read_to_string(dir.path().join("stdin.yaml")).unwrap();
    let sent: Settings = serde_norway::from_str(&yaml).unwrap();
    assert_eq!(sent, s, "{yaml}");
}

/// `jujuc/status-get.go`: `--application` prints `{"application-status":
/// {"status", "message", "status-data", "units": {...}}}`.
#[test]
fn application_status_is_its_own_type_status_get_go() {
    let (dir, t) = tools();
    script(
        dir.path(),
        "status-get",
        r#"echo '{"application-status": {"status": "active", "message": "ok", "status-data": {}, "units": {"k/0": {"status": "blocked", "message": "m", "status-data": {}}}}}'"#,
    );
    let a = t.application_status_get().unwrap();
    assert_eq!(
        (
            a.application.status.as_str(),
            a.application.message.as_str()
        ),
        ("active", "ok")
    );
    assert_eq!(a.units["k/0"].status, "blocked");
    assert_eq!(t.status_get(true).unwrap().status, "active");
}

/// `jujuc/ports.go`: what `open-port` takes, validated as Juju validates
/// it (`network.PortRange`: 1-65535, from <= to).
#[test]
fn ports_parse_as_open_port_takes_them_ports_go() {
    for (text, shown) in [
        ("80", "80/tcp"),
        ("53/UDP", "53/udp"),
        ("8000-8100/tcp", "8000-8100/tcp"),
        ("ICMP", "icmp"),
        ("65535/udp", "65535/udp"),
    ] {
        assert_eq!(text.parse::<Port>().unwrap().to_string(), shown, "{text}");
    }
    for bad in [
        "0",
        "0/tcp",
        "65536",
        "100-10/tcp",
        "80/sctp",
        "x/tcp",
        "1-0/udp",
        "",
    ] {
        assert!(bad.parse::<Port>().is_err(), "{bad}");
    }
    assert!(Port::tcp(0).validate().is_err());
    assert!(Port::range(1, 65535, Protocol::Udp).is_ok());
}
