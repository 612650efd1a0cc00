//! The client and its builder: transport, timeouts, retry policy, hooks, default
//! options, TLS, and the user's own `reqwest` client. The generated client adds what
//! depends on the spec: `DEFAULT_BASE_URL` (which `ClientBuilder::default` starts
//! from), a builder method per security scheme, and a method per operation.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::auth::Credentials;
use super::call::{Call, Operation};
use super::error::Error;
use super::options::{Attempt, BoxError, Hook, Hooks, RequestHook, RequestOptions};
use super::retry::RetryPolicy;
use super::runtime::Parts;
use super::tls;

/// The time one attempt may take unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The time connecting may take unless [`ClientBuilder::connect_timeout`] says
/// otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The client of the API: one async method per operation (see the crate's
/// documentation for an example).
///
/// Each method returns a [`Call`](super::Call): `.await` it for the decoded value, or
/// set options for that call first (`.timeout(…)`, `.header(…)`, `.idempotency_key(…)`,
/// `.max_retries(…)`) and `.with_response()` for the status, headers and request id
/// beside the value. Failed attempts are retried as [`RetryPolicy`] describes.
///
/// Cheap to clone: clones share its connections (one pool for answers read whole, one
/// for streamed answers, which each wait for data under the timeout).
#[derive(Clone)]
pub struct Client {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) transport: Arc<Transport>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.transport.timeout)
            .field("retry_policy", &self.transport.policy)
            .field("default_options", &self.transport.defaults)
            .finish()
    }
}

impl Client {
    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client that shares this one's connections, credentials and hooks and applies
    /// `options` to every call (on top of the defaults it had; a call's own options
    /// still win). Cheap: nothing is copied but the options.
    pub fn with_options(&self, options: &RequestOptions) -> Client {
        let mut transport = Transport::clone(&self.transport);
        transport.defaults = transport.defaults.merged(options);
        Client {
            transport: Arc::new(transport),
            ..self.clone()
        }
    }
}

impl Client {
    /// Calls an endpoint the spec does not describe (yet), through the same request path
    /// as every operation: the client's credentials (every one configured), options,
    /// hooks and retries. `path` is joined to the base URL (`"/v2/things"`); the answer
    /// is decoded as JSON into `T` (`serde_json::Value` for any; `()` for an empty body).
    /// A body is added with [`undocumented_with_body`](Client::undocumented_with_body),
    /// or field by field with `.body_field(…)`.
    ///
    /// ```no_run
    /// # async fn example(client: &__crate__::Client) -> Result<(), __crate__::Error> {
    /// use __crate__::reqwest::Method;
    ///
    /// let beta: serde_json::Value = client.undocumented(Method::GET, "/beta/things").query("limit", "5").await?;
    /// # let _ = beta;
    /// # Ok(())
    /// # }
    /// ```
    pub fn undocumented<T: DeserializeOwned>(&self, method: Method, path: &str) -> Call<T> {
        self.undocumented_request(method, path, None::<&()>)
    }

    /// [`undocumented`](Client::undocumented) with `body` sent as JSON.
    pub fn undocumented_with_body<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Call<T> {
        self.undocumented_request(method, path, Some(body))
    }

    fn undocumented_request<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Call<T> {
        Call::new(
            &self.transport,
            undocumented_operation(&method),
            decode_json_or_null,
            |_, _| None,
            || {
                if !path.starts_with('/') {
                    return Err(Error::InvalidRequest(format!("the path `{path}` must start with `/`")));
                }
                let mut parts = Parts::default();
                self.credentials.apply_all(&mut parts)?;
                let request = parts.apply(self.transport.request(method, format!("{}{path}", self.base_url), None));
                Ok(match body {
                    Some(body) => request.json(body),
                    None => request,
                })
            },
        )
    }
}

/// The answer of an undocumented call as JSON; an empty body reads as `null` (so `()`
/// and `Option<T>` decode it).
fn decode_json_or_null<T: DeserializeOwned>(_: reqwest::StatusCode, body: &[u8]) -> Result<T, BoxError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(Into::into)
}

/// What tracing spans and hooks see of an undocumented call: its method, and no operation
/// id or path template from the spec.
fn undocumented_operation(method: &Method) -> &'static Operation {
    const fn op(method: &'static str) -> Operation {
        Operation {
            id: "undocumented",
            method,
            path: "(undocumented)",
            idempotency_header: None,
        }
    }
    static OPERATIONS: [Operation; 8] = [
        op("GET"),
        op("POST"),
        op("PUT"),
        op("PATCH"),
        op("DELETE"),
        op("HEAD"),
        op("OPTIONS"),
        op("OTHER"),
    ];
    let index = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        .iter()
        .position(|m| *m == method.as_str())
        .unwrap_or(7);
    &OPERATIONS[index]
}

/// What every call of one client shares: the HTTP client and the settings of
/// [`ClientBuilder`].
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    /// Sends calls whose answer is read whole.
    pub http: reqwest::Client,
    /// Sends calls whose answer is streamed: the same settings, plus the client's
    /// timeout on each wait for data. The same client as `http` when the user gave one.
    pub streaming: reqwest::Client,
    /// The timeout `http` puts on every request by itself: the client's, unless the
    /// user gave the `reqwest` client.
    pub own_timeout: Option<Duration>,
    pub policy: RetryPolicy,
    pub timeout: Option<Duration>,
    pub idempotency_header: Option<HeaderName>,
    pub hooks: Hooks,
    pub defaults: RequestOptions,
}

impl Transport {
    /// A request to `url`, asking for `accept` when given (a header parameter of the
    /// spec named `Accept` replaces it).
    pub fn request(&self, method: Method, url: String, accept: Option<&'static str>) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match accept {
            // A media type of the spec, shared rather than copied for every request.
            Some(accept) if is_header_text(accept) => {
                request.header(reqwest::header::ACCEPT, HeaderValue::from_static(accept))
            }
            // Not sendable: building the request reports it.
            Some(accept) => request.header(reqwest::header::ACCEPT, accept),
            None => request,
        }
    }
}

/// Whether `HeaderValue::from_static` takes `text` (it panics on anything else).
fn is_header_text(text: &str) -> bool {
    text.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// Configures a [`Client`].
///
/// Defaults: the first server of the spec, a timeout of 60 s per attempt
/// ([`DEFAULT_TIMEOUT`]) and 10 s to connect ([`DEFAULT_CONNECT_TIMEOUT`]),
/// [`RetryPolicy::default`] (at most 2 retries, exponential backoff from 0.5 s with
/// jitter, `Retry-After` honoured up to 60 s, POST and PATCH resent only when the server
/// cannot have processed them unless they carry an idempotency key), no hooks.
///
/// Each security scheme of the spec has a builder method that takes a fixed credential,
/// and one (`…_source`) that takes a [`CredentialSource`](super::CredentialSource): a
/// credential the client fetches itself before each attempt (a vault, a cloud identity,
/// [`OAuth2`](super::OAuth2) tokens, which an `oauth2` scheme's `…_client_credentials`
/// and `…_refresh_token` methods set up from the spec's token URL and scopes).
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    pub(crate) credentials: Credentials,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    retry_policy: RetryPolicy,
    idempotency_header: Option<String>,
    hooks: Hooks,
    defaults: RequestOptions,
}

impl ClientBuilder {
    /// A builder with every default, for the server at `base_url` (the generated
    /// `Default` passes the spec's first server).
    pub(crate) fn for_base_url(base_url: &str) -> Self {
        // The program's own `reqwest` clients need a crypto provider (see `tls`).
        tls::install_default_provider();
        ClientBuilder {
            base_url: base_url.trim_end_matches('/').to_string(),
            credentials: Credentials::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            user_agent: None,
            http: None,
            retry_policy: RetryPolicy::default(),
            idempotency_header: None,
            hooks: Hooks::default(),
            defaults: RequestOptions::default(),
        }
    }

    /// The server to talk to, e.g. `https://api.example.com/v1`; a trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// The time one attempt may take, from connecting to the end of the body (default
    /// [`DEFAULT_TIMEOUT`]); `None` waits forever. Each retry gets the full time again.
    /// Streamed answers (events, downloads) are not cut after this time: it bounds each
    /// wait for data instead (the answer's head, then every chunk), unless the call
    /// sets a timeout of its own.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The time connecting may take (default [`DEFAULT_CONNECT_TIMEOUT`]); `None`
    /// leaves it to the operating system.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// The `User-Agent` header to send (default: the crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this `reqwest` client (version 0.13, re-exported as
    /// [`reqwest`](crate::reqwest)): its connection and TLS settings, user agent and
    /// connect timeout apply instead of the ones set here. The per-attempt timeout,
    /// retries, options and hooks still apply.
    ///
    /// Without one, the client makes its own: rustls with the `ring` provider (or the
    /// process-wide provider the program installed), trusting the system's
    /// certificates, or Mozilla's roots where the system has none.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// At most this many retries after the first attempt (default 2; 0 disables
    /// retries). Shorthand for a [`RetryPolicy`] with only that changed.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry_policy = self.retry_policy.max_retries(retries);
        self
    }

    /// How failed attempts are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Sends an idempotency key in this header (e.g. `Idempotency-Key`) with every POST
    /// and PATCH, generated per call unless the call gives one, and the same on every
    /// attempt, so that those calls are retried like a PUT. Operations that declare
    /// such a header in the spec use it without this.
    pub fn idempotency_header(mut self, name: impl Into<String>) -> Self {
        self.idempotency_header = Some(name.into());
        self
    }

    /// Adds a hook that sees every attempt (to sign requests, add headers, or observe
    /// answers).
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.0.push(Arc::new(hook));
        self
    }

    /// Adds a hook that changes each request before it is sent (each retry too), e.g.
    /// to sign it.
    pub fn on_request<F>(self, change: F) -> Self
    where
        F: Fn(&mut reqwest::Request, &Attempt<'_>) -> Result<(), BoxError> + Send + Sync + 'static,
    {
        self.hook(RequestHook(change))
    }

    /// Options applied to every call (a call's own options win).
    pub fn default_options(mut self, options: RequestOptions) -> Self {
        self.defaults = options;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if self.base_url.is_empty() {
            return Err(Error::InvalidRequest(
                "no base URL: the spec names no server, so set one with `base_url`".to_string(),
            ));
        }
        let idempotency_header = match &self.idempotency_header {
            Some(name) => Some(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?,
            ),
            None => None,
        };
        let (http, streaming, own_timeout) = match self.http {
            Some(http) => (http.clone(), http, None),
            None => {
                let tls =
                    tls::client_config().map_err(|e| Error::InvalidRequest(format!("TLS cannot be set up: {e}")))?;
                let user_agent = self
                    .user_agent
                    .unwrap_or_else(|| concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string());
                let builder = || {
                    let builder = reqwest::Client::builder()
                        .tls_backend_preconfigured(tls.clone())
                        .user_agent(user_agent.as_str());
                    match self.connect_timeout {
                        Some(timeout) => builder.connect_timeout(timeout),
                        None => builder,
                    }
                };
                // A whole answer is bounded per attempt: the client's timeout is
                // `reqwest`'s own, so a call that keeps it sets nothing on its request. A
                // streamed answer is not bounded as a whole, so each wait for its data is.
                let (http, streaming) = match self.timeout {
                    Some(timeout) => (
                        builder().timeout(timeout).build()?,
                        builder().read_timeout(timeout).build()?,
                    ),
                    None => (builder().build()?, builder().build()?),
                };
                (http, streaming, self.timeout)
            }
        };
        let transport = Transport {
            http,
            streaming,
            own_timeout,
            policy: self.retry_policy,
            timeout: self.timeout,
            idempotency_header,
            hooks: self.hooks,
            defaults: self.defaults,
        };
        Ok(Client {
            base_url: self.base_url,
            credentials: self.credentials,
            transport: Arc::new(transport),
        })
    }
}
