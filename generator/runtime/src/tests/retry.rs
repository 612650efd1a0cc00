//! Unit tests of `retry.rs` and `response.rs`: the retry rules per method class, the
//! waits a server advises, backoff and jitter, request ids.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;

use crate::response::request_id;
use crate::retry::{advised_wait, jitter, retry_status, RetryPolicy, Safety};

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
