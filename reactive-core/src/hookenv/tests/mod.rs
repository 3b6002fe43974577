//! The hook environment's own tests: over the in-memory tools (reads
//! cached, writes buffered and merged) and over real tool processes
//! (command lines, output parsing, errors).

mod fixture;
mod hook;
mod real_tools;
mod relations;
