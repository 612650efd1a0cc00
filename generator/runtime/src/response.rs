//! What a server said besides the body: the [`ResponseHead`] that a decoded
//! [`Response`], an event stream, a byte stream and a page all carry, with the same
//! accessors on each.

use reqwest::header::{HeaderMap, HeaderName};
use reqwest::StatusCode;

/// The head of an answer: status, headers, the server's request id, and how many
/// attempts the call took.
#[derive(Debug, Clone)]
pub struct ResponseHead {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) attempts: u32,
}

impl ResponseHead {
    /// The head of an answer with these status and headers, after `attempts` attempts;
    /// the request id is read from the headers when asked for.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, attempts: u32) -> Self {
        ResponseHead {
            status,
            headers,
            attempts,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for this request, from the first of `x-request-id`,
    /// `request-id`, `x-amzn-requestid`, `x-amz-request-id` and `x-correlation-id`
    /// that it sent.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// How many times the request was sent (1 unless it was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// The server's id for the request, from the first header of the usual names.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    // Constants, so that the names are not parsed again for every answer.
    const NAMES: [HeaderName; 5] = [
        HeaderName::from_static("x-request-id"),
        HeaderName::from_static("request-id"),
        HeaderName::from_static("x-amzn-requestid"),
        HeaderName::from_static("x-amz-request-id"),
        HeaderName::from_static("x-correlation-id"),
    ];
    NAMES.iter().find_map(|name| headers.get(name)?.to_str().ok())
}

/// The [`ResponseHead`] accessors, written once for every type that carries a head in
/// the field named here: `head()`, and `status()`, `headers()`, `request_id()` and
/// `attempts()` straight on the type, as users reach for them.
macro_rules! head_accessors {
    ($head:ident) => {
        /// The status, headers, request id and attempt count, together.
        pub fn head(&self) -> &super::response::ResponseHead {
            &self.$head
        }

        /// The HTTP status.
        pub fn status(&self) -> reqwest::StatusCode {
            self.$head.status()
        }

        /// The response headers.
        pub fn headers(&self) -> &reqwest::header::HeaderMap {
            self.$head.headers()
        }

        /// The server's id for this request (see [`ResponseHead::request_id`](super::ResponseHead::request_id)).
        pub fn request_id(&self) -> Option<&str> {
            self.$head.request_id()
        }

        /// How many times the request was sent (1 unless it was retried).
        pub fn attempts(&self) -> u32 {
            self.$head.attempts()
        }
    };
}
pub(crate) use head_accessors;

/// A decoded success with what else the server said ([`ResponseHead`]), the URL that
/// answered, and the body as received. Dereferences to the value.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    head: ResponseHead,
    url: reqwest::Url,
    /// The body the value was decoded from (shared, not copied).
    body: bytes::Bytes,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, head: ResponseHead, url: reqwest::Url, body: bytes::Bytes) -> Self {
        Response { value, head, url, body }
    }

    /// The body exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }

    /// The whole body as JSON, fields the spec does not declare included: for a field
    /// the API sends before the spec documents it.
    ///
    /// ```no_run
    /// # async fn example(call: __crate__::Call<serde_json::Value>) -> Result<(), Box<dyn std::error::Error>> {
    /// let response = call.with_response().await?;
    /// let json = response.json()?;
    /// println!("{:?}", json.get("field_the_spec_lacks"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    head_accessors!(head);

    /// The URL that answered (after redirects).
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, by value.
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
