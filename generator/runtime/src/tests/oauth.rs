//! Unit tests of `oauth.rs` and `credential_source.rs`, on loopback: a real token
//! endpoint and a real API server on 127.0.0.1, each counting what it received, and a
//! client that calls the API through the whole request path (`Client::undocumented`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;

use super::http;
use crate::auth::{Credential, Placement, Scheme};
use crate::client_core::{Client, ClientBuilder};
use crate::credential_source::{CredentialFuture, CredentialSource};
use crate::error::Error;
use crate::oauth::OAuth2;
use crate::options::BoxError;

const BEARER: Scheme = Scheme {
    name: "oauth",
    placement: Placement::Bearer,
};
const QUERY_KEY: Scheme = Scheme {
    name: "query_key",
    placement: Placement::Query("api_key"),
};

const CLIENT_SECRET: &str = "s3cr3t-client-value";
const REFRESH_TOKEN: &str = "r3fresh-token-value";

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    head: String,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A server on 127.0.0.1 answering each request (a thread per connection) with what
/// `reply` gives: `(status line, JSON body)`, after `delay`.
struct Loopback {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Loopback {
    fn start(
        delay: Duration,
        reply: impl Fn(&Seen, usize) -> (&'static str, String) + Send + Sync + 'static,
    ) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let reply = Arc::new(reply);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let log = Arc::clone(&log);
                let reply = Arc::clone(&reply);
                std::thread::spawn(move || serve(stream, delay, &log, &*reply));
            }
        });
        Loopback { base, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log").clone()
    }

    fn count(&self) -> usize {
        self.seen.lock().expect("log").len()
    }
}

fn serve(
    mut stream: TcpStream,
    delay: Duration,
    log: &Mutex<Vec<Seen>>,
    reply: &(dyn Fn(&Seen, usize) -> (&'static str, String) + Send + Sync),
) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let split = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..split]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = data[split + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    let seen = Seen {
        line: head.lines().next().unwrap_or_default().to_string(),
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let index = {
        let mut log = log.lock().expect("log");
        log.push(seen.clone());
        log.len() - 1
    };
    std::thread::sleep(delay);
    let (status, body) = reply(&seen, index);
    let text = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes());
}

/// A token answer with `access_token` `token-<n>` for the n-th token request (from 1).
fn token_answer(index: usize, expires_in: u64) -> (&'static str, String) {
    (
        "200 OK",
        format!(
            r#"{{"access_token":"token-{}","token_type":"Bearer","expires_in":{expires_in}}}"#,
            index + 1
        ),
    )
}

/// An API that answers 200 to `Bearer token-<n>` for any n in `accepted`, 401 to the rest.
fn api(accepted: &'static [usize]) -> Loopback {
    Loopback::start(Duration::ZERO, move |seen, _| {
        let ok = accepted
            .iter()
            .any(|n| seen.header("authorization").as_deref() == Some(&*format!("Bearer token-{n}")));
        if ok {
            ("200 OK", r#"{"ok":true}"#.to_string())
        } else {
            ("401 Unauthorized", r#"{"message":"bad token"}"#.to_string())
        }
    })
}

fn client_for(api: &Loopback, scheme: &Scheme, credential: Credential) -> Client {
    let mut builder = ClientBuilder::for_base_url(&api.base).http_client(http().build().expect("client"));
    builder.credentials.set(scheme, credential);
    builder.build().expect("the client builds")
}

fn oauth(token: &Loopback) -> OAuth2 {
    OAuth2::client_credentials(format!("{}/oauth/token", token.base), "client-1", CLIENT_SECRET)
        .scopes(["items:read", "items:write"])
        .http_client(http().build().expect("client"))
}

async fn get(client: &Client) -> Result<serde_json::Value, Error> {
    client.undocumented(Method::GET, "/items").await
}

/// Runs `n` calls at once on the runtime and returns their results.
async fn concurrently(client: &Client, n: usize) -> Vec<Result<serde_json::Value, Error>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("the task runs"));
    }
    results
}

#[tokio::test]
async fn twenty_concurrent_calls_cause_one_token_request() {
    // The endpoint takes 200 ms: every call starts while the first token is on its way.
    let token = Loopback::start(Duration::from_millis(200), |_, i| token_answer(i, 3600));
    let api = api(&[1]);
    let client = client_for(&api, &BEARER, Credential::source(oauth(&token)));
    let results = concurrently(&client, 20).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(token.count(), 1, "one token request for 20 calls");
    assert_eq!(api.count(), 20);
    // The request is the client-credentials grant of RFC 6749 §4.4, with the scopes,
    // the client authenticated with HTTP basic authentication.
    let request = &token.seen()[0];
    assert_eq!(request.line, "POST /oauth/token HTTP/1.1");
    assert_eq!(
        request.body,
        "grant_type=client_credentials&scope=items%3Aread+items%3Awrite"
    );
    let basic = request.header("authorization").expect("basic authentication");
    assert!(basic.starts_with("Basic "), "{basic}");
    assert!(!request.body.contains(CLIENT_SECRET));
}

#[tokio::test]
async fn a_token_is_refreshed_once_within_the_margin_before_it_expires() {
    // Valid for 2 s, replaced 1 s before: after 1.2 s the token still works, but it is
    // refreshed, once for 20 calls.
    let token = Loopback::start(Duration::from_millis(100), |_, i| token_answer(i, 2));
    let api = api(&[1, 2]);
    let source = oauth(&token).refresh_margin(Duration::from_secs(1));
    let client = client_for(&api, &BEARER, Credential::source(source));
    get(&client).await.expect("the first call");
    assert_eq!(token.count(), 1);
    get(&client).await.expect("the token is cached");
    assert_eq!(token.count(), 1, "a fresh token is not fetched again");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let results = concurrently(&client, 20).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(token.count(), 2, "one refresh for 20 calls");
    let last = api.seen().last().and_then(|s| s.header("authorization"));
    assert_eq!(last.as_deref(), Some("Bearer token-2"));
}

#[tokio::test]
async fn a_401_is_answered_by_one_refresh_and_one_resend() {
    // The API no longer takes the first token (revoked early); the second works.
    let token = Loopback::start(Duration::ZERO, |_, i| token_answer(i, 3600));
    let api = api(&[2]);
    // No retries: the resend after a 401 is not a retry.
    let mut builder = ClientBuilder::for_base_url(&api.base)
        .http_client(http().build().expect("client"))
        .max_retries(0);
    builder.credentials.set(&BEARER, Credential::source(oauth(&token)));
    let client = builder.build().expect("builds");
    // A POST with a JSON body: its body is sent again as it was.
    let body = serde_json::json!({"name": "first"});
    let answer: serde_json::Value = client
        .undocumented_with_body(Method::POST, "/items", &body)
        .await
        .expect("the resend succeeds");
    assert_eq!(answer, serde_json::json!({"ok": true}));
    assert_eq!(token.count(), 2, "one refresh");
    let seen = api.seen();
    assert_eq!(seen.len(), 2, "one resend");
    assert_eq!(seen[1].header("authorization").as_deref(), Some("Bearer token-2"));
    assert_eq!(seen[0].body, seen[1].body, "the same body");
    // The next call uses the new token at once.
    client
        .undocumented_with_body::<serde_json::Value, _>(Method::POST, "/items", &body)
        .await
        .expect("the new token");
    assert_eq!((token.count(), api.count()), (2, 3));
}

#[tokio::test]
async fn an_api_that_refuses_every_token_gets_one_resend_and_the_caller_the_401() {
    let token = Loopback::start(Duration::ZERO, |_, i| token_answer(i, 3600));
    let api = api(&[]);
    let client = client_for(&api, &BEARER, Credential::source(oauth(&token)));
    let error = get(&client).await.expect_err("the API refuses every token");
    assert_eq!(error.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(error.attempts(), 2);
    assert_eq!((token.count(), api.count()), (2, 2), "no loop");
}

#[tokio::test]
async fn a_revoked_refresh_token_is_a_clear_error_and_no_loop() {
    let token = Loopback::start(Duration::ZERO, |_, _| {
        (
            "400 Bad Request",
            r#"{"error":"invalid_grant","error_description":"The refresh token was revoked.","error_uri":"https://auth.example/errors#invalid_grant"}"#
                .to_string(),
        )
    });
    let api = api(&[1]);
    let source = OAuth2::refresh_token(format!("{}/oauth/token", token.base), "app-1", REFRESH_TOKEN)
        .http_client(http().build().expect("client"));
    let client = client_for(&api, &BEARER, Credential::source(source));
    let error = get(&client).await.expect_err("no token");
    let refused = error.token_error().expect("a token error");
    assert_eq!(refused.error.as_deref(), Some("invalid_grant"));
    assert_eq!(
        refused.error_description.as_deref(),
        Some("The refresh token was revoked.")
    );
    assert_eq!(
        refused.error_uri.as_deref(),
        Some("https://auth.example/errors#invalid_grant")
    );
    assert_eq!(refused.status, Some(reqwest::StatusCode::BAD_REQUEST));
    let text = error.to_string();
    assert!(
        text.contains("invalid_grant") && text.contains("The refresh token was revoked."),
        "{text}"
    );
    assert_eq!(error.attempts(), 0, "nothing was sent to the API");
    // Later calls fail the same way without asking again: the token is dead.
    let again = get(&client).await.expect_err("still no token");
    assert_eq!(
        again.token_error().and_then(|e| e.error.as_deref()),
        Some("invalid_grant")
    );
    assert_eq!(token.count(), 1, "one token request in all");
    assert_eq!(api.count(), 0);
    let request = &token.seen()[0];
    assert_eq!(
        request.body,
        format!("grant_type=refresh_token&refresh_token={REFRESH_TOKEN}&client_id=app-1")
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_replaces_the_old_one() {
    let token = Loopback::start(Duration::ZERO, |_, i| {
        (
            "200 OK",
            format!(
                r#"{{"access_token":"token-{n}","token_type":"bearer","expires_in":"3600","refresh_token":"rotated-{n}"}}"#,
                n = i + 1
            ),
        )
    });
    let api = api(&[2]);
    let source = OAuth2::refresh_token(format!("{}/oauth/token", token.base), "app-1", REFRESH_TOKEN)
        .http_client(http().build().expect("client"));
    let client = client_for(&api, &BEARER, Credential::source(source));
    // token-1 is refused by the API: the refresh sends the rotated refresh token.
    get(&client).await.expect("the second token works");
    let seen = token.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0].body.contains(&format!("refresh_token={REFRESH_TOKEN}")),
        "{}",
        seen[0].body
    );
    assert!(seen[1].body.contains("refresh_token=rotated-1"), "{}", seen[1].body);
}

#[tokio::test]
async fn token_endpoint_errors_without_rfc_fields_say_what_failed() {
    let token = Loopback::start(Duration::ZERO, |_, _| ("500 Internal Server Error", "oops".to_string()));
    let api = api(&[1]);
    let client = client_for(&api, &BEARER, Credential::source(oauth(&token)));
    let error = get(&client).await.expect_err("no token");
    let refused = error.token_error().expect("a token error");
    assert_eq!(refused.status, Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR));
    assert!(refused.error.is_none());
    // A success that is not a token.
    let token = Loopback::start(Duration::ZERO, |_, _| ("200 OK", r#"{"token":"x"}"#.to_string()));
    let client = client_for(&api, &BEARER, Credential::source(oauth(&token)));
    let error = get(&client).await.expect_err("no token");
    assert!(error.to_string().contains("access_token"), "{error}");
    assert_eq!(api.count(), 0);
}

#[tokio::test]
async fn no_secret_shows_in_debug_or_errors() {
    let token = Loopback::start(Duration::ZERO, |seen, _| {
        if seen.body.contains("grant_type=refresh_token") {
            (
                "400 Bad Request",
                r#"{"error":"invalid_grant","error_description":"revoked"}"#.to_string(),
            )
        } else {
            (
                "200 OK",
                r#"{"access_token":"acc3ss-token-value","expires_in":3600}"#.to_string(),
            )
        }
    });
    let api = api(&[]);
    let source = oauth(&token).client_secret(CLIENT_SECRET);
    let client = client_for(&api, &BEARER, Credential::source(source.clone()));
    let error = get(&client).await.expect_err("the API refuses the token");
    let refresh = OAuth2::refresh_token(format!("{}/oauth/token", token.base), "app-1", REFRESH_TOKEN)
        .client_secret(CLIENT_SECRET)
        .secret_in_body()
        .http_client(http().build().expect("client"));
    let refresh_client = client_for(&api, &BEARER, Credential::source(refresh.clone()));
    let refused = get(&refresh_client).await.expect_err("revoked");
    let texts = [
        format!("{source:?}"),
        format!("{refresh:?}"),
        format!("{client:?}"),
        format!("{refresh_client:?}"),
        format!("{error}"),
        format!("{error:?}"),
        format!("{refused}"),
        format!("{refused:?}"),
    ];
    for text in &texts {
        for secret in [CLIENT_SECRET, REFRESH_TOKEN, "acc3ss-token-value"] {
            assert!(!text.contains(secret), "`{secret}` shows in {text}");
        }
    }
    assert!(
        texts[0].contains("client-1") && texts[0].contains("token_url"),
        "{}",
        texts[0]
    );
    // The secret went in the form, as asked.
    let sent = token.seen();
    assert!(sent
        .iter()
        .any(|s| s.body.contains("client_secret=s3cr3t-client-value")));
}

/// A user's source: counts how often it is asked and rejected, gives `key-<n>`.
struct Counting {
    asked: AtomicUsize,
    rejected: AtomicUsize,
}

impl CredentialSource for Counting {
    fn credential(&self) -> CredentialFuture<'_> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            let n = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
            Ok::<_, BoxError>(format!("key-{n}"))
        })
    }

    fn rejected(&self, credential: &str) -> bool {
        self.rejected.fetch_add(1, Ordering::SeqCst);
        credential == "key-1"
    }
}

#[tokio::test]
async fn a_user_source_is_awaited_before_each_attempt_and_placed_by_its_scheme() {
    let source = Arc::new(Counting {
        asked: AtomicUsize::new(0),
        rejected: AtomicUsize::new(0),
    });
    struct Shared(Arc<Counting>);
    impl CredentialSource for Shared {
        fn credential(&self) -> CredentialFuture<'_> {
            self.0.credential()
        }
        fn rejected(&self, credential: &str) -> bool {
            self.0.rejected(credential)
        }
    }
    // The API takes `api_key=key-3` in the query: key-1 is refused (401, resent with
    // key-2), key-2 gets a 503 (retried with key-3).
    let api = Loopback::start(Duration::ZERO, |seen, _| {
        if seen.line.contains("api_key=key-3") {
            ("200 OK", "{}".to_string())
        } else if seen.line.contains("api_key=key-2") {
            ("503 Service Unavailable", "{}".to_string())
        } else {
            ("401 Unauthorized", "{}".to_string())
        }
    });
    let mut builder = ClientBuilder::for_base_url(&api.base)
        .http_client(http().build().expect("client"))
        .retry_policy(crate::retry::RetryPolicy::default().initial_backoff(Duration::from_millis(1)));
    builder
        .credentials
        .set(&QUERY_KEY, Credential::source(Shared(Arc::clone(&source))));
    let client = builder.build().expect("builds");
    get(&client).await.expect("the third attempt succeeds");
    let lines: Vec<String> = api.seen().into_iter().map(|s| s.line).collect();
    assert_eq!(
        lines,
        [
            "GET /items?api_key=key-1 HTTP/1.1",
            "GET /items?api_key=key-2 HTTP/1.1",
            "GET /items?api_key=key-3 HTTP/1.1"
        ]
    );
    assert_eq!(source.asked.load(Ordering::SeqCst), 3);
    assert_eq!(source.rejected.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_source_that_fails_stops_the_call_before_anything_is_sent() {
    struct Broken;
    impl CredentialSource for Broken {
        fn credential(&self) -> CredentialFuture<'_> {
            Box::pin(async { Err::<String, BoxError>("the vault is sealed".into()) })
        }
    }
    let api = api(&[1]);
    let client = client_for(&api, &BEARER, Credential::source(Broken));
    let error = get(&client).await.expect_err("no credential");
    assert!(matches!(error, Error::Credential(_)), "{error:?}");
    assert_eq!(error.to_string(), "no credential for the request: the vault is sealed");
    assert_eq!(api.count(), 0);
}
