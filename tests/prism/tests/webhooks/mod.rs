//! Webhooks received on loopback: an axum server on 127.0.0.1 hands the headers and
//! body of each POST to the generated `WebhookEvent::from_request` (client from
//! `tests/fixtures/webhooks.yaml`: 3.1 webhooks with a `type` constant, a callback,
//! Standard Webhooks declared by `x-webhook-signature`), and reqwest sends it signed
//! requests, wrongly signed ones, stale ones and oversized ones.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use prism_tests::webhooks_fixture::types::WebhookEvent;
use prism_tests::webhooks_fixture::{WebhookError, WebhookVerifier};

/// The endpoint's secret, as the API would show it (the Standard Webhooks libraries'
/// test secret).
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The server's cap on bodies.
const CAP: usize = 4096;

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<WebhookEvent>>>);

struct Receiver {
    url: String,
    received: Received,
}

async fn by_type(
    State(state): State<Received>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let verifier = WebhookEvent::verifier(SECRET)
        .expect("the declared scheme")
        .max_body(CAP);
    answer(
        &state,
        WebhookEvent::from_request(&verifier, &headers, &body),
    )
}

async fn by_name(
    State(state): State<Received>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let verifier = WebhookVerifier::standard(SECRET)
        .expect("secret")
        .max_body(CAP);
    answer(
        &state,
        WebhookEvent::from_named_request(&name, &verifier, &headers, &body),
    )
}

fn answer(state: &Received, event: Result<WebhookEvent, WebhookError>) -> (StatusCode, String) {
    match event {
        Ok(event) => {
            let name = format!("{:?}", event.name());
            state.0.lock().expect("log").push(event);
            (StatusCode::OK, name)
        }
        Err(e @ WebhookError::Decode { .. }) => (StatusCode::BAD_REQUEST, e.to_string()),
        Err(e) => (StatusCode::UNAUTHORIZED, e.to_string()),
    }
}

async fn receiver() -> Receiver {
    let received = Received::default();
    let app = Router::new()
        .route("/events", post(by_type))
        .route("/callbacks/{name}", post(by_name))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver {
        url: format!("http://{addr}"),
        received,
    }
}

fn http() -> reqwest::Client {
    // reqwest is built without a TLS provider of its own (the client's features).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// POSTs `body` with Standard Webhooks headers signed by `signer` at `timestamp`
/// (the signature header replaced by `signature` when given).
async fn post_signed(
    url: &str,
    signer: &WebhookVerifier,
    timestamp: i64,
    signed: &str,
    sent: &str,
    signature: Option<String>,
) -> (u16, String) {
    let id = "msg_loopback_1";
    let signature = signature.unwrap_or_else(|| signer.sign(id, timestamp, signed.as_bytes()));
    let response = http()
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(sent.to_string())
        .send()
        .await
        .expect("the receiver answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("text"))
}

const COMPLETED: &str = r#"{"type":"session.completed","id":"evt_1","data":{"session_id":"ses_123","risk_score":0.25}}"#;

#[tokio::test]
async fn signed_events_decode_by_their_type() {
    let server = receiver().await;
    let signer = WebhookVerifier::standard(SECRET).expect("secret");
    let url = format!("{}/events", server.url);
    let (status, text) = post_signed(&url, &signer, now(), COMPLETED, COMPLETED, None).await;
    assert_eq!(
        (status, text.as_str()),
        (200, "Some(\"session.completed\")")
    );
    let failed = r#"{"type":"session.failed","id":"evt_2","reason":"document expired"}"#;
    let (status, _) = post_signed(&url, &signer, now(), failed, failed, None).await;
    assert_eq!(status, 200);
    // A type the spec does not list: kept whole as `Unknown`, not an error.
    let newer = r#"{"type":"session.archived","id":"evt_3","data":{"n":1}}"#;
    let (status, text) = post_signed(&url, &signer, now(), newer, newer, None).await;
    assert_eq!((status, text.as_str()), (200, "None"));
    // A known type whose body is not its schema: a decode error naming the webhook.
    let broken = r#"{"type":"session.failed","id":"evt_4"}"#;
    let (status, text) = post_signed(&url, &signer, now(), broken, broken, None).await;
    assert_eq!(status, 400, "{text}");
    assert!(
        text.contains("`session.failed`") && text.contains("reason"),
        "{text}"
    );

    let events = server.received.0.lock().expect("log").clone();
    assert_eq!(events.len(), 3, "{events:?}");
    match &events[0] {
        WebhookEvent::SessionCompleted(e) => {
            assert_eq!(
                (e.id.as_str(), e.data.session_id.as_str()),
                ("evt_1", "ses_123")
            );
            assert_eq!(e.data.risk_score, Some(0.25));
        }
        other => panic!("{other:?}"),
    }
    match &events[1] {
        WebhookEvent::SessionFailed(e) => assert_eq!(e.reason, "document expired"),
        other => panic!("{other:?}"),
    }
    let expected: serde_json::Value = serde_json::from_str(newer).expect("json");
    assert_eq!(events[2], WebhookEvent::Unknown(expected));
}

#[tokio::test]
async fn forged_stale_and_oversized_requests_are_refused() {
    let server = receiver().await;
    let signer = WebhookVerifier::standard(SECRET).expect("secret");
    let url = format!("{}/events", server.url);
    // The body changed after signing.
    let changed = COMPLETED.replace("0.25", "0.95");
    let (status, text) = post_signed(&url, &signer, now(), COMPLETED, &changed, None).await;
    assert_eq!(status, 401);
    assert!(text.contains("no webhook signature matches"), "{text}");
    // Signed with another secret.
    let other =
        WebhookVerifier::standard("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").expect("secret");
    let (status, _) = post_signed(&url, &other, now(), COMPLETED, COMPLETED, None).await;
    assert_eq!(status, 401);
    // Signed correctly, but 6 minutes ago (or ahead): outside the 5-minute tolerance.
    for skew in [-360, 360] {
        let (status, text) =
            post_signed(&url, &signer, now() + skew, COMPLETED, COMPLETED, None).await;
        assert_eq!(status, 401);
        assert!(text.contains("over the tolerance of 300 s"), "{text}");
    }
    // Over the server's cap, correctly signed.
    let big = format!(
        r#"{{"type":"session.archived","pad":"{}"}}"#,
        "x".repeat(CAP)
    );
    let (status, text) = post_signed(&url, &signer, now(), &big, &big, None).await;
    assert_eq!(status, 401);
    assert!(text.contains("over the limit of 4096 bytes"), "{text}");
    assert!(server.received.0.lock().expect("log").is_empty());

    // Several signatures (a secret being rotated), one of them right: accepted.
    let ts = now();
    let right = signer.sign("msg_loopback_1", ts, COMPLETED.as_bytes());
    let wrong = other.sign("msg_loopback_1", ts, COMPLETED.as_bytes());
    let list = format!("{wrong} v1a,c2lnbmF0dXJl {right}");
    let (status, _) = post_signed(&url, &signer, ts, COMPLETED, COMPLETED, Some(list)).await;
    assert_eq!(status, 200);
    assert_eq!(server.received.0.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn callbacks_and_routes_decode_by_name() {
    let server = receiver().await;
    let signer = WebhookVerifier::standard(SECRET).expect("secret");
    let status_body = r#"{"type":"subscription.status","status":"paused"}"#;
    let url = format!("{}/callbacks/onStatus", server.url);
    let (status, text) = post_signed(&url, &signer, now(), status_body, status_body, None).await;
    assert_eq!((status, text.as_str()), (200, "Some(\"onStatus\")"));
    // A route the spec does not name: `Unknown`, with the JSON.
    let url = format!("{}/callbacks/onSomethingNew", server.url);
    let (status, _) = post_signed(&url, &signer, now(), "[1,2]", "[1,2]", None).await;
    assert_eq!(status, 200);
    let events = server.received.0.lock().expect("log").clone();
    match &events[0] {
        WebhookEvent::OnStatus(e) => assert_eq!(e.status.to_string(), "paused"),
        other => panic!("{other:?}"),
    }
    assert_eq!(events[1], WebhookEvent::Unknown(serde_json::json!([1, 2])));
    assert_eq!(
        WebhookEvent::NAMES,
        ["session.completed", "session.failed", "onStatus"]
    );
}

/// The published Standard Webhooks vector, sent as is over the wire (its timestamp is
/// from 2021, so the server's tolerance is widened): the signature verifies, and the
/// body, which has no `type`, is an `Unknown` event.
#[tokio::test]
async fn the_published_vector_verifies_on_the_wire() {
    let received = Received::default();
    let state = received.clone();
    let app = Router::new().route(
        "/",
        post(move |headers: HeaderMap, body: Bytes| async move {
            let verifier = WebhookVerifier::standard(SECRET)
                .expect("secret")
                .tolerance(Duration::from_secs(100 * 365 * 86_400));
            answer(
                &state,
                WebhookEvent::from_request(&verifier, &headers, &body),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    // libraries/python/tests/test_webhooks.py, `test_sign_function`
    // (github.com/standard-webhooks/standard-webhooks, commit b2fa7b8).
    let response = http()
        .post(format!("http://{addr}/"))
        .header("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
        .header("webhook-timestamp", "1614265330")
        .header(
            "webhook-signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        )
        .body(r#"{"test": 2432232314}"#)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 200);
    let events = received.0.lock().expect("log").clone();
    assert_eq!(
        events,
        [WebhookEvent::Unknown(
            serde_json::json!({"test": 2432232314u64})
        )]
    );
}
