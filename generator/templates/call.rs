//! The one request path every operation takes: the method builds and authorizes the
//! request, then [`Call`] applies the options, runs the hooks, sends it under the
//! retry policy, reads the answer and decodes it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::error::{DecodeError, Error, ErrorResponse, TransportError, Undocumented};
use super::options::{Attempt, BoxError, Hooks, RequestOptions, RetryPolicy};

/// What a generated method tells the request path about its operation.
#[derive(Debug)]
pub(crate) struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// The header the spec declares for idempotency keys, if any.
    pub idempotency_header: Option<&'static str>,
}

/// What every call of one client shares: the HTTP client and the settings of
/// [`ClientBuilder`](super::ClientBuilder).
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    pub http: reqwest::Client,
    pub policy: RetryPolicy,
    pub timeout: Option<Duration>,
    pub idempotency_header: Option<HeaderName>,
    pub hooks: Hooks,
    pub defaults: RequestOptions,
}

impl Transport {
    /// A request to `url`, asking for `accept` when given (a header parameter of the
    /// spec named `Accept` replaces it).
    pub fn request(&self, method: Method, url: String, accept: Option<&str>) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match accept {
            Some(accept) => request.header(reqwest::header::ACCEPT, accept),
            None => request,
        }
    }
}

/// Decodes a success body (given its status).
pub(crate) type Decoder<T> = fn(StatusCode, &[u8]) -> Result<T, BoxError>;
/// Decodes a documented error body (given its status), when it decodes.
pub(crate) type ErrorDecoder<E> = fn(StatusCode, &[u8]) -> Option<E>;

/// A call to one operation, ready to be sent: `.await` it for the decoded value, or
/// first set options for this call only, or ask for the response metadata with
/// [`with_response`](Call::with_response).
///
/// Nothing is sent until it is awaited. The options a call sets win over the client's
/// defaults; the retry policy and hooks are the client's.
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<T, E = Undocumented> {
    transport: Arc<Transport>,
    operation: &'static Operation,
    request: Result<reqwest::RequestBuilder, Error<E>>,
    options: RequestOptions,
    decode: Decoder<T>,
    decode_error: ErrorDecoder<E>,
    /// Sent here instead (a next-page link), credentials and headers unchanged.
    url: Option<reqwest::Url>,
}

impl<T, E> fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .field("options", &self.options)
            .finish()
    }
}

impl<T, E> Call<T, E> {
    /// Runs `build` at once (it encodes the arguments and authorizes the request); an
    /// error there is returned when the call is awaited, and nothing is sent.
    pub(crate) fn new(
        transport: &Arc<Transport>,
        operation: &'static Operation,
        decode: Decoder<T>,
        decode_error: ErrorDecoder<E>,
        build: impl FnOnce() -> Result<reqwest::RequestBuilder, Error<E>>,
    ) -> Self {
        Call {
            transport: Arc::clone(transport),
            operation,
            request: build(),
            options: RequestOptions::default(),
            decode,
            decode_error,
            url: None,
        }
    }

    /// Sends the request to `url` (a next-page link on the same origin) instead.
    pub(crate) fn at_url(mut self, url: reqwest::Url) -> Self {
        self.url = Some(url);
        self
    }

    /// The time each attempt may take, from connecting to the end of the body (the
    /// client's default is 60 s); `None` waits forever.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.options.timeout = Some(timeout.into());
        self
    }

    /// At most this many retries for this call (0: none).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// Sends this idempotency key (the same on every attempt); see
    /// [`RequestOptions::idempotency_key`].
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.options.idempotency_key = Some(key.into());
        self
    }

    /// Adds a header to this call.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query pair to this call.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.query.push((name.into(), value.into()));
        self
    }

    /// Applies a set of options on top of what this call already sets.
    pub fn options(mut self, options: &RequestOptions) -> Self {
        self.options = self.options.merged(options);
        self
    }

    /// Answers with the decoded value and the response's status, headers, request id
    /// and attempt count ([`Response`]) instead of the value alone.
    pub fn with_response(self) -> WithResponse<T, E> {
        WithResponse(self)
    }

    async fn send(self) -> Result<Response<T>, Error<E>> {
        let Call { transport, operation, request, options, decode, decode_error, url } = self;
        let options = transport.defaults.merged(&options);
        let (request, safety) = prepare(request?, url, &transport, operation, &options)?;
        let retries = options.max_retries.unwrap_or(transport.policy.retries());
        let answer = send_with_retries(&transport, operation, request, safety, retries, Read::Whole).await?;
        let Answer { status, headers, body, request_id, attempts, url } = answer;
        let body = body.into_bytes().await?;
        if status.is_success() {
            match decode(status, &body) {
                Ok(value) => Ok(Response { value, status, headers, request_id, attempts, url }),
                Err(source) => Err(Error::Decode(Box::new(DecodeError {
                    status,
                    headers,
                    body: body.to_vec(),
                    source,
                    request_id,
                    attempts,
                }))),
            }
        } else {
            Err(status_error(status, headers, &body, request_id, attempts, decode_error, &transport.policy))
        }
    }
}

/// An answer with an error status, as the error the caller gets.
fn status_error<E>(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    request_id: Option<String>,
    attempts: u32,
    decode_error: ErrorDecoder<E>,
    policy: &RetryPolicy,
) -> Error<E> {
    let retry_after = answer_retry_after(&headers, policy);
    Error::Status(Box::new(ErrorResponse {
        parsed: decode_error(status, body),
        status,
        headers,
        body: body.to_vec(),
        request_id,
        attempts,
        retry_after,
    }))
}

impl<T: Send + 'static, E: Send + 'static> IntoFuture for Call<T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send().await.map(Response::into_inner) })
    }
}

/// A [`Call`] that answers with the [`Response`]: `.await` it.
#[must_use = "a call sends nothing until it is awaited"]
#[derive(Debug)]
pub struct WithResponse<T, E = Undocumented>(Call<T, E>);

impl<T: Send + 'static, E: Send + 'static> IntoFuture for WithResponse<T, E> {
    type Output = Result<Response<T>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.0.send())
    }
}

/// A decoded success with what else the server said: status, headers, request id,
/// and how many attempts it took. Dereferences to the value.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    attempts: u32,
    url: reqwest::Url,
}

impl<T> Response<T> {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for this request, from the first of `x-request-id`,
    /// `request-id`, `x-amzn-requestid`, `x-amz-request-id` and `x-correlation-id`
    /// that it sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many times the request was sent (1 unless it was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The URL that answered (after redirects).
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    pub fn value(&self) -> &T {
        &self.value
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The answer to the last attempt.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    request_id: Option<String>,
    attempts: u32,
    url: reqwest::Url,
}

/// How an attempt reads the body of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// All of it, whatever the status.
    Whole,
    /// None of a success (the caller streams it); error answers are still read whole,
    /// so that errors keep their body.
    Streamed,
}

/// The body of an answer: read, or left to the caller.
enum Body {
    Whole(bytes::Bytes),
    Unread(reqwest::Response),
}

impl Body {
    async fn into_bytes<E>(self) -> Result<bytes::Bytes, Error<E>> {
        match self {
            Body::Whole(bytes) => Ok(bytes),
            Body::Unread(response) => response.bytes().await.map_err(Error::from),
        }
    }
}

/// The built request with the call's options, timeout and idempotency key applied,
/// sent to `url` when given (a next-page link), and whether it may be sent again.
fn prepare<E>(
    builder: reqwest::RequestBuilder,
    url: Option<reqwest::Url>,
    transport: &Transport,
    operation: &Operation,
    options: &RequestOptions,
) -> Result<(reqwest::Request, Safety), Error<E>> {
    let mut request = builder
        .build()
        .map_err(|e| Error::InvalidRequest(format!("the request cannot be built: {e}")))?;
    if let Some(mut url) = url {
        // The link names its own query; pairs it does not name (an API key in the
        // query, say) are kept from the first request.
        let named: std::collections::HashSet<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        let kept: Vec<(String, String)> = request
            .url()
            .query_pairs()
            .filter(|(k, _)| !named.contains(k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if !kept.is_empty() {
            url.query_pairs_mut().extend_pairs(&kept);
        }
        *request.url_mut() = url;
    }
    if !options.query.is_empty() {
        request.url_mut().query_pairs_mut().extend_pairs(&options.query);
    }
    for (name, value) in &options.headers {
        request.headers_mut().append(header_name(name)?, header_value(name, value)?);
    }
    *request.timeout_mut() = options.timeout.unwrap_or(transport.timeout);
    let declared = operation.idempotency_header.map(header_name).transpose()?;
    let configured = declared.is_some() || transport.idempotency_header.is_some();
    let name = declared
        .or_else(|| transport.idempotency_header.clone())
        .unwrap_or(HeaderName::from_static("idempotency-key"));
    if let Some(key) = &options.idempotency_key {
        request.headers_mut().insert(name.clone(), header_value(name.as_str(), key)?);
    } else if configured
        && !request.headers().contains_key(&name)
        // A key is made when the spec declares the header, or, with a header set on
        // the client, for the methods that are not idempotent by themselves.
        && (operation.idempotency_header.is_some() || !is_idempotent(request.method()))
    {
        let key = uuid::Uuid::new_v4().to_string();
        request.headers_mut().insert(name.clone(), header_value("idempotency key", &key)?);
    }
    // A request that carries its key can be repeated safely, whatever its method.
    let safety = if request.headers().contains_key(&name) || is_idempotent(request.method()) {
        Safety::Repeatable
    } else {
        Safety::Once
    };
    Ok((request, safety))
}

fn header_name<E>(name: &str) -> Result<HeaderName, Error<E>> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))
}

fn header_value<E>(name: &str, value: &str) -> Result<HeaderValue, Error<E>> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("the value of `{name}` cannot be sent in a header")))
}

/// Methods that mean the same when repeated (RFC 9110, 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE)
}

/// Whether a request of this method, with or without an idempotency key, may be sent
/// again after this failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Safety {
    /// Idempotent method or idempotency key: every retryable failure is retried.
    Repeatable,
    /// POST or PATCH without a key: only when the server cannot have processed it.
    Once,
}

/// The rule for an answer: retry or not.
fn retry_status(status: StatusCode, headers: &HeaderMap, safety: Safety) -> bool {
    match headers.get("x-should-retry").map(HeaderValue::as_bytes) {
        Some(b"true") => return true,
        Some(b"false") => return false,
        _ => {}
    }
    match safety {
        Safety::Repeatable => matches!(status.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504),
        // The server refused to process these at all.
        Safety::Once => matches!(status.as_u16(), 429 | 503),
    }
}

/// The rule for an attempt that got no answer: retry or not.
fn retry_error(error: &reqwest::Error, safety: Safety) -> bool {
    if error.is_builder() || error.is_redirect() {
        return false;
    }
    match safety {
        Safety::Repeatable => true,
        // Connecting failed: nothing was sent. (A connect timeout is a connect error.)
        Safety::Once => error.is_connect(),
    }
}

/// The wait a server advises: `retry-after-ms`, else `Retry-After` as seconds or an
/// HTTP date. A value too large to represent is `Duration::MAX`.
fn advised_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let seconds = |secs: f64| {
        (secs.is_finite() && secs >= 0.0).then(|| Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
    };
    if let Some(ms) = text("retry-after-ms").and_then(|t| t.parse::<f64>().ok()).and_then(|ms| seconds(ms / 1000.0)) {
        return Some(ms);
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return seconds(secs);
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = u64::try_from(date.timestamp()).ok()?;
    let at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(at))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The advice kept on an error answer: only a wait the policy refused to sleep.
fn answer_retry_after(headers: &HeaderMap, policy: &RetryPolicy) -> Option<Duration> {
    advised_wait(headers, SystemTime::now()).filter(|wait| *wait > policy.retry_after_cap())
}

/// A number in `0..1` for jitter; `RandomState` is seeded by the OS and differs per
/// call, which is all jitter needs.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The server's id for the request, from the first header of the usual names.
fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id", "x-amzn-requestid", "x-amz-request-id", "x-correlation-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_string)
}

/// Sends `request` until it gets an answer the policy does not retry, and reads it
/// whole. With the `tracing` feature the call is one span (operation, method, path
/// template, status, attempt, duration; never parameter or credential values).
async fn send_with_retries<E>(
    transport: &Transport,
    operation: &Operation,
    request: reqwest::Request,
    safety: Safety,
    max_retries: u32,
    mode: Read,
) -> Result<Answer, Error<E>> {
    let trace = Trace::new(operation);
    trace.run(attempt_loop(transport, operation, request, safety, max_retries, mode, &trace)).await
}

/// The call's span with the `tracing` feature; nothing without it.
struct Trace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Trace {
    fn new(_operation: &Operation) -> Trace {
        Trace {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "request",
                operation = _operation.id,
                method = _operation.method,
                path = _operation.path,
                status = tracing::field::Empty,
                attempt = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            ),
        }
    }

    #[cfg(feature = "tracing")]
    async fn run<R>(&self, attempts: impl Future<Output = R>) -> R {
        let started = std::time::Instant::now();
        let outcome = tracing::Instrument::instrument(attempts, self.span.clone()).await;
        self.span.record("duration_ms", started.elapsed().as_millis() as u64);
        outcome
    }

    #[cfg(not(feature = "tracing"))]
    async fn run<R>(&self, attempts: impl Future<Output = R>) -> R {
        attempts.await
    }

    fn attempt(&self, _number: u32) {
        #[cfg(feature = "tracing")]
        self.span.record("attempt", _number);
    }

    fn status(&self, _status: StatusCode) {
        #[cfg(feature = "tracing")]
        self.span.record("status", _status.as_u16());
    }

    fn retrying(&self, _attempt: u32, _wait: Duration) {
        #[cfg(feature = "tracing")]
        tracing::debug!(parent: &self.span, attempt = _attempt, wait_ms = _wait.as_millis() as u64, "retrying");
    }
}

async fn attempt_loop<E>(
    transport: &Transport,
    operation: &Operation,
    request: reqwest::Request,
    safety: Safety,
    max_retries: u32,
    mode: Read,
    trace: &Trace,
) -> Result<Answer, Error<E>> {
    let mut current = request;
    let mut number = 1;
    loop {
        // Keep a copy to send again; a streamed body has none, so it is sent once.
        let spare = if number <= max_retries { current.try_clone() } else { None };
        let attempt = Attempt { operation: operation.id, method: operation.method, path: operation.path, number };
        trace.attempt(number);
        for hook in &transport.hooks.0 {
            hook.on_request(&mut current, &attempt).map_err(Error::Hook)?;
        }
        let wait = match read(&transport.http, current, mode).await {
            Ok((status, headers, body, url)) => {
                trace.status(status);
                for hook in &transport.hooks.0 {
                    hook.on_response(status, &headers, &attempt);
                }
                let retry = !status.is_success() && spare.is_some() && retry_status(status, &headers, safety);
                let wait = match advised_wait(&headers, SystemTime::now()) {
                    // Too long to sleep: the caller gets the answer and the advice.
                    Some(wait) if wait > transport.policy.retry_after_cap() => None,
                    Some(wait) => Some(wait),
                    None => Some(transport.policy.backoff(number, jitter())),
                };
                match wait.filter(|_| retry) {
                    Some(wait) => wait,
                    None => {
                        let request_id = request_id(&headers);
                        return Ok(Answer { status, headers, body, request_id, attempts: number, url });
                    }
                }
            }
            Err(error) => {
                for hook in &transport.hooks.0 {
                    hook.on_error(&error, &attempt);
                }
                if spare.is_none() || !retry_error(&error, safety) {
                    return Err(Error::Transport(Box::new(TransportError::new(error, number))));
                }
                transport.policy.backoff(number, jitter())
            }
        };
        trace.retrying(number, wait);
        tokio::time::sleep(wait).await;
        // `spare` is `Some` here: each arm above returns when it is `None`.
        let Some(next) = spare else {
            return Err(Error::InvalidRequest("internal error: no copy of the request to retry".to_string()));
        };
        current = next;
        number += 1;
    }
}

/// One attempt: sends the request and reads the body as `mode` says.
async fn read(
    http: &reqwest::Client,
    request: reqwest::Request,
    mode: Read,
) -> Result<(StatusCode, HeaderMap, Body, reqwest::Url), reqwest::Error> {
    let response = http.execute(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let url = response.url().clone();
    if mode == Read::Streamed && status.is_success() {
        return Ok((status, headers, Body::Unread(response), url));
    }
    let body = response.bytes().await?;
    Ok((status, headers, Body::Whole(body), url))
}

// Streamed answers (see `stream.rs`): the same path, with the success body left unread.

/// A success answer whose body has not been read.
pub(crate) struct Streamed {
    pub response: reqwest::Response,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub request_id: Option<String>,
    pub attempts: u32,
}

impl<T, E> Call<T, E> {
    /// Sends the call like `.await` does (options, hooks, retries, tracing) but leaves
    /// the body of a success unread. An error status is read whole and decoded as for
    /// any call.
    ///
    /// The client's timeout does not apply to the whole stream: it bounds each wait for
    /// data instead (the answer's head, then every chunk; see
    /// [`ClientBuilder::timeout`](super::ClientBuilder::timeout)). A timeout set on the
    /// call itself (or in default options) bounds the whole stream.
    pub(crate) async fn send_streamed(self) -> Result<Streamed, Error<E>> {
        let Call { transport, operation, request, options, decode: _, decode_error, url } = self;
        let options = transport.defaults.merged(&options);
        let (mut request, safety) = prepare(request?, url, &transport, operation, &options)?;
        // Only a timeout the call (or the default options) sets bounds the whole stream.
        *request.timeout_mut() = options.timeout.flatten();
        let retries = options.max_retries.unwrap_or(transport.policy.retries());
        let answer = send_with_retries(&transport, operation, request, safety, retries, Read::Streamed).await?;
        let Answer { status, headers, body, request_id, attempts, url: _ } = answer;
        match body {
            Body::Unread(response) => Ok(Streamed { response, status, headers, request_id, attempts }),
            Body::Whole(body) => Err(status_error(status, headers, &body, request_id, attempts, decode_error, &transport.policy)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn status_rules_by_method_class() {
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(code).expect("status");
            assert!(retry_status(status, &none, Safety::Repeatable), "{code}");
            assert_eq!(retry_status(status, &none, Safety::Once), code == 429 || code == 503, "{code}");
        }
        for code in [400, 401, 403, 404, 422, 501] {
            let status = StatusCode::from_u16(code).expect("status");
            assert!(!retry_status(status, &none, Safety::Repeatable), "{code}");
        }
        let no = headers(&[("x-should-retry", "false")]);
        assert!(!retry_status(StatusCode::SERVICE_UNAVAILABLE, &no, Safety::Repeatable));
        let yes = headers(&[("x-should-retry", "true")]);
        assert!(retry_status(StatusCode::BAD_REQUEST, &yes, Safety::Once));
    }

    #[test]
    fn advised_waits() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
        let wait = |pairs| advised_wait(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after-ms", "250")]), Some(Duration::from_millis(250)));
        assert_eq!(wait(&[("retry-after-ms", "250"), ("retry-after", "9")]), Some(Duration::from_millis(250)));
        assert_eq!(wait(&[("retry-after", "2")]), Some(Duration::from_secs(2)));
        assert_eq!(wait(&[("retry-after", "1.5")]), Some(Duration::from_millis(1500)));
        assert_eq!(wait(&[("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")]), Some(Duration::from_secs(30)));
        assert_eq!(wait(&[("retry-after", "Wed, 21 Oct 2015 07:27:00 GMT")]), Some(Duration::ZERO));
        assert_eq!(wait(&[("retry-after", "1e300")]), Some(Duration::MAX));
        assert_eq!(wait(&[("retry-after", "-1")]), None);
        assert_eq!(wait(&[("retry-after", "soon")]), None);
        assert_eq!(wait(&[]), None);
    }

    #[test]
    fn backoff_doubles_caps_and_jitters_down() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(policy.backoff(2, 0.0), Duration::from_secs(1));
        assert_eq!(policy.backoff(3, 0.0), Duration::from_secs(2));
        assert_eq!(policy.backoff(10, 0.0), Duration::from_secs(8));
        assert_eq!(policy.backoff(u32::MAX, 0.0), Duration::from_secs(8));
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(375));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn request_ids_by_header_name() {
        assert_eq!(request_id(&headers(&[("request-id", "b"), ("x-request-id", "a")])).as_deref(), Some("a"));
        assert_eq!(request_id(&headers(&[("x-amzn-requestid", "c")])).as_deref(), Some("c"));
        assert_eq!(request_id(&HeaderMap::new()), None);
    }
}
