//! Streamed answers, on the same request path as every call: server-sent events
//! decoded one at a time ([`EventStream`]) and downloads read chunk by chunk
//! ([`ByteStream`]). Uploads are in `files.rs`.
//!
//! Events are parsed by the `eventsource-stream` crate (the parser under
//! `reqwest-eventsource`): it follows the WHATWG rules for fields, comments, line ends
//! and UTF-8 split across chunks.
#![allow(dead_code)]

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::call::Call;
use super::error::{DecodeError, Error, TransportError, Undocumented};
use super::options::{per_call_options, BoxError};
use super::response::{head_accessors, ResponseHead};

/// Decodes the data of one event.
pub(crate) type EventDecoder<T> = fn(&str) -> Result<T, BoxError>;

/// The data of a `data: [DONE]` event, which ends a stream (OpenAI's convention).
const DONE: &str = "[DONE]";

/// One server-sent event: its data decoded as the schema of the stream, and its SSE
/// fields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `data:` lines, decoded.
    pub data: T,
    /// The `event:` field; `message` when the server sent none.
    pub event: String,
    /// The last `id:` the server sent in this stream (empty when none).
    pub id: String,
    /// The reconnection time the event asked for (`retry:`).
    pub retry: Option<Duration>,
}

/// A call whose answer is a stream of server-sent events: `.await` it for the
/// [`EventStream`]. Options are set as on [`Call`].
///
/// ```no_run
/// # async fn example(call: __crate__::EventCall<serde_json::Value>) -> Result<(), __crate__::Error> {
/// // `EventStream` is a `futures_core::Stream`; `next_event` saves importing `StreamExt`.
/// let mut events = call.await?;
/// while let Some(event) = events.next_event().await {
///     let event = event?;
///     println!("{}: {:?}", event.event, event.data);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a call sends nothing until it is awaited"]
pub struct EventCall<T, E = Undocumented> {
    call: Call<(), E>,
    decode: EventDecoder<T>,
}

impl<T, E> fmt::Debug for EventCall<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventCall").field("call", &self.call).finish()
    }
}

impl<T, E> EventCall<T, E> {
    pub(crate) fn new(call: Call<(), E>, decode: EventDecoder<T>) -> Self {
        EventCall { call, decode }
    }

    per_call_options!(call.options);
}

impl<T: Send + 'static, E: Send + 'static> IntoFuture for EventCall<T, E> {
    type Output = Result<EventStream<T, E>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let EventCall { call, decode } = self;
        Box::pin(async move {
            let (head, response) = call.send_streamed().await?;
            Ok(EventStream::new(head, response, decode))
        })
    }
}

type RawEvents =
    Pin<Box<dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>> + Send>>;

/// The events of an answer, decoded one at a time as they arrive: a
/// `futures_core::Stream` of `Result<Event<T>, Error<E>>`.
///
/// - An event whose data does not decode is an [`Error::Decode`] item that carries
///   the raw data; the stream goes on after it.
/// - `data: [DONE]` ends the stream; so does the end of the body.
/// - Comments (keep-alives) and events without data are skipped.
/// - A connection lost mid-stream is an [`Error::Transport`] item, and the last.
///   (An event the server did not finish before closing cleanly is dropped, as the
///   SSE standard says.)
pub struct EventStream<T, E = Undocumented> {
    events: RawEvents,
    decode: EventDecoder<T>,
    head: ResponseHead,
    done: bool,
    error: PhantomData<fn() -> E>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.head.status)
            .field("request_id", &self.head.request_id())
            .field("done", &self.done)
            .finish()
    }
}

impl<T, E> EventStream<T, E> {
    fn new(head: ResponseHead, response: reqwest::Response, decode: EventDecoder<T>) -> Self {
        EventStream {
            events: Box::pin(SkipBom::new(response.bytes_stream()).eventsource()),
            decode,
            head,
            done: false,
            error: PhantomData,
        }
    }

    /// A stream of the given raw SSE text chunks, as a server would send them (for
    /// tests of code that consumes events).
    pub fn from_chunks(chunks: Vec<Bytes>, decode: EventDecoder<T>) -> Self {
        let chunks = ChunkStream(chunks.into_iter());
        EventStream {
            events: Box::pin(SkipBom::new(chunks).eventsource()),
            decode,
            head: ResponseHead::new(StatusCode::OK, HeaderMap::new(), 1),
            done: false,
            error: PhantomData,
        }
    }

    head_accessors!(head);

    /// The next event, without `futures_util::StreamExt`: `None` once the stream ends.
    pub async fn next_event(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn decode_error(&self, data: String, source: BoxError) -> Error<E> {
        Error::Decode(Box::new(DecodeError::new(self.head.clone(), data.into_bytes(), source)))
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<T>, Error<E>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let raw = match self.events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(raw)) => raw,
        };
        let event = match raw {
            Ok(event) => event,
            Err(error) => {
                // The rest of the stream cannot be trusted after a broken connection
                // or bytes that are not UTF-8.
                self.done = true;
                let error = match error {
                    EventStreamError::Transport(e) => {
                        Error::Transport(Box::new(TransportError::new(e, self.head.attempts)))
                    }
                    EventStreamError::Utf8(e) => {
                        self.decode_error(String::from_utf8_lossy(e.as_bytes()).into_owned(), Box::new(e))
                    }
                    EventStreamError::Parser(e) => {
                        self.decode_error(e.input.clone(), format!("malformed event stream: {e:?}").into())
                    }
                };
                return Poll::Ready(Some(Err(error)));
            }
        };
        if event.data.trim() == DONE {
            self.done = true;
            return Poll::Ready(None);
        }
        let eventsource_stream::Event {
            event: name,
            data,
            id,
            retry,
        } = event;
        Poll::Ready(Some(match (self.decode)(&data) {
            Ok(value) => Ok(Event {
                data: value,
                event: name,
                id,
                retry,
            }),
            Err(source) => Err(self.decode_error(data, source)),
        }))
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

/// The UTF-8 byte order mark, which may start an event stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A byte stream without the byte order mark it may start with: the SSE grammar allows
/// one, and the parser underneath would fail on it. The mark may arrive split across
/// chunks, so the first bytes wait until they are known not to be one.
struct SkipBom<S> {
    inner: Pin<Box<S>>,
    /// The first bytes, until it is decided whether they are a mark.
    head: Option<Vec<u8>>,
}

impl<S> SkipBom<S> {
    fn new(inner: S) -> Self {
        SkipBom {
            inner: Box::pin(inner),
            head: Some(Vec::new()),
        }
    }
}

impl<S: Stream<Item = Result<Bytes, X>>, X> Stream for SkipBom<S> {
    type Item = Result<Bytes, X>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            let Some(head) = this.head.as_mut() else {
                return this.inner.as_mut().poll_next(cx);
            };
            let ended = match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    head.extend_from_slice(&chunk);
                    false
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => true,
            };
            if !ended && head.len() < BOM.len() && BOM.starts_with(head) {
                continue;
            }
            let mut first = Bytes::from(this.head.take().unwrap_or_default());
            if first.starts_with(BOM) {
                first = first.slice(BOM.len()..);
            }
            if !first.is_empty() {
                return Poll::Ready(Some(Ok(first)));
            }
            if ended {
                return Poll::Ready(None);
            }
        }
    }
}

/// Chunks already in memory, as a stream.
struct ChunkStream(std::vec::IntoIter<Bytes>);

impl Stream for ChunkStream {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.next().map(Ok))
    }
}

/// Decodes the data of an event as JSON.
pub(crate) fn json_event<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, BoxError> {
    serde_json::from_str(data).map_err(Into::into)
}

/// Takes the data of an event as it is (a stream of text).
pub(crate) fn text_event(data: &str) -> Result<String, BoxError> {
    Ok(data.to_string())
}

/// A JSON body with a boolean property set, for operations whose `stream` property
/// chooses between a JSON answer and an event stream.
pub(crate) fn with_flag<E, B: serde::Serialize>(
    body: &B,
    name: &str,
    value: bool,
) -> Result<serde_json::Value, Error<E>> {
    let mut json =
        serde_json::to_value(body).map_err(|e| Error::InvalidRequest(format!("the body cannot be encoded: {e}")))?;
    match json.as_object_mut() {
        Some(object) => {
            object.insert(name.to_string(), serde_json::Value::Bool(value));
            Ok(json)
        }
        None => Err(Error::InvalidRequest("the body must be a JSON object".to_string())),
    }
}

/// The body of an answer, chunk by chunk as it arrives: a `futures_core::Stream` of
/// `Result<bytes::Bytes, Error<E>>`. Memory use stays at one chunk whatever the size.
pub struct ByteStream<E = Undocumented> {
    body: Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>,
    head: ResponseHead,
    error: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.head.status)
            .field("request_id", &self.head.request_id())
            .finish()
    }
}

impl<E> ByteStream<E> {
    pub(crate) fn new(head: ResponseHead, response: reqwest::Response) -> Self {
        ByteStream {
            body: Box::pin(response.bytes_stream()),
            head,
            error: PhantomData,
        }
    }

    head_accessors!(head);

    /// The size the server announced (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.head
            .headers
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The next chunk, without `futures_util::StreamExt`: `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Writes the rest of the body to `writer` and answers with the number of bytes.
    pub async fn write_into<W: tokio::io::AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64, Error<E>> {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(Error::Io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(Error::Io)?;
        Ok(written)
    }

    /// Writes the rest of the body to a file (created, or truncated) and answers with
    /// the number of bytes.
    pub async fn write_to(self, path: impl AsRef<Path>) -> Result<u64, Error<E>> {
        let mut file = tokio::fs::File::create(path).await.map_err(Error::Io)?;
        self.write_into(&mut file).await
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.body.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Error::Transport(Box::new(TransportError::new(
                e,
                this.head.attempts,
            )))))),
        }
    }
}
