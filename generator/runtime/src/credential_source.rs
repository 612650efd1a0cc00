//! Credentials fetched while the call runs: a [`CredentialSource`] the request path
//! awaits before each attempt (an OAuth 2.0 token endpoint, a vault, a cloud
//! identity), put where its security scheme says, and asked again once when the
//! server answers `401 Unauthorized`.
//!
//! A generated method builds its request synchronously (`Call::new` runs the build at
//! once), so it cannot await a token: `Credentials::apply` leaves a [`Deferred`]
//! credential for each source it chooses, which [`collect`] gathers while the build runs
//! and the call keeps for `send`.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::auth::Placement;
use super::options::BoxError;

/// What [`CredentialSource::credential`] returns: a boxed future of the credential
/// (an access token, an API key), so that the trait stays object-safe and needs no
/// extra crate to implement (`Box::pin(async move { … })`).
pub type CredentialFuture<'a> = Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + 'a>>;

/// A credential the client fetches itself, before each attempt: an OAuth 2.0 token
/// ([`OAuth2`](super::OAuth2) is one), a key from a vault, a cloud workload identity.
///
/// The client awaits [`credential`](CredentialSource::credential) before every
/// attempt (retries too) and puts the value where the security scheme says (for a
/// bearer scheme, `Authorization: Bearer <value>`). It does not cache: a source that
/// is slow to ask keeps the value itself until it expires. When the server answers
/// `401 Unauthorized`, the client calls [`rejected`](CredentialSource::rejected) with
/// the value it sent; if that returns `true`, the request is sent once more with a new
/// value (when its body can be sent again; a streamed upload cannot).
///
/// An error stops the call with [`Error::Credential`](super::Error::Credential),
/// before anything is sent.
///
/// ```no_run
/// use std::sync::Arc;
/// use __crate__::{BoxError, CredentialFuture, CredentialSource};
///
/// /// Reads the token a sidecar keeps fresh in a file.
/// struct TokenFile(std::path::PathBuf);
///
/// impl CredentialSource for TokenFile {
///     fn credential(&self) -> CredentialFuture<'_> {
///         Box::pin(async move {
///             let token = tokio::fs::read_to_string(&self.0).await?;
///             Ok::<_, BoxError>(token.trim().to_string())
///         })
///     }
///
///     // The file may have been rewritten since: read it again after a 401.
///     fn rejected(&self, _credential: &str) -> bool {
///         true
///     }
/// }
/// ```
pub trait CredentialSource: Send + Sync + 'static {
    /// The credential to send with the next attempt.
    fn credential(&self) -> CredentialFuture<'_>;

    /// The server answered `401 Unauthorized` to a request that carried `credential`.
    /// Return `true` to have the request sent once more with a new credential (a
    /// cache drops the rejected value here). The default returns `false`: the caller
    /// gets the 401.
    fn rejected(&self, credential: &str) -> bool {
        let _ = credential;
        false
    }
}

/// A shared [`CredentialSource`]; `Debug` shows no more than that there is one.
#[derive(Clone)]
pub(crate) struct SharedSource(pub(crate) Arc<dyn CredentialSource>);

impl fmt::Debug for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CredentialSource")
    }
}

/// A credential a call fetches before each attempt, and where it goes.
#[derive(Clone, Debug)]
pub(crate) struct Deferred {
    pub placement: Placement,
    pub source: SharedSource,
}

thread_local! {
    /// The deferred credentials of the request being built on this thread, while
    /// [`collect`] runs a build.
    static BUILDING: RefCell<Option<Vec<Deferred>>> = const { RefCell::new(None) };
}

/// Runs `build` (which builds one request, synchronously) and returns what it built
/// with the credentials it deferred to the attempts.
pub(crate) fn collect<R>(build: impl FnOnce() -> R) -> (R, Vec<Deferred>) {
    let outer = BUILDING.with(|b| b.replace(Some(Vec::new())));
    let built = build();
    let deferred = BUILDING.with(|b| b.replace(outer)).unwrap_or_default();
    (built, deferred)
}

/// Leaves `source` to be fetched before each attempt of the request being built;
/// `false` when no request is being built through [`collect`].
pub(crate) fn defer(placement: Placement, source: &SharedSource) -> bool {
    BUILDING.with(|b| match b.borrow_mut().as_mut() {
        Some(list) => {
            list.push(Deferred {
                placement,
                source: source.clone(),
            });
            true
        }
        None => false,
    })
}

/// Fetches each deferred credential and puts it on `request`; returns the values
/// sent, in order, for [`rejected`].
pub(crate) async fn apply(deferred: &[Deferred], request: &mut reqwest::Request) -> Result<Vec<String>, BoxError> {
    let mut sent = Vec::with_capacity(deferred.len());
    for credential in deferred {
        let value = credential.source.0.credential().await?;
        put(credential.placement, &value, request)?;
        sent.push(value);
    }
    Ok(sent)
}

/// Tells each source that the server refused the value it gave; `true` when one of
/// them wants the request sent again.
pub(crate) fn rejected(deferred: &[Deferred], sent: &[String]) -> bool {
    let mut again = false;
    for (credential, value) in deferred.iter().zip(sent) {
        again |= credential.source.0.rejected(value);
    }
    again
}

/// Puts one fetched credential on the request, where its scheme says.
fn put(placement: Placement, value: &str, request: &mut reqwest::Request) -> Result<(), BoxError> {
    use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
    let sensitive = |text: &str| -> Result<HeaderValue, BoxError> {
        let mut value = HeaderValue::from_str(text)
            .map_err(|_| "the credential contains characters that cannot be sent in a header")?;
        value.set_sensitive(true);
        Ok(value)
    };
    match placement {
        Placement::Bearer => {
            request
                .headers_mut()
                .insert(AUTHORIZATION, sensitive(&format!("Bearer {value}"))?);
        }
        Placement::Header(name) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("`{name}` is not a header name"))?;
            request.headers_mut().insert(name, sensitive(value)?);
        }
        Placement::Query(name) => {
            request.url_mut().query_pairs_mut().append_pair(name, value);
        }
        Placement::Cookie(name) => {
            let pair = format!(
                "{name}={}",
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
            );
            let cookie = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) => format!("{existing}; {pair}"),
                None => pair,
            };
            request.headers_mut().insert(COOKIE, sensitive(&cookie)?);
        }
        // A source gives one value; basic authentication takes two (set it with the
        // scheme's own builder method).
        Placement::Basic => return Err("a credential source cannot supply HTTP basic credentials".into()),
    }
    Ok(())
}
