//! Errors returned by the client.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::response::ResponseHead;

/// The error body of an operation whose spec documents no error schema. It has no
/// values: such errors keep the raw body only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undocumented {}

/// What can go wrong with a call. `E` is the operation's documented error body.
///
/// Every variant but `InvalidRequest`, `Hook` and `Credential` says how many attempts were made
/// ([`Error::attempts`]); an answer from the server also keeps its request id
/// ([`Error::request_id`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = Undocumented> {
    /// An argument or option cannot be sent as given (for example an empty path
    /// parameter); no request was made.
    InvalidRequest(String),
    /// No usable answer: connection, TLS, timeout, or the body could not be read.
    Transport(Box<TransportError>),
    /// The server answered with a status that is not a success. (Boxed, like
    /// `Decode`, to keep `Result`s small.)
    Status(Box<ErrorResponse<E>>),
    /// The server answered with a success status, but the body is not what the spec
    /// says.
    Decode(Box<DecodeError>),
    /// A [`Hook`](super::options::Hook) refused to send the request.
    Hook(Box<dyn std::error::Error + Send + Sync>),
    /// Paging cannot go on: the server named a page already fetched (it would loop),
    /// or a next-page link on another origin (not followed).
    Paging(String),
    /// A local file could not be read (an upload) or written (a download).
    Io(std::io::Error),
    /// A [`CredentialSource`](super::CredentialSource) gave no credential (for
    /// [`OAuth2`](super::OAuth2), a [`TokenError`](super::TokenError): see
    /// [`Error::token_error`]); nothing was sent.
    Credential(Box<dyn std::error::Error + Send + Sync>),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(r) => Some(r.status),
            Error::Decode(d) => Some(d.status),
            Error::Transport(e) => e.source.status(),
            Error::InvalidRequest(_) | Error::Hook(_) | Error::Paging(_) | Error::Io(_) | Error::Credential(_) => None,
        }
    }

    /// The raw response body, when the server answered.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Status(r) => Some(&r.body),
            Error::Decode(d) => Some(&d.body),
            _ => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Status(r) => Some(&r.headers),
            Error::Decode(d) => Some(&d.headers),
            _ => None,
        }
    }

    /// The server's id for the failed request (`x-request-id` or a similar header),
    /// when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Status(r) => r.request_id.as_deref(),
            Error::Decode(d) => d.request_id.as_deref(),
            _ => None,
        }
    }

    /// How many times the request was sent (1 when it was not retried; 0 when it was
    /// never sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Status(r) => r.attempts,
            Error::Decode(d) => d.attempts,
            Error::Transport(e) => e.attempts,
            Error::InvalidRequest(_) | Error::Hook(_) | Error::Paging(_) | Error::Io(_) | Error::Credential(_) => 0,
        }
    }

    /// The wait the server advised (`retry-after-ms` / `Retry-After`) when it was
    /// longer than the client is willing to sleep, so the call was not retried.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Status(r) => r.retry_after,
            _ => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.source.is_timeout())
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            Error::Transport(e) => write!(f, "{e}"),
            Error::Status(r) => write!(f, "{r}"),
            Error::Decode(d) => write!(f, "{d}"),
            Error::Hook(e) => write!(f, "a request hook refused the request: {e}"),
            Error::Credential(e) => write!(f, "no credential for the request: {e}"),
            Error::Paging(msg) => write!(f, "pagination stopped: {msg}"),
            Error::Io(e) => write!(f, "local file: {e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(&e.source),
            Error::Decode(d) => Some(&*d.source),
            Error::Hook(e) | Error::Credential(e) => Some(&**e),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        Error::Transport(Box::new(TransportError::new(e, 0)))
    }
}

/// No usable answer from the server, after every attempt the retry policy allowed.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The failure of the last attempt (its URL has no query string: credentials may
    /// travel there).
    pub source: reqwest::Error,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, attempts: u32) -> Self {
        let mut source = source;
        if let Some(url) = source.url_mut() {
            url.set_query(None);
        }
        TransportError { source, attempts }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request failed{}: {}", attempts_text(self.attempts), self.source)?;
        // reqwest's own message is terse ("error sending request"): add the cause.
        let mut cause = std::error::Error::source(&self.source);
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

/// A response with a status that is not a success, with everything the server sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ErrorResponse<E> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Vec<u8>,
    /// The body decoded as the spec documents it for this status, when it is
    /// documented and decodes.
    pub parsed: Option<E>,
    /// The server's id for the request, from `x-request-id` or a similar header.
    pub request_id: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
    /// The wait the server advised, when it was longer than the retry policy's
    /// `max_retry_after` and the call was therefore not retried.
    pub retry_after: Option<Duration>,
}

impl<E> ErrorResponse<E> {
    /// The error answer `head` with `body`, `parsed` as documented when it decodes, and
    /// the wait the server advised that the client did not sleep.
    pub(crate) fn new(head: ResponseHead, body: &[u8], parsed: Option<E>, retry_after: Option<Duration>) -> Self {
        let request_id = head.request_id().map(str::to_string);
        let ResponseHead {
            status,
            headers,
            attempts,
        } = head;
        ErrorResponse {
            status,
            headers,
            body: body.to_vec(),
            parsed,
            request_id,
            attempts,
            retry_after,
        }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl<E> fmt::Display for ErrorResponse<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server answered HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        f.write_str(&attempts_text(self.attempts))?;
        if let Some(wait) = self.retry_after {
            write!(
                f,
                "; it asked to retry in {:.1} s, longer than this client waits",
                wait.as_secs_f64()
            )?;
        }
        write!(f, ": {}", snippet(&self.body))
    }
}

/// A success response whose body does not decode as the spec says.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Vec<u8>,
    /// Why it does not decode.
    pub source: Box<dyn std::error::Error + Send + Sync>,
    /// The server's id for the request, from `x-request-id` or a similar header.
    pub request_id: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl DecodeError {
    /// The error for `body`, answered with `head`, that does not decode (`source`).
    pub(crate) fn new(head: ResponseHead, body: Vec<u8>, source: Box<dyn std::error::Error + Send + Sync>) -> Self {
        let request_id = head.request_id().map(str::to_string);
        let ResponseHead {
            status,
            headers,
            attempts,
        } = head;
        DecodeError {
            status,
            headers,
            body,
            source,
            request_id,
            attempts,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the HTTP {} response body", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        write!(f, ": {}; body: {}", self.source, snippet(&self.body))
    }
}

/// ` after 3 attempts`, or nothing for a single attempt.
fn attempts_text(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// The start of a body for messages: at most 512 characters.
fn snippet(body: &[u8]) -> String {
    const LIMIT: usize = 512;
    let text = String::from_utf8_lossy(body);
    if text.is_empty() {
        return "(empty body)".to_string();
    }
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], body.len()),
        None => text.into_owned(),
    }
}
