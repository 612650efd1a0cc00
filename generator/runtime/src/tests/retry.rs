//! Unit tests of `retry.rs` and `response.rs`: the retry rules per method class, the
//! waits a server advises, backoff and jitter, request ids.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

use super::{answer, closed_port, http, Reply, Server};
use crate::response::request_id;
use crate::retry::{
    advised_wait, answer_retry_after, is_idempotent, jitter, retry_error, retry_status, RetryPolicy, Safety,
};

/// Header names and values, as a test case gives them.
type Pairs<'a> = &'a [(&'static str, &'static str)];

fn headers(pairs: Pairs) -> HeaderMap {
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
        assert_eq!(
            retry_status(status, &none, Safety::Once),
            code == 429 || code == 503,
            "{code}"
        );
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
    assert_eq!(
        wait(&[("retry-after-ms", "250"), ("retry-after", "9")]),
        Some(Duration::from_millis(250))
    );
    assert_eq!(wait(&[("retry-after", "2")]), Some(Duration::from_secs(2)));
    assert_eq!(wait(&[("retry-after", "1.5")]), Some(Duration::from_millis(1500)));
    assert_eq!(
        wait(&[("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")]),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        wait(&[("retry-after", "Wed, 21 Oct 2015 07:27:00 GMT")]),
        Some(Duration::ZERO)
    );
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
    assert_eq!(
        request_id(&headers(&[("request-id", "b"), ("x-request-id", "a")])),
        Some("a")
    );
    assert_eq!(request_id(&headers(&[("x-amzn-requestid", "c")])), Some("c"));
    assert_eq!(request_id(&HeaderMap::new()), None);
}

#[test]
fn idempotent_methods_are_those_of_rfc_9110() {
    for method in [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::DELETE,
        Method::TRACE,
    ] {
        assert!(is_idempotent(&method), "{method} is idempotent");
    }
    let purge = Method::from_bytes(b"PURGE").expect("an extension method");
    for method in [Method::POST, Method::PATCH, Method::CONNECT, purge] {
        assert!(!is_idempotent(&method), "{method} is not idempotent");
    }
}

#[test]
fn post_without_key_is_retried_only_when_not_processed() {
    let none = HeaderMap::new();
    for code in 100..=599u16 {
        let status = StatusCode::from_u16(code).expect("status");
        let once = retry_status(status, &none, Safety::Once);
        let repeatable = retry_status(status, &none, Safety::Repeatable);
        assert_eq!(once, code == 429 || code == 503, "HTTP {code} for a POST without key");
        assert!(
            !once || repeatable,
            "HTTP {code}: what a POST retries, a PUT retries too"
        );
        assert_eq!(
            repeatable,
            matches!(code, 408 | 409 | 429 | 500 | 502 | 503 | 504),
            "HTTP {code} for a PUT"
        );
    }
}

#[test]
fn x_should_retry_overrides_the_status_rule_for_both_classes() {
    for safety in [Safety::Once, Safety::Repeatable] {
        let yes = headers(&[("x-should-retry", "true")]);
        let no = headers(&[("x-should-retry", "false")]);
        assert!(
            retry_status(StatusCode::INTERNAL_SERVER_ERROR, &yes, safety),
            "{safety:?}: true retries a 500"
        );
        assert!(
            retry_status(StatusCode::NOT_FOUND, &yes, safety),
            "{safety:?}: true retries a 404"
        );
        assert!(
            !retry_status(StatusCode::TOO_MANY_REQUESTS, &no, safety),
            "{safety:?}: false stops a 429"
        );
        // Any other value leaves the status rule in charge.
        for value in ["yes", "1", ""] {
            let other = headers(&[("x-should-retry", value)]);
            assert!(
                retry_status(StatusCode::SERVICE_UNAVAILABLE, &other, safety),
                "{safety:?}: `{value}` on a 503"
            );
            assert!(
                !retry_status(StatusCode::BAD_REQUEST, &other, safety),
                "{safety:?}: `{value}` on a 400"
            );
        }
    }
}

/// The error of a GET sent with `client` to `url`.
async fn error_of(client: reqwest::Client, url: &str) -> reqwest::Error {
    match client.get(url).send().await {
        Ok(response) => panic!("expected an error from {url}, got HTTP {}", response.status()),
        Err(error) => error,
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_method() {
    let url = format!("http://{}/x", closed_port());
    let error = error_of(http().build().expect("client"), &url).await;
    assert!(
        error.is_connect(),
        "connecting to a closed port is a connect error: {error:?}"
    );
    assert!(retry_error(&error, Safety::Repeatable), "a GET is resent after {error}");
    assert!(
        retry_error(&error, Safety::Once),
        "nothing was sent: a POST is resent after {error}"
    );
}

#[tokio::test]
async fn a_timeout_is_retried_only_when_repeatable() {
    let server = Server::start(|_| Reply::Hang);
    let client = http().timeout(Duration::from_millis(200)).build().expect("client");
    let error = error_of(client, &server.url("/slow")).await;
    assert!(error.is_timeout(), "a server that never answers times out: {error:?}");
    assert!(!error.is_connect(), "the connection was made: {error:?}");
    assert!(
        retry_error(&error, Safety::Repeatable),
        "a GET is resent after a timeout"
    );
    assert!(
        !retry_error(&error, Safety::Once),
        "the server may have processed a POST that timed out"
    );
}

#[tokio::test]
async fn a_connection_closed_after_the_request_is_retried_only_when_repeatable() {
    let server = Server::start(|_| Reply::Close);
    let error = error_of(http().build().expect("client"), &server.url("/gone")).await;
    assert!(
        !error.is_connect() && !error.is_timeout(),
        "a closed connection: {error:?}"
    );
    assert!(retry_error(&error, Safety::Repeatable), "a GET is resent after {error}");
    assert!(
        !retry_error(&error, Safety::Once),
        "a POST may have been processed: {error}"
    );
}

#[tokio::test]
async fn builder_and_redirect_errors_are_never_retried() {
    let client = http().build().expect("client");
    let builder = client
        .get("http://[::1")
        .build()
        .expect_err("an unclosed IPv6 host is no URL");
    assert!(builder.is_builder(), "{builder:?}");
    let server = Server::start(|_| answer("302 Found", &[("location", "/elsewhere")], ""));
    let client = http()
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            attempt.error("no redirects here")
        }))
        .build()
        .expect("client");
    let redirect = error_of(client, &server.url("/moved")).await;
    assert!(redirect.is_redirect(), "{redirect:?}");
    for error in [&builder, &redirect] {
        for safety in [Safety::Repeatable, Safety::Once] {
            assert!(!retry_error(error, safety), "{safety:?} after {error}");
        }
    }
}

#[test]
fn custom_backoff_doubles_from_initial_up_to_max() {
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(1000));
    let expected = [
        (0, 100),
        (1, 100),
        (2, 200),
        (3, 400),
        (4, 800),
        (5, 1000),
        (6, 1000),
        (64, 1000),
        (u32::MAX, 1000),
    ];
    for (retry, millis) in expected {
        assert_eq!(
            policy.backoff(retry, 0.0),
            Duration::from_millis(millis),
            "retry {retry} without jitter"
        );
    }
    let zero = RetryPolicy::default().initial_backoff(Duration::ZERO);
    assert_eq!(zero.backoff(3, 0.5), Duration::ZERO, "no initial wait, no wait");
    let inverted = RetryPolicy::default()
        .initial_backoff(Duration::from_secs(30))
        .max_backoff(Duration::from_secs(2));
    assert_eq!(
        inverted.backoff(1, 0.0),
        Duration::from_secs(2),
        "the initial wait is capped too"
    );
    let unbounded = RetryPolicy::default()
        .initial_backoff(Duration::from_secs(1))
        .max_backoff(Duration::MAX);
    assert_eq!(
        unbounded.backoff(11, 0.0),
        Duration::from_secs(1024),
        "retry 11 with no cap"
    );
    assert!(
        unbounded.backoff(u32::MAX, 0.0) > Duration::from_secs(1 << 60),
        "a huge wait saturates, no panic"
    );
}

#[test]
fn jitter_is_clamped_to_0_through_1() {
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(400));
    for (jitter, millis) in [
        (-1.0, 400),
        (0.0, 400),
        (0.5, 350),
        (1.0, 300),
        (2.0, 300),
        (f64::INFINITY, 300),
    ] {
        assert_eq!(
            policy.backoff(1, jitter),
            Duration::from_millis(millis),
            "jitter {jitter}"
        );
    }
    assert_eq!(
        policy.backoff(1, f64::NAN),
        policy.backoff(1, f64::NAN),
        "NaN jitter does not panic"
    );
}

#[test]
fn jittered_backoff_stays_between_three_quarters_and_max() {
    for (initial, max) in [(1u64, 1u64), (10, 10_000), (500, 8000), (250, 333), (7, 5)] {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(initial))
            .max_backoff(Duration::from_millis(max));
        for retry in 1..=70 {
            let full = policy.backoff(retry, 0.0);
            assert!(
                full <= Duration::from_millis(max),
                "{initial}ms/{max}ms, retry {retry}: {full:?}"
            );
            let samples = (0..=20).map(|i| f64::from(i) / 20.0).chain((0..20).map(|_| jitter()));
            for j in samples {
                let wait = policy.backoff(retry, j);
                let floor = full.as_secs_f64() * 0.75 - 1e-9;
                assert!(
                    wait <= full && wait.as_secs_f64() >= floor,
                    "{initial}ms/{max}ms, retry {retry}, jitter {j}: {wait:?} not in 75%..100% of {full:?}"
                );
            }
        }
    }
}

#[test]
fn jitter_is_in_0_to_1_and_varies() {
    let samples: Vec<f64> = (0..1000).map(|_| jitter()).collect();
    for j in &samples {
        assert!((0.0..1.0).contains(j), "jitter {j}");
    }
    let low = samples.iter().filter(|j| **j < 0.5).count();
    assert!((100..900).contains(&low), "{low} of 1000 samples below 0.5");
}

#[test]
fn retry_after_forms_a_server_may_send() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
    let wait = |pairs: &[(&'static str, &'static str)]| advised_wait(&headers(pairs), now);
    let cases: &[(Pairs, Option<Duration>)] = &[
        (&[("retry-after", "0")], Some(Duration::ZERO)),
        (&[("retry-after", " 3 ")], Some(Duration::from_secs(3))),
        (&[("retry-after", "0.25")], Some(Duration::from_millis(250))),
        (&[("retry-after", "99999999999999999999999")], Some(Duration::MAX)),
        (&[("retry-after", "inf")], None),
        (&[("retry-after", "NaN")], None),
        (&[("retry-after", "-0.5")], None),
        (&[("retry-after", "")], None),
        (
            &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
            Some(Duration::ZERO),
        ),
        (
            &[("retry-after", "Wed, 21 Oct 2015 08:28:00 GMT")],
            Some(Duration::from_secs(3600)),
        ),
        (
            &[("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT")],
            Some(Duration::ZERO),
        ),
        (&[("retry-after", "Wed, 21 Oct 2015 99:99:99 GMT")], None),
        (&[("retry-after-ms", "1.5")], Some(Duration::from_micros(1500))),
        (&[("retry-after-ms", "0")], Some(Duration::ZERO)),
        (&[("retry-after-ms", "1e30")], Some(Duration::MAX)),
        (
            &[
                ("retry-after-ms", "3000"),
                ("retry-after", "Wed, 21 Oct 2015 08:28:00 GMT"),
            ],
            Some(Duration::from_secs(3)),
        ),
        // A retry-after-ms that is no number leaves Retry-After in charge.
        (
            &[("retry-after-ms", "soon"), ("retry-after", "4")],
            Some(Duration::from_secs(4)),
        ),
        (
            &[("retry-after-ms", "-100"), ("retry-after", "4")],
            Some(Duration::from_secs(4)),
        ),
        (&[("retry-after-ms", "-100")], None),
    ];
    for (pairs, expected) in cases {
        assert_eq!(wait(pairs), *expected, "{pairs:?}");
    }
}

#[test]
fn retry_after_accepts_obsolete_http_dates() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
    for date in ["Wednesday, 21-Oct-15 07:28:30 GMT", "Wed Oct 21 07:28:30 2015"] {
        let mut map = HeaderMap::new();
        map.insert("retry-after", HeaderValue::from_static(date));
        assert_eq!(advised_wait(&map, now), Some(Duration::from_secs(30)), "{date}");
    }
}

#[test]
fn an_error_keeps_only_the_advice_the_policy_would_not_sleep() {
    let default = RetryPolicy::default();
    let short = RetryPolicy::default().max_retry_after(Duration::from_secs(1));
    let cases: &[(Pairs, &RetryPolicy, Option<Duration>)] = &[
        (&[], &default, None),
        (&[("retry-after", "5")], &default, None),
        (&[("retry-after", "60")], &default, None),
        (&[("retry-after", "61")], &default, Some(Duration::from_secs(61))),
        (&[("retry-after", "2")], &short, Some(Duration::from_secs(2))),
        (&[("retry-after", "1")], &short, None),
        (&[("retry-after-ms", "1500")], &short, Some(Duration::from_millis(1500))),
        (&[("retry-after", "garbage")], &short, None),
        (&[("retry-after", "Thu, 01 Jan 2015 00:00:00 GMT")], &short, None),
    ];
    for (pairs, policy, expected) in cases {
        assert_eq!(
            answer_retry_after(&headers(pairs), policy),
            *expected,
            "{pairs:?} with {policy:?}"
        );
    }
    let future = headers(&[("retry-after", "Fri, 01 Jan 2100 00:00:00 GMT")]);
    let kept = answer_retry_after(&future, &default).expect("a wait until 2100 is kept");
    assert!(kept > Duration::from_secs(365 * 24 * 3600), "{kept:?}");
}
