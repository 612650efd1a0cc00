//! A 256 MiB download through the streaming API keeps this process's peak memory
//! (VmHWM, client and loopback server together) under 64 MiB. One test in its own
//! binary, so that nothing else raises the peak.

mod stream_support;

use std::time::{Duration, Instant};

use prism_tests::streaming_fixture::Client;
use stream_support::{download_server, pattern, peak_rss};

const SIZE: u64 = 256 * 1024 * 1024;
const LIMIT: u64 = 64 * 1024 * 1024;

#[tokio::test]
async fn a_256_mib_download_streams_in_bounded_memory() {
    let server = download_server(SIZE);
    let client = Client::builder()
        .base_url(&server.base_url)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client builds");
    let before = peak_rss();
    let started = Instant::now();
    let mut download = client
        .download_file("big")
        .byte_stream()
        .await
        .expect("download starts");
    let mut offset = 0u64;
    while let Some(chunk) = download.next_chunk().await {
        let chunk = chunk.expect("chunk");
        // Spot-check the content: first and last byte of every chunk.
        assert_eq!(chunk.first(), Some(&pattern(offset)));
        assert_eq!(
            chunk.last(),
            Some(&pattern(offset + chunk.len() as u64 - 1))
        );
        offset += chunk.len() as u64;
    }
    assert_eq!(offset, SIZE);
    let peak = peak_rss();
    eprintln!(
        "256 MiB download: {:.1} s, peak RSS {:.1} MiB (before the download {:.1} MiB)",
        started.elapsed().as_secs_f64(),
        peak as f64 / 1048576.0,
        before as f64 / 1048576.0
    );
    assert!(peak < LIMIT, "peak RSS {peak} bytes");
}
