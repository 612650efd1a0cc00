//! A loopback HTTP/1.1 server for the streaming tests that reads request bodies and
//! writes answers as streams (never whole in memory), so that tests can measure the
//! client's memory and cut connections mid-answer. Each connection is handled on its
//! own thread by the test's handler.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

/// The head of a request.
#[derive(Debug, Clone)]
pub struct Head {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub type Handler = Arc<dyn Fn(Head, &mut Body, TcpStream) + Send + Sync>;

pub struct Server {
    pub base_url: String,
}

impl Server {
    pub fn start(handler: impl Fn(Head, &mut Body, TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("address");
        let handler: Handler = Arc::new(handler);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                thread::spawn(move || {
                    let Ok(read_half) = stream.try_clone() else {
                        return;
                    };
                    let mut reader = BufReader::with_capacity(64 * 1024, read_half);
                    let Some(head) = read_head(&mut reader) else {
                        return;
                    };
                    let mut body = Body::new(&head, reader);
                    handler(head, &mut body, stream);
                });
            }
        });
        Server {
            base_url: format!("http://{addr}/v1"),
        }
    }
}

fn read_head(reader: &mut BufReader<TcpStream>) -> Option<Head> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    Some(Head {
        method,
        path,
        headers,
    })
}

/// A request body, read as it arrives (`Content-Length` or chunked).
pub struct Body {
    reader: BufReader<TcpStream>,
    /// Bytes left: of the whole body (sized), or of the current chunk (chunked).
    left: u64,
    chunked: bool,
    done: bool,
}

impl Body {
    fn new(head: &Head, reader: BufReader<TcpStream>) -> Body {
        let chunked = head
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
        let left = head
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Body {
            reader,
            left,
            chunked,
            done: !chunked && left == 0,
        }
    }

    /// The next piece of the body (empty at the end).
    pub fn next(&mut self, buf: &mut [u8]) -> usize {
        if self.done {
            return 0;
        }
        if self.chunked && self.left == 0 {
            let mut size = String::new();
            if self.reader.read_line(&mut size).unwrap_or(0) == 0 {
                self.done = true;
                return 0;
            }
            let size = size.trim();
            if size.is_empty() {
                return self.next(buf);
            }
            self.left = u64::from_str_radix(size.split(';').next().unwrap_or("0"), 16).unwrap_or(0);
            if self.left == 0 {
                let mut trailer = String::new();
                let _ = self.reader.read_line(&mut trailer);
                self.done = true;
                return 0;
            }
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.reader.read(&mut buf[..want]).unwrap_or(0);
        if n == 0 {
            self.done = true;
            return 0;
        }
        self.left -= n as u64;
        if self.left == 0 {
            if self.chunked {
                let mut crlf = [0u8; 2];
                let _ = self.reader.read_exact(&mut crlf);
            } else {
                self.done = true;
            }
        }
        n
    }

    /// The whole body (for small ones).
    pub fn read_all(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = self.next(&mut buf);
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }
}

/// Writes a response head; `length` `None` means a chunked body follows.
pub fn write_head(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    length: Option<u64>,
) {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\n",
        if status < 400 { "OK" } else { "Error" }
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match length {
        Some(n) => head.push_str(&format!("Content-Length: {n}\r\n")),
        None => head.push_str("Transfer-Encoding: chunked\r\n"),
    }
    head.push_str("Connection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes());
}

/// Writes one chunk of a chunked body.
pub fn write_chunk(stream: &mut TcpStream, data: &[u8]) -> bool {
    if data.is_empty() {
        return true;
    }
    let mut frame = format!("{:x}\r\n", data.len()).into_bytes();
    frame.extend_from_slice(data);
    frame.extend_from_slice(b"\r\n");
    stream
        .write_all(&frame)
        .and_then(|_| stream.flush())
        .is_ok()
}

/// Ends a chunked body.
pub fn end_chunks(stream: &mut TcpStream) {
    let _ = stream.write_all(b"0\r\n\r\n");
    let _ = stream.flush();
}

/// A complete JSON answer.
pub fn write_json(mut stream: TcpStream, status: u16, body: &str) {
    write_head(
        &mut stream,
        status,
        &[("Content-Type", "application/json")],
        Some(body.len() as u64),
    );
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

/// The byte at `offset` of the test files: a pattern that a shifted, dropped or
/// repeated chunk breaks.
pub fn pattern(offset: u64) -> u8 {
    ((offset % 251) as u8) ^ ((offset >> 16) as u8)
}

/// Fills `buf` with the pattern from `offset`.
pub fn fill(buf: &mut [u8], offset: u64) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = pattern(offset + i as u64);
    }
}

/// The peak resident memory of this process (VmHWM), in bytes.
pub fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/self/status");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmHWM value");
    kib * 1024
}

/// A server that answers every request with `size` bytes of the [`pattern`], in
/// 64 KiB writes (downloads).
pub fn download_server(size: u64) -> Server {
    Server::start(move |_head, _body, mut stream| {
        write_head(
            &mut stream,
            200,
            &[("Content-Type", "application/octet-stream")],
            Some(size),
        );
        let mut buf = vec![0u8; 64 * 1024];
        let mut sent = 0u64;
        while sent < size {
            let n = (size - sent).min(buf.len() as u64) as usize;
            fill(&mut buf[..n], sent);
            if stream.write_all(&buf[..n]).is_err() {
                return;
            }
            sent += n as u64;
        }
    })
}
