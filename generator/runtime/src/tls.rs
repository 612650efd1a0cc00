//! TLS for the client's own connections: rustls with the `ring` provider (unless the
//! program installed a process-wide provider of its own), trusting the system's
//! certificates, or Mozilla's roots where the system has none.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore};

/// The TLS settings [`ClientBuilder::build`](super::ClientBuilder::build) gives
/// `reqwest`. Nothing process-wide is changed: a provider is only read, never
/// installed, so the program's other TLS clients are left as they were.
pub(crate) fn client_config() -> Result<ClientConfig, rustls::Error> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
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
