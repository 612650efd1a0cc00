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

impl Body {
    /// The whole body, reading it now if it was left unread.
    pub(crate) async fn into_bytes<E>(self) -> Result<bytes::Bytes, Error<E>> {
        match self {
            Body::Whole(bytes) => Ok(bytes),
            Body::Unread(response) => response.bytes().await.map_err(Error::from),
        }
    }
}

/// Sends a built request the way every call is sent: the client's default options
/// under the call's own, `url` instead of the built one when given (a next-page link),
/// then attempts under the retry policy, reading the answer as `mode` says. The
/// `credentials` are fetched before each attempt.
///
/// A streamed answer is not bounded as a whole by the client's timeout, which bounds
/// each wait for data instead (see `ClientBuilder::timeout`); a timeout the call or the
/// default options set bounds the whole stream.
pub(crate) async fn send<E>(
    transport: &Transport,
    operation: &Operation,
    request: reqwest::RequestBuilder,
    url: Option<reqwest::Url>,
    options: &RequestOptions,
    credentials: &[Deferred],
    mode: Read,
) -> Result<Answer, Error<E>> {
    let options = transport.defaults.merged(options);
    let (mut request, safety) = prepare(request, url, transport, operation, &options)?;
    if mode == Read::Streamed {
        *request.timeout_mut() = options.timeout.flatten();
    }
    let retries = options.max_retries.unwrap_or(transport.policy.retries());
    send_with_retries(transport, operation, request, safety, retries, credentials, mode).await
}

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
    options.apply(&mut request, transport.timeout)?;
    let declared = operation.idempotency_header.map(header_name).transpose()?;
    let configured = declared.is_some() || transport.idempotency_header.is_some();
    let name = declared
        .or_else(|| transport.idempotency_header.clone())
        .unwrap_or(HeaderName::from_static("idempotency-key"));
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

/// Sends `request` until it gets an answer the policy does not retry, and reads it
/// whole. With the `tracing` feature the call is one span (operation, method, path
/// template, status, attempt, duration; never parameter or credential values).
async fn send_with_retries<E>(
    transport: &Transport,
    operation: &Operation,
    request: reqwest::Request,
    safety: Safety,
    max_retries: u32,
    credentials: &[Deferred],
    mode: Read,
) -> Result<Answer, Error<E>> {
    let trace = Trace::new(operation);
    trace
        .run(attempt_loop(
            transport,
            operation,
            request,
            safety,
            max_retries,
            credentials,
            mode,
            &trace,
        ))
        .await
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

// The loop's inputs are the call's: bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
async fn attempt_loop<E>(
    transport: &Transport,
    operation: &Operation,
    request: reqwest::Request,
    safety: Safety,
    max_retries: u32,
    credentials: &[Deferred],
    mode: Read,
    trace: &Trace,
) -> Result<Answer, Error<E>> {
    let mut current = request;
    let mut number = 1;
    // A 401 to a fetched credential is answered once with a new one, beside retries.
    let mut reauthorized = false;
    loop {
        let may_retry = number - u32::from(reauthorized) <= max_retries;
        let may_reauthorize = !credentials.is_empty() && !reauthorized;
        // Keep a copy to send again; a streamed body has none, so it is sent once.
        let spare = if may_retry || may_reauthorize {
            current.try_clone()
        } else {
            None
        };
        let sent = credential_source::apply(credentials, &mut current)
            .await
            .map_err(Error::Credential)?;
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
        let wait = match read(&transport.http, current, mode).await {
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
                    !status.is_success() && may_retry && spare.is_some() && retry_status(status, &headers, safety);
                let wait = match advised_wait(&headers, SystemTime::now()) {
                    // Too long to sleep: the caller gets the answer and the advice.
                    Some(wait) if wait > transport.policy.retry_after_cap() => None,
                    Some(wait) => Some(wait),
                    None => Some(transport.policy.backoff(number, jitter())),
                };
                match wait.filter(|_| retry) {
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
                if !may_retry || spare.is_none() || !retry_error(&error, safety) {
                    return Err(Error::Transport(Box::new(TransportError::new(error, number))));
                }
                transport.policy.backoff(number, jitter())
            }
        };
        trace.retrying(number, wait);
        tokio::time::sleep(wait).await;
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
