//! Example charms built on reactive-core.
