//! Standard output that never panics: a closed pipe (`| head -0`) or a
//! full disk (`>/dev/full`) stops the printing, and the command ends
//! quietly once it has saved the model.

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

static FAILED: Mutex<Option<io::Error>> = Mutex::new(None);

/// Writes one line, unless an earlier write failed.
pub fn line(args: fmt::Arguments) {
    let Ok(mut failed) = FAILED.lock() else {
        return;
    };
    if failed.is_some() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        *failed = Some(e);
    }
}

/// Flushes; the first write error, if any.
pub fn finish() -> Result<(), io::Error> {
    let flushed = io::stdout().lock().flush();
    match FAILED.lock().ok().and_then(|mut f| f.take()) {
        Some(e) => Err(e),
        None => flushed,
    }
}

/// `println!` through [`line`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;
