//! Running one charm process: environment, working directory, output to
//! files, a timeout, and `wait4` for the exit status and peak RSS.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::context::fresh_file;
use crate::report::RunStatus;

/// What to run.
pub(crate) struct Spawn<'a> {
    pub program: &'a Path,
    pub args: &'a [&'a str],
    pub cwd: &'a Path,
    pub env: &'a [(String, String)],
    /// Where `stdout` and `stderr` files are written.
    pub out_dir: &'a Path,
    pub timeout: Option<Duration>,
    /// How many bytes of the end of each output to keep.
    pub keep: usize,
}

/// How it ended.
pub(crate) struct Exit {
    pub status: RunStatus,
    pub wall: Duration,
    pub peak_rss_kib: u64,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the process to completion. It gets its own process group so that a
/// timeout kills whatever it started too. A program that cannot be started
/// (not executable, bad interpreter) fails like a hook that exits non-zero,
/// with the reason on its stderr; `Err` is kept for the simulator's own I/O.
pub(crate) fn run(spawn: &Spawn) -> io::Result<Exit> {
    let stdout_path = spawn.out_dir.join("stdout");
    let stderr_path = spawn.out_dir.join("stderr");
    let start = Instant::now();
    let mut attempt = 0;
    let spawned = loop {
        let r = Command::new(spawn.program)
            .args(spawn.args)
            .current_dir(spawn.cwd)
            .env_clear()
            .envs(spawn.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(fresh_file(&stdout_path)?)
            .stderr(fresh_file(&stderr_path)?)
            .process_group(0)
            .spawn();
        // ETXTBSY: a charm binary just written by this process (packing,
        // copying) can still be open for writing in a child forked meanwhile
        // by another thread, until that child execs. It passes in moments.
        match r {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && attempt < 50 => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            other => break other,
        }
    };
    let child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return Ok(Exit {
                status: RunStatus::Failed {
                    exit_code: None,
                    signal: None,
                },
                wall: start.elapsed(),
                peak_rss_kib: 0,
                stdout: String::new(),
                stderr: format!("cannot run {}: {e}\n", spawn.program.display()),
            })
        }
    };
    let pid = child.id() as libc::pid_t;
    let (done, watchdog) = match spawn.timeout {
        Some(limit) => {
            let (tx, rx) = mpsc::channel::<()>();
            let handle = std::thread::spawn(move || {
                if rx.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout) {
                    // SAFETY: signals the process group we created above.
                    unsafe { libc::kill(-pid, libc::SIGKILL) };
                }
            });
            (Some(tx), Some(handle))
        }
        None => (None, None),
    };
    let (status, usage) = wait4(pid);
    let wall = start.elapsed();
    drop(done);
    if let Some(handle) = watchdog {
        let _ = handle.join();
    }
    let (status, usage) = (status?, usage);
    Ok(Exit {
        status,
        wall,
        // ru_maxrss is in KiB on Linux.
        peak_rss_kib: usage.ru_maxrss.max(0) as u64,
        stdout: read_tail(&stdout_path, spawn.keep)?,
        stderr: read_tail(&stderr_path, spawn.keep)?,
    })
}

fn wait4(pid: libc::pid_t) -> (io::Result<RunStatus>, libc::rusage) {
    // SAFETY: rusage is plain data; zeroed is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut status = 0;
    loop {
        // SAFETY: waits for our own child; both out-pointers are valid.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return (Err(err), usage);
        }
    }
    let status = if libc::WIFEXITED(status) {
        match libc::WEXITSTATUS(status) {
            0 => RunStatus::Succeeded,
            code => RunStatus::Failed {
                exit_code: Some(code),
                signal: None,
            },
        }
    } else {
        RunStatus::Failed {
            exit_code: None,
            signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        }
    };
    (Ok(status), usage)
}

/// The last `keep` bytes of a file, as text (cut at a character boundary).
fn read_tail(path: &Path, keep: usize) -> io::Result<String> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let skip = len.saturating_sub(keep as u64);
    file.seek(SeekFrom::Start(skip))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if skip > 0 {
        // Drop a partial first line so the tail starts cleanly.
        if let Some((_, rest)) = text.split_once('\n') {
            return Ok(rest.to_string());
        }
    }
    Ok(text)
}
