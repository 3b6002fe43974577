//! A stand-in for every Juju hook tool, for the process-level runtime
//! tests: symlinked under each tool's name, it appends the call (tool and
//! arguments) as a JSON line to `$HOOK_STUB_DIR/calls.jsonl` and answers
//! from `$HOOK_STUB_DIR/replies.json`, an object keyed by the full command
//! line (`relation-get --format=json -r web:1 - proxy/0`) or by the tool
//! name, whose values are `{"json": <printed as JSON>, "stdout": "...",
//! "stderr": "...", "exit": N}` (all optional). No reply: exit 0 silently.
//! A call with `--file -` also records what it read on stdin (`"stdin"`).

use std::io::{Read, Write};
use std::path::Path;

use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let tool = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rest = &args[1.min(args.len())..];
    let Some(dir) = std::env::var_os("HOOK_STUB_DIR") else {
        eprintln!("{tool}: HOOK_STUB_DIR is not set");
        std::process::exit(3);
    };
    let dir = Path::new(&dir);
    let mut line = json!({"tool": tool, "args": rest});
    if rest.windows(2).any(|w| w[0] == "--file" && w[1] == "-") {
        let mut input = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut input) {
            eprintln!("{tool}: cannot read stdin: {e}");
            std::process::exit(3);
        }
        line["stdin"] = json!(input);
    }
    let line = line.to_string();
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("calls.jsonl"))
        .and_then(|mut f| writeln!(f, "{line}"));
    if let Err(e) = appended {
        eprintln!("{tool}: cannot record the call: {e}");
        std::process::exit(3);
    }
    let replies: Value = std::fs::read_to_string(dir.join("replies.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let full = std::iter::once(tool.clone())
        .chain(rest.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let Some(reply) = replies.get(&full).or_else(|| replies.get(&tool)) else {
        return;
    };
    if let Some(v) = reply.get("json") {
        println!("{v}");
    }
    if let Some(s) = reply.get("stdout").and_then(Value::as_str) {
        print!("{s}");
    }
    if let Some(s) = reply.get("stderr").and_then(Value::as_str) {
        eprint!("{s}");
    }
    if let Some(code) = reply.get("exit").and_then(Value::as_i64) {
        std::process::exit(code as i32);
    }
}
