//! Generates async Rust clients (reqwest + serde) from OpenAPI 3.0 and 3.1 documents.
//!
//! The pipeline has three stages, each a module with one job:
//! [`load`] turns spec bytes into a normalised `openapiv3` document, [`model`] turns
//! that into an intermediate representation of the client (names, types, operations),
//! and [`emit`] turns the model into formatted Rust source. [`Config`] drives them, from
//! `build.rs` or from the `generate` command.
//!
//! Every client also carries the runtime (client core, request path, retries, streams,
//! pages, errors): the `openapi-client-runtime` crate in `generator/runtime/`, compiled
//! and tested on its own, whose modules emit copies into each client as they are.

mod config;
pub mod diagnostics;
mod embedded;
pub mod emit;
#[cfg(test)]
mod layout_tests;
pub mod load;
pub mod model;
mod package;
pub mod review;

pub use config::{module_crate_manifest, CheckOutcome, Config, GeneratedFile, Output};
pub use diagnostics::{Error, Warning};
pub use embedded::{client_dependencies, webhook_dependencies};
