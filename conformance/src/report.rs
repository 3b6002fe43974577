//! The generated part of `docs/conformance.md`: the table of deliberate
//! differences and the results of a run. The page's prose is written by
//! hand; the part between [`BEGIN`] and [`END`] is replaced by
//! `cargo run -p conformance --bin conformance-report`.

use std::fmt::Write as _;
use std::path::Path;

use crate::compare::Comparison;
use crate::deviations::DEVIATIONS;
use crate::error::Error;
use crate::scenario::Scenario;

/// Opens the generated part of the page.
pub const BEGIN: &str = "<!-- BEGIN conformance-report: written by \
                         `cargo run -p conformance --bin conformance-report`; \
                         edits up to END are overwritten -->";
/// Closes the generated part of the page.
pub const END: &str = "<!-- END conformance-report -->";

/// Where and how a run was made, for the report.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// The date of the run (`YYYY-MM-DD`, UTC).
    pub date: String,
    /// The reference framework's pinned packages.
    pub reference: Vec<String>,
    /// The Python interpreter.
    pub python: String,
    /// The cargo profile the Rust charms were built with.
    pub profile: String,
}

/// The table of deliberate differences, from [`DEVIATIONS`].
pub fn deviations_table(comparisons: &[(Scenario, Comparison)]) -> String {
    let mut out = String::from(
        "| id | what differs | Python reference | ours | why | shown by |\n|---|---|---|---|---|---|\n",
    );
    for d in DEVIATIONS {
        let shown: Vec<String> = comparisons
            .iter()
            .filter_map(|(s, c)| {
                let o = c.deviations.iter().find(|o| o.deviation.id == d.id)?;
                if !o.check.observed {
                    return None;
                }
                Some(if d.everywhere {
                    format!("`{}`", s.name)
                } else {
                    let steps: Vec<String> = o.steps.iter().map(usize::to_string).collect();
                    format!("`{}` step {}", s.name, steps.join(", "))
                })
            })
            .collect();
        let shown = if shown.is_empty() {
            "not shown by this run".to_string()
        } else {
            shown.join("; ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            d.id, d.title, d.python, d.rust, d.reason, shown
        );
    }
    out
}

fn millis(micros: u64) -> String {
    format!("{:.1} s", micros as f64 / 1e6)
}

/// The results of a run: one section per scenario with a line per step.
pub fn results(comparisons: &[(Scenario, Comparison)], info: &RunInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run of {}: reference {} on Python {}; Rust charms built with the `{}` profile.\n",
        info.date,
        info.reference.join(" + "),
        info.python,
        info.profile
    );
    out.push_str(
        "Hook time is the wall time of the hook processes (the two models run side by side on \
         one machine): it says what the suite costs, not how fast either framework is; the \
         benchmarks measure that.\n\n",
    );
    out.push_str(
        "| scenario | steps | hooks (Python / Rust) | hook time (Python / Rust) | result |\n\
         |---|---|---|---|---|\n",
    );
    for (s, c) in comparisons {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} / {} | {} / {} | {} |",
            s.name,
            c.steps.len(),
            c.hooks.0,
            c.hooks.1,
            millis(c.hook_micros.0),
            millis(c.hook_micros.1),
            verdict(c)
        );
    }
    for (s, c) in comparisons {
        let _ = writeln!(out, "\n#### `{}`\n\n{}\n", s.name, s.description);
        out.push_str(
            "| # | step | hooks (Python / Rust) | deviations | result |\n|---|---|---|---|---|\n",
        );
        for step in &c.steps {
            let devs: Vec<String> = step.deviations.iter().map(|d| format!("`{d}`")).collect();
            let result = if step.differences == 0 {
                "same".to_string()
            } else {
                format!("**{} differences**", step.differences)
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} / {} | {} | {} |",
                step.index,
                step.label,
                step.hooks.0,
                step.hooks.1,
                devs.join(", "),
                result
            );
        }
        if !c.is_ok() {
            let _ = writeln!(out, "\nNot as expected:\n\n```text\n{}```", c.problems());
        }
    }
    out
}

fn verdict(c: &Comparison) -> String {
    if c.is_ok() {
        "conforms".into()
    } else {
        format!(
            "**{} unexplained differences, {} deviation problems**",
            c.differences.len(),
            c.deviations
                .iter()
                .map(|d| d.check.problems.len())
                .sum::<usize>()
        )
    }
}

/// The whole generated part, markers included.
pub fn generated(comparisons: &[(Scenario, Comparison)], info: &RunInfo) -> String {
    format!(
        "{BEGIN}\n\n## Deliberate differences\n\n{}\n## Results\n\n{}\n{END}\n",
        deviations_table(comparisons),
        results(comparisons, info)
    )
}

/// Replaces the generated part of the page at `path` (appends it when the
/// page has none yet).
pub fn update_page(path: &Path, generated: &str) -> Result<(), Error> {
    let page = match std::fs::read_to_string(path) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e)),
    };
    let updated = match (page.find(BEGIN), page.find(END)) {
        (Some(b), Some(e)) if b < e => {
            let after = &page[e + END.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            format!("{}{generated}{after}", &page[..b])
        }
        _ => format!(
            "{page}{}{generated}",
            if page.is_empty() { "" } else { "\n" }
        ),
    };
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, updated).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_part_replaces_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("page.md");
        std::fs::write(&page, "# Title\n\nProse.\n").unwrap();
        update_page(&page, &format!("{BEGIN}\none\n{END}\n")).unwrap();
        update_page(&page, &format!("{BEGIN}\ntwo\n{END}\n")).unwrap();
        let text = std::fs::read_to_string(&page).unwrap();
        assert_eq!(text, format!("# Title\n\nProse.\n\n{BEGIN}\ntwo\n{END}\n"));
    }

    #[test]
    fn every_deviation_has_a_row() {
        let table = deviations_table(&[]);
        for d in DEVIATIONS {
            assert!(table.contains(&format!("| `{}` |", d.id)), "{table}");
        }
    }

    #[test]
    fn dates_are_civil() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"), "{d}");
    }
}
