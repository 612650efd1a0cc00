//! The `tracing` feature of a generated client (here the TxCloud client, which this
//! crate builds with the feature on): one span per call with the operation, method,
//! path template, status, attempt and duration, a `retrying` event per retry, and no
//! parameter or credential values anywhere.

#[path = "../../support/mod.rs"]
mod support;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use support::{Reply, Server, SEED_EXAMPLE};
use tracing::field::{Field, Visit};
use tracing::{span, Event, Metadata, Subscriber};

/// Records the spans and events of the generated client (`txcloud::…` targets) with
/// every value they were given.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<Recorded>>>,
    events: Arc<Mutex<Vec<Recorded>>>,
}

#[derive(Debug, Clone)]
struct Recorded {
    name: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn last(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0
            .push((field.name().to_string(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("txcloud")
    }

    fn new_span(&self, attributes: &span::Attributes<'_>) -> span::Id {
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().expect("spans");
        spans.push(Recorded {
            name: attributes.metadata().name().to_string(),
            fields,
        });
        span::Id::from_u64(spans.len() as u64)
    }

    fn record(&self, id: &span::Id, values: &span::Record<'_>) {
        let mut spans = self.spans.lock().expect("spans");
        let index = id.into_u64() as usize - 1;
        values.record(&mut Fields(&mut spans[index].fields));
    }

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().expect("events").push(Recorded {
            name: event.metadata().name().to_string(),
            fields,
        });
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

const TOKEN: &str = "sk_trace_secret_token";
const SESSION: &str = "ses_private_4242";

#[test]
fn one_span_per_call_with_status_attempts_and_no_values() {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let server =
        Server::start_with(
            move |_| match next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                0 => Reply::json(503, "{}").with_header("Retry-After", "0"),
                _ => Reply::json(200, SEED_EXAMPLE),
            },
        );
    let capture = Capture::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    tracing::subscriber::with_default(capture.clone(), || {
        runtime.block_on(async {
            let client = txcloud::Client::builder()
                .base_url(&server.base_url)
                .bearer_auth(TOKEN)
                .build()
                .expect("client");
            client
                .complete_session(SESSION)
                .query("secret_query", "q-value-9")
                .await
                .expect("second attempt succeeds");
        })
    });

    let spans = capture.spans.lock().expect("spans").clone();
    assert_eq!(spans.len(), 1, "{spans:#?}");
    let span = &spans[0];
    assert_eq!(span.name, "request");
    assert_eq!(span.last("operation"), Some("\"completeSession\""));
    assert_eq!(span.last("method"), Some("\"POST\""));
    assert_eq!(
        span.last("path"),
        Some("\"/identity/sessions/{id}/complete\"")
    );
    assert_eq!(span.last("status"), Some("200"));
    assert_eq!(span.last("attempt"), Some("2"));
    let duration: u64 = span
        .last("duration_ms")
        .and_then(|d| d.parse().ok())
        .expect("duration recorded");
    assert!(duration < 10_000, "{duration}");
    // The first attempt's status was recorded too, before the retry.
    assert!(span.fields.iter().any(|(k, v)| k == "status" && v == "503"));

    let events = capture.events.lock().expect("events").clone();
    let retries: Vec<_> = events
        .iter()
        .filter(|e| e.last("message") == Some("retrying"))
        .collect();
    assert_eq!(retries.len(), 1, "{events:#?}");
    assert_eq!(retries[0].last("attempt"), Some("1"));

    let everything = format!("{spans:?} {events:?}");
    for secret in [TOKEN, SESSION, "q-value-9"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked: {everything}"
        );
    }
}
