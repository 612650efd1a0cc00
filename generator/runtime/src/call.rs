//! The one request path every operation takes: the method builds and authorizes the
//! request, then [`Call`] applies the options, runs the hooks, sends it under the
//! retry policy, reads the answer and decodes it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

use reqwest::StatusCode;

use super::client_core::Transport;
use super::credential_source::{collect, Deferred};
use super::error::{DecodeError, Error, ErrorResponse, Undocumented};
use super::options::{per_call_options, BoxError, RequestOptions};
use super::response::{Response, ResponseHead};
use super::retry::{answer_retry_after, RetryPolicy};
use super::send::{attempts, begin, Body, Read};
use super::stream::ByteStream;

/// What a generated method tells the request path about its operation.
#[derive(Debug)]
pub(crate) struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// The header the spec declares for idempotency keys, if any.
    pub idempotency_header: Option<&'static str>,
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
    pub(crate) options: RequestOptions,
    decode: Decoder<T>,
    decode_error: ErrorDecoder<E>,
    /// Sent here instead (a next-page link), credentials and headers unchanged.
    url: Option<reqwest::Url>,
    /// Credentials fetched before each attempt.
    credentials: Vec<Deferred>,
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
        let (request, credentials) = collect(build);
        Call {
            transport: Arc::clone(transport),
            operation,
            request,
            options: RequestOptions::default(),
            decode,
            decode_error,
            url: None,
            credentials,
        }
    }

    /// Sends the request to `url` (a next-page link on the same origin) instead.
    pub(crate) fn at_url(mut self, url: reqwest::Url) -> Self {
        self.url = Some(url);
        self
    }

    per_call_options!(options);

    /// Answers with the decoded value and the response's status, headers, request id
    /// and attempt count ([`Response`]) instead of the value alone.
    pub fn with_response(self) -> WithResponse<T, E> {
        WithResponse(self)
    }

    /// Sends the call and decodes the answer; `finish` makes the caller's value of it
    /// (the value alone, or the whole response) inside this one future, not in a
    /// future wrapped around it.
    async fn send<O>(self, finish: fn(Response<T>) -> O) -> Result<O, Error<E>> {
        let Call {
            transport,
            operation,
            request,
            options,
            decode,
            decode_error,
            url,
            credentials,
        } = self;
        let (request, plan) = begin(&transport, operation, request?, url, &options, Read::Whole)?;
        let answer = attempts(&transport, operation, request, &credentials, plan).await?;
        // Read whole, as asked.
        let Body::Whole(body) = answer.body else {
            return Err(Error::InvalidRequest(
                "internal error: the body of a call was left unread".to_string(),
            ));
        };
        let head = answer.head;
        if !head.status.is_success() {
            return Err(status_error(head, &body, decode_error, &transport.policy));
        }
        match decode(head.status, &body) {
            Ok(value) => Ok(finish(Response::new(value, head, answer.url, body))),
            Err(source) => Err(Error::Decode(Box::new(DecodeError::new(head, body.to_vec(), source)))),
        }
    }

    /// Sends the call like `.await` does (options, hooks, retries, tracing) but leaves
    /// the body of a success unread. An error status is read whole and decoded as for
    /// any call. A timeout set on the call itself (or in default options) bounds the
    /// whole stream; the client's bounds each wait for data.
    pub(crate) async fn send_streamed(self) -> Result<(ResponseHead, reqwest::Response), Error<E>> {
        let Call {
            transport,
            operation,
            request,
            options,
            decode: _,
            decode_error,
            url,
            credentials,
        } = self;
        let (request, plan) = begin(&transport, operation, request?, url, &options, Read::Streamed)?;
        let answer = attempts(&transport, operation, request, &credentials, plan).await?;
        match answer.body {
            Body::Unread(response) => Ok((answer.head, response)),
            Body::Whole(body) => Err(status_error(answer.head, &body, decode_error, &transport.policy)),
        }
    }

    /// Sends the call and answers with the body as a stream of chunks instead of
    /// reading it whole: for downloads too big for memory. An error status is still
    /// read whole (the error keeps its body).
    ///
    /// ```no_run
    /// # async fn example(call: __crate__::Call<Vec<u8>>) -> Result<(), __crate__::Error> {
    /// let written = call.byte_stream().await?.write_to("download.bin").await?;
    /// println!("{written} bytes");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn byte_stream(self) -> Result<ByteStream<E>, Error<E>> {
        let (head, response) = self.send_streamed().await?;
        Ok(ByteStream::new(head, response))
    }
}

/// An answer with an error status, as the error the caller gets.
fn status_error<E>(head: ResponseHead, body: &[u8], decode_error: ErrorDecoder<E>, policy: &RetryPolicy) -> Error<E> {
    let retry_after = answer_retry_after(&head.headers, policy);
    let parsed = decode_error(head.status, body);
    Error::Status(Box::new(ErrorResponse::new(head, body, parsed, retry_after)))
}

impl<T: Send + 'static, E: Send + 'static> IntoFuture for Call<T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send(Response::into_inner))
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
        Box::pin(self.0.send(std::convert::identity))
    }
}
