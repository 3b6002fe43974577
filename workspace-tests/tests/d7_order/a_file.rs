//! A handler late in its file: it still runs before those of `b_file.rs`,
//! because files sort first.
//!
//! (Lines of padding so that this handler's line is larger than the one in
//! `b_file.rs`.)
//!
//!
//!
//!
//!

use reactive_core::prelude::*;

#[when("go")]
pub fn late_in_a() {}
