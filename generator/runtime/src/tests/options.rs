//! Unit tests of `options.rs`: how a call's options combine with the client's.

use std::time::Duration;

use crate::options::RequestOptions;

fn pairs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[test]
fn what_the_call_sets_wins_and_headers_and_query_add_up() {
    let client = RequestOptions::new()
        .timeout(Duration::from_secs(5))
        .max_retries(4)
        .idempotency_key("client-key")
        .header("x-tenant", "acme")
        .query("v", "1");
    let call = RequestOptions::new()
        .timeout(Duration::from_secs(1))
        .max_retries(0)
        .idempotency_key("call-key")
        .header("x-tenant", "other")
        .query("v", "2");
    let merged = client.merged(&call);
    assert_eq!(merged.timeout, Some(Some(Duration::from_secs(1))));
    assert_eq!(merged.max_retries, Some(0), "0 set on the call is not `unset`");
    assert_eq!(merged.idempotency_key.as_deref(), Some("call-key"));
    assert_eq!(
        pairs(&merged.headers),
        [("x-tenant", "acme"), ("x-tenant", "other")],
        "the client's, then the call's"
    );
    assert_eq!(pairs(&merged.query), [("v", "1"), ("v", "2")]);
}

#[test]
fn what_the_call_leaves_unset_comes_from_the_client() {
    let client = RequestOptions::new()
        .timeout(Duration::from_secs(5))
        .max_retries(4)
        .idempotency_key("k")
        .header("a", "1");
    let merged = client.merged(&RequestOptions::new());
    assert_eq!(merged.timeout, Some(Some(Duration::from_secs(5))));
    assert_eq!(merged.max_retries, Some(4));
    assert_eq!(merged.idempotency_key.as_deref(), Some("k"));
    assert_eq!(pairs(&merged.headers), [("a", "1")]);
    let empty = RequestOptions::new().merged(&RequestOptions::new());
    assert_eq!(
        format!("{empty:?}"),
        format!("{:?}", RequestOptions::new()),
        "nothing and nothing is nothing"
    );
}

#[test]
fn a_call_may_lift_the_clients_timeout() {
    let client = RequestOptions::new().timeout(Duration::from_secs(5));
    let merged = client.merged(&RequestOptions::new().timeout(None));
    assert_eq!(merged.timeout, Some(None), "`timeout(None)` on the call waits forever");
    let merged = RequestOptions::new().timeout(None).merged(&RequestOptions::new());
    assert_eq!(merged.timeout, Some(None));
}

#[test]
fn merging_is_associative_as_layers_stack() {
    let a = RequestOptions::new().max_retries(1).header("h", "a").query("q", "a");
    let b = RequestOptions::new().idempotency_key("b").header("h", "b");
    let c = RequestOptions::new().max_retries(3).query("q", "c");
    let left = a.merged(&b).merged(&c);
    let right = a.merged(&b.merged(&c));
    assert_eq!(format!("{left:?}"), format!("{right:?}"));
    assert_eq!(pairs(&left.headers), pairs(&right.headers));
    assert_eq!(pairs(&left.query), [("q", "a"), ("q", "c")]);
    assert_eq!(left.max_retries, Some(3));
}

#[test]
fn debug_output_names_headers_and_query_pairs_but_not_their_values() {
    let options = RequestOptions::new()
        .header("authorization", "Bearer s3cret")
        .query("api_key", "k3y");
    let debug = format!("{options:?}");
    assert!(!debug.contains("s3cret") && !debug.contains("k3y"), "{debug}");
    assert!(debug.contains("authorization") && debug.contains("api_key"), "{debug}");
}

#[test]
fn options_are_put_on_the_built_request() {
    let built = || {
        super::http()
            .build()
            .expect("a client")
            .get("http://127.0.0.1/items?page=2")
            .header("x-own", "1")
            .build()
            .expect("a request")
    };
    let mut request = built();
    let options = RequestOptions::new()
        .header("x-tenant", "acme")
        .header("x-own", "2")
        .query("v", "1");
    options.apply::<()>(&mut request).expect("applies");
    assert_eq!(
        request.url().query(),
        Some("page=2&v=1"),
        "query pairs go after the request's own"
    );
    let own: Vec<_> = request.headers().get_all("x-own").iter().collect();
    assert_eq!(own, ["1", "2"], "headers are added, not replaced");
    assert_eq!(request.headers()["x-tenant"], "acme");
    // The timeout is the request path's (`send::attempt_timeout`).
    assert_eq!(request.timeout(), None, "no timeout is put here");

    let mut request = built();
    let bad = RequestOptions::new().header("bad header", "x");
    let error = bad.apply::<()>(&mut request).expect_err("not a header name");
    assert!(
        error.to_string().contains("`bad header` is not a valid header name"),
        "{error}"
    );
}

#[test]
fn body_fields_join_a_json_object_body_or_make_one() {
    let client = super::http().build().expect("a client");
    let options = RequestOptions::new().body_field("extra", 1).body_field("note", "x");
    let mut request = client
        .post("http://127.0.0.1/items")
        .json(&serde_json::json!({"name": "a", "note": "old"}))
        .build()
        .expect("a request");
    options.apply::<()>(&mut request).expect("applies");
    let body: serde_json::Value =
        serde_json::from_slice(request.body().and_then(|b| b.as_bytes()).expect("bytes")).expect("JSON");
    assert_eq!(
        body,
        serde_json::json!({"name": "a", "note": "x", "extra": 1}),
        "a field of the same name is replaced"
    );

    let mut empty = client.post("http://127.0.0.1/items").build().expect("a request");
    options.apply::<()>(&mut empty).expect("applies");
    assert_eq!(empty.headers()["content-type"], "application/json");
    assert_eq!(
        empty.body().and_then(|b| b.as_bytes()),
        Some(&br#"{"extra":1,"note":"x"}"#[..])
    );

    let mut form = client
        .post("http://127.0.0.1/items")
        .body("a=1")
        .build()
        .expect("a request");
    let error = options.apply::<()>(&mut form).expect_err("not a JSON object");
    assert!(error.to_string().contains("not a JSON object"), "{error}");
}
