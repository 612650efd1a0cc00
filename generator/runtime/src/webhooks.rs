//! Receiving the requests an API sends to you (OpenAPI 3.1 `webhooks`, and callbacks):
//! checking that a request is signed by the API ([`WebhookVerifier`]) before its body is
//! decoded into the client's `WebhookEvent` enum.
//!
//! Two signature schemes:
//!
//! - [Standard Webhooks](https://www.standardwebhooks.com) (OpenAI, Svix and others):
//!   the headers `webhook-id`, `webhook-timestamp` and `webhook-signature`; the
//!   signature is HMAC-SHA256 over `{id}.{timestamp}.{body}`, base64, prefixed `v1,`,
//!   and the header may hold several space-separated signatures (during a secret
//!   rotation), of which one must match. The secret is base64, usually prefixed
//!   `whsec_`. The timestamp must be within a tolerance of now (5 minutes unless set),
//!   which stops a recorded request from being replayed later.
//! - An HMAC of the body alone in one header, as GitHub's `X-Hub-Signature-256:
//!   sha256=<hex>` ([`WebhookVerifier::hmac_sha256`], [`WebhookVerifier::github`]).
//!   Such a header carries no timestamp, so there is no replay window to check.
//!
//! HMAC-SHA256 and its constant-time check are `ring`'s (`ring::hmac::verify`), the
//! crypto library rustls already uses for the client's TLS: verifying webhooks adds no
//! crate to the client. Every check refuses a body larger than the cap
//! ([`DEFAULT_MAX_WEBHOOK_BODY`] unless set) before any work on it.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::hmac;

use super::files::Base64;

/// How far `webhook-timestamp` may be from now, either way, unless
/// [`WebhookVerifier::tolerance`] says otherwise: 5 minutes, the value of the
/// Standard Webhooks libraries.
pub const DEFAULT_WEBHOOK_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The largest body a [`WebhookVerifier`] accepts unless
/// [`WebhookVerifier::max_body`] says otherwise: 1 MiB.
pub const DEFAULT_MAX_WEBHOOK_BODY: usize = 1024 * 1024;

/// The headers of a received request, as any HTTP server library gives them.
///
/// Implemented for `http::HeaderMap` (re-exported as `reqwest::header::HeaderMap`:
/// the map axum, hyper, warp and tonic hand you), and for plain lists and maps of
/// name and value (`[(&str, &str)]`, `Vec<(String, String)>`, `HashMap`, `BTreeMap`),
/// whose names are compared without regard to case.
pub trait WebhookHeaders {
    /// The value of the header `name` (given in lower case), if it is present and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl WebhookHeaders for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> WebhookHeaders for std::collections::HashMap<K, V, S> {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for std::collections::BTreeMap<K, V> {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

/// Why a received webhook was refused. None of them shows a secret or a signature.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is larger than the verifier's cap ([`WebhookVerifier::max_body`]).
    BodyTooLarge {
        /// The size of the body received.
        size: usize,
        /// The cap.
        limit: usize,
    },
    /// A header the scheme needs is not there (or is not text).
    MissingHeader(String),
    /// A header is there but cannot be read (a timestamp that is not a number, a
    /// signature with no `v1,` entry, a digest that is not hex).
    InvalidHeader {
        /// The header.
        header: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `webhook-timestamp` is further from now than the tolerance: a replayed or
    /// delayed request, or a wrong clock.
    Timestamp {
        /// The timestamp sent (seconds since the Unix epoch).
        timestamp: i64,
        /// Now, by this machine's clock (seconds since the Unix epoch).
        now: i64,
        /// The tolerance, in seconds.
        tolerance: u64,
    },
    /// No signature in the request is the one the secret gives for this body.
    SignatureMismatch,
    /// The secret given to the verifier is not usable (empty, or not base64 for
    /// Standard Webhooks).
    InvalidSecret(String),
    /// The body is signed correctly but does not decode as the event the spec
    /// describes.
    Decode {
        /// The webhook (or callback) it was decoded as, or `body` before one was chosen.
        event: String,
        /// What serde said.
        source: serde_json::Error,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::BodyTooLarge { size, limit } => {
                write!(f, "webhook body of {size} bytes is over the limit of {limit} bytes")
            }
            WebhookError::MissingHeader(name) => write!(f, "webhook header `{name}` is missing"),
            WebhookError::InvalidHeader { header, reason } => {
                write!(f, "webhook header `{header}` is invalid: {reason}")
            }
            WebhookError::Timestamp {
                timestamp,
                now,
                tolerance,
            } => write!(
                f,
                "webhook timestamp {timestamp} is {} s from now ({now}), over the tolerance of {tolerance} s",
                timestamp.abs_diff(*now)
            ),
            WebhookError::SignatureMismatch => f.write_str("no webhook signature matches the body and the secret"),
            WebhookError::InvalidSecret(reason) => write!(f, "webhook secret unusable: {reason}"),
            WebhookError::Decode { event, source } => {
                write!(f, "webhook `{event}` does not decode: {source}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[derive(Clone)]
enum Scheme {
    Standard,
    BodyHmac {
        /// Lower case.
        header: String,
        prefix: String,
    },
}

/// Checks that a received webhook comes from the API: its signature, its timestamp
/// (Standard Webhooks) and its size. Build one per endpoint secret and share it.
///
/// ```no_run
/// use std::time::Duration;
/// use __crate__::WebhookVerifier;
///
/// # fn run(headers: &__crate__::reqwest::header::HeaderMap, body: &[u8]) -> Result<(), __crate__::WebhookError> {
/// // Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
/// let verifier = WebhookVerifier::standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?
///     .tolerance(Duration::from_secs(60))
///     .max_body(256 * 1024);
/// verifier.verify(headers, body)?;
///
/// // GitHub's `X-Hub-Signature-256: sha256=<hex>`.
/// let github = WebhookVerifier::github("It's a Secret to Everybody");
/// github.verify(headers, body)?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    scheme: Scheme,
    key: hmac::Key,
    tolerance: Duration,
    max_body: usize,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match &self.scheme {
            Scheme::Standard => "standard-webhooks".to_string(),
            Scheme::BodyHmac { header, prefix } => format!("hmac-sha256 `{header}: {prefix}<hex>`"),
        };
        f.debug_struct("WebhookVerifier")
            .field("scheme", &scheme)
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .field("max_body", &self.max_body)
            .finish()
    }
}

/// The Standard Webhooks headers.
const ID: &str = "webhook-id";
const TIMESTAMP: &str = "webhook-timestamp";
const SIGNATURE: &str = "webhook-signature";

impl WebhookVerifier {
    /// A verifier for [Standard Webhooks](https://www.standardwebhooks.com) with the
    /// endpoint's secret: base64, with or without its `whsec_` prefix (padding
    /// optional). An empty or non-base64 secret is an error.
    pub fn standard(secret: &str) -> Result<WebhookVerifier, WebhookError> {
        let text = secret.trim();
        let text = text.strip_prefix("whsec_").unwrap_or(text);
        let key = Base64::decode(text).map_err(|e| WebhookError::InvalidSecret(format!("not base64 ({e})")))?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret("empty".to_string()));
        }
        Ok(WebhookVerifier::new(Scheme::Standard, &key))
    }

    /// A verifier for an HMAC-SHA256 of the body, as lower- or upper-case hex after
    /// `prefix`, in the header `header` (GitHub: `X-Hub-Signature-256` and `sha256=`).
    /// The secret is used as its bytes (no decoding). There is no timestamp to check.
    pub fn hmac_sha256(header: &str, prefix: &str, secret: impl AsRef<[u8]>) -> WebhookVerifier {
        let scheme = Scheme::BodyHmac {
            header: header.to_ascii_lowercase(),
            prefix: prefix.to_string(),
        };
        WebhookVerifier::new(scheme, secret.as_ref())
    }

    /// GitHub's `X-Hub-Signature-256: sha256=<hex>`, with the webhook's secret.
    pub fn github(secret: impl AsRef<[u8]>) -> WebhookVerifier {
        WebhookVerifier::hmac_sha256("x-hub-signature-256", "sha256=", secret)
    }

    fn new(scheme: Scheme, key: &[u8]) -> WebhookVerifier {
        WebhookVerifier {
            scheme,
            key: hmac::Key::new(hmac::HMAC_SHA256, key),
            tolerance: DEFAULT_WEBHOOK_TOLERANCE,
            max_body: DEFAULT_MAX_WEBHOOK_BODY,
        }
    }

    /// How far `webhook-timestamp` may be from now, before or after
    /// ([`DEFAULT_WEBHOOK_TOLERANCE`] unless set).
    pub fn tolerance(mut self, tolerance: Duration) -> WebhookVerifier {
        self.tolerance = tolerance;
        self
    }

    /// The largest body accepted, in bytes ([`DEFAULT_MAX_WEBHOOK_BODY`] unless set).
    /// Servers should cap what they read to the same size.
    pub fn max_body(mut self, bytes: usize) -> WebhookVerifier {
        self.max_body = bytes;
        self
    }

    /// Checks a received request by this machine's clock: `Ok` when the body is within
    /// the cap, a signature matches, and (Standard Webhooks) the timestamp is within
    /// the tolerance.
    pub fn verify<H: WebhookHeaders + ?Sized>(&self, headers: &H, body: &[u8]) -> Result<(), WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`verify`](Self::verify), with `now` as the time.
    pub fn verify_at<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        if body.len() > self.max_body {
            return Err(WebhookError::BodyTooLarge {
                size: body.len(),
                limit: self.max_body,
            });
        }
        match &self.scheme {
            Scheme::Standard => self.verify_standard(headers, body, now),
            Scheme::BodyHmac { header, prefix } => {
                let value = headers
                    .header(header)
                    .ok_or_else(|| WebhookError::MissingHeader(header.clone()))?;
                let invalid = |reason: &str| WebhookError::InvalidHeader {
                    header: header.clone(),
                    reason: reason.to_string(),
                };
                let digest = value
                    .trim()
                    .strip_prefix(prefix.as_str())
                    .ok_or_else(|| invalid(&format!("does not start with `{prefix}`")))?;
                let tag = hex_decode(digest).ok_or_else(|| invalid("not hex"))?;
                hmac::verify(&self.key, body, &tag).map_err(|_| WebhookError::SignatureMismatch)
            }
        }
    }

    fn verify_standard<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = headers
            .header(ID)
            .ok_or_else(|| WebhookError::MissingHeader(ID.to_string()))?;
        let timestamp = headers
            .header(TIMESTAMP)
            .ok_or_else(|| WebhookError::MissingHeader(TIMESTAMP.to_string()))?;
        let signatures = headers
            .header(SIGNATURE)
            .ok_or_else(|| WebhookError::MissingHeader(SIGNATURE.to_string()))?;
        let seconds: i64 = timestamp.trim().parse().map_err(|_| WebhookError::InvalidHeader {
            header: TIMESTAMP.to_string(),
            reason: "not a whole number of seconds".to_string(),
        })?;
        let now = unix_seconds(now);
        if seconds.abs_diff(now) > self.tolerance.as_secs() {
            return Err(WebhookError::Timestamp {
                timestamp: seconds,
                now,
                tolerance: self.tolerance.as_secs(),
            });
        }
        let signed = signed_content(id, timestamp.trim(), body);
        let mut any_v1 = false;
        for entry in signatures.split(' ').filter(|s| !s.is_empty()) {
            // Other versions (`v1a`, asymmetric) are not ours to check: skipped.
            let Some(encoded) = entry.strip_prefix("v1,") else {
                continue;
            };
            any_v1 = true;
            let Ok(tag) = Base64::decode(encoded) else {
                continue;
            };
            if hmac::verify(&self.key, &signed, &tag).is_ok() {
                return Ok(());
            }
        }
        if any_v1 {
            Err(WebhookError::SignatureMismatch)
        } else {
            Err(WebhookError::InvalidHeader {
                header: SIGNATURE.to_string(),
                reason: "no `v1,` signature".to_string(),
            })
        }
    }

    /// The signature header value this verifier expects for a body: for Standard
    /// Webhooks `v1,<base64>` over `id`, `timestamp` (seconds) and `body`; for an HMAC
    /// header the prefix and the hex digest (`id` and `timestamp` unused). For tests of
    /// your own webhook handler, and for sending signed requests.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        match &self.scheme {
            Scheme::Standard => {
                let signed = signed_content(id, &timestamp.to_string(), body);
                let tag = hmac::sign(&self.key, &signed);
                format!("v1,{}", Base64(tag.as_ref().to_vec()).encode())
            }
            Scheme::BodyHmac { prefix, .. } => {
                let tag = hmac::sign(&self.key, body);
                let mut out = prefix.clone();
                for byte in tag.as_ref() {
                    out.push_str(&format!("{byte:02x}"));
                }
                out
            }
        }
    }

    /// The name of the header that carries the signature (`webhook-signature`, or the
    /// HMAC header in lower case).
    pub fn signature_header(&self) -> &str {
        match &self.scheme {
            Scheme::Standard => SIGNATURE,
            Scheme::BodyHmac { header, .. } => header,
        }
    }
}

/// `{id}.{timestamp}.{body}`.
fn signed_content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut signed = Vec::with_capacity(id.len() + timestamp.len() + body.len() + 2);
    signed.extend_from_slice(id.as_bytes());
    signed.push(b'.');
    signed.extend_from_slice(timestamp.as_bytes());
    signed.push(b'.');
    signed.extend_from_slice(body);
    signed
}

fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let pairs = text.trim().as_bytes().chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    pairs
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

/// Decodes a webhook body as `T`, for the generated `WebhookEvent` decoders: a failure
/// names the webhook.
pub(crate) fn decode_webhook<T: serde::de::DeserializeOwned>(event: &str, body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(|source| WebhookError::Decode {
        event: event.to_string(),
        source,
    })
}
