//! Workspace-level tests: the integration suites live in `workspace-tests/tests/`;
//! the repository README is included here so its Rust examples are compiled
//! and run as doc tests.
#![doc = include_str!("../../README.md")]
