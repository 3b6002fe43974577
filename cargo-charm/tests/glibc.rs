//! A charm whose executable needs a newer glibc than a base it declares
//! is refused, naming the version, a symbol and the base; built against
//! the oldest base's glibc with cargo-zigbuild, the same charm passes.

mod support;

use std::path::Path;
use std::process::Command;

use support::{charm_target_dir, path_with_tools};

/// A charm crate with no dependencies, declaring Ubuntu 20.04 and 24.04.
fn tiny_charm(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "fn main() {\n    println!(\"hook\");\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("charmcraft.yaml"),
        "name: tiny\ntype: charm\nsummary: s\ndescription: d\nplatforms:\n  \
         ubuntu@20.04:amd64:\n  ubuntu@24.04:amd64:\n",
    )
    .unwrap();
}

fn build(dir: &Path, zig: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-charm"))
        .args(["charm", "build", zig])
        .current_dir(dir)
        .env("PATH", path_with_tools())
        .env("CARGO_TARGET_DIR", charm_target_dir())
        .output()
        .unwrap()
}

#[test]
fn a_binary_too_new_for_a_declared_base_is_refused_naming_symbol_and_base() {
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    tiny_charm(tmp.path());

    // This machine's glibc is newer than 2.31 (the test needs one that
    // is: a Rust executable linked here needs GLIBC_2.34).
    let native = build(tmp.path(), "--no-zig");
    assert!(!native.status.success(), "a native build passed the check");
    let err = String::from_utf8_lossy(&native.stderr);
    assert!(err.contains("but ubuntu@20.04 has glibc 2.31"), "{err}");
    assert!(
        err.contains("needs GLIBC_2.3") && err.contains("(symbol "),
        "{err}"
    );

    let portable = build(tmp.path(), "--zig");
    let err = String::from_utf8_lossy(&portable.stderr);
    assert!(portable.status.success(), "{err}");
    let exe = String::from_utf8_lossy(&portable.stdout).trim().to_string();
    let found = cargo_charm::elf::read(Path::new(&exe)).unwrap();
    let (newest, _) = found.newest_glibc().unwrap();
    assert!(newest <= (2, 31), "{newest:?}");
}
