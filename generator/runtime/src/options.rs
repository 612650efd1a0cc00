//! What a user can set about each call: per-call options (and the setters every kind
//! of call shares), and hooks that see every attempt. The retry policy is in
//! `retry.rs`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::Error;

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
    pub(crate) body_fields: Vec<(String, serde_json::Value)>,
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
            .field(
                "body_fields",
                &self.body_fields.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl RequestOptions {
    /// No options: everything as the client says.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The time one attempt may take, from connecting to the end of the body;
    /// `None` waits forever. For a streamed answer (events, a download) it bounds the
    /// whole stream, where the client's timeout bounds each wait for data.
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

    /// An extra field in the JSON body, one the spec does not know yet (a later one of
    /// the same name wins, as does this over the body's own). The body must be a JSON
    /// object, or absent (the field then makes one); another body fails the call with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest) before anything is sent.
    pub fn body_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.body_fields.push((name.into(), value.into()));
        self
    }

    /// Puts the options on a built request: query pairs after its own and headers
    /// added. The timeout, the idempotency key and the retry count are read by the
    /// request path itself.
    pub(crate) fn apply<E>(&self, request: &mut reqwest::Request) -> Result<(), Error<E>> {
        if !self.query.is_empty() {
            request.url_mut().query_pairs_mut().extend_pairs(&self.query);
        }
        for (name, value) in &self.headers {
            request
                .headers_mut()
                .append(header_name(name)?, header_value(name, value)?);
        }
        if !self.body_fields.is_empty() {
            add_body_fields(request, &self.body_fields)?;
        }
        Ok(())
    }

    /// `self` with `over` applied on top: borrowed when one of them sets nothing
    /// (most calls set no option of their own, most clients no default).
    pub(crate) fn merged_ref<'a>(&'a self, over: &'a RequestOptions) -> Cow<'a, RequestOptions> {
        if over.is_empty() {
            Cow::Borrowed(self)
        } else if self.is_empty() {
            Cow::Borrowed(over)
        } else {
            Cow::Owned(self.merged(over))
        }
    }

    /// Whether these options set nothing.
    fn is_empty(&self) -> bool {
        let RequestOptions {
            timeout,
            max_retries,
            idempotency_key,
            headers,
            query,
            body_fields,
        } = self;
        timeout.is_none()
            && max_retries.is_none()
            && idempotency_key.is_none()
            && headers.is_empty()
            && query.is_empty()
            && body_fields.is_empty()
    }

    /// `self` with `over` applied on top.
    pub(crate) fn merged(&self, over: &RequestOptions) -> RequestOptions {
        RequestOptions {
            timeout: over.timeout.or(self.timeout),
            max_retries: over.max_retries.or(self.max_retries),
            idempotency_key: over.idempotency_key.clone().or_else(|| self.idempotency_key.clone()),
            headers: self.headers.iter().chain(&over.headers).cloned().collect(),
            query: self.query.iter().chain(&over.query).cloned().collect(),
            body_fields: self.body_fields.iter().chain(&over.body_fields).cloned().collect(),
        }
    }
}

/// The per-call option setters, defined once for every kind of call ([`Call`],
/// [`EventCall`], [`Paginator`]): each forwards to the [`RequestOptions`] setter of the
/// same name on the options found at the path given (`options`, `call.options`, ...).
///
/// A macro rather than a trait, so that users call `.timeout(…)` on any call without
/// importing anything.
///
/// [`Call`]: super::Call
/// [`EventCall`]: super::EventCall
/// [`Paginator`]: super::Paginator
macro_rules! per_call_options {
    ($($options:ident).+) => {
        /// The time each attempt of this call may take (see
        /// [`RequestOptions::timeout`](super::RequestOptions::timeout)); `None` waits
        /// forever.
        pub fn timeout(mut self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
            self.$($options).+ = std::mem::take(&mut self.$($options).+).timeout(timeout);
            self
        }

        /// At most this many retries for this call (0: none). A stream that has
        /// started is never retried: only getting its answer's head is.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.$($options).+ = std::mem::take(&mut self.$($options).+).max_retries(retries);
            self
        }

        /// Sends this idempotency key, the same on every attempt (see
        /// [`RequestOptions::idempotency_key`](super::RequestOptions::idempotency_key)).
        pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
            self.$($options).+ = std::mem::take(&mut self.$($options).+).idempotency_key(key);
            self
        }

        /// Adds a header to this call.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.$($options).+ = std::mem::take(&mut self.$($options).+).header(name, value);
            self
        }

        /// Adds a query pair to this call.
        pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.$($options).+ = std::mem::take(&mut self.$($options).+).query(name, value);
            self
        }

        /// Adds a field the spec does not know to this call's JSON body (see
        /// [`RequestOptions::body_field`](super::RequestOptions::body_field)).
        pub fn body_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
            self.$($options).+ = std::mem::take(&mut self.$($options).+).body_field(name, value);
            self
        }

        /// Applies a set of options on top of what this call already sets.
        pub fn options(mut self, options: &super::options::RequestOptions) -> Self {
            self.$($options).+ = self.$($options).+.merged(options);
            self
        }
    };
}
pub(crate) use per_call_options;

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

/// Any error, as hooks and decoders return them.
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

/// A header name, or the error that it is not one.
pub(crate) fn header_name<E>(name: &str) -> Result<reqwest::header::HeaderName, Error<E>> {
    reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))
}

/// A header value, or the error that `name`'s value cannot be sent in a header.
pub(crate) fn header_value<E>(name: &str, value: &str) -> Result<reqwest::header::HeaderValue, Error<E>> {
    reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("the value of `{name}` cannot be sent in a header")))
}

/// Adds `fields` to the JSON object a request carries (or to a new one when it has no
/// body), keeping the request replayable for retries.
fn add_body_fields<E>(request: &mut reqwest::Request, fields: &[(String, serde_json::Value)]) -> Result<(), Error<E>> {
    let refuse = |why: &str| Error::InvalidRequest(format!("extra body fields cannot be added: {why}"));
    let mut object = match request.body().map(reqwest::Body::as_bytes) {
        None | Some(Some(b"")) => serde_json::Map::new(),
        Some(None) => return Err(refuse("the body is a stream")),
        Some(Some(bytes)) => match serde_json::from_slice(bytes) {
            Ok(serde_json::Value::Object(object)) => object,
            _ => return Err(refuse("the body is not a JSON object")),
        },
    };
    for (name, value) in fields {
        object.insert(name.clone(), value.clone());
    }
    let bytes = serde_json::to_vec(&object).map_err(|e| refuse(&e.to_string()))?;
    *request.body_mut() = Some(bytes.into());
    let json = reqwest::header::HeaderValue::from_static("application/json");
    request
        .headers_mut()
        .entry(reqwest::header::CONTENT_TYPE)
        .or_insert(json);
    Ok(())
}
