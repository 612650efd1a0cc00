//! Errors returned by the client.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// The error body of an operation whose spec documents no error schema. It has no
/// values: such errors keep the raw body only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undocumented {}

/// What can go wrong with a call. `E` is the operation's documented error body.
#[derive(Debug)]
pub enum Error<E = Undocumented> {
    /// An argument cannot be sent as given (for example an empty path parameter); no
    /// request was made.
    InvalidRequest(String),
    /// No usable answer: connection, TLS, timeout, or the body could not be read.
    Transport(reqwest::Error),
    /// The server answered with a status that is not a success. (Boxed, like
    /// `Decode`, to keep `Result`s small.)
    Status(Box<ErrorResponse<E>>),
    /// The server answered with a success status, but the body is not what the spec
    /// says.
    Decode(Box<DecodeError>),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(r) => Some(r.status),
            Error::Decode(d) => Some(d.status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) => None,
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
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Status(r) => write!(f, "{r}"),
            Error::Decode(d) => write!(f, "{d}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode(d) => Some(&*d.source),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        // Credentials may travel in the query string; keep them out of error text.
        let mut e = e;
        if let Some(url) = e.url_mut() {
            url.set_query(None);
        }
        Error::Transport(e)
    }
}

/// A response with a status that is not a success, with everything the server sent.
#[derive(Debug, Clone)]
pub struct ErrorResponse<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Vec<u8>,
    /// The body decoded as the spec documents it for this status, when it is
    /// documented and decodes.
    pub parsed: Option<E>,
}

impl<E> ErrorResponse<E> {
    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl<E> fmt::Display for ErrorResponse<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server answered HTTP {}: {}", self.status, snippet(&self.body))
    }
}

/// A success response whose body does not decode as the spec says.
#[derive(Debug)]
pub struct DecodeError {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Vec<u8>,
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the HTTP {} response body: {}; body: {}",
            self.status,
            self.source,
            snippet(&self.body)
        )
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
