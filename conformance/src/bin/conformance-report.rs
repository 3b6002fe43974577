//! Runs every conformance scenario on both implementations, compares them,
//! prints a summary and writes the generated part of
//! `docs/conformance.md`. Exits 1 when a scenario does not conform (the
//! page is written either way, with the differences).
//!
//! ```sh
//! cargo run -p conformance --bin conformance-report
//! cargo run -p conformance --bin conformance-report -- --scenario probe --dump /tmp/obs
//! ```

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::Parser;
use conformance::paths::{conformance_dir, target_dir, workspace_root};
use conformance::report::{generated, today, update_page, RunInfo};
use conformance::{compare, run_both, Comparison, Error, RunOptions, Scenario};

#[derive(Parser)]
#[command(
    about = "Run the conformance scenarios on the Python reference and on the Rust \
                   engine, compare them, and write docs/conformance.md"
)]
struct Cli {
    /// The page to update (default: docs/conformance.md in the workspace).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only these scenarios (default: every file in conformance/scenarios/sim).
    #[arg(long = "scenario")]
    scenarios: Vec<String>,
    /// Also write each run's observations as JSON into this directory.
    #[arg(long)]
    dump: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("conformance-report: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<bool, Error> {
    let scenarios = if cli.scenarios.is_empty() {
        Scenario::all()?
    } else {
        cli.scenarios
            .iter()
            .map(|n| Scenario::load(n))
            .collect::<Result<_, _>>()?
    };
    let runs_dir = target_dir().join("conformance-runs");
    // Scenarios run side by side: each one's Python hooks are sequential.
    let results: Vec<Result<(Scenario, Comparison), Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = scenarios
            .into_iter()
            .map(|scenario| {
                let dir = runs_dir.join(&scenario.name);
                let dump = cli.dump.clone();
                s.spawn(move || one(scenario, dir, dump))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Setup("a scenario run panicked".into())))
            })
            .collect()
    });
    let comparisons: Vec<(Scenario, Comparison)> = results.into_iter().collect::<Result<_, _>>()?;
    let mut ok = true;
    for (_, c) in &comparisons {
        println!(
            "{:<12} {:>3} steps, {:>3} / {:>3} hooks (python / rust): {}",
            c.scenario,
            c.steps.len(),
            c.hooks.0,
            c.hooks.1,
            if c.is_ok() { "conforms" } else { "DIFFERS" }
        );
        if !c.is_ok() {
            ok = false;
            print!("{}", c.problems());
        }
    }
    let page = cli
        .out
        .unwrap_or_else(|| workspace_root().join("docs").join("conformance.md"));
    update_page(&page, &generated(&comparisons, &run_info()))?;
    println!("wrote {}", page.display());
    Ok(ok)
}

fn one(
    scenario: Scenario,
    dir: PathBuf,
    dump: Option<PathBuf>,
) -> Result<(Scenario, Comparison), Error> {
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::Io {
            path: dir.clone(),
            source: e,
        })?;
    }
    let pair = run_both(&scenario, &dir, &RunOptions::default())?;
    if let Some(out) = dump {
        std::fs::create_dir_all(&out).map_err(|e| Error::Io {
            path: out.clone(),
            source: e,
        })?;
        for run in [&pair.python, &pair.rust] {
            let path = out.join(format!("{}.{}.json", scenario.name, run.implementation));
            let text = serde_json::to_string_pretty(run).unwrap_or_default();
            std::fs::write(&path, text).map_err(|e| Error::Io { path, source: e })?;
        }
    }
    let comparison = compare(&scenario, &pair);
    Ok((scenario, comparison))
}

fn run_info() -> RunInfo {
    let requirements = conformance_dir().join("python/venv/requirements.txt");
    let reference = std::fs::read_to_string(requirements)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("charms.reactive") || l.starts_with("charmhelpers"))
        .map(|l| format!("`{}`", l.trim()))
        .collect();
    let python = conformance::venv::venv()
        .ok()
        .and_then(|v| {
            Command::new(v.join("bin/python"))
                .arg("--version")
                .output()
                .ok()
        })
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .trim_start_matches("Python ")
                .to_string()
        })
        .unwrap_or_else(|| "?".into());
    let profile = std::env::current_exe()
        .ok()
        .and_then(|e| {
            e.parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "?".into());
    RunInfo {
        date: today(),
        reference,
        python,
        profile,
    }
}
