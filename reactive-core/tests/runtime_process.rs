//! The runtime as Juju runs it: the test charm (`tests/charm/test_charm.rs`)
//! as a process, with a stub for every hook tool on `PATH` that records each
//! call and answers from a JSON file (`tests/charm/stub.rs`). Checks where
//! the hook name comes from, exit codes, rollback on failure, how many
//! hook-tool calls a hook makes, and every subcommand.
//!
//! The two executables are examples of this package, built by `cargo test`.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

const TOOLS: &[&str] = &[
    "config-get",
    "relation-ids",
    "relation-list",
    "relation-get",
    "relation-set",
    "is-leader",
    "leader-get",
    "leader-set",
    "unit-get",
    "network-get",
    "status-get",
    "status-set",
    "juju-log",
    "open-port",
    "close-port",
    "opened-ports",
    "application-version-set",
    "action-get",
    "action-set",
    "action-fail",
];

const METADATA: &str = "name: test-charm\nprovides:\n  website:\n    interface: http\n";
const CONFIG: &str = "options:
  port: {type: int, default: 80}
  fail: {type: boolean, default: false}
  panic: {type: boolean, default: false}
";

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test> -> target/<profile>/examples/<name>
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let path = dir.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo test -p reactive-core` (which builds the examples) \
         or `cargo build -p reactive-core --examples`",
        path.display()
    );
    path
}

/// A unit: charm directory with the charm as `dispatch`, stub tools on PATH.
struct Unit {
    _tmp: tempfile::TempDir,
    charm: PathBuf,
    bin: PathBuf,
    stub: PathBuf,
}

fn default_replies() -> Value {
    json!({
        "config-get": {"json": {"port": 8080, "fail": false, "panic": false}},
        "is-leader": {"json": true},
        "leader-get": {"json": {}},
        "relation-ids --format=json website": {"json": ["website:1", "website:2"]},
        "relation-list --format=json -r website:1": {"json": ["proxy/0", "proxy/1"]},
        "relation-list --format=json -r website:2": {"json": ["cache/0"]},
        "relation-get": {"json": {"hostname": "h"}},
    })
}

impl Unit {
    fn new() -> Unit {
        let tmp = tempfile::tempdir().unwrap();
        let charm = tmp.path().join("charm");
        let bin = tmp.path().join("bin");
        let stub = tmp.path().join("stub");
        for d in [&charm, &bin, &stub, &charm.join("hooks")] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(charm.join("metadata.yaml"), METADATA).unwrap();
        std::fs::write(charm.join("config.yaml"), CONFIG).unwrap();
        symlink(example("runtime_test_charm"), charm.join("dispatch")).unwrap();
        let stub_exe = example("hook_tool_stub");
        for t in TOOLS {
            symlink(&stub_exe, bin.join(t)).unwrap();
        }
        let u = Unit {
            _tmp: tmp,
            charm,
            bin,
            stub,
        };
        u.replies(default_replies());
        u
    }

    fn replies(&self, v: Value) {
        std::fs::write(self.stub.join("replies.json"), v.to_string()).unwrap();
    }

    fn reply(&self, key: &str, reply: Value) {
        let mut r = default_replies();
        r[key] = reply;
        self.replies(r);
    }

    /// The executable at `path` with a clean environment: the stub tools
    /// first on PATH, the unit's name and charm directory.
    fn command(&self, path: &Path) -> Command {
        let mut c = Command::new(path);
        c.env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", self.bin.display()))
            .env("HOOK_STUB_DIR", &self.stub)
            .env("JUJU_UNIT_NAME", "test-charm/0")
            .env("JUJU_CHARM_DIR", &self.charm)
            .current_dir(&self.charm);
        c
    }

    fn dispatch(&self) -> Command {
        self.command(&self.charm.join("dispatch"))
    }

    fn hook(&self, name: &str) -> Output {
        self.clear_calls();
        self.dispatch()
            .env("JUJU_DISPATCH_PATH", format!("hooks/{name}"))
            .output()
            .unwrap()
    }

    fn cli(&self, args: &[&str]) -> Output {
        self.dispatch().args(args).output().unwrap()
    }

    fn clear_calls(&self) {
        let _ = std::fs::remove_file(self.stub.join("calls.jsonl"));
    }

    fn calls(&self) -> Vec<(String, Vec<String>)> {
        std::fs::read_to_string(self.stub.join("calls.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                let args = v["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string())
                    .collect();
                (v["tool"].as_str().unwrap().to_string(), args)
            })
            .collect()
    }

    fn count(&self, tool: &str) -> usize {
        self.calls().iter().filter(|(t, _)| t == tool).count()
    }

    fn args_of(&self, tool: &str) -> Vec<Vec<String>> {
        self.calls()
            .into_iter()
            .filter(|(t, _)| t == tool)
            .map(|(_, a)| a)
            .collect()
    }

    fn flags(&self) -> Value {
        let out = self.cli(&["flags"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status.code(),
        text(&out.stderr)
    );
}

#[test]
fn hook_name_comes_from_dispatch_path_then_hook_name_then_argv0() {
    let u = Unit::new();
    let out = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("JUJU_HOOK_NAME", "start")
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(u.flags()["charm.last-hook"], "install");
    ok(&u
        .dispatch()
        .env("JUJU_HOOK_NAME", "start")
        .output()
        .unwrap());
    assert_eq!(u.flags()["charm.last-hook"], "start");
    symlink(
        u.charm.join("dispatch"),
        u.charm.join("hooks/update-status"),
    )
    .unwrap();
    ok(&u
        .command(&u.charm.join("hooks/update-status"))
        .output()
        .unwrap());
    assert_eq!(u.flags()["charm.last-hook"], "update-status");
}

#[test]
fn run_by_hand_without_a_hook_prints_usage_and_fails() {
    let u = Unit::new();
    let out = u.dispatch().env_remove("JUJU_UNIT_NAME").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("\"dispatch\" is not a hook"), "{err}");
    assert!(
        err.contains("Usage:") && err.contains("is-flag-set"),
        "{err}"
    );
    assert!(u.calls().is_empty());
}

#[test]
fn a_hook_reads_each_thing_once_and_writes_once_per_relation() {
    let u = Unit::new();
    ok(&u.hook("install"));
    for (tool, n) in [
        ("config-get", 1),
        ("is-leader", 1),
        ("leader-get", 1),
        ("relation-ids", 1),
        ("relation-list", 2),
        ("relation-get", 3),
        ("relation-set", 2),
        ("open-port", 1),
        ("status-set", 1),
        ("leader-set", 0),
    ] {
        assert_eq!(u.count(tool), n, "calls to {tool}: {:?}", u.calls());
    }
    assert_eq!(
        u.args_of("relation-set"),
        [
            ["-r", "website:1", "leader=true", "port=8080"],
            ["-r", "website:2", "leader=true", "port=8080"],
        ]
    );
    assert_eq!(u.args_of("open-port"), [["8080/tcp"]]);
    let logs: Vec<String> = u
        .args_of("juju-log")
        .into_iter()
        .map(|a| a.join(" "))
        .collect();
    assert!(
        logs.iter().any(
            |l| l.starts_with("-l INFO Invoking reactive handler: ") && l.ends_with(":publish")
        ),
        "{logs:?}"
    );
    // The stored trace records exactly the calls the stub saw.
    let out = u.cli(&["trace", "--json"]);
    ok(&out);
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    let recorded: Vec<(String, Vec<String>)> = trace["tool_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["tool"].as_str().unwrap().into(),
                c["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().into())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(recorded, u.calls());
    let flags = u.flags();
    assert_eq!(flags["charm.installed"], Value::Null);
    assert_eq!(flags["charm.port"], 8080);
    assert!(
        flags
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("config.")),
        "{flags}"
    );
}

#[test]
fn a_failed_hook_commits_nothing_sends_no_write_and_exits_non_zero() {
    let u = Unit::new();
    ok(&u.hook("install"));
    let before = u.flags();
    u.reply("config-get", json!({"json": {"port": 9999, "fail": true}}));
    let out = u.hook("config-changed");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("hook config-changed failed: handler ")
            && err.contains(":fail failed: configured to fail"),
        "{err}"
    );
    assert_eq!(u.count("relation-set"), 0, "{:?}", u.calls());
    assert_eq!(u.count("open-port"), 0);
    let errors: Vec<Vec<String>> = u
        .args_of("juju-log")
        .into_iter()
        .filter(|a| a[1] == "ERROR")
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0][2].contains("configured to fail"), "{errors:?}");
    assert_eq!(
        u.flags(),
        before,
        "flags are those of the last successful hook"
    );
    // The retry, once fixed, sees the config change again.
    u.reply("config-get", json!({"json": {"port": 9999}}));
    ok(&u.hook("config-changed"));
    assert_eq!(u.flags()["charm.port"], 9999);
    assert_eq!(u.args_of("open-port"), [["9999/tcp"]]);
}

#[test]
fn a_panic_fails_the_hook() {
    let u = Unit::new();
    u.reply("config-get", json!({"json": {"panic": true}}));
    let out = u.hook("install");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(":explode failed: panicked: configured to panic"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(u.flags(), json!({}));
}

#[test]
fn a_failing_hook_tool_is_reported_with_its_arguments_and_stderr() {
    let u = Unit::new();
    u.reply(
        "relation-ids --format=json website",
        json!({"stderr": "ERROR permission denied\n", "exit": 1}),
    );
    let out = u.hook("install");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("hook tool `relation-ids --format=json website` failed (exit status 1): ERROR permission denied"),
        "{err}"
    );
}

#[test]
fn unparseable_tool_output_is_reported() {
    let u = Unit::new();
    u.reply("is-leader", json!({"stdout": "perhaps\n"}));
    let out = u.hook("install");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "hook tool `is-leader --format=json` printed output that is not true or false"
        ),
        "{err}"
    );
}

#[test]
fn iteration_bound_from_the_environment() {
    let u = Unit::new();
    let out = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("REACTIVE_MAX_ITERATIONS", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("dispatch did not settle within 0 iterations"),
        "{}",
        text(&out.stderr)
    );
    let out = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("REACTIVE_MAX_ITERATIONS", "many")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("REACTIVE_MAX_ITERATIONS=\"many\": expected a number"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn debug_lines_only_when_enabled() {
    let u = Unit::new();
    ok(&u.hook("install"));
    assert!(u.args_of("juju-log").iter().all(|a| a[1] != "DEBUG"));
    u.clear_calls();
    ok(&u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/update-status")
        .env("REACTIVE_LOG_LEVEL", "debug")
        .output()
        .unwrap());
    assert!(
        u.args_of("juju-log")
            .iter()
            .any(|a| a[1..] == ["DEBUG", "debug line from the charm"]),
        "{:?}",
        u.args_of("juju-log")
    );
}

#[test]
fn restricted_hooks_call_no_tool_but_juju_log() {
    let u = Unit::new();
    ok(&u.hook("collect-metrics"));
    assert!(
        u.calls().iter().all(|(t, _)| t == "juju-log"),
        "{:?}",
        u.calls()
    );
    assert_eq!(u.flags(), json!({"charm.metrics": null}));
}

#[test]
fn flag_subcommands() {
    let u = Unit::new();
    assert_eq!(u.flags(), json!({}));
    ok(&u.hook("install"));
    assert_eq!(
        u.cli(&["is-flag-set", "charm.installed"]).status.code(),
        Some(0)
    );
    assert_eq!(u.cli(&["is-flag-set", "charm.nope"]).status.code(), Some(1));
    ok(&u.cli(&["set-flag", "ops.note", r#"{"by": "operator"}"#]));
    ok(&u.cli(&["set-flag", "ops.plain"]));
    let flags = u.flags();
    assert_eq!(flags["ops.note"], json!({"by": "operator"}));
    assert_eq!(flags["ops.plain"], Value::Null);
    ok(&u.cli(&["clear-flag", "ops.plain"]));
    assert_eq!(u.cli(&["is-flag-set", "ops.plain"]).status.code(), Some(1));
    let out = u.cli(&["set-flag", "ops.bad", "{not json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("value of flag \"ops.bad\" is not JSON"),
        "{}",
        text(&out.stderr)
    );
    let out = u.cli(&["set-flag", "two words"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid flag name"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(u.cli(&["no-such-command"]).status.code(), Some(2));
    // The exact form the offline Juju reads: one JSON object, sorted keys.
    let out = u.cli(&["flags"]);
    let printed = text(&out.stdout);
    let keys: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split_once("\":").map(|(k, _)| k))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), u.flags().as_object().unwrap().len());
    assert!(
        printed.starts_with('{') && printed.ends_with("}\n"),
        "{printed}"
    );
}

#[test]
fn trace_handlers_and_graph_subcommands() {
    let u = Unit::new();
    let out = u.cli(&["trace"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no dispatch has been recorded yet"));
    ok(&u.hook("install"));
    let out = u.cli(&["trace"]);
    ok(&out);
    let t = text(&out.stdout);
    assert!(t.starts_with("hook install\n"), "{t}");
    assert!(
        t.contains("hooks phase: 1 queued") && t.contains(":installed: +charm.installed"),
        "{t}"
    );
    assert!(t.contains("hook-tool calls: "), "{t}");

    let out = u.cli(&["handlers"]);
    ok(&out);
    let h = text(&out.stdout);
    assert!(h.contains(":installed\n    hook(install)"), "{h}");
    assert!(
        h.contains(":fail\n    when_all(config.set.fail, charm.installed)"),
        "{h}"
    );
    let out = u.cli(&["handlers", "--json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 7);

    let out = u.cli(&["graph"]);
    ok(&out);
    let g = text(&out.stdout);
    assert!(g.starts_with("digraph reactive {"), "{g}");
    assert!(g.contains("[shape=diamond, label=\"install\"]"), "{g}");
    assert!(g.contains("[label=\"when_not\", style=dashed]"), "{g}");
    let out = u.cli(&["graph", "--mermaid"]);
    ok(&out);
    let m = text(&out.stdout);
    assert!(
        m.starts_with("flowchart LR\n") && m.contains("-->|when|"),
        "{m}"
    );
}
