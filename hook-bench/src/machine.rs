//! The machine a run was made on: what a reader needs to compare figures.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The machine, the toolchains and the moment of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// CPU model name (`/proc/cpuinfo`).
    pub cpu: String,
    /// Logical CPUs available to this process.
    pub cores: usize,
    /// Total memory (`/proc/meminfo`), e.g. `23.4 GiB`.
    pub memory: String,
    /// Operating system (`/etc/os-release`) and kernel release.
    pub os: String,
    /// `rustc --version`.
    pub rustc: String,
    /// The reference side's `python --version`.
    pub python: String,
    /// Load averages at the start of the run (`/proc/loadavg`): other work
    /// on the machine skews every figure.
    pub load: String,
    /// When the run started, UTC, `YYYY-MM-DD HH:MM UTC`.
    pub date: String,
}

impl Machine {
    /// Reads everything now; `python` is the reference side's interpreter.
    /// What cannot be read is reported as `unknown (<why>)`, never an error:
    /// the figures stay useful without it.
    pub fn probe(python: &Path) -> Machine {
        Machine {
            cpu: cpu_model(),
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory: memory(),
            os: os(),
            rustc: command_line("rustc", &["--version"]),
            python: command_line(&python.to_string_lossy(), &["--version"]),
            load: read("/proc/loadavg")
                .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
                .unwrap_or_else(unknown),
            date: utc_now(),
        }
    }
}

fn unknown(why: String) -> String {
    format!("unknown ({why})")
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn cpu_model() -> String {
    read("/proc/cpuinfo")
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, name)| name.trim().to_string())
                .ok_or_else(|| "no model name in /proc/cpuinfo".to_string())
        })
        .unwrap_or_else(unknown)
}

fn memory() -> String {
    read("/proc/meminfo")
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
                .map(|kib| format!("{:.1} GiB", kib as f64 / (1024.0 * 1024.0)))
                .ok_or_else(|| "no MemTotal in /proc/meminfo".to_string())
        })
        .unwrap_or_else(unknown)
}

fn os() -> String {
    let name = read("/etc/os-release")
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
                .ok_or_else(|| "no PRETTY_NAME in /etc/os-release".to_string())
        })
        .unwrap_or_else(unknown);
    match read("/proc/sys/kernel/osrelease") {
        Ok(kernel) => format!("{name}, Linux {}", kernel.trim()),
        Err(_) => name,
    }
}

/// The first line a command prints (stdout, else stderr: old Pythons print
/// their version there).
fn command_line(program: &str, args: &[&str]) -> String {
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => {
            let text = if out.stdout.trim_ascii().is_empty() {
                out.stderr
            } else {
                out.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        }
        Ok(out) => unknown(format!("{program} exited with {}", out.status)),
        Err(e) => unknown(format!("{program}: {e}")),
    }
}

fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        (rest % 3600) / 60
    )
}

/// Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
    }
}
