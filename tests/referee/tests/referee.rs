//! The generated client against an axum server whose description utoipa produced:
//! every operation is called, and what the server received and what came back are
//! checked.

use std::time::Duration;

use referee_tests::api::DOWNLOAD_SIZE;
use referee_tests::client::types::{ChatRequest, FormInput, NewItem, UploadForm};
use referee_tests::client::{Client, Error, FilePart};
use referee_tests::server::{self, download_byte, hex, ROUTES};
use sha2::{Digest, Sha256};

async fn client() -> Client {
    let base = server::start().await;
    Client::builder()
        .base_url(base)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client builds")
}

#[test]
fn the_description_is_utoipas_3_1_and_covers_every_route() {
    let description: serde_json::Value =
        serde_json::from_str(referee_tests::DESCRIPTION).expect("JSON");
    assert_eq!(description["openapi"], "3.1.0");
    let mut described: Vec<(String, String)> = Vec::new();
    for (path, item) in description["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            described.push((method.clone(), path.clone()));
        }
    }
    described.sort();
    let mut served: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    served.sort();
    assert_eq!(described, served);
    // utoipa writes a file the 3.1 way: a string with `contentMediaType`.
    let file = &description["components"]["schemas"]["UploadForm"]["properties"]["file"];
    assert_eq!(file["type"], "string");
    assert_eq!(file["contentMediaType"], "application/octet-stream");
}

#[tokio::test]
async fn json_operations_and_a_typed_error() {
    let client = client().await;
    let new = NewItem::new("lamp").tags(vec!["a".into(), "b".into()]);
    let item = client.create_item(&new).await.expect("created");
    assert_eq!(
        (item.id, item.name.as_str(), item.tags.len()),
        (1, "lamp", 2)
    );
    let again = client.get_item(1).await.expect("found");
    assert_eq!(again, item);
    match client.get_item(99).await {
        Err(Error::Status(e)) => {
            assert_eq!(e.status, 404);
            assert_eq!(
                e.parsed.as_ref().map(|p| p.message.as_str()),
                Some("no item 99")
            );
        }
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn chat_answers_json_or_events_by_method() {
    let client = client().await;
    // The body asks for a stream, but the plain method sends `stream: false`.
    let request = ChatRequest::new("hello big world").stream(true);
    let reply = client.chat(&request).await.expect("JSON reply");
    assert_eq!(reply.text, "HELLO BIG WORLD");
    let request = ChatRequest::new("hello big world");
    let mut events = client.chat_stream(&request).await.expect("events");
    assert_eq!(
        events.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"text/event-stream"[..])
    );
    let mut chunks = Vec::new();
    while let Some(event) = events.next_event().await {
        let event = event.expect("a chunk decodes");
        assert_eq!(event.event, "message");
        chunks.push((event.data.index, event.data.delta));
    }
    assert_eq!(
        chunks,
        vec![
            (0, "HELLO ".to_string()),
            (1, "BIG ".to_string()),
            (2, "WORLD ".to_string())
        ]
    );
}

#[tokio::test]
async fn uploads_arrive_with_their_names_types_sizes_and_hashes() {
    let client = client().await;
    let dir = std::env::temp_dir().join(format!("referee-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("report.pdf");
    let content: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &content).expect("write the file");

    let from_disk = UploadForm::new(FilePart::path(&path), "archive");
    let received = client
        .upload_file(&from_disk)
        .await
        .expect("upload from disk");
    assert_eq!(received.file_name.flatten().as_deref(), Some("report.pdf"));
    assert_eq!(
        received.content_type.flatten().as_deref(),
        Some("application/pdf")
    );
    assert_eq!(received.size, content.len() as i64);
    assert_eq!(received.sha256, hex(&Sha256::digest(&content)));
    assert_eq!(received.purpose, "archive");

    let in_memory = UploadForm::new(
        FilePart::bytes(b"id,name\n1,x\n".to_vec())
            .file_name("rows.csv")
            .content_type("text/csv"),
        "table",
    );
    let received = client
        .upload_file(&in_memory)
        .await
        .expect("upload from memory");
    assert_eq!(received.file_name.flatten().as_deref(), Some("rows.csv"));
    assert_eq!(received.content_type.flatten().as_deref(), Some("text/csv"));
    assert_eq!(received.size, 12);
    assert_eq!(received.sha256, hex(&Sha256::digest(b"id,name\n1,x\n")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_download_of_several_mib_streams_and_buffers_alike() {
    let client = client().await;
    let mut download = client
        .download_file("f-1")
        .byte_stream()
        .await
        .expect("download starts");
    assert_eq!(download.content_length(), Some(DOWNLOAD_SIZE));
    let mut hash = Sha256::new();
    let mut offset = 0u64;
    let mut chunks = 0;
    while let Some(chunk) = download.next_chunk().await {
        let chunk = chunk.expect("chunk");
        assert!(chunk
            .iter()
            .enumerate()
            .all(|(i, b)| *b == download_byte(offset + i as u64)));
        hash.update(&chunk);
        offset += chunk.len() as u64;
        chunks += 1;
    }
    assert_eq!(offset, DOWNLOAD_SIZE);
    assert!(chunks > 1, "the body arrived in pieces");
    let whole = client
        .download_file("f-1")
        .await
        .expect("buffered download");
    assert_eq!(hex(&Sha256::digest(&whole)), hex(&hash.finalize()));
}

#[tokio::test]
async fn a_form_is_sent_url_encoded() {
    let client = client().await;
    let echo = client
        .submit_form(&FormInput::new(3, "a b&c=d"))
        .await
        .expect("form accepted");
    assert_eq!(echo.name, "a b&c=d");
    assert_eq!(echo.count, 3);
    assert_eq!(echo.content_type, "application/x-www-form-urlencoded");
}
