//! When a failed attempt is tried again, and after how long: the [`RetryPolicy`] users
//! set, and the rules it applies per method class and answer.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

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

    /// The most retries after the first attempt.
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

/// Methods that mean the same when repeated (RFC 9110, 9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Whether a request of this method, with or without an idempotency key, may be sent
/// again after this failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Idempotent method or idempotency key: every retryable failure is retried.
    Repeatable,
    /// POST or PATCH without a key: only when the server cannot have processed it.
    Once,
}

/// The rule for an answer: retry or not.
pub(crate) fn retry_status(status: StatusCode, headers: &HeaderMap, safety: Safety) -> bool {
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
pub(crate) fn retry_error(error: &reqwest::Error, safety: Safety) -> bool {
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
pub(crate) fn advised_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let seconds = |secs: f64| {
        (secs.is_finite() && secs >= 0.0).then(|| Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
    };
    if let Some(ms) = text("retry-after-ms")
        .and_then(|t| t.parse::<f64>().ok())
        .and_then(|ms| seconds(ms / 1000.0))
    {
        return Some(ms);
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return seconds(secs);
    }
    let at = u64::try_from(http_date(value)?.timestamp()).ok()?;
    let at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(at))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An HTTP date in any of the three forms RFC 9110 (5.6.7) says a recipient must read:
/// `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete `Sunday, 06-Nov-94 08:49:37 GMT`, and
/// C's `asctime` form `Sun Nov  6 08:49:37 1994`; all are UTC.
fn http_date(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(date) = chrono::DateTime::parse_from_rfc2822(value) {
        return Some(date.with_timezone(&chrono::Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}

/// The advice kept on an error answer: only a wait the policy refused to sleep.
pub(crate) fn answer_retry_after(headers: &HeaderMap, policy: &RetryPolicy) -> Option<Duration> {
    advised_wait(headers, SystemTime::now()).filter(|wait| *wait > policy.retry_after_cap())
}

/// A number in `0..1` for jitter; `RandomState` is seeded by the OS and differs per
/// call, which is all jitter needs.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
