//! The traces the store keeps, read with `dispatch trace`: the last
//! successful dispatch's and the last failed one's with its error, each
//! bounded to 64 KiB whatever the hook quoted.

#[path = "support/unit.rs"]
mod unit;

use serde_json::{json, Value};
use unit::{ok, text, Unit};

fn trace(u: &Unit, args: &[&str]) -> String {
    let mut all = vec!["trace"];
    all.extend_from_slice(args);
    let out = u.cli(&all);
    ok(&out);
    text(&out.stdout)
}

#[test]
fn a_failed_dispatch_is_kept_beside_the_last_successful_one() {
    let u = Unit::new();
    ok(&u.hook("install"));
    u.reply("config-get", json!({"json": {"port": 9999, "fail": true}}));
    assert_eq!(u.hook("config-changed").status.code(), Some(1));

    let shown = trace(&u, &[]);
    let (failed, last_ok) = shown
        .split_once("\nthe last successful dispatch:\n")
        .unwrap_or_else(|| panic!("both traces: {shown}"));
    assert!(
        failed.starts_with("hook config-changed\n  failed: handler "),
        "{failed}"
    );
    assert!(failed.contains("caused by: configured to fail"), "{failed}");
    assert!(
        failed.contains(":fail"),
        "the handler that failed: {failed}"
    );
    assert!(failed.contains("config-get --all"), "its calls: {failed}");
    assert!(last_ok.starts_with("hook install\n"), "{last_ok}");
    let json: Value = serde_json::from_str(&trace(&u, &["--json"])).unwrap();
    assert_eq!(json["hook"], "config-changed");
    assert!(json["error"]
        .as_str()
        .unwrap()
        .contains("configured to fail"));
    // Only the trace: the flags are those of the last successful hook.
    assert!(u.flags().get("charm.port").is_some_and(|p| p == 8080));

    // A successful hook is the latest again; the failure stays readable.
    u.reply("config-get", json!({"json": {"port": 9999}}));
    ok(&u.hook("config-changed"));
    let shown = trace(&u, &[]);
    assert!(shown.starts_with("hook config-changed\n"), "{shown}");
    assert!(!shown.contains("failed"), "{shown}");
    let failed = trace(&u, &["--failed"]);
    assert!(failed.contains("configured to fail"), "{failed}");
}

#[test]
fn a_huge_value_quoted_by_a_failed_hook_is_cut_in_its_trace() {
    let u = Unit::new();
    ok(&u.hook("install"));
    // Under the kernel's 128 KiB argument limit, so that juju-log takes it.
    let huge = "9".repeat(100 * 1024);
    u.reply("config-get", json!({"json": {"port": huge}}));
    assert_eq!(u.hook("config-changed").status.code(), Some(1));
    let out = u.cli(&["trace", "--json"]);
    ok(&out);
    assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = json["error"].as_str().unwrap();
    assert!(error.len() < 5 * 1024, "{} bytes", error.len());
    assert!(error.contains("more bytes not shown)"), "{error}");
    for call in json["tool_calls"].as_array().unwrap() {
        for arg in call["args"].as_array().unwrap() {
            assert!(arg.as_str().unwrap().len() < 1100, "{call}");
        }
    }
}

#[test]
fn no_failed_dispatch_yet_is_an_error() {
    let u = Unit::new();
    let out = u.cli(&["trace", "--failed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no failed dispatch has been recorded"));
}
