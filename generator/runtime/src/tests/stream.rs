//! Unit tests of `stream.rs`: server-sent events framed the same whatever the chunk
//! boundaries, their fields, `[DONE]`, and events whose data does not decode.

use std::time::Duration;

use bytes::Bytes;
use serde::Deserialize;

use crate::error::Error;
use crate::options::BoxError;
use crate::stream::{json_event, text_event, EventStream};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Message {
    n: u32,
    text: String,
}

/// What a consumer sees of one item: an event, or a decode error with its raw data.
#[derive(Debug, Clone, PartialEq)]
enum Seen<T> {
    Event {
        data: T,
        event: String,
        id: String,
        retry: Option<Duration>,
    },
    Undecodable(String),
    Other(String),
}

/// Every item of a stream of these chunks, until it ends; and that it stays ended.
async fn collect<T>(chunks: Vec<Bytes>, decode: fn(&str) -> Result<T, BoxError>) -> Vec<Seen<T>> {
    let mut events: EventStream<T> = EventStream::from_chunks(chunks, decode);
    let mut seen = Vec::new();
    while let Some(item) = events.next_event().await {
        seen.push(match item {
            Ok(e) => Seen::Event {
                data: e.data,
                event: e.event,
                id: e.id,
                retry: e.retry,
            },
            Err(Error::Decode(d)) => Seen::Undecodable(String::from_utf8_lossy(&d.body).into_owned()),
            Err(other) => Seen::Other(other.to_string()),
        });
        assert!(seen.len() < 100, "the stream does not end");
    }
    assert!(events.next_event().await.is_none(), "an ended stream stays ended");
    seen
}

fn chunks_at(text: &[u8], cuts: &[usize]) -> Vec<Bytes> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        chunks.push(Bytes::copy_from_slice(&text[start..cut]));
        start = cut;
    }
    chunks.push(Bytes::copy_from_slice(&text[start..]));
    chunks
}

/// CRLF and LF line ends, comments, every field, multi-line data, multi-byte UTF-8, an
/// event that is not JSON, and events after `[DONE]` that must never be seen.
const STREAM: &str = concat!(
    ": keep-alive\r\n\r\n",
    "event: greeting\r\nid: 1\r\nretry: 3000\r\n",
    "data: {\"n\":1,\"text\":\"héllo ✓\"}\r\n\r\n",
    "data: {\"n\":2,\r\ndata: \"text\":\"two\\nlines\"}\r\n\r\n",
    ": ping\n\n",
    "id: 7\ndata: not json\n\n",
    "id\n\n",
    "event: custom\ndata:{\"n\":3,\"text\":\"🦀 crab\"}\n\n",
    "data: [DONE]\n\n",
    "data: {\"n\":4,\"text\":\"after done\"}\n\n",
);

fn expected() -> Vec<Seen<Message>> {
    let message = |n, text: &str| Message {
        n,
        text: text.to_string(),
    };
    vec![
        Seen::Event {
            data: message(1, "héllo ✓"),
            event: "greeting".to_string(),
            id: "1".to_string(),
            retry: Some(Duration::from_secs(3)),
        },
        // The id stays until the server sends another; `retry` belongs to its event.
        Seen::Event {
            data: message(2, "two\nlines"),
            event: "message".to_string(),
            id: "1".to_string(),
            retry: None,
        },
        Seen::Undecodable("not json".to_string()),
        // A bare `id` line resets the last id.
        Seen::Event {
            data: message(3, "🦀 crab"),
            event: "custom".to_string(),
            id: String::new(),
            retry: None,
        },
    ]
}

#[tokio::test]
async fn events_in_one_chunk() {
    let seen = collect(vec![Bytes::from_static(STREAM.as_bytes())], json_event::<Message>).await;
    assert_eq!(seen, expected());
}

#[tokio::test]
async fn events_split_at_every_byte_offset_are_the_same() {
    let text = STREAM.as_bytes();
    for cut in 0..=text.len() {
        let seen = collect(chunks_at(text, &[cut]), json_event::<Message>).await;
        assert_eq!(
            seen,
            expected(),
            "split at byte {cut}: {:?} | {:?}",
            &text[..cut],
            &text[cut..]
        );
    }
}

#[tokio::test]
async fn events_split_at_pairs_of_offsets_are_the_same() {
    let text = STREAM.as_bytes();
    for first in (0..=text.len()).step_by(3) {
        for second in (first..=text.len()).step_by(7) {
            let seen = collect(chunks_at(text, &[first, second]), json_event::<Message>).await;
            assert_eq!(seen, expected(), "split at bytes {first} and {second}");
        }
    }
}

#[tokio::test]
async fn events_sent_one_byte_at_a_time_are_the_same() {
    let text = STREAM.as_bytes();
    let cuts: Vec<usize> = (1..text.len()).collect();
    assert_eq!(collect(chunks_at(text, &cuts), json_event::<Message>).await, expected());
}

#[tokio::test]
async fn a_leading_byte_order_mark_is_skipped_wherever_the_chunks_cut_it() {
    let text = "\u{feff}data: after the mark\n\n".as_bytes();
    let expected = vec![Seen::Event {
        data: "after the mark".to_string(),
        event: "message".to_string(),
        id: String::new(),
        retry: None,
    }];
    for cuts in [vec![], vec![1], vec![2], vec![3], vec![1, 2], vec![1, 2, 3, 4]] {
        let seen = collect(chunks_at(text, &cuts), text_event).await;
        assert_eq!(seen, expected, "cut at {cuts:?}");
    }
    // Only a mark at the very start is dropped: one inside the data is data.
    let inside = "data: a\u{feff}b\n\n";
    let seen = collect(vec![Bytes::from_static(inside.as_bytes())], text_event).await;
    assert!(
        matches!(&seen[..], [Seen::Event { data, .. }] if data == "a\u{feff}b"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_character_split_across_chunks_is_whole() {
    // "✓" is three bytes and "🦀" four: cut inside each.
    let text = "data: ✓🦀\n\n".as_bytes();
    let start = "data: ".len();
    for cuts in [
        vec![start + 1],
        vec![start + 2],
        vec![start + 4],
        vec![start + 1, start + 5, start + 6],
    ] {
        let seen = collect(chunks_at(text, &cuts), text_event).await;
        assert_eq!(
            seen,
            vec![Seen::Event {
                data: "✓🦀".to_string(),
                event: "message".to_string(),
                id: String::new(),
                retry: None
            }],
            "cut at {cuts:?}"
        );
    }
}

#[tokio::test]
async fn multi_line_data_is_joined_with_line_feeds() {
    let text = "data: first\r\ndata:second\rdata:  third\n\n";
    let seen = collect(vec![Bytes::from_static(text.as_bytes())], text_event).await;
    let data: Vec<_> = seen
        .iter()
        .map(|s| match s {
            Seen::Event { data, .. } => data.clone(),
            other => panic!("an event, not {other:?}"),
        })
        .collect();
    // One space after the colon is dropped, a second one is data.
    assert_eq!(data, vec!["first\nsecond\n third".to_string()], "{text:?}");
}

#[tokio::test]
async fn done_ends_the_stream_even_with_more_to_come() {
    for text in [
        "data: [DONE]\n\ndata: late\n\n",
        "data:[DONE]\r\n\r\ndata: late\r\n\r\n",
        "data: [DONE] \n\n",
    ] {
        let seen = collect(vec![Bytes::from_static(text.as_bytes())], text_event).await;
        assert_eq!(seen, vec![], "{text:?}");
    }
    // Only the exact marker ends it.
    let text = "data: [DONE] now\n\n";
    let seen = collect(vec![Bytes::from_static(text.as_bytes())], text_event).await;
    assert_eq!(seen.len(), 1, "{text:?} is data: {seen:?}");
}

#[tokio::test]
async fn comments_and_empty_events_yield_nothing() {
    for text in [
        "",
        ": keep-alive\n\n",
        ":\n:\n\n",
        "id: 5\n\n",
        "event: ping\n\n",
        "retry: 10\n\n",
        "\n\n\n",
    ] {
        let seen = collect(vec![Bytes::from_static(text.as_bytes())], text_event).await;
        assert_eq!(seen, vec![], "{text:?}");
    }
}

#[tokio::test]
async fn an_event_the_server_did_not_finish_is_dropped() {
    let text = "data: complete\n\ndata: cut off\n";
    let seen = collect(vec![Bytes::from_static(text.as_bytes())], text_event).await;
    assert_eq!(
        seen,
        vec![Seen::Event {
            data: "complete".to_string(),
            event: "message".to_string(),
            id: String::new(),
            retry: None
        }]
    );
}

#[tokio::test]
async fn an_undecodable_event_is_an_error_and_the_stream_goes_on() {
    let text = "data: {\"n\":1,\"text\":\"a\"}\n\ndata: {\"n\":\"two\"}\n\ndata: {\"n\":3,\"text\":\"c\"}\n\n";
    let mut events: EventStream<Message> =
        EventStream::from_chunks(vec![Bytes::from_static(text.as_bytes())], json_event);
    let first = events
        .next_event()
        .await
        .expect("a first item")
        .expect("the first event decodes");
    assert_eq!(first.data.n, 1);
    match events.next_event().await.expect("a second item") {
        Err(Error::Decode(d)) => {
            assert_eq!(d.body, b"{\"n\":\"two\"}", "the error keeps the raw data");
            assert_eq!(d.status, reqwest::StatusCode::OK);
            assert!(d.source.to_string().contains("invalid type"), "why: {}", d.source);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let third = events
        .next_event()
        .await
        .expect("a third item")
        .expect("the third event decodes");
    assert_eq!(third.data.n, 3);
    assert!(events.next_event().await.is_none(), "then the end");
}

#[tokio::test]
async fn bytes_that_are_not_utf8_end_the_stream_with_a_decode_error() {
    let chunks = vec![
        Bytes::from_static(b"data: ok\n\n"),
        Bytes::from_static(b"data: \xff\xfe\n\n"),
        Bytes::from_static(b"data: later\n\n"),
    ];
    let seen = collect(chunks, text_event).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(matches!(&seen[0], Seen::Event { data, .. } if data == "ok"), "{seen:?}");
    assert!(matches!(&seen[1], Seen::Undecodable(_)), "{seen:?}");
}
