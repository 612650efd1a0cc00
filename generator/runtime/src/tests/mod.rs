//! Unit tests of the runtime, one file per module. They live outside the modules the
//! generator copies, so generated crates do not carry them.

mod files;
mod pages;
mod retry;
