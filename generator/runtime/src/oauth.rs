//! OAuth 2.0 access tokens the client fetches, caches and refreshes itself: the
//! client-credentials grant and the refresh-token grant (RFC 6749 §4.4 and §6), as a
//! [`CredentialSource`].
//!
//! The token request is a form POST with `reqwest` (already the client's HTTP client,
//! with its `form` feature). The `oauth2` crate (5.x) was weighed: its HTTP client is
//! `reqwest` 0.12 (0.13 only through the alpha `oauth2-reqwest`), it brings crates for
//! the flows a client library does not run (authorization URLs, PKCE), and it does no
//! caching, refreshing before expiry, single flight or resending after a 401, which is
//! what this module is about.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::auth::Secret;
use super::credential_source::{CredentialFuture, CredentialSource};
use super::error::Error;
use super::options::BoxError;
use super::tls;

/// How long before a token expires it is refreshed unless [`OAuth2::refresh_margin`]
/// says otherwise.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The time a token request may take when the source makes its own HTTP client.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// OAuth 2.0 access tokens from a token endpoint: the client-credentials grant, or a
/// refresh token exchanged for access tokens. A [`CredentialSource`]: give it to a
/// scheme's `…_source` builder method, or use the scheme's `…_client_credentials` /
/// `…_refresh_token` method, which builds one from the token URL and scopes of the
/// spec.
///
/// The token is cached and fetched again [`refresh_margin`](OAuth2::refresh_margin)
/// before it expires (60 s by default, at most half its lifetime). Concurrent calls
/// that find no fresh token wait for one token request (single flight). When the API
/// answers `401 Unauthorized`, the token that was sent is dropped and the request is
/// sent once more with a new one. A refresh token the server rotates is replaced by
/// the new one; one it refuses as `invalid_grant` (revoked, expired) fails every later
/// call at once, with no further token request, until a new client is made.
///
/// Errors of the token endpoint are [`TokenError`]s, with the RFC 6749 fields
/// (`error`, `error_description`, `error_uri`). No secret (client secret, refresh or
/// access token) shows in `Debug`, in errors or in tracing. Clones share the cache.
///
/// ```no_run
/// use std::time::Duration;
/// use __crate__::OAuth2;
///
/// let tokens = OAuth2::client_credentials("https://auth.example.com/oauth/token", "my-client-id", "my-client-secret")
///     .scopes(["read", "write"])
///     .param("audience", "https://api.example.com")
///     .refresh_margin(Duration::from_secs(120));
/// # let _ = tokens;
/// ```
#[derive(Clone)]
pub struct OAuth2 {
    config: Config,
    state: Arc<State>,
}

#[derive(Clone)]
struct Config {
    token_url: String,
    client_id: String,
    client_secret: Option<Secret>,
    grant: Grant,
    /// The refresh token given, until the server rotates it (see `Cache`).
    refresh_token: Option<Secret>,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    margin: Duration,
    secret_in_body: bool,
    http: Option<reqwest::Client>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grant {
    ClientCredentials,
    RefreshToken,
}

impl Grant {
    fn name(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client_credentials",
            Grant::RefreshToken => "refresh_token",
        }
    }
}

/// What the clones of one source share.
#[derive(Default)]
struct State {
    /// Held while a token is checked or fetched: one request at a time.
    cache: tokio::sync::Mutex<Cache>,
    /// The last access token the API refused, until the next fetch.
    rejected: Mutex<Option<Secret>>,
    /// The source's own HTTP client, made on first use when none was given.
    http: OnceLock<reqwest::Client>,
}

#[derive(Default)]
struct Cache {
    token: Option<Token>,
    /// The refresh token the server rotated to, which replaces the one given.
    refresh_token: Option<Secret>,
    /// The refresh token was refused for good (`invalid_grant`): every call fails so.
    refused: Option<Box<TokenError>>,
}

struct Token {
    access: Secret,
    /// When to fetch a new one; `None` when the server did not say when it expires.
    refresh_at: Option<Instant>,
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("OAuth2")
            .field("grant", &c.grant.name())
            .field("token_url", &c.token_url)
            .field("client_id", &c.client_id)
            .field("client_secret", &c.client_secret)
            .field("scopes", &c.scopes)
            .field("refresh_margin", &c.margin)
            .finish_non_exhaustive()
    }
}

impl OAuth2 {
    fn new(grant: Grant, token_url: String, client_id: String, client_secret: Option<Secret>) -> OAuth2 {
        OAuth2 {
            config: Config {
                token_url,
                client_id,
                client_secret,
                grant,
                refresh_token: None,
                scopes: Vec::new(),
                params: Vec::new(),
                margin: DEFAULT_REFRESH_MARGIN,
                secret_in_body: false,
                http: None,
            },
            state: Arc::default(),
        }
    }

    /// Tokens for the client itself (RFC 6749 §4.4): `grant_type=client_credentials`,
    /// the client authenticated with HTTP basic authentication (or in the form, see
    /// [`secret_in_body`](OAuth2::secret_in_body)).
    pub fn client_credentials(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> OAuth2 {
        OAuth2::new(
            Grant::ClientCredentials,
            token_url.into(),
            client_id.into(),
            Some(Secret::new(client_secret)),
        )
    }

    /// Tokens from a refresh token the user obtained before (RFC 6749 §6), for a
    /// public client (its id in the form, no secret; add one with
    /// [`client_secret`](OAuth2::client_secret)). A new refresh token in an answer
    /// replaces this one.
    pub fn refresh_token(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> OAuth2 {
        let mut source = OAuth2::new(Grant::RefreshToken, token_url.into(), client_id.into(), None);
        source.config.refresh_token = Some(Secret::new(refresh_token));
        source
    }

    /// The client secret, for a confidential client.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.config.client_secret = Some(Secret::new(secret));
        self
    }

    /// The scopes to ask for (sent space-separated as `scope`); none by default.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Another form parameter of the token request (`audience`, `resource`, …).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.params.push((name.into(), value.into()));
        self
    }

    /// How long before its expiry a token is replaced (default
    /// [`DEFAULT_REFRESH_MARGIN`]; at most half the token's lifetime is used, so that
    /// a short-lived token is not fetched for every call).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.config.margin = margin;
        self
    }

    /// Sends the client id and secret in the form (`client_secret_post`) instead of
    /// HTTP basic authentication (`client_secret_basic`, the default).
    pub fn secret_in_body(mut self) -> Self {
        self.config.secret_in_body = true;
        self
    }

    /// The HTTP client for token requests (its TLS, proxy and timeout settings).
    /// Without one, the source makes its own, with the runtime's TLS settings and a
    /// 30 s timeout.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.config.http = Some(http);
        self
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &str {
        &self.config.token_url
    }

    /// A fresh access token: the cached one, or a new one from the token endpoint.
    pub async fn access_token(&self) -> Result<String, Box<TokenError>> {
        let mut cache = self.state.cache.lock().await;
        if let Some(refused) = &cache.refused {
            return Err(refused.clone());
        }
        let rejected = self.state.rejected.lock().ok().and_then(|mut r| r.take());
        if let Some(token) = &cache.token {
            let was_rejected = rejected.is_some_and(|r| r.expose() == token.access.expose());
            let fresh = match token.refresh_at {
                Some(at) => Instant::now() < at,
                None => true,
            };
            if fresh && !was_rejected {
                return Ok(token.access.expose().to_string());
            }
        }
        cache.token = None;
        match self.fetch(&cache).await {
            Ok(fetched) => {
                let access = fetched.access.expose().to_string();
                if let Some(rotated) = fetched.refresh_token {
                    cache.refresh_token = Some(rotated);
                }
                cache.token = Some(Token {
                    access: fetched.access,
                    refresh_at: fetched.refresh_at,
                });
                Ok(access)
            }
            Err(error) => {
                if self.config.grant == Grant::RefreshToken && error.error.as_deref() == Some("invalid_grant") {
                    cache.refused = Some(error.clone());
                }
                Err(error)
            }
        }
    }

    fn http(&self) -> Result<&reqwest::Client, Box<TokenError>> {
        if let Some(http) = &self.config.http {
            return Ok(http);
        }
        if let Some(http) = self.state.http.get() {
            return Ok(http);
        }
        let built = tls::client_config()
            .map_err(|e| e.to_string())
            .and_then(|tls| {
                reqwest::Client::builder()
                    .tls_backend_preconfigured(tls)
                    .timeout(TOKEN_REQUEST_TIMEOUT)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .map_err(|e| self.failure(None, format!("no HTTP client for token requests: {e}")))?;
        Ok(self.state.http.get_or_init(|| built))
    }

    /// One token request.
    async fn fetch(&self, cache: &Cache) -> Result<Fetched, Box<TokenError>> {
        let c = &self.config;
        #[cfg(feature = "tracing")]
        tracing::debug!(token_url = %c.token_url, grant = c.grant.name(), "requesting an OAuth 2.0 token");
        let mut form: Vec<(&str, &str)> = vec![("grant_type", c.grant.name())];
        if c.grant == Grant::RefreshToken {
            let Some(refresh) = cache.refresh_token.as_ref().or(c.refresh_token.as_ref()) else {
                return Err(self.failure(None, "no refresh token".to_string()));
            };
            form.push(("refresh_token", refresh.expose()));
        }
        let scope = c.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        form.extend(c.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut request = self
            .http()?
            .post(&c.token_url)
            .header(reqwest::header::ACCEPT, "application/json");
        match &c.client_secret {
            Some(secret) if !c.secret_in_body => {
                // RFC 6749 §2.3.1: both are form-encoded before basic authentication.
                let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                request = request.basic_auth(encode(&c.client_id), Some(encode(secret.expose())));
            }
            Some(secret) => {
                form.push(("client_id", &c.client_id));
                form.push(("client_secret", secret.expose()));
            }
            None => form.push(("client_id", &c.client_id)),
        }
        let sent = Instant::now();
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|e| self.failure(None, format!("the token request failed: {}", e.without_url())))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            self.failure(
                Some(status),
                format!("the token answer could not be read: {}", e.without_url()),
            )
        })?;
        if !status.is_success() {
            let error = self.refusal(status, &body);
            #[cfg(feature = "tracing")]
            tracing::warn!(token_url = %c.token_url, status = status.as_u16(), error = error.error.as_deref().unwrap_or(""), "the token endpoint refused the request");
            return Err(error);
        }
        self.parse(status, &body, sent)
    }

    fn parse(&self, status: StatusCode, body: &[u8], sent: Instant) -> Result<Fetched, Box<TokenError>> {
        #[derive(serde::Deserialize)]
        struct Answer {
            access_token: String,
            token_type: Option<String>,
            expires_in: Option<serde_json::Value>,
            refresh_token: Option<String>,
        }
        // Never echoes the body or serde's message, which could quote a token.
        let answer: Answer = serde_json::from_slice(body).map_err(|_| {
            self.failure(
                Some(status),
                "the token answer is not a JSON object with an `access_token`".to_string(),
            )
        })?;
        if let Some(kind) = &answer.token_type {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(self.failure(
                    Some(status),
                    format!("the token type `{kind}` is not supported (only `Bearer`)"),
                ));
            }
        }
        let lifetime = match &answer.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(1e9)));
        let refresh_at = lifetime.map(|lifetime| sent + lifetime - self.config.margin.min(lifetime / 2));
        Ok(Fetched {
            access: Secret::new(answer.access_token),
            refresh_at,
            refresh_token: answer.refresh_token.map(Secret::new),
        })
    }

    /// The error for an error status, with the RFC 6749 §5.2 fields when the body has them.
    fn refusal(&self, status: StatusCode, body: &[u8]) -> Box<TokenError> {
        #[derive(serde::Deserialize)]
        struct Refusal {
            error: String,
            error_description: Option<String>,
            error_uri: Option<String>,
        }
        match serde_json::from_slice::<Refusal>(body) {
            Ok(r) => Box::new(TokenError {
                token_url: self.config.token_url.clone(),
                status: Some(status),
                error: Some(r.error),
                error_description: r.error_description,
                error_uri: r.error_uri,
                detail: None,
            }),
            Err(_) => self.failure(
                Some(status),
                "the token endpoint answered with an error status".to_string(),
            ),
        }
    }

    fn failure(&self, status: Option<StatusCode>, detail: String) -> Box<TokenError> {
        Box::new(TokenError {
            token_url: self.config.token_url.clone(),
            status,
            error: None,
            error_description: None,
            error_uri: None,
            detail: Some(detail),
        })
    }
}

struct Fetched {
    access: Secret,
    refresh_at: Option<Instant>,
    refresh_token: Option<Secret>,
}

impl CredentialSource for OAuth2 {
    fn credential(&self) -> CredentialFuture<'_> {
        Box::pin(async move { self.access_token().await.map_err(|e| e as BoxError) })
    }

    fn rejected(&self, credential: &str) -> bool {
        if let Ok(mut rejected) = self.state.rejected.lock() {
            *rejected = Some(Secret::new(credential));
        }
        true
    }
}

/// The token endpoint did not give a token: its answer with the RFC 6749 §5.2 fields
/// (`error` such as `invalid_grant` or `invalid_client`, `error_description`,
/// `error_uri`), or what failed before there was one. Never holds a secret.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenError {
    /// The token endpoint.
    pub token_url: String,
    /// The status of its answer, when it answered.
    pub status: Option<StatusCode>,
    /// The RFC 6749 error code (`invalid_grant`, `invalid_client`, `invalid_scope`, …).
    pub error: Option<String>,
    /// The server's explanation, for people.
    pub error_description: Option<String>,
    /// A page about the error.
    pub error_uri: Option<String>,
    /// What went wrong when the server gave no error code (a connection failure, an
    /// answer that is not a token).
    pub detail: Option<String>,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no OAuth 2.0 token from {}", self.token_url)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {})", status.as_u16())?;
        }
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
        }
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        if let Some(uri) = &self.error_uri {
            write!(f, " (see {uri})")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TokenError {}

impl<E> Error<E> {
    /// The token endpoint's error, when the call failed because no OAuth 2.0 token
    /// could be obtained.
    pub fn token_error(&self) -> Option<&TokenError> {
        match self {
            Error::Credential(e) => e.downcast_ref::<TokenError>(),
            _ => None,
        }
    }
}
