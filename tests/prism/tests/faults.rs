//! The runtime of a generated client under injected faults, on a scripted loopback
//! server: for each fault and each method class the retry policy tells apart
//! (idempotent GET, POST with an idempotency key, POST without), how many requests the
//! server saw, what the caller got, and how long the client waited between attempts.
//!
//! The client is generated from `tests/fixtures/runtime.yaml` with default options
//! (the default retry policy: 2 retries, 0.5 s × 2ⁿ backoff less up to 25 % jitter).

#[path = "../../support/script.rs"]
mod script;
#[path = "../../support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use prism_tests::runtime_fixture::{self, types::Item, Client, CreateOrderParams, Error};
use script::{ScriptServer, Step};
use support::{Recorded, Reply};

const ITEM: &str = r#"{"id":"i1","name":"first"}"#;

fn item() -> Item {
    Item::new("i1").name("first")
}

fn fixture_client(server: &ScriptServer, timeout: Duration) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .timeout(timeout)
        .build()
        .expect("client builds")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `GET /items/{id}`.
    Idempotent,
    /// `POST /orders`, which declares an `Idempotency-Key` header: the client makes one.
    KeyedPost,
    /// `POST /items`: no key.
    UnkeyedPost,
}

const CLASSES: [Class; 3] = [Class::Idempotent, Class::KeyedPost, Class::UnkeyedPost];

impl Class {
    fn label(self) -> &'static str {
        match self {
            Class::Idempotent => "GET",
            Class::KeyedPost => "POST + key",
            Class::UnkeyedPost => "POST, no key",
        }
    }

    async fn call(self, client: &Client) -> Result<Item, Error> {
        match self {
            Class::Idempotent => client.get_item("i1").await,
            Class::KeyedPost => {
                client
                    .create_order(&CreateOrderParams::default(), &item())
                    .await
            }
            Class::UnkeyedPost => client.create_item(&item()).await,
        }
    }
}

/// What a call ended with, in a form to compare and print.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Status(u16),
    Transport,
    Timeout,
}

impl Outcome {
    fn of(result: &Result<Item, Error>) -> Outcome {
        match result {
            Ok(_) => Outcome::Ok,
            Err(e) if e.is_timeout() => Outcome::Timeout,
            Err(Error::Status(r)) => Outcome::Status(r.status.as_u16()),
            Err(Error::Transport(_)) => Outcome::Transport,
            Err(other) => panic!("unexpected error: {other}"),
        }
    }

    fn text(&self) -> String {
        match self {
            Outcome::Ok => "200 OK".into(),
            Outcome::Status(s) => format!("error: HTTP {s}"),
            Outcome::Transport => "error: transport".into(),
            Outcome::Timeout => "error: timeout".into(),
        }
    }
}

/// What one class must see under a fault: requests that reached the server, the
/// outcome, and bounds (seconds) for each wait between two connections.
#[derive(Debug, Clone)]
struct Expect {
    requests: usize,
    outcome: Outcome,
    waits: Vec<(f64, f64)>,
    /// Another acceptable result, where the fault races with the client.
    or: Option<Box<Expect>>,
}

fn expect(requests: usize, outcome: Outcome, waits: &[(f64, f64)]) -> Expect {
    Expect {
        requests,
        outcome,
        waits: waits.to_vec(),
        or: None,
    }
}

struct Case {
    fault: &'static str,
    script: Vec<Step>,
    timeout: Duration,
    /// By class, in the order of [`CLASSES`].
    expect: [Expect; 3],
}

/// The first backoff is 0.5 s less up to 25 %; the second 1 s less up to 25 %. The
/// upper bounds leave room for a 2-core machine busy with other builds (measured there:
/// up to 0.7 s late).
const FIRST: (f64, f64) = (0.37, 1.5);
const SECOND: (f64, f64) = (0.74, 2.2);

fn ok() -> Step {
    Step::Reply(Reply::json(200, ITEM))
}

fn created() -> Step {
    Step::Reply(Reply::json(201, ITEM))
}

fn status(code: u16) -> Reply {
    Reply::json(code, r#"{"error":"injected"}"#)
}

fn cases() -> Vec<Case> {
    let second = Duration::from_secs(10);
    let all = |e: Expect| [e.clone(), e.clone(), e];
    let mut cases = vec![
        Case {
            fault: "503 + Retry-After: 1, then success",
            script: vec![
                Step::Reply(status(503).with_header("Retry-After", "1")),
                ok(),
            ],
            timeout: second,
            expect: all(expect(2, Outcome::Ok, &[(0.98, 2.4)])),
        },
        Case {
            fault: "429 + retry-after-ms: 200, then success",
            script: vec![
                Step::Reply(status(429).with_header("retry-after-ms", "200")),
                ok(),
            ],
            timeout: second,
            expect: all(expect(2, Outcome::Ok, &[(0.19, 1.1)])),
        },
        Case {
            fault: "500, then success",
            script: vec![Step::Reply(status(500)), ok()],
            timeout: second,
            expect: [
                expect(2, Outcome::Ok, &[FIRST]),
                expect(2, Outcome::Ok, &[FIRST]),
                expect(1, Outcome::Status(500), &[]),
            ],
        },
        Case {
            fault: "503 on every attempt",
            script: vec![Step::Reply(status(503))],
            timeout: second,
            expect: all(expect(3, Outcome::Status(503), &[FIRST, SECOND])),
        },
        Case {
            fault: "reset before the request was read, then success",
            script: vec![Step::ResetBeforeRequest, ok()],
            timeout: second,
            // The reset races with the client: it usually fails while sending, when
            // it cannot know whether the server got the request, and the unkeyed POST
            // is not resent; when the reset arrives while connecting, nothing was
            // sent and it is.
            expect: [
                expect(1, Outcome::Ok, &[FIRST]),
                expect(1, Outcome::Ok, &[FIRST]),
                Expect {
                    or: Some(Box::new(expect(1, Outcome::Ok, &[FIRST]))),
                    ..expect(0, Outcome::Transport, &[])
                },
            ],
        },
        Case {
            fault: "reset after the request was read, then success",
            script: vec![Step::ResetAfterRequest, ok()],
            timeout: second,
            expect: [
                expect(2, Outcome::Ok, &[FIRST]),
                expect(2, Outcome::Ok, &[FIRST]),
                expect(1, Outcome::Transport, &[]),
            ],
        },
        Case {
            // A timeout of a full second: on a busy machine a shorter one can pass
            // before the client has even written the request.
            fault: "stall past the 1 s timeout, then success",
            script: vec![Step::Stall(Duration::from_secs(4), status(200)), ok()],
            timeout: Duration::from_secs(1),
            expect: [
                expect(2, Outcome::Ok, &[(1.0 + FIRST.0, 1.0 + FIRST.1)]),
                expect(2, Outcome::Ok, &[(1.0 + FIRST.0, 1.0 + FIRST.1)]),
                expect(1, Outcome::Timeout, &[]),
            ],
        },
        Case {
            fault: "503 + x-should-retry: false",
            script: vec![
                Step::Reply(status(503).with_header("x-should-retry", "false")),
                ok(),
            ],
            timeout: second,
            expect: all(expect(1, Outcome::Status(503), &[])),
        },
    ];
    for code in [400, 401, 404, 422] {
        cases.push(Case {
            fault: match code {
                400 => "400",
                401 => "401",
                404 => "404",
                _ => "422",
            },
            script: vec![Step::Reply(status(code)), ok()],
            timeout: second,
            expect: all(expect(1, Outcome::Status(code), &[])),
        });
    }
    cases
}

/// Requests the server read, and the idempotency keys they carried.
fn keys(requests: &[Recorded]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_string))
        .collect()
}

struct Row {
    fault: &'static str,
    class: Class,
    requests: usize,
    outcome: Outcome,
    attempts: u32,
    waits: Vec<Duration>,
    keys: Vec<Option<String>>,
    expect: Expect,
}

/// One case of one class, its server listening and its client built.
struct Prepared {
    fault: &'static str,
    class: Class,
    expect: Expect,
    server: ScriptServer,
    client: Client,
}

fn prepare_case(
    fault: &'static str,
    script: Vec<Step>,
    timeout: Duration,
    class: Class,
    expect: Expect,
) -> Prepared {
    let script: Vec<Step> = script
        .into_iter()
        .map(|step| match (class, step) {
            // POST /orders and /items answer 201.
            (Class::KeyedPost | Class::UnkeyedPost, Step::Reply(r)) if r.status == 200 => created(),
            (_, step) => step,
        })
        .collect();
    let server = ScriptServer::start(script);
    let client = fixture_client(&server, timeout);
    Prepared {
        fault,
        class,
        expect,
        server,
        client,
    }
}

async fn run_case(prepared: Prepared) -> Row {
    let Prepared {
        fault,
        class,
        expect,
        server,
        client,
    } = prepared;
    let result = class.call(&client).await;
    let attempts = match &result {
        Ok(_) => 0,
        Err(e) => e.attempts(),
    };
    let requests = server.requests();
    Row {
        fault,
        class,
        requests: requests.len(),
        outcome: Outcome::of(&result),
        attempts,
        waits: server.gaps(),
        keys: keys(&requests),
        expect,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn faults_by_method_class() {
    // All cases at once: each has its own server, and waits are measured per server.
    // Every client is built first: building one (its TLS roots) takes the CPU long
    // enough to make the other cases' timers late on a 2-core machine.
    let mut prepared = Vec::new();
    for case in cases() {
        for (class, expect) in CLASSES.into_iter().zip(case.expect) {
            let script = case.script.clone();
            prepared.push(prepare_case(
                case.fault,
                script,
                case.timeout,
                class,
                expect,
            ));
        }
    }
    let tasks: Vec<_> = prepared
        .into_iter()
        .map(|case| tokio::spawn(run_case(case)))
        .collect();
    let mut rows = Vec::new();
    for task in tasks {
        rows.push(task.await.expect("case ran"));
    }

    let mut table = String::from(
        "| fault | class | requests seen | outcome | waits (s) |\n|---|---|---:|---|---|\n",
    );
    let mut failures = Vec::new();
    for row in &rows {
        let waits: Vec<String> = row
            .waits
            .iter()
            .map(|w| format!("{:.2}", w.as_secs_f64()))
            .collect();
        writeln!(
            table,
            "| {} | {} | {} | {} | {} |",
            row.fault,
            row.class.label(),
            row.requests,
            row.outcome.text(),
            if waits.is_empty() {
                "—".to_string()
            } else {
                waits.join(", ")
            }
        )
        .expect("write");
        let what = format!("{} / {}", row.fault, row.class.label());
        let mut problems = mismatches(row, &row.expect);
        let mut alternative = row.expect.or.as_deref();
        while let (false, Some(other)) = (problems.is_empty(), alternative) {
            problems = mismatches(row, other);
            alternative = other.or.as_deref();
        }
        failures.extend(problems.into_iter().map(|p| format!("{what}: {p}")));
        match row.class {
            // One generated key, the same on every attempt.
            Class::KeyedPost => {
                let first = row.keys.first().cloned().flatten();
                let well_formed = first.as_deref().is_some_and(|k| k.len() == 36);
                if !row.keys.is_empty() && (!well_formed || row.keys.iter().any(|k| *k != first)) {
                    failures.push(format!("{what}: keys {:?}", row.keys));
                }
            }
            _ => {
                if row.keys.iter().any(Option::is_some) {
                    failures.push(format!("{what}: sent a key {:?}", row.keys));
                }
            }
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}\n{table}", failures.join("\n"));
}

/// How a row differs from what was expected.
fn mismatches(row: &Row, expect: &Expect) -> Vec<String> {
    let mut out = Vec::new();
    if row.requests != expect.requests {
        out.push(format!(
            "{} requests, expected {}",
            row.requests, expect.requests
        ));
    }
    if row.outcome != expect.outcome {
        out.push(format!("{:?}, expected {:?}", row.outcome, expect.outcome));
    }
    if row.waits.len() != expect.waits.len() {
        out.push(format!(
            "{} waits, expected {}",
            row.waits.len(),
            expect.waits.len()
        ));
    }
    for (wait, (lo, hi)) in row.waits.iter().zip(&expect.waits) {
        let secs = wait.as_secs_f64();
        if secs < *lo || secs > *hi {
            out.push(format!("waited {secs:.3} s, expected {lo}..{hi}"));
        }
    }
    if row.outcome != Outcome::Ok && row.attempts as usize != expect.waits.len() + 1 {
        out.push(format!("the error says {} attempts", row.attempts));
    }
    out
}

#[tokio::test]
async fn keys_differ_between_calls_and_a_given_key_is_kept() {
    let server = ScriptServer::start(vec![Step::Reply(status(503)), created()]);
    let client = fixture_client(&server, Duration::from_secs(10));
    client
        .create_order(&CreateOrderParams::default(), &item())
        .await
        .expect("retried");
    client
        .create_order(&CreateOrderParams::default(), &item())
        .await
        .expect("second call");
    let given = CreateOrderParams::new().idempotency_key("order-42");
    client
        .create_order(&given, &item())
        .await
        .expect("third call");
    let keys = keys(&server.requests());
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(keys[0], keys[1], "one key for both attempts of a call");
    assert_ne!(keys[1], keys[2], "each call has its own key");
    assert_eq!(keys[3].as_deref(), Some("order-42"));
}

#[tokio::test]
async fn an_unkeyed_post_is_resent_when_the_connection_was_refused() {
    // Nothing listens on the port until 250 ms from now: the first attempt is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port");
    // The client is built first (loading the system's roots can take a while on a busy
    // machine, and the server must still be down when the first attempt connects).
    let client = Client::builder()
        .base_url(format!("http://{port}/v1"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds");
    let started = Instant::now();
    let server = ScriptServer::start_later(port, Duration::from_millis(250), vec![created()]);
    let item = client
        .create_item(&item())
        .await
        .expect("second attempt succeeds");
    assert_eq!(item.id, "i1");
    assert_eq!(server.requests().len(), 1);
    let elapsed = started.elapsed().as_secs_f64();
    assert!((FIRST.0..FIRST.1 + 0.3).contains(&elapsed), "{elapsed}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_slept() {
    let server = ScriptServer::start(vec![
        Step::Reply(status(503).with_header("Retry-After", "120")),
        ok(),
    ]);
    let client = fixture_client(&server, Duration::from_secs(10));
    let started = Instant::now();
    let err = client.get_item("i1").await.expect_err("503");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert!(err.to_string().contains("retry in 120.0 s"), "{err}");
}

#[tokio::test]
async fn put_is_retried_and_patch_is_not() {
    let server = ScriptServer::start(vec![Step::Reply(status(500)), ok()]);
    let put = fixture_client(&server, Duration::from_secs(10))
        .put_item("i1", &item())
        .await;
    assert!(put.is_ok(), "{put:?}");
    assert_eq!(server.requests().len(), 2);

    let server = ScriptServer::start(vec![Step::Reply(status(500)), ok()]);
    let patch = fixture_client(&server, Duration::from_secs(10))
        .patch_item("i1", &item())
        .await;
    assert_eq!(patch.expect_err("500").attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_streamed_upload_is_sent_once_and_a_buffered_one_is_replayed() {
    let server = ScriptServer::start(vec![Step::Reply(status(503)), ok()]);
    let client = fixture_client(&server, Duration::from_secs(10));
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(b"part one, ".to_vec()), Ok(b"part two".to_vec())];
    let body = runtime_fixture::FilePart::stream(futures_util::stream::iter(chunks), Some(18));
    let err = client.upload(body).await.expect_err("503, not retried");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        server.requests()[0].header("content-type"),
        Some("application/octet-stream")
    );

    // 503 means "not processed": a body the client can copy is sent again.
    let server = ScriptServer::start(vec![Step::Reply(status(503)), ok()]);
    let buffered = fixture_client(&server, Duration::from_secs(10));
    buffered
        .upload(b"whole body".to_vec())
        .await
        .expect("retried");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, b"whole body");
}

#[tokio::test]
async fn per_call_options_and_client_defaults() {
    let server = ScriptServer::start(vec![Step::Reply(status(503))]);
    let base = fixture_client(&server, Duration::from_secs(10));
    let tagged =
        base.with_options(&runtime_fixture::RequestOptions::new().header("x-tenant", "t1"));
    let err = tagged
        .get_item("i1")
        .max_retries(0)
        .header("x-trace", "abc")
        .query("debug", "a b&c")
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 1);
    let request = &server.requests()[0];
    assert_eq!(request.target(), "/v1/items/i1?debug=a+b%26c");
    assert_eq!(request.header("x-tenant"), Some("t1"));
    assert_eq!(request.header("x-trace"), Some("abc"));
    // The original client is unchanged; its calls retry as the default policy says.
    let err = base
        .get_item("i1")
        .timeout(Duration::from_secs(5))
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[1].header("x-tenant"), None);

    // A header that cannot be sent is refused before anything goes out.
    let err = base
        .get_item("i1")
        .header("bad header", "x")
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_clients() {
    let server = ScriptServer::start(vec![Step::Stall(
        Duration::from_secs(3),
        Reply::json(200, ITEM),
    )]);
    let client = fixture_client(&server, Duration::from_secs(30));
    let started = Instant::now();
    let err = client
        .get_item("i1")
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

/// The client's timeout bounds a call that sets none of its own, and only that: a call
/// may wait longer, or without a bound (the client's timeout does not also bound each
/// wait for data of an answer read whole).
#[tokio::test]
async fn a_call_may_wait_longer_than_the_clients_timeout_or_without_one() {
    let slow = || Step::Stall(Duration::from_millis(400), Reply::json(200, ITEM));
    let server = ScriptServer::start(vec![slow(), slow(), slow()]);
    let client = fixture_client(&server, Duration::from_millis(150));
    let (longer, unbounded, default) = tokio::join!(
        client
            .get_item("i1")
            .timeout(Duration::from_secs(5))
            .max_retries(0),
        client.get_item("i1").timeout(None).max_retries(0),
        client.get_item("i1").max_retries(0),
    );
    assert_eq!(longer.expect("a longer timeout of the call's own"), item());
    assert_eq!(unbounded.expect("no timeout"), item());
    let err = default.expect_err("the client's timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn responses_carry_status_headers_request_id_and_attempts() {
    let server = ScriptServer::start(vec![
        Step::Reply(status(502).with_header("x-request-id", "req_first")),
        Step::Reply(Reply::json(200, ITEM).with_header("x-request-id", "req_second")),
    ]);
    let client = fixture_client(&server, Duration::from_secs(10));
    let response = client.get_item("i1").with_response().await.expect("ok");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req_second"));
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.id, "i1", "dereferences to the value");
    assert_eq!(response.into_inner(), item());
}

/// Signs each attempt and records what it saw.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

impl runtime_fixture::Hook for Recorder {
    fn on_request(
        &self,
        request: &mut reqwest::Request,
        attempt: &runtime_fixture::Attempt<'_>,
    ) -> Result<(), runtime_fixture::BoxError> {
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .map_or(0, <[u8]>::len);
        let signature = format!(
            "{} {} {} bytes",
            request.method(),
            request.url().path(),
            body
        );
        request
            .headers_mut()
            .insert("x-signature", signature.parse()?);
        request
            .headers_mut()
            .insert("x-attempt", attempt.number.into());
        self.seen.lock().expect("seen").push(format!(
            "send {} #{} {}",
            attempt.operation, attempt.number, attempt.path
        ));
        Ok(())
    }

    fn on_response(
        &self,
        status: reqwest::StatusCode,
        _: &reqwest::header::HeaderMap,
        attempt: &runtime_fixture::Attempt<'_>,
    ) {
        self.seen.lock().expect("seen").push(format!(
            "answer #{} {}",
            attempt.number,
            status.as_u16()
        ));
    }

    fn on_error(&self, _: &reqwest::Error, attempt: &runtime_fixture::Attempt<'_>) {
        self.seen
            .lock()
            .expect("seen")
            .push(format!("failed #{}", attempt.number));
    }
}

#[tokio::test]
async fn hooks_sign_every_attempt_and_observe_every_answer() {
    let server = ScriptServer::start(vec![
        Step::ResetAfterRequest,
        Step::Reply(status(503)),
        created(),
    ]);
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(&server.base_url)
        .hook(recorder.clone())
        .build()
        .expect("client");
    client.put_item("i1", &item()).await.expect("third attempt");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for (n, request) in requests.iter().enumerate() {
        assert_eq!(
            request.header("x-attempt"),
            Some((n + 1).to_string().as_str())
        );
        assert_eq!(
            request.header("x-signature"),
            Some("PUT /v1/items/i1 26 bytes")
        );
    }
    assert_eq!(
        *recorder.seen.lock().expect("seen"),
        [
            "send putItem #1 /items/{id}",
            "failed #1",
            "send putItem #2 /items/{id}",
            "answer #2 503",
            "send putItem #3 /items/{id}",
            "answer #3 201",
        ]
    );
}

#[tokio::test]
async fn a_hook_error_stops_the_call_before_anything_is_sent() {
    let server = ScriptServer::start(vec![ok()]);
    let client = Client::builder()
        .base_url(&server.base_url)
        .on_request(|_, _| Err("no signing key".into()))
        .build()
        .expect("client");
    let err = client.get_item("i1").await.expect_err("refused");
    assert!(matches!(err, Error::Hook(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "a request hook refused the request: no signing key"
    );
    assert_eq!(server.connections(), 0);
}

/// A token endpoint on 127.0.0.1 that gives `token-<n>` for its n-th request (valid
/// for an hour), and its URL.
fn token_endpoint() -> (support::Server, String) {
    let count = Arc::new(Mutex::new(0usize));
    let server = support::Server::start_with(move |_| {
        let mut n = count.lock().expect("count");
        *n += 1;
        Reply::json(
            200,
            &format!(r#"{{"access_token":"token-{n}","token_type":"Bearer","expires_in":3600}}"#),
        )
    });
    let url = format!("{}/oauth/token", server.base_url);
    (server, url)
}

/// An API on 127.0.0.1 that answers 200 with an item to `Bearer <accepted>`, 401 to
/// anything else.
fn api_taking(accepted: &'static str) -> support::Server {
    support::Server::start_with(move |request| {
        if request.header("authorization") == Some(&*format!("Bearer {accepted}")) {
            Reply::json(200, ITEM)
        } else {
            Reply::json(401, r#"{"error":"unauthorized"}"#)
        }
    })
}

fn oauth_client(api: &support::Server, token_url: &str) -> Client {
    Client::builder()
        .base_url(&api.base_url)
        .oauth_source(
            runtime_fixture::OAuth2::client_credentials(
                token_url,
                "fixture-client",
                "fixture-secret",
            )
            .scopes(["items:read"]),
        )
        .build()
        .expect("client builds")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn oauth_twenty_concurrent_calls_cause_one_token_request() {
    let (token, token_url) = token_endpoint();
    let api = api_taking("token-1");
    let client = oauth_client(&api, &token_url);
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_item("i1").await })
        })
        .collect();
    for call in calls {
        call.await
            .expect("the task runs")
            .expect("the call succeeds");
    }
    assert_eq!(token.requests().len(), 1, "one token request for 20 calls");
    let form = String::from_utf8_lossy(&token.requests()[0].body).into_owned();
    assert_eq!(form, "grant_type=client_credentials&scope=items%3Aread");
    let requests = api.requests();
    assert_eq!(requests.len(), 20);
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer token-1")));
}

#[tokio::test]
async fn oauth_a_401_is_answered_by_one_refresh_and_one_resend_unless_the_body_streams() {
    // The API refuses token-1: a PUT (its JSON body can be sent again) is resent once
    // with token-2.
    let (token, token_url) = token_endpoint();
    let api = api_taking("token-2");
    let client = oauth_client(&api, &token_url);
    let stored = client
        .put_item("i1", &item())
        .await
        .expect("resent with a new token");
    assert_eq!(stored, item());
    assert_eq!(token.requests().len(), 2, "one refresh");
    let requests = api.requests();
    assert_eq!(requests.len(), 2, "one resend");
    assert_eq!(requests[1].header("authorization"), Some("Bearer token-2"));
    assert_eq!(requests[0].body, requests[1].body);

    // A streamed upload cannot be sent again: the caller gets the 401.
    let (token, token_url) = token_endpoint();
    let api = api_taking("token-2");
    let client = oauth_client(&api, &token_url);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"streamed".to_vec())];
    let body = runtime_fixture::FilePart::stream(futures_util::stream::iter(chunks), Some(8));
    let err = client.upload(body).await.expect_err("401, not resent");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!((token.requests().len(), api.requests().len()), (1, 1));
}

#[tokio::test]
async fn oauth_the_generated_flow_methods_use_the_specs_token_url() {
    // The fixture's token URL is a closed port on 127.0.0.1: the call fails there,
    // before anything reaches the API, with the spec's URL in the error.
    let api = api_taking("token-1");
    for client in [
        Client::builder()
            .base_url(&api.base_url)
            .oauth_client_credentials("fixture-client", "fixture-secret")
            .build(),
        Client::builder()
            .base_url(&api.base_url)
            .oauth_refresh_token("fixture-client", "fixture-refresh-token")
            .build(),
    ] {
        let client = client.expect("client builds");
        let err = client.get_item("i1").await.expect_err("no token endpoint");
        let token_error = err.token_error().expect("a token error");
        assert_eq!(token_error.token_url, "http://127.0.0.1:9/oauth/token");
        let text = format!("{err} {err:?} {client:?}");
        assert!(
            !text.contains("fixture-secret") && !text.contains("fixture-refresh-token"),
            "{text}"
        );
    }
    assert!(api.requests().is_empty());
}
