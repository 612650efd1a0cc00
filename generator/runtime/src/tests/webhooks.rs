//! Webhook signatures: the published test vectors of Standard Webhooks and GitHub, and
//! every way a request is refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{WebhookError, WebhookVerifier, DEFAULT_MAX_WEBHOOK_BODY};

// Test vectors of the Standard Webhooks reference libraries, repository
// github.com/standard-webhooks/standard-webhooks at commit
// b2fa7b8719fb75d326b591077f5d1b385cfcdfae:
// `libraries/python/tests/test_webhooks.py` (`test_sign_function`, the same values as
// `libraries/javascript/src/webhook.test.ts`, "sign function works") ...
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: i64 = 1614265330;
const PAYLOAD: &str = r#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
// ... and `test_invalid_signature_raises_error` there: the same signature with its last
// base64 digit changed.
const WRONG_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";
// `libraries/rust/src/lib.rs` (`test_sign`) in the same commit.
const RUST_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const RUST_MSG_ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const RUST_TIMESTAMP: i64 = 1649367553;
const RUST_PAYLOAD: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
const RUST_SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

fn at(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).expect("after 1970"))
}

fn headers(id: &str, timestamp: i64, signature: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".to_string(), id.to_string()),
        ("webhook-timestamp".to_string(), timestamp.to_string()),
        ("webhook-signature".to_string(), signature.to_string()),
    ]
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::standard(SECRET).expect("the vector's secret")
}

#[test]
fn standard_webhooks_vectors_sign_and_verify() {
    assert_eq!(verifier().sign(MSG_ID, TIMESTAMP, PAYLOAD.as_bytes()), SIGNATURE);
    let rust = WebhookVerifier::standard(RUST_SECRET).expect("secret");
    assert_eq!(
        rust.sign(RUST_MSG_ID, RUST_TIMESTAMP, RUST_PAYLOAD.as_bytes()),
        RUST_SIGNATURE
    );
    verifier()
        .verify_at(
            &headers(MSG_ID, TIMESTAMP, SIGNATURE),
            PAYLOAD.as_bytes(),
            at(TIMESTAMP),
        )
        .expect("the published signature verifies");
    rust.verify_at(
        &headers(RUST_MSG_ID, RUST_TIMESTAMP, RUST_SIGNATURE),
        RUST_PAYLOAD.as_bytes(),
        at(RUST_TIMESTAMP + 299),
    )
    .expect("within 5 minutes");
    // The secret without its `whsec_` prefix is the same key.
    WebhookVerifier::standard(SECRET.trim_start_matches("whsec_"))
        .expect("unprefixed")
        .verify_at(
            &headers(MSG_ID, TIMESTAMP, SIGNATURE),
            PAYLOAD.as_bytes(),
            at(TIMESTAMP),
        )
        .expect("unprefixed secret verifies");
}

#[test]
fn the_published_wrong_signature_is_refused() {
    let refused = verifier().verify_at(
        &headers(MSG_ID, TIMESTAMP, WRONG_SIGNATURE),
        PAYLOAD.as_bytes(),
        at(TIMESTAMP),
    );
    assert!(matches!(refused, Err(WebhookError::SignatureMismatch)), "{refused:?}");
}

#[test]
fn a_changed_body_a_wrong_secret_or_another_id_is_refused() {
    let good = headers(MSG_ID, TIMESTAMP, SIGNATURE);
    let changed = verifier().verify_at(&good, br#"{"test": 2432232315}"#, at(TIMESTAMP));
    assert!(matches!(changed, Err(WebhookError::SignatureMismatch)), "{changed:?}");
    let other_secret = WebhookVerifier::standard(RUST_SECRET).expect("secret");
    let wrong = other_secret.verify_at(&good, PAYLOAD.as_bytes(), at(TIMESTAMP));
    assert!(matches!(wrong, Err(WebhookError::SignatureMismatch)), "{wrong:?}");
    let other_id = verifier().verify_at(
        &headers("msg_other", TIMESTAMP, SIGNATURE),
        PAYLOAD.as_bytes(),
        at(TIMESTAMP),
    );
    assert!(matches!(other_id, Err(WebhookError::SignatureMismatch)), "{other_id:?}");
}

#[test]
fn a_timestamp_outside_the_tolerance_is_refused() {
    let good = headers(MSG_ID, TIMESTAMP, SIGNATURE);
    let body = PAYLOAD.as_bytes();
    // Default: 5 minutes either way, inclusive.
    for now in [TIMESTAMP - 300, TIMESTAMP + 300] {
        verifier().verify_at(&good, body, at(now)).expect("at the edge");
    }
    for now in [TIMESTAMP - 301, TIMESTAMP + 301, TIMESTAMP + 86_400] {
        let refused = verifier().verify_at(&good, body, at(now));
        assert!(
            matches!(refused, Err(WebhookError::Timestamp { tolerance: 300, .. })),
            "{refused:?}"
        );
    }
    // Settable.
    let strict = verifier().tolerance(Duration::from_secs(10));
    strict.verify_at(&good, body, at(TIMESTAMP + 10)).expect("10 s");
    assert!(strict.verify_at(&good, body, at(TIMESTAMP + 11)).is_err());
    // By the real clock, the vector is years old.
    let now = verifier().verify(&good, body);
    assert!(matches!(now, Err(WebhookError::Timestamp { .. })), "{now:?}");
    // A timestamp that is not a number.
    let mut bad = good.clone();
    bad[1].1 = "hello".to_string();
    let refused = verifier().verify_at(&bad, body, at(TIMESTAMP));
    assert!(
        matches!(refused, Err(WebhookError::InvalidHeader { .. })),
        "{refused:?}"
    );
}

#[test]
fn an_oversized_body_is_refused_before_anything_else() {
    let body = vec![b' '; DEFAULT_MAX_WEBHOOK_BODY + 1];
    let refused = verifier().verify_at(&Vec::<(String, String)>::new(), &body, at(TIMESTAMP));
    assert!(
        matches!(refused, Err(WebhookError::BodyTooLarge { size, limit }) if size == body.len() && limit == DEFAULT_MAX_WEBHOOK_BODY),
        "{refused:?}"
    );
    let small = verifier().max_body(10);
    let refused = small.verify_at(
        &headers(MSG_ID, TIMESTAMP, SIGNATURE),
        PAYLOAD.as_bytes(),
        at(TIMESTAMP),
    );
    assert!(
        matches!(refused, Err(WebhookError::BodyTooLarge { size: 20, limit: 10 })),
        "{refused:?}"
    );
}

#[test]
fn one_matching_signature_among_several_is_enough() {
    // As the reference libraries' multi-signature tests: other versions and other
    // keys' signatures around the right one.
    let list = format!(
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {SIGNATURE} v1,not-base64!"
    );
    verifier()
        .verify_at(&headers(MSG_ID, TIMESTAMP, &list), PAYLOAD.as_bytes(), at(TIMESTAMP))
        .expect("the third signature matches");
    let none = format!("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {WRONG_SIGNATURE}");
    let refused = verifier().verify_at(&headers(MSG_ID, TIMESTAMP, &none), PAYLOAD.as_bytes(), at(TIMESTAMP));
    assert!(matches!(refused, Err(WebhookError::SignatureMismatch)), "{refused:?}");
    // Only other versions: nothing to check.
    let v1a = "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==";
    let refused = verifier().verify_at(&headers(MSG_ID, TIMESTAMP, v1a), PAYLOAD.as_bytes(), at(TIMESTAMP));
    assert!(
        matches!(refused, Err(WebhookError::InvalidHeader { .. })),
        "{refused:?}"
    );
}

#[test]
fn missing_headers_and_bad_secrets_are_errors() {
    for missing in 0..3 {
        let mut h = headers(MSG_ID, TIMESTAMP, SIGNATURE);
        let name = h.remove(missing).0;
        let refused = verifier().verify_at(&h, PAYLOAD.as_bytes(), at(TIMESTAMP));
        assert!(
            matches!(&refused, Err(WebhookError::MissingHeader(n)) if *n == name),
            "{refused:?}"
        );
    }
    for secret in ["", "whsec_", "whsec_not base64!"] {
        assert!(
            matches!(WebhookVerifier::standard(secret), Err(WebhookError::InvalidSecret(_))),
            "{secret:?}"
        );
    }
}

#[test]
fn header_names_are_matched_without_case_in_every_map() {
    let mut map = reqwest::header::HeaderMap::new();
    map.insert("Webhook-Id", MSG_ID.parse().expect("value"));
    map.insert("WEBHOOK-TIMESTAMP", TIMESTAMP.to_string().parse().expect("value"));
    map.insert("webhook-signature", SIGNATURE.parse().expect("value"));
    let body = PAYLOAD.as_bytes();
    verifier().verify_at(&map, body, at(TIMESTAMP)).expect("HeaderMap");
    let pairs = [
        ("Webhook-ID", MSG_ID),
        ("Webhook-Timestamp", "1614265330"),
        ("Webhook-Signature", SIGNATURE),
    ];
    verifier().verify_at(&pairs[..], body, at(TIMESTAMP)).expect("slice");
    let hash: std::collections::HashMap<&str, &str> = pairs.iter().copied().collect();
    verifier().verify_at(&hash, body, at(TIMESTAMP)).expect("HashMap");
    let tree: std::collections::BTreeMap<&str, &str> = pairs.iter().copied().collect();
    verifier().verify_at(&tree, body, at(TIMESTAMP)).expect("BTreeMap");
}

// GitHub's published example (docs.github.com, "Validating webhook deliveries",
// "Testing the webhook payload validation"): the secret "It's a Secret to Everybody"
// and the payload "Hello, World!" give this `X-Hub-Signature-256`.
const GITHUB_SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

#[test]
fn github_hmac_of_the_body() {
    let github = WebhookVerifier::github("It's a Secret to Everybody");
    assert_eq!(github.sign("", 0, b"Hello, World!"), GITHUB_SIGNATURE);
    assert_eq!(github.signature_header(), "x-hub-signature-256");
    let h = [("X-Hub-Signature-256", GITHUB_SIGNATURE)];
    github
        .verify(&h[..], b"Hello, World!")
        .expect("the published signature");
    // Upper-case hex is the same digest.
    let upper = GITHUB_SIGNATURE.to_ascii_uppercase().replace("SHA256=", "sha256=");
    github
        .verify(&[("x-hub-signature-256", upper.as_str())][..], b"Hello, World!")
        .expect("upper case");
    let changed = github.verify(&h[..], b"Hello, World?");
    assert!(matches!(changed, Err(WebhookError::SignatureMismatch)), "{changed:?}");
    let wrong = WebhookVerifier::github("another secret").verify(&h[..], b"Hello, World!");
    assert!(matches!(wrong, Err(WebhookError::SignatureMismatch)), "{wrong:?}");
    for bad in ["757107ea", "sha256=zz", "sha256=757"] {
        let refused = github.verify(&[("x-hub-signature-256", bad)][..], b"Hello, World!");
        assert!(
            matches!(refused, Err(WebhookError::InvalidHeader { .. })),
            "{bad}: {refused:?}"
        );
    }
    let missing = github.verify(&[("x-other", "x")][..], b"Hello, World!");
    assert!(matches!(missing, Err(WebhookError::MissingHeader(_))), "{missing:?}");
    // Any header and prefix, configured.
    let custom = WebhookVerifier::hmac_sha256("X-Signature", "", "It's a Secret to Everybody");
    let digest = GITHUB_SIGNATURE.trim_start_matches("sha256=");
    custom
        .verify(&[("x-signature", digest)][..], b"Hello, World!")
        .expect("no prefix");
    let big = github.clone().max_body(4).verify(&h[..], b"Hello, World!");
    assert!(matches!(big, Err(WebhookError::BodyTooLarge { .. })), "{big:?}");
}

#[test]
fn debug_and_errors_never_show_the_secret() {
    let shown = format!("{:?}", verifier());
    assert!(!shown.contains("MfKQ9r8"), "{shown}");
    let shown = format!("{:?}", WebhookVerifier::github("It's a Secret to Everybody"));
    assert!(!shown.contains("Secret to"), "{shown}");
}
