//! `docs/conformance.md`.
