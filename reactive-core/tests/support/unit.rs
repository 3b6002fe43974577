//! A unit for the process-level tests: a charm directory whose `dispatch`
//! is the test charm (`tests/charm/test_charm.rs`), and a stub for every
//! hook tool on `PATH` (`tests/charm/stub.rs`) that records each call and
//! answers from a JSON file. Both are examples of this package, built by
//! `cargo test`.
#![allow(dead_code)] // each test file uses part of it
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

pub(crate) fn example(name: &str) -> PathBuf {
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
pub(crate) struct Unit {
    _tmp: tempfile::TempDir,
    pub charm: PathBuf,
    pub bin: PathBuf,
    pub stub: PathBuf,
}

pub(crate) fn default_replies() -> Value {
    json!({
        "config-get": {"json": {"port": 8080, "fail": false, "panic": false}},
        "is-leader": {"json": true},
        "leader-get": {"json": {}},
        "relation-ids --format=json website": {"json": ["website:1", "website:2"]},
        "relation-list --format=json -r website:1": {"json": ["proxy/0", "proxy/1"]},
        "relation-list --format=json -r website:2": {"json": ["cache/0"]},
        "relation-get": {"json": {"hostname": "h"}},
        "opened-ports": {"json": []},
    })
}

impl Unit {
    pub(crate) fn new() -> Unit {
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
        u.replies(&default_replies());
        u
    }

    pub(crate) fn replies(&self, v: &Value) {
        std::fs::write(self.stub.join("replies.json"), v.to_string()).unwrap();
    }

    pub(crate) fn reply(&self, key: &str, reply: Value) {
        let mut r = default_replies();
        r[key] = reply;
        self.replies(&r);
    }

    /// The executable at `path` with a clean environment: the stub tools
    /// first on PATH, the unit's name and charm directory.
    pub(crate) fn command(&self, path: &Path) -> Command {
        let mut c = Command::new(path);
        c.env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", self.bin.display()))
            .env("HOOK_STUB_DIR", &self.stub)
            .env("JUJU_UNIT_NAME", "test-charm/0")
            .env("JUJU_CHARM_DIR", &self.charm)
            .current_dir(&self.charm);
        c
    }

    pub(crate) fn dispatch(&self) -> Command {
        self.command(&self.charm.join("dispatch"))
    }

    pub(crate) fn hook(&self, name: &str) -> Output {
        self.clear_calls();
        self.dispatch()
            .env("JUJU_DISPATCH_PATH", format!("hooks/{name}"))
            .output()
            .unwrap()
    }

    pub(crate) fn cli(&self, args: &[&str]) -> Output {
        self.dispatch().args(args).output().unwrap()
    }

    pub(crate) fn clear_calls(&self) {
        let _ = std::fs::remove_file(self.stub.join("calls.jsonl"));
    }

    pub(crate) fn calls(&self) -> Vec<(String, Vec<String>)> {
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

    pub(crate) fn count(&self, tool: &str) -> usize {
        self.calls().iter().filter(|(t, _)| t == tool).count()
    }

    pub(crate) fn args_of(&self, tool: &str) -> Vec<Vec<String>> {
        self.calls()
            .into_iter()
            .filter(|(t, _)| t == tool)
            .map(|(_, a)| a)
            .collect()
    }

    /// What each call of `tool` read on stdin (`--file -`), as YAML.
    pub(crate) fn stdin_of(&self, tool: &str) -> Vec<Value> {
        std::fs::read_to_string(self.stub.join("calls.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|v| v["tool"] == tool)
            .map(|v| serde_norway::from_str(v["stdin"].as_str().unwrap_or("")).unwrap())
            .collect()
    }

    pub(crate) fn flags(&self) -> Value {
        let out = self.cli(&["flags"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

pub(crate) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub(crate) fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status.code(),
        text(&out.stderr)
    );
}
