//! Unit tests of `send.rs`: how a request is prepared for its attempts, and which
//! retry class (`Safety`) its method and idempotency key put it in.

use std::time::Duration;

use reqwest::header::HeaderName;
use reqwest::Method;

use super::http;
use crate::call::Operation;
use crate::client_core::Transport;
use crate::error::Error;
use crate::options::{Hooks, RequestOptions};
use crate::retry::{RetryPolicy, Safety};
use crate::send::{attempt_timeout, prepare, Read};

static PLAIN: Operation = Operation {
    id: "op",
    method: "ANY",
    path: "/x",
    idempotency_header: None,
};
static DECLARED: Operation = Operation {
    id: "op",
    method: "ANY",
    path: "/x",
    idempotency_header: Some("x-idem"),
};

fn transport(idempotency_header: Option<&'static str>) -> Transport {
    let http = http().build().expect("client");
    Transport {
        streaming: http.clone(),
        http,
        own_timeout: None,
        policy: RetryPolicy::default(),
        timeout: Some(Duration::from_secs(60)),
        idempotency_header: idempotency_header.map(HeaderName::from_static),
        hooks: Hooks::default(),
        defaults: RequestOptions::default(),
    }
}

/// The prepared request and its class, for `method` with these settings.
fn prepared(
    method: Method,
    transport: &Transport,
    operation: &Operation,
    options: &RequestOptions,
) -> (reqwest::Request, Safety) {
    let builder = transport.http.request(method.clone(), "http://127.0.0.1/x?a=1");
    let result: Result<_, Error> = prepare(builder, None, transport, operation, options);
    result.unwrap_or_else(|e| panic!("{method} prepares: {e}"))
}

const REPEATABLE: [Method; 6] = [
    Method::GET,
    Method::HEAD,
    Method::OPTIONS,
    Method::PUT,
    Method::DELETE,
    Method::TRACE,
];

#[test]
fn idempotent_methods_are_repeatable_and_post_and_patch_are_sent_once() {
    let plain = transport(None);
    let none = RequestOptions::new();
    for method in REPEATABLE {
        assert_eq!(
            prepared(method.clone(), &plain, &PLAIN, &none).1,
            Safety::Repeatable,
            "{method}"
        );
    }
    for method in [Method::POST, Method::PATCH] {
        let (request, safety) = prepared(method.clone(), &plain, &PLAIN, &none);
        assert_eq!(safety, Safety::Once, "{method} without a key");
        assert!(
            request.headers().get("idempotency-key").is_none(),
            "{method}: no key is made unasked"
        );
    }
}

#[test]
fn a_key_given_on_the_call_makes_post_repeatable() {
    let options = RequestOptions::new().idempotency_key("key-1");
    for (transport, header) in [
        (transport(None), "idempotency-key"),
        (transport(Some("x-client-key")), "x-client-key"),
    ] {
        for method in [Method::POST, Method::PATCH] {
            let (request, safety) = prepared(method.clone(), &transport, &PLAIN, &options);
            assert_eq!(safety, Safety::Repeatable, "{method} with a key");
            assert_eq!(
                request.headers().get(header).and_then(|v| v.to_str().ok()),
                Some("key-1"),
                "{method}: {header}"
            );
        }
    }
}

#[test]
fn a_client_idempotency_header_gives_post_and_patch_a_fresh_key() {
    let keyed = transport(Some("idempotency-key"));
    let none = RequestOptions::new();
    let mut keys = Vec::new();
    for method in [Method::POST, Method::PATCH, Method::POST] {
        let (request, safety) = prepared(method.clone(), &keyed, &PLAIN, &none);
        assert_eq!(safety, Safety::Repeatable, "{method} with a generated key");
        let key = request
            .headers()
            .get("idempotency-key")
            .expect("a generated key")
            .to_str()
            .expect("text");
        assert_eq!(key.len(), 36, "a UUID: {key}");
        keys.push(key.to_string());
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 3, "a new key per call: {keys:?}");
    let (request, safety) = prepared(Method::GET, &keyed, &PLAIN, &none);
    assert_eq!(safety, Safety::Repeatable);
    assert!(request.headers().get("idempotency-key").is_none(), "a GET needs no key");
}

#[test]
fn a_header_the_spec_declares_gets_a_key_for_every_method() {
    let plain = transport(Some("idempotency-key"));
    let none = RequestOptions::new();
    for method in [Method::GET, Method::POST, Method::PATCH] {
        let (request, safety) = prepared(method.clone(), &plain, &DECLARED, &none);
        assert_eq!(safety, Safety::Repeatable, "{method}");
        assert!(
            request.headers().get("x-idem").is_some(),
            "{method}: the declared header carries a key"
        );
        assert!(
            request.headers().get("idempotency-key").is_none(),
            "{method}: the declared header wins"
        );
    }
}

#[test]
fn a_key_header_the_caller_sets_is_kept_and_counts() {
    let options = RequestOptions::new().header("Idempotency-Key", "mine");
    for transport in [transport(None), transport(Some("idempotency-key"))] {
        let (request, safety) = prepared(Method::POST, &transport, &PLAIN, &options);
        assert_eq!(safety, Safety::Repeatable);
        let keys: Vec<_> = request.headers().get_all("idempotency-key").iter().collect();
        assert_eq!(keys, ["mine"], "the caller's key, alone");
    }
}

#[test]
fn options_add_headers_and_query_pairs_and_bound_each_attempt() {
    let plain = transport(None);
    let options = RequestOptions::new()
        .header("x-a", "1")
        .header("x-a", "2")
        .query("b", "2 3");
    let (request, _) = prepared(Method::GET, &plain, &PLAIN, &options);
    assert_eq!(request.url().query(), Some("a=1&b=2+3"));
    let values: Vec<_> = request.headers().get_all("x-a").iter().collect();
    assert_eq!(values, ["1", "2"]);
    let timeout = |options: &RequestOptions, mode| attempt_timeout(&plain, options, mode);
    let own = RequestOptions::new().timeout(Duration::from_secs(2));
    let none = RequestOptions::new().timeout(None);
    assert_eq!(
        timeout(&options, Read::Whole),
        Some(Duration::from_secs(60)),
        "the client's timeout"
    );
    assert_eq!(
        timeout(&own, Read::Whole),
        Some(Duration::from_secs(2)),
        "the call's timeout"
    );
    assert_eq!(timeout(&none, Read::Whole), None, "no timeout");
    // A stream is bounded as a whole only by a timeout of the call's own.
    assert_eq!(
        timeout(&options, Read::Streamed),
        None,
        "streamed: the client's bounds each wait"
    );
    assert_eq!(
        timeout(&own, Read::Streamed),
        Some(Duration::from_secs(2)),
        "streamed: the call's"
    );
    for options in [
        RequestOptions::new().header("bad name", "v"),
        RequestOptions::new().header("x-ok", "a\nb"),
    ] {
        let builder = plain.http.get("http://127.0.0.1/x");
        let result: Result<_, Error> = prepare(builder, None, &plain, &PLAIN, &options);
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "{options:?}");
    }
}

#[test]
fn a_next_page_url_keeps_the_query_pairs_it_does_not_name() {
    let plain = transport(None);
    let builder = plain.http.get("http://127.0.0.1/v1/items?api_key=k&limit=10");
    let next = reqwest::Url::parse("http://127.0.0.1/v1/items?page=2&limit=20").expect("a URL");
    let result: Result<_, Error> = prepare(
        builder,
        Some(next),
        &plain,
        &PLAIN,
        &RequestOptions::new().query("o", "1"),
    );
    let (request, _) = result.expect("prepares");
    assert_eq!(
        request.url().as_str(),
        "http://127.0.0.1/v1/items?page=2&limit=20&api_key=k&o=1"
    );
}
