//! Sending one call: the request is prepared with the call's options, then attempted
//! under the retry policy (hooks around each attempt, tracing around the whole), and
//! the answer is read whole or left for a stream.

use std::future::Future;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName};
use reqwest::StatusCode;

use super::call::Operation;
use super::client_core::Transport;
use super::credential_source::{self, Deferred};
use super::error::{Error, TransportError};
use super::options::{header_name, header_value, Attempt, RequestOptions};
use super::response::ResponseHead;
use super::retry::{advised_wait, is_idempotent, jitter, retry_error, retry_status, Safety};

/// The answer to the last attempt: its head, its body (read or not), and the URL that
/// answered.
pub(crate) struct Answer {
    pub head: ResponseHead,
    pub body: Body,
    pub url: reqwest::Url,
}

/// How an attempt reads the body of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// All of it, whatever the status.
    Whole,
    /// None of a success (the caller streams it); error answers are still read whole,
    /// so that errors keep their body.
    Streamed,
}

/// The body of an answer: read, or left to the caller.
pub(crate) enum Body {
    Whole(bytes::Bytes),
    Unread(reqwest::Response),
}

/// A built request ready for its attempts: the client's default options under the
/// call's own applied, `url` instead of the built one when given (a next-page link),
/// and the plan of its attempts (timeout, retries, whether it may be resent, how the
/// answer is read).
///
/// A streamed answer is not bounded as a whole by the client's timeout, which bounds
/// each wait for data instead (see `ClientBuilder::timeout`); a timeout the call or the
/// default options set bounds the whole stream.
pub(crate) fn begin<E>(
    transport: &Transport,
    operation: &Operation,
    request: reqwest::RequestBuilder,
    url: Option<reqwest::Url>,
    options: &RequestOptions,
    mode: Read,
) -> Result<(reqwest::Request, Plan), Error<E>> {
    let options = transport.defaults.merged_ref(options);
    let (request, safety) = prepare(request, url, transport, operation, &options)?;
    // The request carries a timeout only when its client does not apply that one by
    // itself; `None` there would leave the client's in force, so no timeout is one far
    // beyond any call.
    let timeout = attempt_timeout(transport, &options, mode);
    let (_, built_in) = sender(transport, mode);
    let plan = Plan {
        safety,
        max_retries: options.max_retries.unwrap_or(transport.policy.retries()),
        request_timeout: (timeout != built_in).then(|| timeout.unwrap_or(NO_TIMEOUT)),
        mode,
    };
    Ok((request, plan))
}

/// The `reqwest` client a call whose answer is read as `mode` says goes through, and
/// the timeout that client puts on every request by itself.
fn sender(transport: &Transport, mode: Read) -> (&reqwest::Client, Option<Duration>) {
    match mode {
        Read::Whole => (&transport.http, transport.own_timeout),
        Read::Streamed => (&transport.streaming, None),
    }
}

/// Sends a request [`begin`] made until it gets an answer the retry policy does not
/// retry, fetching the `credentials` before each attempt. With the `tracing` feature
/// the call is one span (operation, method, path template, status, attempt, duration;
/// never parameter or credential values).
///
/// The caller awaits this future itself (no `async fn` around it), so that it is moved
/// as few times as can be: it is the largest part of a call's future.
pub(crate) fn attempts<'a, E: 'a>(
    transport: &'a Transport,
    operation: &'a Operation,
    request: reqwest::Request,
    credentials: &'a [Deferred],
    plan: Plan,
) -> impl Future<Output = Result<Answer, Error<E>>> + Send + 'a {
    let trace = Trace::new(operation);
    trace
        .clone()
        .run(attempt_loop(transport, operation, request, credentials, plan, trace))
}

/// How the attempts of one call go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    /// Whether the request may be sent again.
    safety: Safety,
    max_retries: u32,
    /// The timeout to put on each attempt's request; `None` when its client's own
    /// applies.
    request_timeout: Option<Duration>,
    mode: Read,
}

/// The bound on each attempt: the call's timeout, else the client's. A streamed answer
/// has only the call's: the client's bounds each wait for its data instead (see
/// `Transport::streaming`).
pub(crate) fn attempt_timeout(transport: &Transport, options: &RequestOptions, mode: Read) -> Option<Duration> {
    match mode {
        Read::Whole => options.timeout.unwrap_or(transport.timeout),
        Read::Streamed => options.timeout.flatten(),
    }
}

/// What stands for no timeout on a request whose client has one: thirty years (tokio's
/// own "far future"; `Duration::MAX` would overflow the deadline).
const NO_TIMEOUT: Duration = Duration::from_secs(60 * 60 * 24 * 365 * 30);

/// The idempotency header unless the spec or the client names another (a constant, so
/// that it is not parsed on every call).
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The built request with the call's options, timeout and idempotency key applied,
/// sent to `url` when given (a next-page link), and whether it may be sent again.
pub(crate) fn prepare<E>(
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
    options.apply(&mut request)?;
    let declared = operation.idempotency_header.map(header_name).transpose()?;
    let configured = declared.is_some() || transport.idempotency_header.is_some();
    let name = declared
        .or_else(|| transport.idempotency_header.clone())
        .unwrap_or(IDEMPOTENCY_KEY);
    if let Some(key) = &options.idempotency_key {
        request
            .headers_mut()
            .insert(name.clone(), header_value(name.as_str(), key)?);
    } else if configured
        && !request.headers().contains_key(&name)
        // A key is made when the spec declares the header, or, with a header set on
        // the client, for the methods that are not idempotent by themselves.
        && (operation.idempotency_header.is_some() || !is_idempotent(request.method()))
    {
        let key = uuid::Uuid::new_v4().to_string();
        request
            .headers_mut()
            .insert(name.clone(), header_value("idempotency key", &key)?);
    }
    // A request that carries its key can be repeated safely, whatever its method.
    let safety = if request.headers().contains_key(&name) || is_idempotent(request.method()) {
        Safety::Repeatable
    } else {
        Safety::Once
    };
    Ok((request, safety))
}

/// The call's span with the `tracing` feature; nothing without it.
#[derive(Clone)]
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
    async fn run<F: Future>(self, attempts: F) -> F::Output {
        let started = std::time::Instant::now();
        let outcome = tracing::Instrument::instrument(attempts, self.span.clone()).await;
        self.span.record("duration_ms", started.elapsed().as_millis() as u64);
        outcome
    }

    /// The attempts themselves: no wrapper, so no further copy of their future.
    #[cfg(not(feature = "tracing"))]
    fn run<F: Future>(self, attempts: F) -> F {
        attempts
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
    credentials: &[Deferred],
    plan: Plan,
    trace: Trace,
) -> Result<Answer, Error<E>> {
    let (http, _) = sender(transport, plan.mode);
    let mut current = request;
    let mut number = 1;
    // A 401 to a fetched credential is answered once with a new one, beside retries.
    let mut reauthorized = false;
    loop {
        let may_retry = number - u32::from(reauthorized) <= plan.max_retries;
        let may_reauthorize = !credentials.is_empty() && !reauthorized;
        // Keep a copy to send again; a streamed body has none, so it is sent once.
        // It is taken before a timeout is set: a copy without one is cheaper.
        let spare = if may_retry || may_reauthorize {
            current.try_clone()
        } else {
            None
        };
        if plan.request_timeout.is_some() {
            *current.timeout_mut() = plan.request_timeout;
        }
        // Fetching credentials is boxed, so that calls without any (most) do not
        // carry its future.
        let sent = if credentials.is_empty() {
            Vec::new()
        } else {
            Box::pin(credential_source::apply(credentials, &mut current))
                .await
                .map_err(Error::Credential)?
        };
        let attempt = Attempt {
            operation: operation.id,
            method: operation.method,
            path: operation.path,
            number,
        };
        trace.attempt(number);
        for hook in &transport.hooks.0 {
            hook.on_request(&mut current, &attempt).map_err(Error::Hook)?;
        }
        let wait = match read(http, current, plan.mode).await {
            Ok((status, headers, body, url)) => {
                trace.status(status);
                for hook in &transport.hooks.0 {
                    hook.on_response(status, &headers, &attempt);
                }
                if status == StatusCode::UNAUTHORIZED
                    && may_reauthorize
                    && spare.is_some()
                    && credential_source::rejected(credentials, &sent)
                {
                    if let Some(next) = spare {
                        reauthorized = true;
                        current = next;
                        number += 1;
                        continue;
                    }
                }
                let retry =
                    !status.is_success() && may_retry && spare.is_some() && retry_status(status, &headers, plan.safety);
                // Asked only of an answer that may be retried: most are not.
                let wait = retry
                    .then(|| match advised_wait(&headers, SystemTime::now()) {
                        // Too long to sleep: the caller gets the answer and the advice.
                        Some(wait) if wait > transport.policy.retry_after_cap() => None,
                        Some(wait) => Some(wait),
                        None => Some(transport.policy.backoff(number, jitter())),
                    })
                    .flatten();
                match wait {
                    Some(wait) => wait,
                    None => {
                        let head = ResponseHead::new(status, headers, number);
                        return Ok(Answer { head, body, url });
                    }
                }
            }
            Err(error) => {
                for hook in &transport.hooks.0 {
                    hook.on_error(&error, &attempt);
                }
                if !may_retry || spare.is_none() || !retry_error(&error, plan.safety) {
                    return Err(Error::Transport(Box::new(TransportError::new(error, number))));
                }
                transport.policy.backoff(number, jitter())
            }
        };
        trace.retrying(number, wait);
        // Boxed for the same reason: only retries sleep.
        Box::pin(tokio::time::sleep(wait)).await;
        // `spare` is `Some` here: each arm above returns when it is `None`.
        let Some(next) = spare else {
            return Err(Error::InvalidRequest(
                "internal error: no copy of the request to retry".to_string(),
            ));
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
    let mut response = http.execute(request).await?;
    let status = response.status();
    // The head keeps the headers; the body is read (or streamed) without them.
    let headers = std::mem::take(response.headers_mut());
    let url = response.url().clone();
    if mode == Read::Streamed && status.is_success() {
        return Ok((status, headers, Body::Unread(response), url));
    }
    let body = response.bytes().await?;
    Ok((status, headers, Body::Whole(body), url))
}
