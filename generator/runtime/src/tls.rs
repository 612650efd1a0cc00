//! TLS for the client's own connections: rustls with the `ring` provider (unless the
//! program installed a process-wide provider of its own), trusting the system's
//! certificates, or Mozilla's roots where the system has none.
//!
//! The client's `reqwest` is built with `rustls-no-provider`, and cargo turns that
//! feature on for every `reqwest` 0.13 of the program: one the program builds itself
//! (`reqwest::Client::new()`, `reqwest::get`) without a TLS feature of its own would
//! then panic ("No rustls crypto provider is configured"). So the client installs
//! `ring` as the process-wide provider when the program has installed none, on
//! [`Client::builder`](super::Client::builder); a provider the program installed first
//! is kept.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore};

/// Makes `ring` the process-wide provider if none is installed (see the module docs).
/// Losing a race with another thread that installs one is fine: that one stays.
pub(crate) fn install_default_provider() {
    if CryptoProvider::get_default().is_none() {
        let _ = ring_provider().install_default();
    }
}

/// rustls's `ring` provider. rustls 0.23.48 deprecated it for its lack of post-quantum
/// key exchange (only `aws-lc-rs` has that); the client keeps it because `aws-lc-rs`
/// needs a C toolchain and CMake and builds far slower, and a program that wants
/// post-quantum key exchange installs that provider itself, which the client then uses.
#[allow(deprecated)]
fn ring_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// The TLS settings [`ClientBuilder::build`](super::ClientBuilder::build) gives
/// `reqwest`: the process-wide provider (see [`install_default_provider`]).
pub(crate) fn client_config() -> Result<ClientConfig, rustls::Error> {
    install_default_provider();
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(ring_provider()));
    let builder = ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions()?;
    let config = match rustls_platform_verifier::Verifier::new(provider) {
        Ok(verifier) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth(),
        // A system without a certificate store (a minimal container image, say).
        Err(_) => builder
            .with_root_certificates(RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            })
            .with_no_client_auth(),
    };
    Ok(config)
}
