//! Unit tests of `runtime.rs`: path segments, query styles, header and cookie
//! parameters, credentials on a request, and form bodies.

use serde_json::{json, Value};

use super::http;
use crate::auth::Secret;
use crate::error::Error;
use crate::runtime::{form_pairs, form_texts, path_segment, path_value, Parts, QueryStyle};

type Result<T> = std::result::Result<T, Error>;

/// The request `parts` make of a GET to `http://127.0.0.1/x`.
fn request(parts: Parts) -> reqwest::Request {
    let client = http().build().expect("client");
    parts
        .apply(client.get("http://127.0.0.1/x"))
        .build()
        .expect("the request builds")
}

fn query_of(parts: Parts) -> Option<String> {
    request(parts).url().query().map(str::to_string)
}

#[test]
fn path_segments_escape_everything_but_unreserved_characters() {
    let cases = [
        ("plain", "plain"),
        ("A-z_0.9~", "A-z_0.9~"),
        ("a/b", "a%2Fb"),
        ("a?b#c", "a%3Fb%23c"),
        ("100%", "100%25"),
        ("%2F", "%252F"),
        ("two words", "two%20words"),
        ("a+b&c=d;e,f", "a%2Bb%26c%3Dd%3Be%2Cf"),
        ("@:!$'()*[]", "%40%3A%21%24%27%28%29%2A%5B%5D"),
        ("..a", "..a"),
        ("...", "..."),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("🦀", "%F0%9F%A6%80"),
        ("\n\t", "%0A%09"),
    ];
    for (value, expected) in cases {
        let segment: Result<std::borrow::Cow<str>> = path_segment("id", value);
        assert_eq!(segment.expect("a valid segment"), expected, "path_segment({value:?})");
    }
}

#[test]
fn empty_and_dot_segments_are_refused() {
    for value in ["", ".", ".."] {
        let segment: Result<std::borrow::Cow<str>> = path_segment("id", value);
        match segment {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("`id`"), "{value:?}: {message}")
            }
            other => panic!("path_segment({value:?}) should be refused, got {other:?}"),
        }
    }
}

#[test]
fn path_values_of_other_types() {
    let cases: Vec<(Value, &str)> = vec![
        (json!(42), "42"),
        (json!(-7), "-7"),
        (json!(1.5), "1.5"),
        (json!(true), "true"),
        (json!(false), "false"),
        (json!([1, 2, 3]), "1%2C2%2C3"),
        (json!(["a b", "c/d"]), "a%20b%2Cc%2Fd"),
        (json!({"k": "v", "n": 1}), "k%2Cv%2Cn%2C1"),
        (json!("text"), "text"),
    ];
    for (value, expected) in cases {
        let segment: Result<String> = path_value("id", &value);
        assert_eq!(segment.expect("a valid segment"), expected, "path_value({value})");
    }
    for value in [json!(null), json!([]), json!("")] {
        let segment: Result<String> = path_value("id", &value);
        assert!(
            matches!(segment, Err(Error::InvalidRequest(_))),
            "path_value({value}) is empty: {segment:?}"
        );
    }
    let dots: Result<String> = path_value("id", &[".", "."]);
    assert_eq!(dots.expect("`.,.` is no dot segment"), ".%2C.");
}

const STYLES: [QueryStyle; 4] = [
    QueryStyle::Form,
    QueryStyle::SpaceDelimited,
    QueryStyle::PipeDelimited,
    QueryStyle::DeepObject,
];

/// The query string of one parameter `p` with this value, style and explode.
fn query(value: &Value, style: QueryStyle, explode: bool) -> Option<String> {
    let mut parts = Parts::default();
    let added: Result<()> = parts.query("p", value, style, explode);
    added.expect("the parameter encodes");
    query_of(parts)
}

#[test]
fn scalars_are_one_pair_in_every_style() {
    for style in STYLES {
        for explode in [false, true] {
            for (value, expected) in [
                (json!("a b&c=d"), "p=a+b%26c%3Dd"),
                (json!(5), "p=5"),
                (json!(2.5), "p=2.5"),
                (json!(true), "p=true"),
                (json!(""), "p="),
                (json!("é/?#"), "p=%C3%A9%2F%3F%23"),
            ] {
                assert_eq!(
                    query(&value, style, explode).as_deref(),
                    Some(expected),
                    "{value} {style:?} explode={explode}"
                );
            }
        }
    }
}

#[test]
fn null_and_none_add_nothing_in_every_style() {
    for style in STYLES {
        for explode in [false, true] {
            assert_eq!(
                query(&json!(null), style, explode),
                None,
                "null {style:?} explode={explode}"
            );
            let mut parts = Parts::default();
            let added: Result<()> = parts.query("p", &None::<u32>, style, explode);
            added.expect("None encodes");
            assert_eq!(query_of(parts), None, "None {style:?} explode={explode}");
        }
    }
}

#[test]
fn arrays_by_style_and_explode() {
    let value = json!(["a", 1, "b c"]);
    let cases = [
        (QueryStyle::Form, true, "p=a&p=1&p=b+c"),
        (QueryStyle::Form, false, "p=a%2C1%2Cb+c"),
        (QueryStyle::SpaceDelimited, true, "p=a+1+b+c"),
        (QueryStyle::SpaceDelimited, false, "p=a+1+b+c"),
        (QueryStyle::PipeDelimited, true, "p=a%7C1%7Cb+c"),
        (QueryStyle::PipeDelimited, false, "p=a%7C1%7Cb+c"),
        (QueryStyle::DeepObject, true, "p=a&p=1&p=b+c"),
        (QueryStyle::DeepObject, false, "p=a&p=1&p=b+c"),
    ];
    for (style, explode, expected) in cases {
        assert_eq!(
            query(&value, style, explode).as_deref(),
            Some(expected),
            "{value} {style:?} explode={explode}"
        );
    }
    for style in STYLES {
        for explode in [false, true] {
            let empty = query(&json!([]), style, explode);
            assert!(
                matches!(empty.as_deref(), None | Some("p=")),
                "[] {style:?} explode={explode}: {empty:?}"
            );
        }
    }
}

#[test]
fn objects_by_style_and_explode() {
    let value = json!({"role": "admin", "first name": "Al", "n": 2});
    let cases = [
        (QueryStyle::Form, true, "role=admin&first+name=Al&n=2"),
        (QueryStyle::Form, false, "p=role%2Cadmin%2Cfirst+name%2CAl%2Cn%2C2"),
        (QueryStyle::SpaceDelimited, true, "role=admin&first+name=Al&n=2"),
        (
            QueryStyle::SpaceDelimited,
            false,
            "p=role%2Cadmin%2Cfirst+name%2CAl%2Cn%2C2",
        ),
        (QueryStyle::PipeDelimited, true, "role=admin&first+name=Al&n=2"),
        (
            QueryStyle::PipeDelimited,
            false,
            "p=role%2Cadmin%2Cfirst+name%2CAl%2Cn%2C2",
        ),
        (
            QueryStyle::DeepObject,
            true,
            "p%5Brole%5D=admin&p%5Bfirst+name%5D=Al&p%5Bn%5D=2",
        ),
        (
            QueryStyle::DeepObject,
            false,
            "p%5Brole%5D=admin&p%5Bfirst+name%5D=Al&p%5Bn%5D=2",
        ),
    ];
    for (style, explode, expected) in cases {
        assert_eq!(
            query(&value, style, explode).as_deref(),
            Some(expected),
            "{value} {style:?} explode={explode}"
        );
    }
}

#[test]
fn query_pairs_keep_their_order() {
    let mut parts = Parts::default();
    let added: Result<()> = (|| {
        parts.query("b", &1, QueryStyle::Form, true)?;
        parts.query("a", &["x", "y"], QueryStyle::Form, true)?;
        parts.query("c", &None::<String>, QueryStyle::Form, true)?;
        parts.query("b", &2, QueryStyle::Form, true)
    })();
    added.expect("the parameters encode");
    assert_eq!(query_of(parts).as_deref(), Some("b=1&a=x&a=y&b=2"));
}

#[test]
fn header_parameters_use_the_simple_style() {
    let cases: Vec<(Value, bool, &str)> = vec![
        (json!("v 1"), false, "v 1"),
        (json!(7), false, "7"),
        (json!(true), true, "true"),
        (json!(["a", "b", 3]), false, "a,b,3"),
        (json!(["a", "b", 3]), true, "a,b,3"),
        (json!({"x": 1, "y": "z"}), false, "x,1,y,z"),
        (json!({"x": 1, "y": "z"}), true, "x=1,y=z"),
    ];
    for (value, explode, expected) in cases {
        let mut parts = Parts::default();
        let added: Result<()> = parts.header("X-Thing", &value, explode);
        added.expect("the header encodes");
        let request = request(parts);
        let sent = request.headers().get("x-thing").map(|v| v.to_str().expect("text"));
        assert_eq!(sent, Some(expected), "{value} explode={explode}");
    }
}

#[test]
fn header_parameters_that_cannot_be_sent_are_refused() {
    let mut parts = Parts::default();
    let null: Result<()> = parts.header("x-none", &json!(null), false);
    null.expect("null adds nothing");
    assert!(request(parts).headers().get("x-none").is_none(), "null adds no header");
    for (name, value) in [("x-ok", "line\nbreak"), ("bad name", "v"), ("", "v")] {
        let mut parts = Parts::default();
        let added: Result<()> = parts.header(name, &value, false);
        assert!(
            matches!(added, Err(Error::InvalidRequest(_))),
            "header {name:?}: {value:?}: {added:?}"
        );
    }
    let mut parts = Parts::default();
    let twice: Result<()> = (|| {
        parts.header("x-tag", &"a", false)?;
        parts.header("x-tag", &"b", false)
    })();
    twice.expect("both encode");
    let request = request(parts);
    let values: Vec<_> = request
        .headers()
        .get_all("x-tag")
        .iter()
        .map(|v| v.to_str().expect("text"))
        .collect();
    assert_eq!(values, ["a", "b"], "a header given twice is sent twice");
}

#[test]
fn cookies_are_one_header_with_encoded_values() {
    let mut parts = Parts::default();
    let added: Result<()> = (|| {
        parts.cookie("session", &"a b;c=d")?;
        parts.cookie("ids", &[1, 2])?;
        parts.cookie("absent", &None::<String>)?;
        parts.cookie("flag", &true)
    })();
    added.expect("the cookies encode");
    parts.secret_cookie("key", &Secret::new("s3cr;t"));
    let request = request(parts);
    let cookies: Vec<_> = request
        .headers()
        .get_all("cookie")
        .iter()
        .map(|v| v.to_str().expect("text"))
        .collect();
    assert_eq!(cookies, ["session=a%20b%3Bc%3Dd; ids=1%2C2; flag=true; key=s3cr%3Bt"]);
}

#[test]
fn credentials_are_sensitive_and_never_in_debug_output() {
    let mut parts = Parts::default();
    let added: Result<()> = parts.secret_header("x-api-key", "key-123");
    added.expect("a header credential");
    parts.secret_query("api_key", &Secret::new("query-456"));
    parts.secret_cookie("sid", &Secret::new("cookie-789"));
    parts.basic_auth("user", &Secret::new("pass-0"));
    let debug = format!("{parts:?}");
    for secret in ["key-123", "query-456", "cookie-789", "pass-0"] {
        assert!(!debug.contains(secret), "Debug of Parts shows {secret}: {debug}");
    }
    assert!(debug.contains("api_key"), "the query names show: {debug}");
    let request = request(parts);
    let key = request.headers().get("x-api-key").expect("the key header");
    assert!(key.is_sensitive(), "a credential header is marked sensitive");
    assert_eq!(key.to_str().ok(), Some("key-123"));
    let authorization = request.headers().get("authorization").expect("basic auth");
    assert!(authorization.is_sensitive(), "basic auth is marked sensitive");
    assert_eq!(authorization.to_str().ok(), Some("Basic dXNlcjpwYXNzLTA="));
    assert_eq!(request.url().query(), Some("api_key=query-456"));
    let refused: Result<()> = Parts::default().secret_header("x-api-key", "bad\r\nvalue");
    match refused {
        Err(Error::InvalidRequest(message)) => {
            assert!(!message.contains("bad"), "the message shows the value: {message}")
        }
        other => panic!("a credential with a line break should be refused, got {other:?}"),
    }
}

#[test]
fn form_pairs_flatten_one_level() {
    let body = json!({"name": "a b", "tags": ["x", "y"], "skip": null, "n": 3, "nested": {"k": "v"}, "ok": false});
    let pairs: Result<Vec<(String, String)>> = form_pairs(&body);
    let pairs = pairs.expect("an object is a form");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("name", "a b"),
            ("tags", "x"),
            ("tags", "y"),
            ("n", "3"),
            ("nested", "{\"k\":\"v\"}"),
            ("ok", "false")
        ],
        "{body}"
    );
    let none: Result<Vec<(String, String)>> = form_pairs(&json!(null));
    assert_eq!(none.expect("no body"), vec![]);
    for body in [json!([1]), json!("text"), json!(1)] {
        let refused: Result<Vec<(String, String)>> = form_pairs(&body);
        assert!(matches!(refused, Err(Error::InvalidRequest(_))), "{body}: {refused:?}");
    }
}

#[test]
fn form_texts_are_one_per_value() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!(null), vec![]),
        (json!("a"), vec!["a"]),
        (json!(4), vec!["4"]),
        (json!(["a", 2, true]), vec!["a", "2", "true"]),
        (json!({"k": [1]}), vec!["{\"k\":[1]}"]),
    ];
    for (value, expected) in cases {
        let texts: Result<Vec<String>> = form_texts("field", &value);
        assert_eq!(texts.expect("encodes"), expected, "{value}");
    }
}

#[test]
fn server_variables_keep_the_spec_default_and_encode_everything_else() {
    use crate::runtime::server_variable;
    // The spec's default goes in as written, even with a `/` (a base path).
    assert_eq!(server_variable("api/v2", "api/v2", false), "api/v2");
    // Other text stays within its part of the URL.
    assert_eq!(server_variable("a/b?c#d@e f", "x", false), "a%2Fb%3Fc%23d%40e%20f");
    assert_eq!(server_variable("ten.ant-1_~", "x", false), "ten.ant-1_~");
    // In the host, a port and an IPv6 address keep their `:` and brackets.
    assert_eq!(server_variable("[::1]:8443", "x", true), "[::1]:8443");
    assert_eq!(server_variable("evil.example/x@y", "x", true), "evil.example%2Fx%40y");
    assert_eq!(server_variable("host:80", "x", false), "host%3A80");
}
