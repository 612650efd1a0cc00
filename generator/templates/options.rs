//! What a user can set about how requests are sent: the retry policy, per-call
//! options, and hooks that see every attempt.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// How failed attempts are retried.
///
/// The default makes at most 2 retries (3 attempts). The wait before retry `n` (1, 2,
/// …) is `initial_backoff × 2ⁿ⁻¹`, at most `max_backoff`, less up to 25 % random
/// jitter: 0.5 s then 1 s (minus jitter) with the defaults. When the server says how
/// long to wait (`retry-after-ms`, else `Retry-After` in seconds or as an HTTP date),
/// that wait is used instead; if it is longer than `max_retry_after` (60 s) the client
/// does not sleep and returns the error, whose [`retry_after`](super::Error::retry_after)
/// carries the advice.
///
/// What is retried:
/// - connection failures, timeouts and the statuses 408, 409, 429, 500, 502, 503 and
///   504; never another 4xx. A `x-should-retry: true` or `false` response header
///   overrides the status rule;
/// - GET, HEAD, OPTIONS, PUT, DELETE and TRACE under those rules, and any request that
///   carries an idempotency key;
/// - POST and PATCH without an idempotency key only when the server cannot have
///   processed them: the connection could not be established, or the answer was 429
///   or 503 (or carried `x-should-retry: true`). A reset after the request was
///   written, a timeout, or a 500 is not resent;
/// - a request whose body is a stream is sent once: it cannot be replayed.
///
/// ```no_run
/// use std::time::Duration;
///
/// # fn example() -> Result<(), __crate__::Error> {
/// let client = __crate__::Client::builder()
///     .retry_policy(
///         __crate__::RetryPolicy::default()
///             .max_retries(4)
///             .initial_backoff(Duration::from_millis(200)),
///     )
///     // POST and PATCH then carry a generated key and are retried like a PUT.
///     .idempotency_header("Idempotency-Key")
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// At most this many retries after the first attempt (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The wait before the first retry; it doubles for each later one.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest computed wait between two attempts.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest wait a server may ask for (`Retry-After`) and still be retried.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    pub(crate) fn retry_after_cap(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry `retry` (1 for the first), with `jitter` in `0..1`
    /// taking up to a quarter off.
    pub(crate) fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doubled = self.initial_backoff.as_secs_f64() * 2f64.powi(retry.saturating_sub(1).min(62) as i32);
        let capped = doubled.min(self.max_backoff.as_secs_f64());
        Duration::try_from_secs_f64(capped * (1.0 - 0.25 * jitter.clamp(0.0, 1.0))).unwrap_or(self.max_backoff)
    }
}

/// Options for one call, or defaults for every call of a client
/// ([`ClientBuilder::default_options`](super::ClientBuilder::default_options),
/// [`Client::with_options`](super::Client::with_options)). What a call sets wins over
/// the client's defaults; headers and query pairs add to them.
///
/// ```no_run
/// use std::time::Duration;
/// use __crate__::{Client, RequestOptions};
///
/// # fn example(client: &Client) {
/// // Every call through `tenant` carries the header and may take 5 s per attempt;
/// // `client` itself is unchanged.
/// let options = RequestOptions::new()
///     .header("x-tenant", "acme")
///     .timeout(Duration::from_secs(5));
/// let tenant = client.with_options(&options);
/// # let _ = tenant;
/// # }
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header and query values may be credentials: show their names only.
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("idempotency_key", &self.idempotency_key)
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("query", &self.query.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

impl RequestOptions {
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The time one attempt may take, from connecting to the end of the body;
    /// `None` waits forever.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// At most this many retries (0: none).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The idempotency key to send (the same on every attempt) instead of a generated
    /// one, in the operation's idempotency header, the client's
    /// ([`ClientBuilder::idempotency_header`](super::ClientBuilder::idempotency_header)),
    /// or else `Idempotency-Key`. A request with a key is retried like a PUT.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// An extra header (added to those the call sets).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// An extra query pair (added after those the call sets).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// `self` with `over` applied on top.
    pub(crate) fn merged(&self, over: &RequestOptions) -> RequestOptions {
        RequestOptions {
            timeout: over.timeout.or(self.timeout),
            max_retries: over.max_retries.or(self.max_retries),
            idempotency_key: over.idempotency_key.clone().or_else(|| self.idempotency_key.clone()),
            headers: self.headers.iter().chain(&over.headers).cloned().collect(),
            query: self.query.iter().chain(&over.query).cloned().collect(),
        }
    }
}

/// One attempt at a call, as hooks see it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The spec's `operationId` (or the method name where it has none).
    pub operation: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The path template, e.g. `/pets/{id}`: no parameter values.
    pub path: &'a str,
    /// 1 for the first attempt, 2 for the first retry, …
    pub number: u32,
}

/// Sees every attempt of every call: to sign or add headers to the request about to be
/// sent, and to observe what came back. Register with
/// [`ClientBuilder::hook`](super::ClientBuilder::hook); hooks run in that order.
///
/// `on_request` runs before each attempt (a retry is signed again); an error from it
/// stops the call with [`Error::Hook`](super::Error::Hook) and nothing is sent.
///
/// ```no_run
/// use __crate__::{reqwest, Attempt, BoxError, Client, Hook};
///
/// /// Signs each attempt (the signature scheme here is a stand-in for yours).
/// struct Signer {
///     key_id: String,
/// }
///
/// impl Hook for Signer {
///     fn on_request(&self, request: &mut reqwest::Request, attempt: &Attempt<'_>) -> Result<(), BoxError> {
///         let signed = format!("{} {} {}", self.key_id, request.method(), request.url().path());
///         request.headers_mut().insert("x-signature", signed.parse()?);
///         request.headers_mut().insert("x-attempt", attempt.number.into());
///         Ok(())
///     }
///
///     fn on_response(&self, status: reqwest::StatusCode, _: &reqwest::header::HeaderMap, attempt: &Attempt<'_>) {
///         eprintln!("{} attempt {}: HTTP {status}", attempt.operation, attempt.number);
///     }
/// }
///
/// # fn example() -> Result<(), __crate__::Error> {
/// let client = Client::builder()
///     .hook(Signer { key_id: "key-1".into() })
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called with the request as it will go out: headers, URL and (when not a
    /// stream) body are final except for what this and later hooks change.
    fn on_request(&self, request: &mut reqwest::Request, attempt: &Attempt<'_>) -> Result<(), BoxError> {
        let _ = (request, attempt);
        Ok(())
    }

    /// Called when an attempt got an answer, before its body is decoded.
    fn on_response(&self, status: StatusCode, headers: &HeaderMap, attempt: &Attempt<'_>) {
        let _ = (status, headers, attempt);
    }

    /// Called when an attempt got no answer (connection failure, timeout).
    fn on_error(&self, error: &reqwest::Error, attempt: &Attempt<'_>) {
        let _ = (error, attempt);
    }
}

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A closure as a [`Hook`] that only changes requests.
pub(crate) struct RequestHook<F>(pub(crate) F);

impl<F> Hook for RequestHook<F>
where
    F: Fn(&mut reqwest::Request, &Attempt<'_>) -> Result<(), BoxError> + Send + Sync + 'static,
{
    fn on_request(&self, request: &mut reqwest::Request, attempt: &Attempt<'_>) -> Result<(), BoxError> {
        (self.0)(request, attempt)
    }
}

/// The hooks of a client, in registration order.
#[derive(Clone, Default)]
pub(crate) struct Hooks(pub(crate) Vec<Arc<dyn Hook>>);

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}
