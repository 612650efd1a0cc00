//! Streaming with a generated client (`tests/fixtures/streaming.yaml`) on a loopback
//! server: server-sent events (split at every byte offset, 10,000 in one stream, a
//! malformed one mid-stream, a connection cut mid-event), the JSON/events pair of an
//! operation with a `stream` flag, streamed downloads, and uploads from bytes, a file
//! and a stream with their names and content types.

mod stream_support;

use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prism_tests::streaming_fixture::{
    types::{CompletionChunk, CompletionRequest, Tick, UploadFileBody},
    Base64, BoxError, Client, Error, EventStream, FilePart,
};
use stream_support::{
    download_server, end_chunks, fill, pattern, write_chunk, write_head, write_json, Body, Head,
    Server,
};

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client builds")
}

fn chunk(data: &str) -> Result<CompletionChunk, BoxError> {
    serde_json::from_str(data).map_err(Into::into)
}

/// The requests a server saw: each head with its body.
type Log<B> = Arc<Mutex<Vec<(Head, B)>>>;

/// What the tests compare of an event: name, id, retry, and the decoded delta.
type Seen = (String, String, Option<Duration>, String);

async fn collect(mut events: EventStream<CompletionChunk>) -> Vec<Result<Seen, String>> {
    let mut out = Vec::new();
    while let Some(item) = events.next_event().await {
        out.push(match item {
            Ok(e) => Ok((e.event, e.id, e.retry, e.data.delta)),
            Err(e) => Err(match &e {
                Error::Decode(d) => format!("decode: {}", String::from_utf8_lossy(&d.body)),
                other => format!("other: {other}"),
            }),
        });
    }
    out
}

/// A stream with everything that can be split badly: CRLF and LF line ends, a
/// comment (keep-alive), multi-byte UTF-8 (2, 3 and 4 bytes), `event`/`id`/`retry`
/// fields, data on two lines, a field without a space, and the `[DONE]` terminator
/// followed by an event that must not be read.
const TRICKY: &str = ": keep-alive\r\n\r\ndata: {\"delta\":\"h\u{e9}llo \u{20ac} \u{1f30d}\"}\r\n\r\nevent: delta\r\nid: 7\r\nretry: 1500\r\ndata: {\"delta\":\r\ndata: \"two lines\"}\r\n\r\n: ping\n\ndata:{\"delta\":\"\u{4e16}\u{754c}\"}\n\ndata: [DONE]\n\ndata: {\"delta\":\"after done\"}\n\n";

fn tricky_expected() -> Vec<Result<Seen, String>> {
    vec![
        Ok((
            "message".into(),
            String::new(),
            None,
            "h\u{e9}llo \u{20ac} \u{1f30d}".into(),
        )),
        Ok((
            "delta".into(),
            "7".into(),
            Some(Duration::from_millis(1500)),
            "two lines".into(),
        )),
        Ok((
            "message".into(),
            "7".into(),
            None,
            "\u{4e16}\u{754c}".into(),
        )),
    ]
}

#[tokio::test]
async fn events_split_at_every_byte_offset_decode_the_same() {
    let bytes = TRICKY.as_bytes();
    let expected = tricky_expected();
    let whole = collect(EventStream::from_chunks(vec![bytes.to_vec().into()], chunk)).await;
    assert_eq!(whole, expected);
    // Two pieces, split at every offset (inside UTF-8 characters, inside `data:`,
    // between `\r` and `\n`).
    for at in 0..=bytes.len() {
        let chunks = vec![bytes[..at].to_vec().into(), bytes[at..].to_vec().into()];
        let got = collect(EventStream::from_chunks(chunks, chunk)).await;
        assert_eq!(got, expected, "split at byte {at}");
    }
    // Three pieces: every pair of offsets.
    for a in 0..=bytes.len() {
        for b in a..=bytes.len() {
            let chunks = vec![
                bytes[..a].to_vec().into(),
                bytes[a..b].to_vec().into(),
                bytes[b..].to_vec().into(),
            ];
            let got = collect(EventStream::from_chunks(chunks, chunk)).await;
            assert_eq!(got, expected, "split at bytes {a} and {b}");
        }
    }
    // One byte at a time.
    let chunks = bytes.iter().map(|b| vec![*b].into()).collect();
    assert_eq!(
        collect(EventStream::from_chunks(chunks, chunk)).await,
        expected
    );
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let text = "data: {\"delta\":\"a\"}\n\ndata: {\"delta\": oops}\n\ndata: {\"delta\":\"c\"}\n\n";
    let got = collect(EventStream::from_chunks(
        vec![text.as_bytes().to_vec().into()],
        chunk,
    ))
    .await;
    assert_eq!(
        got,
        vec![
            Ok(("message".into(), String::new(), None, "a".into())),
            Err("decode: {\"delta\": oops}".into()),
            Ok(("message".into(), String::new(), None, "c".into())),
        ]
    );
}

/// Serves `/ticks` as events written by `write`, and records the requests' heads.
fn tick_server(
    write: impl Fn(&mut TcpStream) + Send + Sync + 'static,
) -> (Server, Arc<Mutex<Vec<Head>>>) {
    let heads = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&heads);
    let server = Server::start(move |head, _body, mut stream| {
        log.lock().expect("log").push(head);
        write_head(
            &mut stream,
            200,
            &[
                ("Content-Type", "text/event-stream"),
                ("x-request-id", "req-ticks"),
            ],
            None,
        );
        write(&mut stream);
    });
    (server, heads)
}

#[tokio::test]
async fn ten_thousand_events_in_one_stream_over_the_wire() {
    let (server, heads) = tick_server(|stream| {
        let mut text = String::new();
        for n in 0..10_000 {
            text.push_str(&format!("id: {n}\ndata: {{\"n\":{n}}}\n\n"));
            if n % 1000 == 0 {
                text.push_str(": keep-alive\n\n");
            }
        }
        text.push_str("data: [DONE]\n\n");
        // Chunks of an odd size, so that events straddle them.
        for piece in text.as_bytes().chunks(997) {
            if !write_chunk(stream, piece) {
                return;
            }
        }
        end_chunks(stream);
    });
    let mut events = client(&server).watch_ticks().await.expect("stream starts");
    assert_eq!(events.status(), 200);
    assert_eq!(events.request_id(), Some("req-ticks"));
    let mut seen: Vec<Tick> = Vec::new();
    while let Some(event) = events.next_event().await {
        let event = event.expect("every event decodes");
        assert_eq!(event.id, seen.len().to_string());
        seen.push(event.data);
    }
    assert_eq!(seen.len(), 10_000);
    assert!(seen.iter().enumerate().all(|(i, t)| t.n == i as i64));
    let heads = heads.lock().expect("log");
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn a_server_that_closes_mid_event_ends_the_stream_with_an_error() {
    let (server, _) = tick_server(|stream| {
        write_chunk(stream, b"data: {\"n\":1}\n\ndata: {\"n\":");
        // No last chunk: the connection closes in the middle of an event.
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    let mut events = client(&server).watch_ticks().await.expect("stream starts");
    let first = events
        .next_event()
        .await
        .expect("an item")
        .expect("the first event");
    assert_eq!(first.data.n, 1);
    match events.next_event().await {
        Some(Err(Error::Transport(e))) => assert_eq!(e.attempts, 1),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(
        events.next_event().await.is_none(),
        "nothing after the error"
    );
}

/// `/completions`: JSON when the body's `stream` is false, events when true; records
/// each request's head and body.
fn completion_server() -> (Server, Log<serde_json::Value>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let server = Server::start(move |head, body: &mut Body, mut stream| {
        let json: serde_json::Value = serde_json::from_slice(&body.read_all()).unwrap_or_default();
        log.lock().expect("log").push((head, json.clone()));
        if json["prompt"] == "fail" {
            return write_json(stream, 400, r#"{"message":"no"}"#);
        }
        if json["stream"] == true {
            write_head(
                &mut stream,
                200,
                &[("Content-Type", "text/event-stream")],
                None,
            );
            for word in ["Hel", "lo"] {
                write_chunk(
                    &mut stream,
                    format!("data: {{\"delta\":\"{word}\"}}\n\n").as_bytes(),
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            write_chunk(&mut stream, b"data: [DONE]\n\n");
            end_chunks(&mut stream);
        } else {
            write_json(stream, 200, r#"{"text":"Hello"}"#);
        }
    });
    (server, seen)
}

#[tokio::test]
async fn the_plain_method_asks_for_json_and_the_stream_method_for_events() {
    let (server, seen) = completion_server();
    let client = client(&server);
    // Whatever the body says, each method sends the `stream` value of its shape.
    let body = CompletionRequest::new("hi").stream(true);
    let completion = client.create_completion(&body).await.expect("JSON answer");
    assert_eq!(completion.text, "Hello");
    let body = CompletionRequest::new("hi");
    let mut events = client
        .create_completion_stream(&body)
        .await
        .expect("event stream");
    let mut text = String::new();
    while let Some(event) = events.next_event().await {
        text.push_str(&event.expect("chunk decodes").data.delta);
    }
    assert_eq!(text, "Hello");
    let seen = seen.lock().expect("log");
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].1,
        serde_json::json!({"prompt": "hi", "stream": false})
    );
    assert_eq!(seen[0].0.header("accept"), Some("application/json"));
    assert_eq!(
        seen[1].1,
        serde_json::json!({"prompt": "hi", "stream": true})
    );
    assert_eq!(seen[1].0.header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn an_error_status_on_a_stream_call_keeps_its_typed_body() {
    let (server, _) = completion_server();
    let body = CompletionRequest::new("fail");
    match client(&server).create_completion_stream(&body).await {
        Err(Error::Status(e)) => {
            assert_eq!(e.status, 400);
            assert_eq!(
                e.parsed.as_ref().and_then(|p| p.message.as_deref()),
                Some("no")
            );
            assert_eq!(e.body, br#"{"message":"no"}"#);
        }
        other => panic!("expected the 400, got {other:?}"),
    }
}

#[tokio::test]
async fn a_download_streams_to_a_file_and_the_buffered_form_stays() {
    let size = 3 * 1024 * 1024 + 17;
    let server = download_server(size);
    let client = client(&server);
    let download = client
        .download_file("f1")
        .byte_stream()
        .await
        .expect("download starts");
    assert_eq!(download.content_length(), Some(size));
    let dir = std::env::temp_dir().join(format!("stream-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("download.bin");
    let written = download.write_to(&path).await.expect("written");
    assert_eq!(written, size);
    let file = std::fs::read(&path).expect("read back");
    assert_eq!(file.len() as u64, size);
    assert!(file
        .iter()
        .enumerate()
        .all(|(i, b)| *b == pattern(i as u64)));
    let _ = std::fs::remove_dir_all(&dir);
    // The chunks one by one.
    let mut download = client
        .download_file("f1")
        .byte_stream()
        .await
        .expect("download starts");
    let mut offset = 0u64;
    while let Some(chunk) = download.next_chunk().await {
        let chunk = chunk.expect("chunk");
        assert!(chunk
            .iter()
            .enumerate()
            .all(|(i, b)| *b == pattern(offset + i as u64)));
        offset += chunk.len() as u64;
    }
    assert_eq!(offset, size);
    let whole = client.download_file("f1").await.expect("buffered");
    assert_eq!(whole.len() as u64, size);
}

/// One part of a multipart body.
#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn multipart(head: &Head, body: &[u8]) -> Vec<Part> {
    let content_type = head.header("content-type").expect("content type");
    let boundary = content_type.split("boundary=").nth(1).expect("boundary");
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut parts = Vec::new();
    let positions: Vec<usize> = text
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    for pair in positions.windows(2) {
        let part = &text[pair[0] + delimiter.len() + 2..pair[1] - 2];
        let split = part
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("part head");
        let headers = String::from_utf8_lossy(&part[..split]).to_string();
        let data = part[split + 4..].to_vec();
        let field = |key: &str| {
            headers
                .split(';')
                .find_map(|s| s.trim().strip_prefix(&format!("{key}=\"")))
                .map(|s| s.split('"').next().unwrap_or_default().to_string())
        };
        let content_type = headers
            .lines()
            .find_map(|l| {
                l.strip_prefix("content-type: ")
                    .or_else(|| l.strip_prefix("Content-Type: "))
            })
            .map(str::to_string);
        parts.push(Part {
            name: field("name").expect("part name"),
            file_name: field("filename"),
            content_type,
            data,
        });
    }
    parts
}

fn upload_server() -> (Server, Log<Vec<u8>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let server = Server::start(move |head, body: &mut Body, stream| {
        let data = body.read_all();
        let size = data.len();
        // The first three bytes, base64-encoded by hand.
        let head64 = match data.get(..3) {
            Some(b"xyz") => "eHl6",
            Some(b"abc") => "YWJj",
            _ => "",
        };
        log.lock().expect("log").push((head, data));
        write_json(
            stream,
            200,
            &format!(r#"{{"size":{size},"sha256":"-","head":"{head64}"}}"#),
        );
    });
    (server, seen)
}

#[tokio::test]
async fn file_parts_from_bytes_a_file_and_a_stream_carry_their_names_and_types() {
    let (server, seen) = upload_server();
    let client = client(&server);
    let dir = std::env::temp_dir().join(format!("upload-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("photo.png");
    let mut content = vec![0u8; 200_000];
    fill(&mut content, 0);
    std::fs::write(&path, &content).expect("write the file");

    let from_bytes = UploadFileBody::new(
        FilePart::bytes(b"a,b\n1,2\n".to_vec())
            .file_name("table.csv")
            .content_type("text/csv"),
        "bytes",
    );
    client.upload_file(&from_bytes).await.expect("bytes upload");
    let from_file = UploadFileBody::new(FilePart::path(&path), "file");
    client.upload_file(&from_file).await.expect("file upload");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(b"streamed ".to_vec()), Ok(b"bytes".to_vec())];
    let from_stream = UploadFileBody::new(
        FilePart::stream(futures_util::stream::iter(chunks), None),
        "stream",
    );
    client
        .upload_file(&from_stream)
        .await
        .expect("stream upload");
    let unnamed = UploadFileBody::new(b"raw".to_vec(), "unnamed");
    client.upload_file(&unnamed).await.expect("unnamed upload");

    let seen = seen.lock().expect("log");
    assert_eq!(seen.len(), 4);
    let files: Vec<Part> = seen
        .iter()
        .map(|(head, body)| {
            let parts = multipart(head, body);
            assert_eq!(parts.len(), 2, "a file part and a text part");
            assert_eq!(parts[1].name, "purpose");
            parts.into_iter().next().expect("file part")
        })
        .collect();
    assert_eq!(files[0].name, "file");
    assert_eq!(files[0].file_name.as_deref(), Some("table.csv"));
    assert_eq!(files[0].content_type.as_deref(), Some("text/csv"));
    assert_eq!(files[0].data, b"a,b\n1,2\n");
    assert_eq!(files[1].file_name.as_deref(), Some("photo.png"));
    assert_eq!(files[1].content_type.as_deref(), Some("image/png"));
    assert_eq!(files[1].data, content);
    assert_eq!(files[2].data, b"streamed bytes");
    assert_eq!(
        files[2].content_type.as_deref(),
        Some("application/octet-stream")
    );
    // A file without a name is named after its field, as before.
    assert_eq!(files[3].file_name.as_deref(), Some("file"));
    assert_eq!(files[3].data, b"raw");
    // Sized sources announce their length; the stream of unknown size is chunked.
    assert!(seen[1].0.header("content-length").is_some());
    assert_eq!(seen[2].0.header("transfer-encoding"), Some("chunked"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_binary_body_from_a_file_is_sized_and_from_a_stream_chunked() {
    let (server, seen) = upload_server();
    let client = client(&server);
    let dir = std::env::temp_dir().join(format!("blob-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("blob.bin");
    let mut content = vec![0u8; 100_000];
    fill(&mut content, 0);
    std::fs::write(&path, &content).expect("write the file");
    let received = client
        .put_blob("b1", FilePart::path(&path))
        .await
        .expect("file upload");
    assert_eq!(received.size, 100_000);
    let chunks: Vec<Result<&'static [u8], std::io::Error>> = vec![Ok(b"ab"), Ok(b"cd")];
    client
        .put_blob(
            "b2",
            FilePart::stream(futures_util::stream::iter(chunks), Some(4))
                .content_type("text/plain"),
        )
        .await
        .expect("stream upload");
    let received = client
        .put_blob("b3", b"xyz".to_vec())
        .await
        .expect("bytes upload");
    // `contentEncoding: base64` is decoded for the caller.
    assert_eq!(received.head, Some(Base64(b"xyz".to_vec())));
    let seen = seen.lock().expect("log");
    assert_eq!(seen[0].0.header("content-length"), Some("100000"));
    assert_eq!(
        seen[0].0.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(seen[0].1, content);
    assert_eq!(seen[1].0.header("content-length"), Some("4"));
    assert_eq!(seen[1].0.header("content-type"), Some("text/plain"));
    assert_eq!(seen[1].1, b"abcd");
    assert_eq!(seen[2].1, b"xyz");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_stream_sent_once_cannot_be_sent_again() {
    let (server, _) = upload_server();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"once".to_vec())];
    let body = UploadFileBody::new(
        FilePart::stream(futures_util::stream::iter(chunks), None),
        "x",
    );
    let client = client(&server);
    client.upload_file(&body).await.expect("first upload");
    match client.upload_file(&body).await {
        Err(Error::Io(e)) => assert!(e.to_string().contains("already sent"), "{e}"),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

/// The client's timeout bounds each wait for a streamed answer's data (its head, then
/// every chunk), not the stream as a whole: chunks 100 ms apart for 0.6 s pass a 300 ms
/// timeout, while a head or a chunk that takes a second times out. (Streamed calls go
/// through a `reqwest` client of their own that carries this read timeout; calls read
/// whole are bounded per attempt instead.)
#[tokio::test]
async fn a_streamed_answer_is_bounded_per_wait_for_data_not_as_a_whole() {
    let server = Server::start(|head, _body, mut stream| {
        let pause = |ms| std::thread::sleep(Duration::from_millis(ms));
        if head.path.contains("/late/") {
            pause(1000);
        }
        let octets = [("content-type", "application/octet-stream")];
        write_head(&mut stream, 200, &octets, None);
        for _ in 0..6 {
            pause(if head.path.contains("/stalled/") {
                1000
            } else {
                100
            });
            if !write_chunk(&mut stream, b"0123456789") {
                return;
            }
        }
        end_chunks(&mut stream);
    });
    let client = Client::builder()
        .base_url(&server.base_url)
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .expect("client builds");
    let read_all = |id: &'static str| {
        let client = client.clone();
        async move {
            let started = std::time::Instant::now();
            let mut download = client.download_file(id).byte_stream().await?;
            let mut bytes = Vec::new();
            while let Some(chunk) = download.next_chunk().await {
                bytes.extend_from_slice(&chunk?);
            }
            Ok::<_, Error>((bytes.len(), started.elapsed()))
        }
    };
    let (slow, stalled, late) =
        tokio::join!(read_all("slow"), read_all("stalled"), read_all("late"));
    let (length, took) = slow.expect("a slow stream whose chunks come in time");
    assert_eq!(length, 60);
    assert!(
        took >= Duration::from_millis(500),
        "the stream outlasts the timeout: {took:?}"
    );
    for (what, outcome) in [("a stalled chunk", stalled), ("a late head", late)] {
        let err = outcome.expect_err(what);
        assert!(err.is_timeout(), "{what}: {err:?}");
    }
}
