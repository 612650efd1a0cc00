//! A 256 MiB upload from a file on disk, as a multipart file part, keeps this
//! process's peak memory (VmHWM, client and loopback server together) under 64 MiB;
//! the server checks every byte as it arrives. One test in its own binary.

mod stream_support;

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use prism_tests::streaming_fixture::{types::UploadFileBody, Client, FilePart};
use stream_support::{fill, pattern, peak_rss, write_json, Body, Server};

const SIZE: u64 = 256 * 1024 * 1024;
const LIMIT: u64 = 64 * 1024 * 1024;

/// Reads a multipart body as it arrives: finds the start of the file part's data,
/// checks each byte against the pattern, and answers with how many matched (the
/// closing delimiter and the text part after it are not pattern bytes).
fn check_upload(body: &mut Body) -> (u64, u64) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let mut offset = 0u64;
    let mut matched = 0u64;
    let mut total = 0u64;
    let mut in_file = false;
    loop {
        let n = body.next(&mut buf);
        if n == 0 {
            return (matched, total);
        }
        total += n as u64;
        let mut data = &buf[..n];
        if !in_file {
            head.extend_from_slice(data);
            let Some(at) = head.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let rest = head.split_off(at + 4);
            in_file = true;
            for b in &rest {
                if offset < SIZE && *b == pattern(offset) {
                    matched += 1;
                }
                offset += 1;
            }
            data = &[];
        }
        for b in data {
            if offset < SIZE && *b == pattern(offset) {
                matched += 1;
            }
            offset += 1;
        }
    }
}

#[tokio::test]
async fn a_256_mib_upload_from_disk_streams_in_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("memory-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("big.bin");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        let mut buf = vec![0u8; 1024 * 1024];
        let mut written = 0u64;
        while written < SIZE {
            fill(&mut buf, written);
            file.write_all(&buf).expect("write");
            written += buf.len() as u64;
        }
        file.flush().expect("flush");
    }
    let result = Arc::new(Mutex::new(None));
    let log = Arc::clone(&result);
    let server = Server::start(move |_head, body, stream| {
        let checked = check_upload(body);
        *log.lock().expect("log") = Some(checked);
        write_json(
            stream,
            200,
            &format!(r#"{{"size":{},"sha256":"-"}}"#, checked.0),
        );
    });
    let client = Client::builder()
        .base_url(&server.base_url)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client builds");
    let before = peak_rss();
    let started = Instant::now();
    let body = UploadFileBody::new(FilePart::path(&path), "big");
    let received = client.upload_file(&body).await.expect("upload");
    let peak = peak_rss();
    eprintln!(
        "256 MiB upload: {:.1} s, peak RSS {:.1} MiB (before the upload {:.1} MiB)",
        started.elapsed().as_secs_f64(),
        peak as f64 / 1048576.0,
        before as f64 / 1048576.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    let (matched, total) = result
        .lock()
        .expect("log")
        .expect("the server saw the upload");
    assert_eq!(matched, SIZE, "every byte of the file arrived in order");
    assert_eq!(received.size as u64, SIZE);
    assert!(total > SIZE);
    assert!(peak < LIMIT, "peak RSS {peak} bytes");
}
