//! Unit tests of the runtime, one file per module. They live outside the modules the
//! generator copies, so generated crates do not carry them.
//!
//! The helpers below are shared: a plain `reqwest` client and a tiny HTTP server on
//! 127.0.0.1 for the tests that need real `reqwest` errors or a real answer. No test
//! goes further than the loopback interface.

mod auth;
mod files;
mod oauth;
mod options;
mod pages;
mod retry;
mod runtime;
mod send;
mod stream;
mod webhooks;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A `reqwest` client with the TLS settings of the runtime (no test speaks TLS, but
/// `reqwest` is built without a default crypto provider).
pub(crate) fn http() -> reqwest::ClientBuilder {
    let tls = crate::tls::client_config().expect("the runtime's TLS settings build");
    reqwest::Client::builder().tls_backend_preconfigured(tls)
}

/// The address of a port on 127.0.0.1 where nothing listens: bound, then released.
pub(crate) fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
    listener.local_addr().expect("the bound address")
}

/// What the test server does with one request.
pub(crate) enum Reply {
    /// Writes this raw HTTP answer and closes the connection.
    Answer(String),
    /// Reads the request, then closes the connection without a word.
    Close,
    /// Reads the request and never answers (the connection stays open).
    Hang,
}

/// An HTTP/1.1 answer with this status line, extra header lines and body.
pub(crate) fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut text = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    Reply::Answer(text)
}

/// A server on 127.0.0.1 that gives each request to `reply` (with its request line,
/// e.g. `GET /items?page=2 HTTP/1.1`) and does what it says. It runs on a thread for
/// the rest of the test process.
pub(crate) struct Server {
    pub addr: SocketAddr,
    /// The request line of every request received, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub(crate) fn start(reply: impl Fn(&str) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a test server on 127.0.0.1");
        let addr = listener.local_addr().expect("the server's address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut hanging: Vec<TcpStream> = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let head = read_head(&mut stream);
                let line = head.lines().next().unwrap_or_default().to_string();
                seen.lock().expect("request log").push(line.clone());
                match reply(&line) {
                    Reply::Answer(text) => {
                        let _ = stream.write_all(text.as_bytes());
                    }
                    Reply::Close => drop(stream),
                    Reply::Hang => hanging.push(stream),
                }
            }
        });
        Server { addr, requests }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// The request head (up to the blank line), and any body bytes that came with it.
fn read_head(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while !data.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}
