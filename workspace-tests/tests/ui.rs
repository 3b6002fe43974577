//! Compile-time behaviour of the handler attributes: what compiles, and the
//! error each mistake gets (expected output in `ui/fail/*.stderr`).
//!
//! Regenerate the expected output after an intended change with
//! `TRYBUILD=overwrite cargo test -p workspace-tests --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
