//! The hook tools parse their arguments as Juju's do (juju/gnuflag
//! `flag.go` with juju/cmd's interspersed flags) and print what `jujuc`
//! prints. Each test names the Juju file whose behaviour it pins; every
//! call is a real exec, so argument limits are the kernel's.

mod common;

use common::*;

/// Runs `script` in `update-status` of `a/0` (related to `b/0` on
/// `a:db`/`b:backend`) and returns what it appended to out.log.
fn run(script: &str) -> (tempfile::TempDir, juju_sim::Model) {
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("update-status", script)]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    model.update_status();
    model.settle_report().unwrap();
    (dir, model)
}

fn out_of(model: &juju_sim::Model) -> String {
    unit_file(model, "a/0", "out.log")
}

/// juju/gnuflag `flag.go`: flags anywhere, `--` ends them, unknown flags
/// are errors (exit 2) naming the flag.
#[test]
fn flags_anywhere_double_dash_and_unknown_flags() {
    let (_d, model) = run(r#"
juju-log hello -l DEBUG
juju-log -- -starts-with-dash
status-set maintenance -- "-dashing message"
if status-set --format json active x 2>>out.log; then echo bad >> out.log; fi
if relation-get --nope 2>>out.log; then echo bad >> out.log; fi
echo "rc=$(relation-ids --bogus 2>/dev/null; echo $?)" >> out.log
"#);
    let logs = model.logs("a/0").unwrap();
    assert_eq!(
        (logs[0].level.as_str(), logs[0].message.as_str()),
        ("DEBUG", "hello")
    );
    assert_eq!(logs[1].message, "-starts-with-dash");
    assert_eq!(
        model.unit_status("a/0").unwrap().message,
        "-dashing message"
    );
    let out = out_of(&model);
    assert!(
        out.contains("ERROR flag provided but not defined: --format"),
        "{out}"
    );
    assert!(
        out.contains("ERROR flag provided but not defined: --nope"),
        "{out}"
    );
    assert!(out.contains("rc=2"), "{out}");
    assert!(!out.contains("bad"), "{out}");
}

/// jujuc/relation-set.go: `--file PATH` or `--file -` (stdin) holds a
/// YAML map; key=value arguments override it; an empty value deletes.
#[test]
fn relation_set_file_from_a_path_and_from_stdin() {
    let big = "x".repeat(200 * 1024);
    let script = format!(
        r#"
id=$(relation-ids db)
printf 'from-file: one\nport: 9092\nempty: ""\n' > settings.yaml
relation-set -r "$id" --file settings.yaml from-file=overridden
printf 'big: {big}\n' | relation-set --file - -r "$id"
relation-set -r "$id" --relation="$id" twice=ok
"#
    );
    let (_d, model) = run(&script);
    let data = model.relation_data(2, "a/0").unwrap();
    assert_eq!(data["from-file"], "overridden");
    assert_eq!(data["port"], "9092");
    assert!(!data.contains_key("empty"));
    assert_eq!(
        data["big"].len(),
        200 * 1024,
        "over the 128 KiB argument limit"
    );
    assert_eq!(data["twice"], "ok");
}

/// jujuc/status-get.go and jujuc/juju-log.go.
#[test]
fn status_get_and_juju_log_print_as_jujuc() {
    let (_d, model) = run(r#"
status-set active ready
{
echo "smart=$(status-get)"
echo "json=$(status-get --format=json)"
echo "data=$(status-get --format=json --include-data)"
echo "app-smart=$(status-get --application)"
echo "app=$(status-get --application --format=json)"
} >> out.log
juju-log -l warn careful
juju-log --debug -l ERROR debug-wins
juju-log -l LOUD still-logged
"#);
    let out = out_of(&model);
    assert!(out.contains("smart=active\n"), "{out}");
    assert!(out.contains(r#"json={"status":"active"}"#), "{out}");
    assert!(
        out.contains(r#"data={"message":"ready","status":"active","status-data":{}}"#),
        "{out}"
    );
    assert!(out.contains("app-smart=unknown\n"), "{out}");
    assert!(
        out.contains(
            r#"app={"application-status":{"status":"unknown","units":{"a/0":{"status":"active"}}}}"#
        ),
        "{out}"
    );
    let logs: Vec<(String, String)> = model
        .logs("a/0")
        .unwrap()
        .iter()
        .map(|l| (l.level.clone(), l.message.clone()))
        .collect();
    let logs: Vec<(&str, &str)> = logs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        logs,
        [
            ("WARNING", "careful"),
            ("DEBUG", "debug-wins"),
            ("WARNING", "Specified log level of \"LOUD\" is not valid"),
            ("INFO", "still-logged"),
        ]
    );
}

/// jujuc/juju-log.go: in a relation hook the message is prefixed with the
/// relation id.
#[test]
fn juju_log_in_a_relation_hook_names_the_relation() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("db-relation-joined", "juju-log joined")]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    assert_eq!(model.logs("a/0").unwrap()[0].message, "db:2: joined");
}

/// jujuc/open-port.go, jujuc/opened-ports.go: single ports, ranges, icmp,
/// sorted as core/network's port ranges sort (icmp, which has no port
/// number, first; then by number).
#[test]
fn ports_with_ranges_and_icmp() {
    let (_d, model) = run(r#"
open-port 80
open-port 8000-8080/udp
open-port icmp
opened-ports >> out.log
echo "json=$(opened-ports --format=json)" >> out.log
"#);
    let out = out_of(&model);
    assert!(out.starts_with("icmp\n80/tcp\n8000-8080/udp\n"), "{out}");
    assert!(
        out.contains(r#"json=["icmp","80/tcp","8000-8080/udp"]"#),
        "{out}"
    );
}

/// jujuc/relation-list.go (`--app`), jujuc/leader-get.go,
/// jujuc/leader-set.go, jujuc/network-get.go.
#[test]
fn relation_list_app_leader_settings_and_network_get() {
    let (_d, model) = run(r#"
{
echo "app=$(relation-list --app -r "$(relation-ids db)")"
leader-set a=1 b=2
leader-set b=
echo "leader=$(leader-get --format=json)"
echo "leader-a=$(leader-get a)"
echo "ingress=$(network-get db --ingress-address)"
echo "bind=$(network-get db --bind-address --format=json)"
} >> out.log
"#);
    let out = out_of(&model);
    assert!(out.contains("app=b\n"), "{out}");
    assert!(out.contains(r#"leader={"a":"1"}"#), "{out}");
    assert!(out.contains("leader-a=1\n"), "{out}");
    assert!(out.contains("ingress=198.18.1.1\n"), "{out}");
    assert!(out.contains(r#"bind="198.18.1.1""#), "{out}");
}

/// jujuc/action-set.go (key rule, later values win, no argument is fine),
/// jujuc/action-fail.go (default reason), jujuc/action-log.go.
#[test]
fn action_tools_as_jujuc() {
    let greet = r#"
action-set
action-set a.b=1 a.b=2 x-1=ok
if action-set Bad=1 2>>err.log; then echo bad >> err.log; fi
if action-set a_b=1 2>>err.log; then echo bad >> err.log; fi
action-log "step one"
action-fail
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("greet", greet)]);
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    let done = model
        .run_action("p/0", "greet", &[] as &[(&str, &str)])
        .unwrap();
    assert_eq!(
        serde_json::Value::Object(done.results),
        serde_json::json!({"a": {"b": "2"}, "x-1": "ok"})
    );
    assert_eq!(done.logs, ["step one"]);
    assert_eq!(
        done.message.as_deref(),
        Some("action failed without reason given")
    );
    let errors = unit_file(&model, "p/0", "err.log");
    assert!(
        errors.contains(r#"key "Bad" must start and end with lowercase alphanumeric"#),
        "{errors}"
    );
    assert!(errors.contains(r#"key "a_b""#), "{errors}");
    assert!(!errors.contains("bad"), "{errors}");
}

/// jujuc/goal-state.go: the application's units and, per endpoint, the
/// related application and its units, YAML by default, JSON on request.
#[test]
fn goal_state_lists_units_and_related_units() {
    let (_d, model) = run(r#"
echo "goal=$(goal-state --format=json)" >> out.log
goal-state | grep -c 'status:' | sed 's/^/yaml-statuses=/' >> out.log
"#);
    let out = out_of(&model);
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("goal="))
        .expect(&out);
    let goal: serde_json::Value = serde_json::from_str(line).unwrap();
    // The workload status as the model holds it when the hook starts.
    assert_eq!(goal["units"]["a/0"]["status"], "unknown");
    assert_eq!(goal["relations"]["db"]["b"]["status"], "joined");
    assert!(goal["relations"]["db"]["b/0"]["status"].is_string());
    assert!(out.contains("yaml-statuses=3"), "{out}");
}
