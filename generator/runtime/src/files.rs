//! Files and binary data: uploads from bytes, a file on disk or a stream
//! ([`FilePart`]), content types guessed from file names, and base64 fields
//! ([`Base64`]).
#![allow(dead_code)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::options::BoxError;

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
        FilePart {
            source: Source::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file on disk, opened and read as the request is sent. Its name is the file
    /// name of the path, its content type guessed from the extension.
    pub fn path(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart {
            source: Source::Path(path),
            file_name,
            content_type: None,
        }
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
        FilePart {
            source: Source::Stream(Arc::new(Mutex::new(Some(stream))), length),
            file_name: None,
            content_type: None,
        }
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
                let taken = stream
                    .lock()
                    .map_err(|_| std::io::Error::other("the upload stream's lock is poisoned"))?
                    .take();
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
            None => Err(serde::ser::Error::custom(
                "a file on disk or a stream cannot be written as JSON",
            )),
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
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
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
            let bits = group
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
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

    /// The bytes.
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
