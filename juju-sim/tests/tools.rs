//! What the hook tools answer, and what they change.

mod common;

use common::*;
use juju_sim::report::ActionStatus;
use serde_json::json;

/// Lines `key=value` a unit's scripts wrote to out.log, as (key, value).
fn out(model: &juju_sim::Model, unit: &str) -> Vec<(String, String)> {
    unit_file(model, unit, "out.log")
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn value(model: &juju_sim::Model, unit: &str, key: &str) -> String {
    let all = out(model, unit);
    let found = all.iter().find(|(k, _)| k == key);
    found
        .unwrap_or_else(|| panic!("{unit} wrote no {key}; out.log: {all:?}"))
        .1
        .clone()
}

const JOINED: &str = r#"
relation-set host=a-host port=1
relation-set -r "$JUJU_RELATION_ID" extra=x
echo "local-host=$(relation-get host "$JUJU_UNIT_NAME")" >> out.log
echo "local-all=$(relation-get --format=json - "$JUJU_UNIT_NAME")" >> out.log
relation-set extra=
echo "after-delete=$(relation-get --format=json extra "$JUJU_UNIT_NAME")" >> out.log
echo "remote-host=$(relation-get --format=json host)" >> out.log
"#;

const CHANGED: &str = r#"
echo "changed=$JUJU_REMOTE_UNIT host=$(relation-get host) port=$(relation-get port)" >> out.log
"#;

#[test]
fn relation_set_is_readable_locally_at_once_and_remotely_after_commit() {
    let (dir, mut model) = model();
    let a = probe(&dir, "a", &[("db-relation-joined", JOINED)]);
    let b = probe(&dir, "b", &[("backend-relation-changed", CHANGED)]);
    model.deploy("a", &a, 1).unwrap();
    model.deploy("b", &b, 1).unwrap();
    model.settle().unwrap();
    let id = model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    assert_eq!(value(&model, "a/0", "local-host"), "a-host");
    let local: serde_json::Value =
        serde_json::from_str(&value(&model, "a/0", "local-all")).unwrap();
    assert_eq!(local["host"], "a-host");
    assert_eq!(local["extra"], "x");
    assert_eq!(
        local["private-address"], local["ingress-address"],
        "pre-filled"
    );
    assert_eq!(value(&model, "a/0", "after-delete"), "null");
    assert_eq!(
        value(&model, "a/0", "remote-host"),
        "null",
        "b wrote nothing"
    );
    // b saw a's settings once committed; the two queued changes coalesced.
    let changes: Vec<_> = out(&model, "b/0")
        .into_iter()
        .filter(|(k, _)| k == "changed")
        .collect();
    assert_eq!(
        changes,
        [("changed".into(), "a/0 host=a-host port=1".into())]
    );
    let published = model.relation_data(id, "a/0").unwrap();
    assert_eq!(published["host"], "a-host");
    assert!(!published.contains_key("extra"));
    assert!(published["private-address"].starts_with("198.18."));
    assert_eq!(
        published["egress-subnets"],
        format!("{}/32", published["private-address"])
    );
}

#[test]
fn a_committed_change_queues_relation_changed_on_remote_units() {
    let (dir, mut model) = model();
    let a = probe(
        &dir,
        "a",
        &[(
            "config-changed",
            r#"for id in $(relation-ids db); do relation-set -r "$id" port="$(config-get port)"; done"#,
        )],
    );
    let b = probe(&dir, "b", &[("backend-relation-changed", CHANGED)]);
    model.deploy("a", &a, 1).unwrap();
    model.deploy("b", &b, 2).unwrap();
    model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    model.set_config("a", "port", "7000").unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(
        run_list(&runs),
        [
            "a/0 config-changed",
            "b/0 backend-relation-changed",
            "b/1 backend-relation-changed"
        ]
    );
    assert_eq!(out(&model, "b/1").last().unwrap().1, "a/0 host= port=7000");
    // Setting the same value again commits nothing new: no event.
    model.update_status();
    model.set_config("a", "port", "7000").unwrap();
    assert!(runs_on(&model.settle().unwrap(), "b/0") == ["update-status"]);
}

#[test]
fn relation_set_file_and_app_data_on_peers() {
    let (dir, mut model) = model();
    let charm = probe(
        &dir,
        "p",
        &[
            (
                "leader-elected",
                r#"printf 'a: "1"\nb: 2\nc: null\nd: ""\n' > settings.yaml
relation-set -r ring:0 d=gone c=gone
relation-set -r ring:0 --file settings.yaml
relation-set -r ring:0 --app shared=yes"#,
            ),
            (
                "ring-relation-changed",
                r#"echo "app-change=${JUJU_REMOTE_UNIT:-none}:$(relation-get --app --format=json - "$JUJU_REMOTE_APP")" >> out.log"#,
            ),
        ],
    );
    model.deploy("p", &charm, 2).unwrap();
    model.settle().unwrap();
    let mine = model.relation_data(0, "p/0").unwrap();
    assert_eq!((mine["a"].as_str(), mine["b"].as_str()), ("1", "2"));
    assert!(
        !mine.contains_key("c") && !mine.contains_key("d"),
        "null and empty delete"
    );
    assert_eq!(model.relation_app_data(0, "p").unwrap()["shared"], "yes");
    // p/1 reads the peer application data; an app change has no remote unit.
    let seen: Vec<String> = out(&model, "p/1")
        .into_iter()
        .filter(|(k, _)| k == "app-change")
        .map(|(_, v)| v)
        .collect();
    assert!(
        seen.contains(&r#"p/0:{"shared":"yes"}"#.to_string()),
        "{seen:?}"
    );
}

#[test]
fn json_and_smart_outputs() {
    let script = r#"
{
echo "ids=$(relation-ids --format=json db)"
echo "ids-smart=$(relation-ids db | tr '\n' ' ')"
echo "list=$(relation-list --format=json -r db:2)"
echo "list-app=$(relation-list --app --format json -r 2)"
echo "missing=$(relation-get --format=json -r db:2 nope b/0)"
echo "missing-smart=[$(relation-get -r db:2 nope b/0)]"
echo "config=$(config-get --format=json)"
echo "config-all=$(config-get --all --format=json)"
echo "port=$(config-get port)"
echo "ratio=$(config-get --format=json ratio)"
echo "name=$(config-get --format=json name)"
echo "leader=$(is-leader --format=json)"
echo "leader-smart=$(is-leader)"
echo "address=$(unit-get --format=json private-address)"
echo "status=$(status-get --format=json --include-data)"
echo "status-smart=$(status-get)"
echo "status-json=$(status-get --format=json)"
echo "net=$(network-get db --ingress-address)"
echo "net-two=$(network-get --format=json db --ingress-address --egress-subnets)"
echo "net-yaml-has=$(network-get db --format yaml | grep -c ingress-addresses)"
echo "leader-get=$(leader-get --format=json)"
echo "yaml=$(config-get --format=yaml verbose)"
echo "help-has-file=$(relation-set --help | grep -c -- --file)"
} >> out.log
"#;
    let (dir, mut model) = model();
    let a = probe(&dir, "a", &[("update-status", script)]);
    model.deploy("a", &a, 1).unwrap();
    model.deploy("b", &a, 2).unwrap();
    model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    model.update_status();
    model.settle().unwrap();
    let v = |k| value(&model, "a/0", k);
    assert_eq!(v("ids"), r#"["db:2"]"#);
    assert_eq!(v("ids-smart"), "db:2 ");
    assert_eq!(v("list"), r#"["b/0","b/1"]"#);
    assert_eq!(v("list-app"), r#""b""#);
    assert_eq!(v("missing"), "null");
    assert_eq!(v("missing-smart"), "[]");
    assert_eq!(v("config"), r#"{"port":8080,"ratio":1.0,"verbose":false}"#);
    assert_eq!(
        v("config-all"),
        r#"{"name":null,"port":8080,"ratio":1.0,"verbose":false}"#
    );
    assert_eq!(v("port"), "8080");
    assert_eq!(v("ratio"), "1.0");
    assert_eq!(v("name"), "null");
    assert_eq!(v("leader"), "true");
    assert_eq!(v("leader-smart"), "True");
    assert_eq!(v("address"), r#""198.18.1.1""#);
    assert_eq!(
        v("status"),
        r#"{"message":"","status":"unknown","status-data":{}}"#
    );
    assert_eq!(v("status-smart"), "unknown");
    // jujuc/status-get.go: without --include-data, JSON holds the status only.
    assert_eq!(v("status-json"), r#"{"status":"unknown"}"#);
    assert_eq!(v("net"), "198.18.1.1");
    assert_eq!(
        v("net-two"),
        r#"{"egress-subnets":["198.18.1.1/32"],"ingress-address":"198.18.1.1"}"#
    );
    assert_eq!(v("net-yaml-has"), "1");
    assert_eq!(v("leader-get"), "{}");
    assert_eq!(v("yaml"), "false");
    // charmhelpers looks for --file in the help to choose how to call it.
    assert_eq!(v("help-has-file"), "2");
}

#[test]
fn leader_only_tools_fail_on_other_units() {
    let script = r#"
try() { if "$@" 2>>err.log; then echo "$1=ok"; else echo "$1=$?"; fi >> out.log; }
try leader-set k=v
try relation-set --app -r ring:0 x=y
try status-set --application active fine
try status-get --application --format=json
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("start", script)]);
    model.deploy("p", &charm, 2).unwrap();
    model.settle().unwrap();
    for tool in ["relation-set", "status-set", "status-get"] {
        assert_eq!(value(&model, "p/0", tool), "ok", "leader {tool}");
        assert_eq!(value(&model, "p/1", tool), "1", "non-leader {tool}");
    }
    // context/leader.go: a follower's leader-set is skipped with a
    // warning; the tool succeeds.
    assert_eq!(value(&model, "p/1", "leader-set"), "ok");
    let warned =
        model.logs("p/1").unwrap().iter().any(|l| {
            l.level == "WARNING" && l.message == "skipping write settings; not the leader"
        });
    assert!(warned, "{:?}", model.logs("p/1").unwrap());
    assert_eq!(model.leader_settings("p").unwrap()["k"], "v");
    assert_eq!(model.app_status("p").unwrap().message, "fine");
    assert_eq!(model.relation_app_data(0, "p").unwrap()["x"], "y");
}

#[test]
fn bad_arguments_and_unknown_things_fail_with_juju_exit_codes() {
    let script = r#"
set +e
try() { "$@" >/dev/null 2>>err.log; echo "$*=$?" >> out.log; }
try relation-get -r db:99 - b/0
try relation-get -r ring:0 - nobody/7
try relation-get
try relation-list --bogus
try relation-set novalue
try status-set exploded
try juju-log -l LOUD hi
try open-port 70000
try unit-get nothing
try network-get nowhere
try action-get
try config-get --format xml
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("install", script)]);
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    let codes: Vec<(String, String)> = out(&model, "p/0");
    let code = |cmd: &str| {
        codes
            .iter()
            .find(|(k, _)| k == cmd)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{cmd} not run: {codes:?}"))
    };
    assert_eq!(code("relation-get -r db:99 - b/0"), "2");
    assert_eq!(code("relation-get -r ring:0 - nobody/7"), "1");
    assert_eq!(code("relation-get"), "2", "no relation in install");
    assert_eq!(code("relation-list --bogus"), "2");
    assert_eq!(code("relation-set novalue"), "2");
    assert_eq!(code("status-set exploded"), "2");
    // jujuc/juju-log.go: a bad level is a warning, not an error.
    assert_eq!(code("juju-log -l LOUD hi"), "0");
    assert_eq!(code("open-port 70000"), "2");
    assert_eq!(code("unit-get nothing"), "2");
    assert_eq!(code("network-get nowhere"), "1");
    assert_eq!(code("action-get"), "1");
    assert_eq!(code("config-get --format xml"), "2");
    let errors = unit_file(&model, "p/0", "err.log");
    assert!(
        errors.contains(r#"invalid value "db:99" for option -r: relation not found"#),
        "{errors}"
    );
    // Failed calls are recorded with their error.
    let failed = model
        .calls("p/0")
        .into_iter()
        .filter(|c| c.exit_code != 0)
        .count();
    assert_eq!(failed, 11);
}

#[test]
fn calls_logs_ports_version_and_status_are_recorded() {
    let script = r#"
juju-log -l WARNING careful now
juju-log --log-level=DEBUG detail
juju-log plain
open-port 80
open-port 8000-8010/udp
open-port 443
close-port 443
application-version-set 1.2.3
status-set active "all good"
echo "opened=$(opened-ports --format=json)" >> out.log
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("start", script)]);
    model.deploy("p", &charm, 1).unwrap();
    let runs = model.settle().unwrap();
    let start = runs.iter().find(|r| r.hook == "start").unwrap();
    assert_eq!(start.calls.len(), 10);
    assert_eq!(start.calls_by_tool()["open-port"], 3);
    assert_eq!(start.calls[0].args, ["-l", "WARNING", "careful", "now"]);
    assert!(start.tool_micros > 0 && start.tool_micros < start.wall_micros);
    assert!(start.peak_rss_kib > 0);
    let logs: Vec<(String, String)> = model
        .logs("p/0")
        .unwrap()
        .iter()
        .map(|l| (l.level.clone(), l.message.clone()))
        .collect();
    assert_eq!(
        logs,
        [
            ("WARNING".into(), "careful now".into()),
            ("DEBUG".into(), "detail".into()),
            ("INFO".into(), "plain".into())
        ]
    );
    let ports: Vec<String> = model
        .opened_ports("p/0")
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(ports, ["80/tcp", "8000-8010/udp"]);
    assert_eq!(
        value(&model, "p/0", "opened"),
        r#"["80/tcp","8000-8010/udp"]"#
    );
    assert_eq!(model.workload_version("p").unwrap(), "1.2.3");
    assert_eq!(model.unit_status("p/0").unwrap().message, "all good");
}

#[test]
fn actions_get_params_and_report_results() {
    let greet = r#"
action-log starting
action-set greeting="hello $(action-get who)" nested.count="$(action-get times)"
echo "params=$(action-get --format=json)" >> out.log
[ "$(action-get who)" != fail ] || action-fail "asked to fail"
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("greet", greet)]);
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    let done = model.run_action("p/0", "greet", &[("times", "3")]).unwrap();
    assert_eq!(done.status, ActionStatus::Completed);
    assert_eq!(
        serde_json::Value::Object(done.results),
        json!({"greeting": "hello world", "nested": {"count": "3"}})
    );
    assert_eq!(done.logs, ["starting"]);
    assert_eq!(
        value(&model, "p/0", "params"),
        r#"{"times":3,"who":"world"}"#
    );
    let env = unit_file(&model, "p/0", "env.greet");
    assert!(env.contains("JUJU_ACTION_NAME=greet\n"), "{env}");
    assert!(env.contains("JUJU_DISPATCH_PATH=actions/greet\n"), "{env}");
    // Juju exports JUJU_HOOK_NAME empty in an action (context.go, HookVars).
    assert!(env.contains("JUJU_HOOK_NAME=\n"), "{env}");

    let failed = model
        .run_action("p/0", "greet", &[("who", "fail")])
        .unwrap();
    assert_eq!(failed.status, ActionStatus::Failed);
    assert_eq!(failed.message.as_deref(), Some("asked to fail"));
    assert!(
        model.unit_error("p/0").unwrap().is_none(),
        "a failed action is no unit error"
    );
    assert!(matches!(
        model.run_action("p/0", "nope", &[] as &[(&str, &str)]),
        Err(juju_sim::Error::UnknownAction { .. })
    ));
}

#[test]
fn tools_run_in_parallel_by_one_hook_lose_no_writes() {
    let parallel = r#"
for i in $(seq 1 20); do relation-set -r ring:0 "k$i=v$i" & done
wait
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("install", parallel)]);
    model.deploy("p", &charm, 1).unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(runs[0].calls.len(), 20);
    let data = model.relation_data(0, "p/0").unwrap();
    for i in 1..=20 {
        assert_eq!(
            data.get(&format!("k{i}")),
            Some(&format!("v{i}")),
            "k{i} lost"
        );
    }
}
