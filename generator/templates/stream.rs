//! Streamed answers and bodies, on the same request path as every call: server-sent
//! events decoded one at a time ([`EventStream`]), downloads read chunk by chunk
//! ([`ByteStream`]), and uploads from bytes, a file on disk or a stream ([`FilePart`]).
//!
//! Events are parsed by the `eventsource-stream` crate (the parser under
//! `reqwest-eventsource`): it follows the WHATWG rules for fields, comments, line ends
//! and UTF-8 split across chunks.
#![allow(dead_code)]

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::call::{Call, Streamed};
use super::error::{DecodeError, Error, TransportError, Undocumented};
use super::options::{BoxError, RequestOptions};

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

    /// A timeout for the whole stream (by default only each wait for data is bounded:
    /// see [`ClientBuilder::timeout`](super::ClientBuilder::timeout)).
    pub fn timeout(self, timeout: impl Into<Option<Duration>>) -> Self {
        EventCall { call: self.call.timeout(timeout), ..self }
    }

    /// At most this many retries for this call (0: none). Only getting the answer's
    /// head is retried, never a stream that has started.
    pub fn max_retries(self, retries: u32) -> Self {
        EventCall { call: self.call.max_retries(retries), ..self }
    }

    /// Sends this idempotency key; see [`Call::idempotency_key`].
    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
        EventCall { call: self.call.idempotency_key(key), ..self }
    }

    /// Adds a header to this call.
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        EventCall { call: self.call.header(name, value), ..self }
    }

    /// Adds a query pair to this call.
    pub fn query(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        EventCall { call: self.call.query(name, value), ..self }
    }

    /// Applies a set of options on top of what this call already sets.
    pub fn options(self, options: &RequestOptions) -> Self {
        EventCall { call: self.call.options(options), ..self }
    }
}

impl<T: Send + 'static, E: Send + 'static> IntoFuture for EventCall<T, E> {
    type Output = Result<EventStream<T, E>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let EventCall { call, decode } = self;
        Box::pin(async move { Ok(EventStream::new(call.send_streamed().await?, decode)) })
    }
}

type RawEvents = Pin<Box<dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>> + Send>>;

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
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    attempts: u32,
    done: bool,
    error: PhantomData<fn() -> E>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("done", &self.done)
            .finish()
    }
}

impl<T, E> EventStream<T, E> {
    fn new(answer: Streamed, decode: EventDecoder<T>) -> Self {
        let Streamed { response, status, headers, request_id, attempts } = answer;
        EventStream {
            events: Box::pin(response.bytes_stream().eventsource()),
            decode,
            status,
            headers,
            request_id,
            attempts,
            done: false,
            error: PhantomData,
        }
    }

    /// A stream of the given raw SSE text chunks, as a server would send them (for
    /// tests of code that consumes events).
    pub fn from_chunks(chunks: Vec<Bytes>, decode: EventDecoder<T>) -> Self {
        let chunks = ChunkStream(chunks.into_iter());
        EventStream {
            events: Box::pin(chunks.eventsource()),
            decode,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            request_id: None,
            attempts: 1,
            done: false,
            error: PhantomData,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for this request (`x-request-id` or a similar header).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many times the request was sent before the stream started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The next event, without `futures_util::StreamExt`: `None` once the stream ends.
    pub async fn next_event(&mut self) -> Option<Result<Event<T>, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn decode_error(&self, data: String, source: BoxError) -> Error<E> {
        Error::Decode(Box::new(DecodeError {
            status: self.status,
            headers: self.headers.clone(),
            body: data.into_bytes(),
            source,
            request_id: self.request_id.clone(),
            attempts: self.attempts,
        }))
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
                    EventStreamError::Transport(e) => Error::Transport(Box::new(TransportError::new(e, self.attempts))),
                    EventStreamError::Utf8(e) => self.decode_error(String::from_utf8_lossy(e.as_bytes()).into_owned(), Box::new(e)),
                    EventStreamError::Parser(e) => self.decode_error(e.input.clone(), format!("malformed event stream: {e:?}").into()),
                };
                return Poll::Ready(Some(Err(error)));
            }
        };
        if event.data.trim() == DONE {
            self.done = true;
            return Poll::Ready(None);
        }
        let eventsource_stream::Event { event: name, data, id, retry } = event;
        Poll::Ready(Some(match (self.decode)(&data) {
            Ok(value) => Ok(Event { data: value, event: name, id, retry }),
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
pub(crate) fn with_flag<E, B: serde::Serialize>(body: &B, name: &str, value: bool) -> Result<serde_json::Value, Error<E>> {
    let mut json = serde_json::to_value(body)
        .map_err(|e| Error::InvalidRequest(format!("the body cannot be encoded: {e}")))?;
    match json.as_object_mut() {
        Some(object) => {
            object.insert(name.to_string(), serde_json::Value::Bool(value));
            Ok(json)
        }
        None => Err(Error::InvalidRequest("the body must be a JSON object".to_string())),
    }
}

impl<T, E> Call<T, E> {
    /// Sends the call and answers with the body as a stream of chunks instead of
    /// reading it whole: for downloads too big for memory. An error status is still
    /// read whole (the error keeps its body).
    ///
    /// ```no_run
    /// # async fn example(call: __crate__::Call<Vec<u8>>) -> Result<(), __crate__::Error> {
    /// let written = call.byte_stream().await?.write_to("download.bin").await?;
    /// println!("{written} bytes");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn byte_stream(self) -> Result<ByteStream<E>, Error<E>> {
        let Streamed { response, status, headers, request_id, attempts } = self.send_streamed().await?;
        Ok(ByteStream {
            body: Box::pin(response.bytes_stream()),
            status,
            headers,
            request_id,
            attempts,
            error: PhantomData,
        })
    }
}

/// The body of an answer, chunk by chunk as it arrives: a `futures_core::Stream` of
/// `Result<bytes::Bytes, Error<E>>`. Memory use stays at one chunk whatever the size.
pub struct ByteStream<E = Undocumented> {
    body: Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    attempts: u32,
    error: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("status", &self.status).field("request_id", &self.request_id).finish()
    }
}

impl<E> ByteStream<E> {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for this request (`x-request-id` or a similar header).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The size the server announced (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(reqwest::header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
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
            Poll::Ready(Some(Err(e))) => {
                Poll::Ready(Some(Err(Error::Transport(Box::new(TransportError::new(e, this.attempts))))))
            }
        }
    }
}

type BoxByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A file to upload, as a multipart file part or a whole binary body: from bytes in
/// memory, a file on disk (read as it is sent), or a stream. Its file name and content
/// type can be set; a file on disk names itself and guesses its type from its extension.
///
/// ```no_run
/// # fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use __crate__::FilePart;
///
/// let from_disk = FilePart::path("scan.png"); // named `scan.png`, sent as `image/png`
/// let in_memory = FilePart::bytes(b"a,b\n1,2\n".to_vec()).file_name("table.csv").content_type("text/csv");
/// # let _ = (from_disk, in_memory);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    /// A stream can be sent once: clones share it.
    Stream(Arc<Mutex<Option<BoxByteStream>>>, Option<u64>),
}

impl FilePart {
    /// Bytes in memory; no file name unless one is set.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        FilePart { source: Source::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// A file on disk, opened and read as the request is sent. Its name is the file
    /// name of the path, its content type guessed from the extension.
    pub fn path(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart { source: Source::Path(path), file_name, content_type: None }
    }

    /// A stream of chunks, sent as it is read; `length` is its size when known (then it
    /// is announced; otherwise the body is sent chunked). A stream is sent once: a call
    /// that is retried cannot send it again, so such calls are not retried.
    pub fn stream<S, B, X>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, X>> + Send + 'static,
        B: Into<Bytes>,
        X: Into<BoxError>,
    {
        let stream: BoxByteStream = Box::pin(MapChunks(Box::pin(stream)));
        FilePart { source: Source::Stream(Arc::new(Mutex::new(Some(stream))), length), file_name: None, content_type: None }
    }

    /// The file name sent with a multipart part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type (default: guessed from the file name, else
    /// `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Whether a content type was set (rather than guessed).
    pub fn has_content_type(&self) -> bool {
        self.content_type.is_some()
    }

    /// The file name, if any.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type that is sent.
    pub fn mime(&self) -> &str {
        match &self.content_type {
            Some(t) => t,
            None => self.file_name.as_deref().map_or("application/octet-stream", guess_type),
        }
    }

    /// The size when known without reading (bytes, a stream given its length; a file
    /// is measured when it is opened).
    pub fn len_hint(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(b) => Some(b.len() as u64),
            Source::Path(_) => None,
            Source::Stream(_, length) => *length,
        }
    }

    /// The body to send, and its length when known.
    pub(crate) fn body(&self) -> std::io::Result<(reqwest::Body, Option<u64>)> {
        match &self.source {
            Source::Bytes(b) => Ok((reqwest::Body::from(b.clone()), Some(b.len() as u64))),
            Source::Path(path) => {
                let file = std::fs::File::open(path)?;
                let length = file.metadata()?.len();
                Ok((reqwest::Body::from(tokio::fs::File::from_std(file)), Some(length)))
            }
            Source::Stream(stream, length) => {
                let taken = stream.lock().map_err(|_| std::io::Error::other("the upload stream's lock is poisoned"))?.take();
                match taken {
                    Some(stream) => Ok((reqwest::Body::wrap_stream(stream), *length)),
                    None => Err(std::io::Error::other("this upload stream was already sent")),
                }
            }
        }
    }

    /// The bytes, for a part held in memory.
    fn in_memory(&self) -> Option<&Bytes> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(b) => format!("{} bytes", b.len()),
            Source::Path(p) => format!("file {}", p.display()),
            Source::Stream(_, length) => format!("stream of {length:?} bytes"),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (Source::Stream(a, _), Source::Stream(b, _)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::bytes(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::bytes(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::bytes(Bytes::from_static(bytes))
    }
}

impl From<String> for FilePart {
    fn from(text: String) -> Self {
        FilePart::bytes(text)
    }
}

impl From<&'static str> for FilePart {
    fn from(text: &'static str) -> Self {
        FilePart::bytes(Bytes::from_static(text.as_bytes()))
    }
}

/// In JSON a file is its bytes (an array of numbers, as `Vec<u8>` writes them); a file
/// on disk or a stream has no JSON form.
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.in_memory() {
            Some(bytes) => serializer.collect_seq(bytes.iter()),
            None => Err(serde::ser::Error::custom("a file on disk or a stream cannot be written as JSON")),
        }
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Vec<u8> as serde::Deserialize>::deserialize(deserializer).map(FilePart::bytes)
    }
}

/// The files held by a multipart field, however it is wrapped.
pub trait FileParts {
    fn file_parts(&self) -> Vec<&FilePart>;
}

impl FileParts for FilePart {
    fn file_parts(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn file_parts(&self) -> Vec<&FilePart> {
        self.as_ref().map(FileParts::file_parts).unwrap_or_default()
    }
}

impl FileParts for Vec<FilePart> {
    fn file_parts(&self) -> Vec<&FilePart> {
        self.iter().collect()
    }
}

/// Chunks of any byte type and error, as `Bytes` and `BoxError`.
struct MapChunks<S>(Pin<Box<S>>);

impl<S, B, X> Stream for MapChunks<S>
where
    S: Stream<Item = Result<B, X>>,
    B: Into<Bytes>,
    X: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.get_mut().0.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(item)) => Poll::Ready(Some(item.map(Into::into).map_err(Into::into))),
        }
    }
}

/// A content type from a file name's extension (the common types; the rest are
/// `application/octet-stream`).
pub fn guess_type(file_name: &str) -> &'static str {
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "md" => "text/markdown",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "tar" => "application/x-tar",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "flac" => "audio/flac",
        "m4a" => "audio/mp4",
        "webm" => "video/webm",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Bytes that JSON carries as base64 text (`format: byte`, or `contentEncoding:
/// base64` in OpenAPI 3.1): encoded when sent, decoded when received. Decoding takes
/// the standard and the URL-safe alphabets, with or without padding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64(pub Vec<u8>);

const BASE64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Base64 {
    /// The standard base64 text of the bytes, padded.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for group in self.0.chunks(3) {
            let bits = group.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= group.len() {
                    out.push(char::from(BASE64_ALPHABET[((bits >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Decodes base64 text (standard or URL-safe alphabet; padding optional;
    /// whitespace ignored).
    pub fn decode(text: &str) -> Result<Base64, String> {
        let mut out = Vec::with_capacity(text.len() / 4 * 3);
        let mut bits = 0u32;
        let mut count = 0u32;
        let mut padding = false;
        for c in text.bytes() {
            let value = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                b'=' => {
                    padding = true;
                    continue;
                }
                b' ' | b'\t' | b'\r' | b'\n' => continue,
                _ => return Err(format!("`{}` is not a base64 character", char::from(c))),
            };
            if padding {
                return Err("base64 text goes on after its padding".to_string());
            }
            bits = (bits << 6) | u32::from(value);
            count += 1;
            if count == 4 {
                out.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
                bits = 0;
                count = 0;
            }
        }
        match count {
            0 => {}
            2 => out.push((bits >> 4) as u8),
            3 => out.extend_from_slice(&[(bits >> 10) as u8, (bits >> 2) as u8]),
            _ => return Err("base64 text of an impossible length".to_string()),
        }
        Ok(Base64(out))
    }

    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl std::ops::Deref for Base64 {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Base64::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_reads_both_alphabets() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\xfb\xff\xfe", "+//+"),
        ] {
            assert_eq!(Base64(bytes.to_vec()).encode(), text);
            assert_eq!(Base64::decode(text).as_deref(), Ok(bytes));
        }
        assert_eq!(Base64::decode("-__-").map(|b| b.0), Ok(b"\xfb\xff\xfe".to_vec()));
        assert_eq!(Base64::decode("Zm9vYg").map(|b| b.0), Ok(b"foob".to_vec()));
        assert!(Base64::decode("Zm9v!").is_err());
        assert!(Base64::decode("Z").is_err());
        assert!(Base64::decode("Zg==Zg").is_err());
        let json: Base64 = serde_json::from_str("\"aGk=\"").expect("decodes");
        assert_eq!(json.0, b"hi");
        assert_eq!(serde_json::to_string(&json).expect("encodes"), "\"aGk=\"");
    }

    #[test]
    fn content_types_from_file_names() {
        assert_eq!(guess_type("a.PNG"), "image/png");
        assert_eq!(guess_type("speech.mp3"), "audio/mpeg");
        assert_eq!(guess_type("noext"), "application/octet-stream");
    }
}
