//! Request overhead: sequential `complete_session` calls of the generated client against
//! a keep-alive HTTP/1.1 server on 127.0.0.1, and the same requests made with `reqwest`
//! by hand (same method, path, headers, and decoding into the same type), so the
//! difference is what the generated client adds.
//!
//! `cargo bench --bench requests`. Two groups, each with the same three callers:
//! - `complete_session`: the server runs on a thread of its own, as a real server does
//!   (one thread for every connection, so that each caller meets the same scheduling);
//! - `complete_session_cpu`: the server runs on the caller's own thread, so a call costs
//!   only CPU (no thread wakes another): the harshest ratio, and the steadiest.
//!
//! Each sample alternates the three callers' calls and each bench times its own, so
//! compare their medians within one run. The server answers every request with the
//! seed's example body; it runs on this machine only and stops with the bench.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use txcloud::types::Verification;

const SEED: &str = include_str!("../../../tests/support/seed_example.json");
const TOKEN: &str = "sk_test_0123456789secret";
const SESSION: &str = "ses_123";

/// Starts the server on the current runtime; returns the base URL
/// (`http://127.0.0.1:PORT/v1`).
async fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    let response: &'static [u8] = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{SEED}",
        SEED.len()
    )
    .into_bytes()
    .leak();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(serve(stream, response));
        }
    });
    format!("http://{addr}/v1")
}

/// Starts the server on a thread of its own; returns its base URL.
fn start_server_thread() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let _ = sender.send(start_server().await);
            std::future::pending::<()>().await
        });
    });
    receiver.recv().expect("the server starts")
}

/// Answers requests on one connection until the client closes it: reads each request's
/// head, skips its body (`Content-Length`), and writes the answer.
async fn serve(mut stream: TcpStream, response: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let length = content_length(&buffer[..head_end]);
        while buffer.len() < head_end + length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        buffer.drain(..head_end + length);
        if stream.write_all(response).await.is_err() {
            return;
        }
    }
}

/// The `Content-Length` of a request head (0 without one).
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let own_thread = start_server_thread();
    let same_thread = runtime.block_on(start_server());
    for (group, base_url) in [
        ("complete_session", own_thread),
        ("complete_session_cpu", same_thread),
    ] {
        compare(c, &runtime, group, &base_url);
    }
}

/// One group: the three callers against the server at `base_url`.
fn compare(c: &mut Criterion, runtime: &tokio::runtime::Runtime, group: &str, base_url: &str) {
    let client = txcloud::Client::builder()
        .base_url(base_url)
        .bearer_auth(TOKEN)
        .build()
        .expect("client builds");
    // reqwest with only the client's features has no TLS provider of its own.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build().expect("reqwest client");
    // The same, with the generated client's default timeout on each call (a timer per
    // call: what it costs, apart from the client's own work).
    let http_timeouts = reqwest::Client::builder()
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
            raw_complete_session(&http, base_url, SESSION)
                .await
                .expect("raw call"),
        )
    });
    assert_eq!(a, b);

    // Paired: every sample alternates the generated call with a raw one (and the raw
    // one with the timeout), and each bench times only its own calls, so that the
    // machine's drift during the run (this 2-core machine's loopback round trip moved
    // between 24 and 120 µs from day to day) weighs on all three alike.
    let calls: [Caller; 3] = [
        Caller::Generated(&client),
        Caller::Raw(&http),
        Caller::Raw(&http_timeouts),
    ];
    // Every sample's three totals, from all three benches: the ratios within a sample
    // are paired (same moment, same machine state), and their median is printed.
    let samples: RefCell<Vec<[Duration; 3]>> = RefCell::new(Vec::new());
    let mut bench = c.benchmark_group(group);
    for (name, timed) in [
        ("generated_client", 0),
        ("raw_reqwest", 1),
        ("raw_reqwest_with_timeout", 2),
    ] {
        bench.bench_function(name, |b| {
            b.to_async(runtime).iter_custom(|iters| {
                let calls = &calls;
                let samples = &samples;
                async move {
                    let mut totals = [Duration::ZERO; 3];
                    for _ in 0..iters {
                        for (total, call) in totals.iter_mut().zip(calls) {
                            let started = Instant::now();
                            black_box(call.call(base_url).await);
                            *total += started.elapsed();
                        }
                    }
                    samples.borrow_mut().push(totals);
                    totals[timed]
                }
            })
        });
    }
    bench.finish();
    report_paired(group, &samples.into_inner());
}

/// Prints the median of the per-sample ratios, and writes them where `bench/driver.py`
/// reads them (`target/criterion/GROUP/paired.json`).
fn report_paired(group: &str, samples: &[[Duration; 3]]) {
    let median = |against: usize| {
        let mut ratios: Vec<f64> = samples
            .iter()
            .filter(|s| !s[against].is_zero())
            .map(|s| s[0].as_secs_f64() / s[against].as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let (raw, with_timeout) = (median(1), median(2));
    println!(
        "{group}: paired over {} batches (warm-up included), median of generated / raw reqwest = {raw:.3}, \
         generated / raw reqwest with the client's timeout = {with_timeout:.3}",
        samples.len()
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("criterion").join(group);
    let json = format!(
        "{{\"samples\": {}, \"generated_over_raw\": {raw}, \"generated_over_raw_with_timeout\": {with_timeout}}}\n",
        samples.len()
    );
    if let Err(e) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("paired.json"), json))
    {
        eprintln!("{group}: paired ratios not written: {e}");
    }
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
