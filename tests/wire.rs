//! The generated client against a real HTTP server on 127.0.0.1.

mod support;

use std::time::Duration;

use support::{Recorded, Reply, Server, SEED_EXAMPLE};
use txcloud::types::{
    CheckStatus, DuplicateCheck, ExtractedData, FaceMatchCheck, FraudCheck, FraudSignal,
    FraudSignalSeverity, LivenessCheck, OcrCheck, RiskLevel, Verification, VerificationChecks,
    VerificationObject, VerificationStatus,
};
use txcloud::{Client, Error};

const TOKEN: &str = "sk_test_0123456789secret";

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .bearer_auth(TOKEN)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

fn only_request(server: &Server) -> Recorded {
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:#?}"
    );
    requests.into_iter().next().expect("one request")
}

fn utc(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).expect("valid date-time")
}

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().expect("valid date")
}

/// Checks the values the vendor's page shows, written out by hand. Response types are
/// `#[non_exhaustive]` (users receive them, they never build them), so this compares
/// field by field rather than with a struct literal.
fn assert_seed_verification(v: &Verification) {
    let placeholder = || Some("<string>".to_string());
    assert_eq!(v.id, "ver_a1b2c3d4e5f6");
    assert_eq!(v.object, VerificationObject::IdentityVerification);
    assert_eq!(v.created_at, utc("2023-11-07T05:31:56Z"));
    assert_eq!(v.updated_at, Some(utc("2023-11-07T05:31:56Z")));
    assert_eq!(v.status, VerificationStatus::Pending);
    assert_eq!(v.document_type, placeholder());
    assert_eq!(v.country, placeholder());
    let data: &ExtractedData = v.extracted_data.as_ref().expect("extracted_data");
    assert_eq!(data.document_number.as_deref(), Some("AE123456"));
    assert_eq!(data.first_name.as_deref(), Some("Mohammed"));
    assert_eq!(data.last_name.as_deref(), Some("El Amrani"));
    assert_eq!(data.first_name_arabic, placeholder());
    assert_eq!(data.last_name_arabic, placeholder());
    assert_eq!(data.date_of_birth, Some(date("2023-12-25")));
    assert_eq!(data.gender.as_deref(), Some("M"));
    assert_eq!(data.nationality, placeholder());
    assert_eq!(data.issue_date, Some(date("2023-12-25")));
    assert_eq!(data.expiry_date, Some(date("2023-12-25")));
    assert_eq!(data.address, placeholder());
    assert_eq!(data.place_of_birth, placeholder());
    assert_eq!(data.mrz, placeholder());
    assert_eq!(data.field_confidences, Some(serde_json::Map::new()));
    let checks: &VerificationChecks = v.checks.as_ref().expect("checks");
    let ocr: &OcrCheck = checks.ocr.as_ref().expect("ocr");
    assert_eq!(
        (ocr.status.clone(), ocr.confidence),
        (Some(CheckStatus::Passed), Some(0.5))
    );
    let face: &FaceMatchCheck = checks.face_match.as_ref().expect("face_match");
    assert_eq!(
        (
            face.status.clone(),
            face.confidence,
            face.similarity_score,
            face.threshold
        ),
        (
            Some(CheckStatus::Passed),
            Some(0.5),
            Some(123.0),
            Some(123.0)
        )
    );
    let live: &LivenessCheck = checks.liveness.as_ref().expect("liveness");
    assert_eq!(
        (
            live.status.clone(),
            live.confidence,
            live.is_live,
            live.spoof_probability
        ),
        (
            Some(CheckStatus::Passed),
            Some(0.5),
            Some(true),
            Some(123.0)
        )
    );
    let fraud: &FraudCheck = checks.fraud.as_ref().expect("fraud");
    assert_eq!(
        (
            fraud.status.clone(),
            fraud.confidence,
            fraud.tampering_detected
        ),
        (Some(CheckStatus::Passed), Some(0.5), Some(true))
    );
    assert_eq!(fraud.signals, Some(vec!["<string>".to_string()]));
    let dup: &DuplicateCheck = checks.duplicate.as_ref().expect("duplicate");
    assert_eq!(
        (dup.status.clone(), dup.confidence),
        (Some(CheckStatus::Passed), Some(0.5))
    );
    assert_eq!(v.risk_score, Some(500));
    assert_eq!(v.risk_level, Some(RiskLevel::Low));
    let signals: &[FraudSignal] = v.fraud_signals.as_deref().expect("fraud_signals");
    assert_eq!(signals.len(), 1);
    assert_eq!(signals[0].code, placeholder());
    assert_eq!(signals[0].severity, Some(FraudSignalSeverity::Low));
    assert_eq!(signals[0].message, placeholder());
    assert_eq!(v.metadata, Some(serde_json::Map::new()));
}

#[tokio::test]
async fn seed_example_decodes_into_the_values_on_the_page() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    let verification = client(&server)
        .complete_session("ses_123")
        .await
        .expect("success");
    assert_seed_verification(&verification);

    // Re-encoding gives back the same JSON document.
    let original: serde_json::Value = serde_json::from_str(SEED_EXAMPLE).expect("seed is JSON");
    let reencoded = serde_json::to_value(&verification).expect("encodes");
    assert_eq!(normalise_numbers(reencoded), normalise_numbers(original));
}

/// JSON numbers compared by value: the page writes `123` where the type is a float.
fn normalise_numbers(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(n) => serde_json::json!(n.as_f64()),
        serde_json::Value::Array(a) => a.into_iter().map(normalise_numbers).collect(),
        serde_json::Value::Object(o) => o
            .into_iter()
            .map(|(k, v)| (k, normalise_numbers(v)))
            .collect(),
        other => other,
    }
}

#[tokio::test]
async fn date_times_keep_their_offset() {
    let mut doc: serde_json::Value = serde_json::from_str(SEED_EXAMPLE).expect("json");
    doc["created_at"] = "2023-11-07T09:31:56.250+04:00".into();
    let server = Server::start(Reply::json(200, &doc.to_string()));
    let v = client(&server)
        .complete_session("ses_123")
        .await
        .expect("decodes");
    assert_eq!(v.created_at.offset().local_minus_utc(), 4 * 3600);
    assert_eq!(v.created_at, utc("2023-11-07T05:31:56.250Z"));
    let again = serde_json::to_value(&v).expect("encodes");
    assert_eq!(again["created_at"], "2023-11-07T09:31:56.250+04:00");
}

#[tokio::test]
async fn request_line_and_headers_are_exact() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    client(&server)
        .complete_session("ses_123")
        .await
        .expect("success");
    let request = only_request(&server);
    assert_eq!(
        request.request_line,
        "POST /v1/identity/sessions/ses_123/complete HTTP/1.1"
    );
    assert_eq!(
        request.header_values("authorization"),
        vec![format!("Bearer {TOKEN}")]
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(request.body.is_empty(), "no request body is sent");
}

#[tokio::test]
async fn hostile_ids_are_sent_as_exactly_one_path_segment() {
    let cases = [
        ("ses_123", "ses_123"),
        ("../admin", "..%2Fadmin"),
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("%2F", "%252F"),
        ("with space", "with%20space"),
        ("Ōsaka-東京", "%C5%8Csaka-%E6%9D%B1%E4%BA%AC"),
        ("a;b=c&d+e", "a%3Bb%3Dc%26d%2Be"),
        ("...", "..."),
    ];
    for (id, encoded) in cases {
        let server = Server::start(Reply::json(200, SEED_EXAMPLE));
        client(&server).complete_session(id).await.expect("success");
        let request = only_request(&server);
        let expected = format!("/v1/identity/sessions/{encoded}/complete");
        assert_eq!(request.target(), expected, "id {id:?}");
        // What the server decodes is exactly what the caller passed.
        let segment = request.target().split('/').nth(4).expect("segment");
        let decoded = percent_decode(segment);
        assert_eq!(decoded, id, "id {id:?} round-trips through the path");
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

#[tokio::test]
async fn unusable_ids_are_rejected_before_any_request() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    let client = client(&server);
    for id in ["", ".", ".."] {
        let err = client.complete_session(id).await.expect_err("rejected");
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
        assert!(err.to_string().contains("path parameter `id`"), "{err}");
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn error_status_carries_status_headers_and_body() {
    let body = r#"{"error":{"code":"session_not_found","message":"No such session"}}"#;
    let server = Server::start(Reply::json(404, body).with_header("X-Request-Id", "req_42"));
    let err = client(&server)
        .complete_session("ses_missing")
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(reqwest::StatusCode::NOT_FOUND));
    let Error::Status(response) = &err else {
        panic!("expected a status error, got {err:?}")
    };
    assert_eq!(response.status.as_u16(), 404);
    assert_eq!(response.body, body.as_bytes());
    assert_eq!(
        response
            .headers
            .get("x-request-id")
            .map(|v| v.to_str().ok()),
        Some(Some("req_42"))
    );
    assert!(
        response.parsed.is_none(),
        "the spec documents no error body"
    );
    assert_eq!(err.request_id(), Some("req_42"));
    assert_eq!(err.attempts(), 1, "a 404 is never retried");
    let text = err.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(text.contains("(request id req_42)"), "{text}");
    assert!(text.contains("session_not_found"), "{text}");
    assert!(
        !text.contains(TOKEN) && !format!("{err:?}").contains(TOKEN),
        "token leaked: {err:?}"
    );
}

#[tokio::test]
async fn server_error_with_a_non_json_body_is_kept_raw() {
    let server = Server::start(Reply::text(500, "text/html", "<h1>upstream exploded</h1>"));
    let err = client(&server)
        .complete_session("ses_123")
        .await
        .expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.body(), Some(&b"<h1>upstream exploded</h1>"[..]));
    assert!(err.to_string().contains("upstream exploded"));
}

#[tokio::test]
async fn unknown_enum_values_and_fields_are_tolerated_and_kept() {
    let mut doc: serde_json::Value = serde_json::from_str(SEED_EXAMPLE).expect("json");
    doc["status"] = "on_hold".into();
    doc["risk_level"] = "extreme".into();
    doc["checks"]["ocr"]["status"] = "inconclusive".into();
    doc["brand_new_field"] = serde_json::json!({"nested": [1, 2, 3]});
    doc["checks"]["age_estimation"] = serde_json::json!({"status": "passed"});
    let server = Server::start(Reply::json(200, &doc.to_string()));
    let v = client(&server)
        .complete_session("ses_123")
        .await
        .expect("decodes");
    assert_eq!(v.status, VerificationStatus::Unknown("on_hold".into()));
    assert_eq!(v.risk_level, Some(RiskLevel::Unknown("extreme".into())));
    let ocr_status = v
        .checks
        .as_ref()
        .and_then(|c| c.ocr.as_ref())
        .and_then(|o| o.status.clone());
    assert_eq!(
        ocr_status,
        Some(CheckStatus::Unknown("inconclusive".into()))
    );
    // Unknown values serialise back unchanged.
    let again = serde_json::to_value(&v).expect("encodes");
    assert_eq!(again["status"], "on_hold");
    assert_eq!(again["risk_level"], "extreme");
    assert_eq!(again["checks"]["ocr"]["status"], "inconclusive");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_status_and_body() {
    let server = Server::start(Reply::json(
        200,
        r#"{"id": "ver_1", "object": "identity.verif"#,
    ));
    let err = client(&server)
        .complete_session("ses_123")
        .await
        .expect_err("malformed");
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    let text = err.to_string();
    assert!(text.contains("HTTP 200"), "{text}");
    assert!(text.contains("EOF while parsing"), "{text}");
    assert!(
        text.contains(r#"{"id": "ver_1""#),
        "body snippet shown: {text}"
    );
}

#[tokio::test]
async fn missing_required_field_is_a_decode_error() {
    let mut doc: serde_json::Value = serde_json::from_str(SEED_EXAMPLE).expect("json");
    doc.as_object_mut().expect("object").remove("status");
    let server = Server::start(Reply::json(200, &doc.to_string()));
    let err = client(&server)
        .complete_session("ses_123")
        .await
        .expect_err("invalid");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("missing field `status`"), "{err}");
}

/// `risk_score` is documented as 0..=1000. The client does not enforce that range when
/// decoding: a value outside it is passed to the caller unchanged (not clamped, not
/// rejected), so one odd score never makes a whole verification unreadable.
#[tokio::test]
async fn risk_score_outside_its_range_is_passed_through_unchanged() {
    for score in [1500_i64, -3, 1000, 0] {
        let mut doc: serde_json::Value = serde_json::from_str(SEED_EXAMPLE).expect("json");
        doc["risk_score"] = score.into();
        let server = Server::start(Reply::json(200, &doc.to_string()));
        let v = client(&server)
            .complete_session("ses_123")
            .await
            .expect("decodes");
        assert_eq!(v.risk_score, Some(score));
        assert_eq!(
            serde_json::to_value(&v).expect("encodes")["risk_score"],
            score
        );
    }
}

#[tokio::test]
async fn without_a_token_no_authorization_header_is_sent() {
    let server = Server::start(Reply::json(401, r#"{"error":"unauthorized"}"#));
    let client = Client::builder()
        .base_url(&server.base_url)
        .build()
        .expect("client");
    let err = client.complete_session("ses_123").await.expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(only_request(&server).header("authorization").is_none());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let client = Client::builder()
        .bearer_auth(TOKEN)
        .build()
        .expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    assert_eq!(client.base_url(), txcloud::DEFAULT_BASE_URL);
    assert_eq!(txcloud::DEFAULT_BASE_URL, "https://api.txcloud.io/v1");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let err = client
        .complete_session("ses_123")
        .await
        .expect_err("timeout");
    let Error::Transport(e) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert!(e.source.is_timeout(), "{e:?}");
    // A POST that timed out may have been processed: it is not resent.
    assert_eq!(e.attempts, 1, "{e:?}");
    assert!(err.is_timeout());
    drop(listener);
}

/// A server that answers the n-th request with `replies[n]` (the last one repeats).
fn scripted(replies: Vec<Reply>) -> Server {
    let next = std::sync::atomic::AtomicUsize::new(0);
    Server::start_with(move |_| {
        let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        replies[n.min(replies.len() - 1)].clone()
    })
}

#[tokio::test]
async fn the_post_is_not_resent_after_a_500_without_an_idempotency_key() {
    let server = scripted(vec![Reply::json(500, "{}"), Reply::json(200, SEED_EXAMPLE)]);
    let err = client(&server)
        .complete_session("ses_123")
        .await
        .expect_err("500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn the_post_is_resent_after_a_503_the_server_did_not_process() {
    let server = scripted(vec![
        Reply::json(503, "{}").with_header("Retry-After", "0"),
        Reply::json(200, SEED_EXAMPLE).with_header("x-request-id", "req_ok"),
    ]);
    let response = client(&server)
        .complete_session("ses_123")
        .with_response()
        .await
        .expect("second attempt");
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.request_id(), Some("req_ok"));
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert_eq!(response.id, "ver_a1b2c3d4e5f6");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_idempotency_header_makes_the_post_retryable_with_one_key() {
    let server = scripted(vec![
        Reply::json(500, "{}").with_header("Retry-After", "0"),
        Reply::json(200, SEED_EXAMPLE),
    ]);
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_auth(TOKEN)
        .idempotency_header("Idempotency-Key")
        .build()
        .expect("client");
    client.complete_session("ses_123").await.expect("retried");
    client
        .complete_session("ses_456")
        .idempotency_key("complete-ses_456")
        .await
        .expect("third request");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let keys: Vec<_> = requests
        .iter()
        .map(|r| r.header("idempotency-key"))
        .collect();
    assert!(keys[0].is_some_and(|k| k.len() == 36), "{keys:?}");
    assert_eq!(keys[0], keys[1], "the same key on both attempts");
    assert_eq!(keys[2], Some("complete-ses_456"));
}

#[tokio::test]
async fn per_call_headers_query_and_client_wide_options() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    let client =
        client(&server).with_options(&txcloud::RequestOptions::new().header("x-team", "kyc"));
    client
        .complete_session("ses_123")
        .header("x-trace-id", "t-1")
        .query("expand", "checks")
        .timeout(Duration::from_secs(5))
        .await
        .expect("success");
    let request = only_request(&server);
    assert_eq!(
        request.request_line,
        "POST /v1/identity/sessions/ses_123/complete?expand=checks HTTP/1.1"
    );
    assert_eq!(request.header("x-team"), Some("kyc"));
    assert_eq!(request.header("x-trace-id"), Some("t-1"));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn a_hook_signs_the_request() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    let client = Client::builder()
        .base_url(&server.base_url)
        .on_request(|request, attempt| {
            let line = format!(
                "{} {} #{}",
                request.method(),
                request.url().path(),
                attempt.number
            );
            request.headers_mut().insert("x-signed", line.parse()?);
            Ok(())
        })
        .build()
        .expect("client");
    client.complete_session("ses_123").await.expect("success");
    assert_eq!(
        only_request(&server).header("x-signed"),
        Some("POST /v1/identity/sessions/ses_123/complete #1")
    );
}

#[test]
fn defaults_are_documented_values() {
    let client = Client::builder()
        .bearer_auth(TOKEN)
        .build()
        .expect("client");
    let debug = format!("{client:?}");
    assert!(debug.contains("timeout: Some(60s)"), "{debug}");
    assert!(debug.contains("max_retries: 2"), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert_eq!(txcloud::DEFAULT_TIMEOUT, Duration::from_secs(60));
    assert_eq!(txcloud::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
    assert_eq!(txcloud::RetryPolicy::default().retries(), 2);
}

/// Escape hatches for when the spec is behind the API: extra body fields and query
/// pairs on a documented call, reaching the wire beside what the client sends.
#[tokio::test]
async fn extra_body_fields_and_query_pairs_reach_the_wire() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    client(&server)
        .complete_session("ses_123")
        .query("beta", "1")
        .body_field("reason", "manual review")
        .body_field("priority", 2)
        .await
        .expect("success");
    let request = only_request(&server);
    assert_eq!(
        request.request_line,
        "POST /v1/identity/sessions/ses_123/complete?beta=1 HTTP/1.1"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({"reason": "manual review", "priority": 2})
    );
}

/// A field the spec does not declare is read from the response, on request.
#[tokio::test]
async fn undeclared_response_fields_are_readable_from_the_response() {
    let mut json: serde_json::Value = serde_json::from_str(SEED_EXAMPLE).expect("seed JSON");
    json["review_queue"] = serde_json::json!("eu-2");
    let server = Server::start(Reply::json(200, &json.to_string()));
    let response = client(&server)
        .complete_session("ses_123")
        .with_response()
        .await
        .expect("success");
    assert_eq!(response.id, "ver_a1b2c3d4e5f6", "the typed value is there");
    let raw = response.json().expect("the body is JSON");
    assert_eq!(raw["review_queue"], "eu-2");
    assert_eq!(response.raw_body(), json.to_string().as_bytes());
}

/// An endpoint the spec does not describe, through the same request path: the
/// client's credential, options and retries (a 503 is retried for a GET).
#[tokio::test]
async fn undocumented_endpoints_take_the_same_request_path() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = Server::start_with(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::json(503, r#"{"error":"busy"}"#).with_header("retry-after", "0"),
        _ => Reply::json(200, r#"{"sessions":[{"id":"ses_1"}],"next":null}"#),
    });
    let listed: serde_json::Value = client(&server)
        .undocumented(txcloud::reqwest::Method::GET, "/identity/sessions")
        .query("limit", "5")
        .await
        .expect("success after one retry");
    assert_eq!(listed["sessions"][0]["id"], "ses_1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    for request in &requests {
        assert_eq!(
            request.request_line,
            "GET /v1/identity/sessions?limit=5 HTTP/1.1"
        );
        assert_eq!(
            request.header_values("authorization"),
            vec![format!("Bearer {TOKEN}")]
        );
    }

    // With a typed body and an empty answer.
    let server = Server::start(Reply::json(204, ""));
    #[derive(serde::Serialize)]
    struct Note<'a> {
        text: &'a str,
    }
    client(&server)
        .undocumented_with_body::<(), _>(
            txcloud::reqwest::Method::POST,
            "/identity/sessions/ses_1/notes",
            &Note { text: "checked" },
        )
        .await
        .expect("an empty answer decodes as ()");
    let request = only_request(&server);
    assert_eq!(
        request.request_line,
        "POST /v1/identity/sessions/ses_1/notes HTTP/1.1"
    );
    assert_eq!(request.body, br#"{"text":"checked"}"#);

    // A path that is not rooted is refused before anything is sent.
    let server = Server::start(Reply::json(200, "{}"));
    let error = client(&server)
        .undocumented::<serde_json::Value>(txcloud::reqwest::Method::GET, "no-slash")
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error}");
    assert!(server.requests().is_empty());
}

/// A credential source as a user writes one (a vault, a cloud identity): counts how
/// often it is asked and told of a 401, and gives `vault-<n>`.
#[derive(Default)]
struct Vault {
    asked: std::sync::atomic::AtomicUsize,
    rejected: std::sync::atomic::AtomicUsize,
}

impl txcloud::CredentialSource for Vault {
    fn credential(&self) -> txcloud::CredentialFuture<'_> {
        Box::pin(async move {
            let n = self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            Ok::<_, txcloud::BoxError>(format!("vault-{n}"))
        })
    }

    fn rejected(&self, _credential: &str) -> bool {
        self.rejected
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        true
    }
}

#[tokio::test]
async fn a_credential_source_is_asked_before_each_attempt_and_again_after_a_401() {
    // The server takes only `vault-2`: the first attempt gets a 401, the client asks the
    // source again and resends the POST once with the new token.
    let server = Server::start_with(|request| {
        if request.header("authorization") == Some("Bearer vault-2") {
            Reply::json(200, SEED_EXAMPLE)
        } else {
            Reply::json(401, r#"{"error":"expired"}"#)
        }
    });
    let vault = std::sync::Arc::new(Vault::default());
    struct Shared(std::sync::Arc<Vault>);
    impl txcloud::CredentialSource for Shared {
        fn credential(&self) -> txcloud::CredentialFuture<'_> {
            txcloud::CredentialSource::credential(&*self.0)
        }
        fn rejected(&self, credential: &str) -> bool {
            txcloud::CredentialSource::rejected(&*self.0, credential)
        }
    }
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_auth_source(Shared(std::sync::Arc::clone(&vault)))
        .build()
        .expect("client builds");
    let verification = client.complete_session("ses_1").await.expect("resent");
    assert_seed_verification(&verification);
    let requests = server.requests();
    let auth: Vec<Option<&str>> = requests.iter().map(|r| r.header("authorization")).collect();
    assert_eq!(auth, [Some("Bearer vault-1"), Some("Bearer vault-2")]);
    assert_eq!(requests[0].body, requests[1].body);
    use std::sync::atomic::Ordering::SeqCst;
    assert_eq!(
        (vault.asked.load(SeqCst), vault.rejected.load(SeqCst)),
        (2, 1)
    );
    // No secret in the client's Debug output: the source is named, not shown.
    assert!(format!("{client:?}").contains("CredentialSource"));
}
