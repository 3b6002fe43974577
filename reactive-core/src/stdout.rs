//! Standard output for the charm's command line that never panics: once a
//! write fails (a reader that went away, `| head -0`; a full disk,
//! `>/dev/full`) nothing more is printed, and the command ends with
//! [`finish`]: quietly for a closed pipe, with one line on stderr
//! otherwise. `println!` would panic on either.

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

/// The first write error, if a write failed.
static FAILED: Mutex<Option<io::Error>> = Mutex::new(None);

/// Writes `args`, unless an earlier write failed.
pub(crate) fn write(args: fmt::Arguments) {
    let mut failed = FAILED.lock().unwrap_or_else(|p| p.into_inner());
    if failed.is_some() {
        return;
    }
    if let Err(e) = io::stdout().lock().write_fmt(args) {
        *failed = Some(e);
    }
}

/// Flushes standard output and returns the exit status the command ends
/// with: `code`, also after a closed pipe (the reader wanted no more);
/// after any other write error, that error on stderr and 1 (2 when `code`
/// already says the command failed).
pub(crate) fn finish(code: i32) -> i32 {
    let flushed = io::stdout().lock().flush();
    let failed = FAILED.lock().unwrap_or_else(|p| p.into_inner()).take();
    match failed.map_or(flushed, Err) {
        Ok(()) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("error: writing standard output: {e}");
            code.max(1)
        }
    }
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!($($arg)*))
    };
}

/// `println!` through [`write`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};
