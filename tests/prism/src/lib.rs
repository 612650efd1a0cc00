//! Contract tests against an independent server: Prism (`@stoplight/prism-cli`) mocks a
//! spec, validates every request against it and answers with schema-valid responses.
//! This crate holds the clients generated for the corpus specs under test and the
//! harness that installs, starts and stops Prism.
//!
//! How users build requests, checked by the compiler (these examples are doctests, each
//! a crate of its own, as users' code is). A request struct is built with `new`, which
//! takes what the spec requires, and setters for the rest:
//!
//! ```
//! use prism_tests::petstore_expanded::types::NewPet;
//! use prism_tests::petstore_expanded::FindPetsParams;
//!
//! let pet = NewPet::new("Rex").tag("dog");
//! assert_eq!((pet.name.as_str(), pet.tag.as_deref()), ("Rex", Some("dog")));
//! let params = FindPetsParams::new().limit(10);
//! assert_eq!(params.limit, Some(10));
//! ```
//!
//! Leaving out a required value is a compile error (E0061: the constructor takes one
//! argument):
//!
//! ```compile_fail,E0061
//! let pet = prism_tests::petstore_expanded::types::NewPet::new();
//! ```
//!
//! and so is a struct literal (E0639: the struct is `#[non_exhaustive]`, so that a field
//! the spec adds later breaks no one):
//!
//! ```compile_fail,E0639
//! let pet = prism_tests::petstore_expanded::types::NewPet { name: "Rex".into(), tag: None };
//! ```

include!(concat!(env!("OUT_DIR"), "/clients.rs"));

pub mod prism;
