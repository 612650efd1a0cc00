//! Request overhead: sequential `complete_session` calls of the generated client against
//! a keep-alive HTTP/1.1 server on 127.0.0.1, and the same requests made with `reqwest`
//! by hand (same method, path, headers, and decoding into the same type), so the
//! difference is what the generated client adds.
//!
//! `cargo bench --bench requests`. Each sample alternates the three clients' calls and
//! each bench times its own, so compare their medians within one run. The server answers every request with the seed's
//! example body; it runs on this machine only and stops with the bench.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use txcloud::types::Verification;

const SEED: &str = include_str!("../../../tests/support/seed_example.json");
const TOKEN: &str = "sk_test_0123456789secret";
const SESSION: &str = "ses_123";

/// Starts the server; returns the base URL (`http://127.0.0.1:PORT/v1`).
fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{SEED}",
        SEED.len()
    )
    .into_bytes();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let response = response.clone();
            thread::spawn(move || serve(stream, &response));
        }
    });
    format!("http://{addr}/v1")
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: TcpStream, response: &[u8]) {
    let _ = stream.set_nodelay(true);
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        // Request line and headers.
        let mut length = 0usize;
        let mut first = true;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                if first {
                    continue;
                }
                break;
            }
            first = false;
            if let Some((name, value)) = trimmed.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        if length > 0 {
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
        }
        if writer.write_all(response).is_err() {
            return;
        }
    }
}

/// What a user would write with `reqwest` alone for the same call.
async fn raw_complete_session(
    http: &reqwest::Client,
    base_url: &str,
    id: &str,
) -> Result<Verification, reqwest::Error> {
    http.post(format!("{base_url}/identity/sessions/{id}/complete"))
        .bearer_auth(TOKEN)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await?
        .error_for_status()?
        .json::<Verification>()
        .await
}

fn requests(c: &mut Criterion) {
    let base_url = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = txcloud::Client::builder()
        .base_url(&base_url)
        .bearer_auth(TOKEN)
        .build()
        .expect("client builds");
    // reqwest with only the client's features has no TLS provider of its own.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build().expect("reqwest client");
    // The same, with the generated client's default timeouts (a read timeout on the
    // connection and a timeout on the whole call): what they cost per call.
    let http_timeouts = reqwest::Client::builder()
        .read_timeout(txcloud::DEFAULT_TIMEOUT)
        .timeout(txcloud::DEFAULT_TIMEOUT)
        .build()
        .expect("reqwest client");

    // Both work, and answer the same thing.
    let (a, b) = runtime.block_on(async {
        (
            client
                .complete_session(SESSION)
                .await
                .expect("generated call"),
            raw_complete_session(&http, &base_url, SESSION)
                .await
                .expect("raw call"),
        )
    });
    assert_eq!(a, b);

    // Paired: every sample alternates the generated call with a raw one (and the raw
    // one with timeouts), and each bench times only its own calls, so that the
    // machine's drift during the run (this 2-core machine's loopback round trip moved
    // between 24 and 120 µs from day to day) weighs on all three alike.
    let calls: [Caller; 3] = [
        Caller::Generated(&client),
        Caller::Raw(&http),
        Caller::Raw(&http_timeouts),
    ];
    let mut group = c.benchmark_group("complete_session");
    for (name, timed) in [
        ("generated_client", 0),
        ("raw_reqwest", 1),
        ("raw_reqwest_with_timeouts", 2),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter_custom(|iters| {
                let calls = &calls;
                let base_url = &base_url;
                async move {
                    let mut own = Duration::ZERO;
                    for _ in 0..iters {
                        for (i, call) in calls.iter().enumerate() {
                            let started = Instant::now();
                            black_box(call.call(base_url).await);
                            if i == timed {
                                own += started.elapsed();
                            }
                        }
                    }
                    own
                }
            })
        });
    }
    group.finish();
}

/// One of the clients the bench compares.
enum Caller<'a> {
    Generated(&'a txcloud::Client),
    Raw(&'a reqwest::Client),
}

impl Caller<'_> {
    async fn call(&self, base_url: &str) -> Verification {
        match self {
            Caller::Generated(client) => client.complete_session(SESSION).await.expect("call"),
            Caller::Raw(http) => raw_complete_session(http, base_url, SESSION)
                .await
                .expect("call"),
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = requests
}
criterion_main!(benches);
