//! Contract tests against an independent server: Prism (`@stoplight/prism-cli`) mocks a
//! spec, validates every request against it and answers with schema-valid responses.
//! This crate holds the clients generated for the corpus specs under test and the
//! harness that installs, starts and stops Prism.

include!(concat!(env!("OUT_DIR"), "/clients.rs"));

pub mod prism;
