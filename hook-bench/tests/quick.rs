//! The benchmark's command, run as a user runs it (`--quick`), so that it
//! cannot rot: it builds what it needs, runs both implementations through
//! juju-sim, and writes a report and a chart that hold the figures.

use std::process::Command;

#[test]
fn a_quick_run_writes_the_report_and_the_chart() {
    let out = tempfile::tempdir().expect("temporary directory");
    let status = Command::new(env!("CARGO_BIN_EXE_hook-bench"))
        .args(["--quick", "--out"])
        .arg(out.path())
        .status()
        .expect("hook-bench runs");
    assert!(status.success(), "hook-bench --quick failed: {status}");

    let md = std::fs::read_to_string(out.path().join("benchmarks.md")).expect("benchmarks.md");
    for section in [
        "## Targets",
        "## Machine",
        "## Kafka lifecycle",
        "## By hook kind",
        "## Scaling: one provider, N clients",
        "## Where the time goes",
        "## Missed targets",
    ] {
        assert!(md.contains(section), "no {section:?} in:\n{md}");
    }
    // The reference really ran, and so did every step of the lifecycle.
    assert!(
        md.contains("charms.reactive 1.5.3 + charmhelpers 1.2.1"),
        "{md}"
    );
    for hook in [
        "install",
        "kafka-relation-joined",
        "kafka-relation-departed",
        "kafka-relation-broken",
        "update-status",
    ] {
        assert!(
            md.contains(&format!("| {hook} ")),
            "no row for {hook} in:\n{md}"
        );
    }
    // Both scaling points (N = 1 and 2) on both sides.
    let scaling = md
        .split("## Scaling")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("scaling section");
    let rows: Vec<Vec<&str>> = scaling
        .lines()
        .filter(|l| l.contains("| reference ") || l.contains("| ours "))
        .map(|l| {
            l.split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    let points: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(
        points,
        [
            ("1", "reference"),
            ("1", "ours"),
            ("2", "reference"),
            ("2", "ours")
        ],
        "{scaling}"
    );

    let svg = std::fs::read_to_string(out.path().join("benchmarks.svg")).expect("benchmarks.svg");
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(">all hooks</text>") && svg.contains(">kafka-relation-changed</text>"));
    assert!(
        svg.matches("<rect").count() > 20,
        "boxes of both sides are drawn"
    );
}
