//! The runtime every generated client carries: the client core and its builder, the one
//! request path (options, hooks, retries, reading and decoding), errors, pagination,
//! streamed bodies and server-sent events, and the helpers the generated operations
//! call to encode paths, queries, headers and bodies.
//!
//! This crate is where that code lives, is compiled, documented and unit-tested. It is
//! not a dependency of generated clients: the generator copies each module below into
//! every client crate it writes (beside the client's own `client.rs` and `types.rs`),
//! so users get no version skew and no extra dependency. This file is not copied: the
//! generator reads its module list and its re-exports (see `emit::runtime` in the
//! generator) and writes the client's `lib.rs` from them, and the names it exports are
//! the names a spec's types and methods cannot take.
//!
//! The generated client adds what depends on the spec: `DEFAULT_BASE_URL`, one builder
//! method per security scheme, one method per operation and their types.
#![deny(missing_docs)]
// The crate-private request-building API (`Parts`, `Call::new`, decoders, ...) is used
// by generated operations, which this crate does not have. In a generated crate the
// same code is checked for dead code under `-D warnings`.
#![allow(dead_code)]

mod auth;
mod call;
mod client_core;
mod credential_source;
mod error;
mod files;
/// Typed mocks for tests (cargo feature `mock`).
#[cfg(feature = "mock")]
pub mod mock;
mod oauth;
mod options;
mod pages;
mod response;
mod retry;
mod runtime;
mod send;
mod stream;
mod tls;
mod webhooks;

pub use call::{Call, WithResponse};
pub use client_core::{Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use credential_source::{CredentialFuture, CredentialSource};
pub use error::{DecodeError, Error, ErrorResponse, TransportError, Undocumented};
pub use files::{Base64, FilePart};
pub use oauth::{OAuth2, TokenError, DEFAULT_REFRESH_MARGIN};
pub use options::{Attempt, BoxError, Hook, RequestOptions};
pub use pages::{Page, PageError, Pages, Paginator};
/// The HTTP client underneath, for [`ClientBuilder::http_client`] and [`Hook`]s.
pub use reqwest;
pub use response::{Response, ResponseHead};
pub use retry::RetryPolicy;
pub use stream::{ByteStream, Event, EventCall, EventStream};
pub use webhooks::{
    WebhookError, WebhookHeaders, WebhookVerifier, DEFAULT_MAX_WEBHOOK_BODY, DEFAULT_WEBHOOK_TOLERANCE,
};

#[cfg(test)]
mod tests;
