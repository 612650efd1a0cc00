//! A program of a user's own that links the TxCloud client, written as a new user
//! would: `use txcloud::*;` (so `reqwest` below is the client's re-export, the same
//! crate as the program's own `reqwest` 0.13, which has no TLS feature), and HTTP
//! clients of its own beside the generated one.
//!
//! Cargo unifies the client's `rustls-no-provider` feature into the program's
//! `reqwest`: without a process-wide crypto provider, every `reqwest::Client` the
//! program builds panics ("No rustls crypto provider is configured"). The client
//! installs `ring` as that provider, unless the program installed one, when it is first
//! used (`Client::builder`). The test runs in a process of its own (the only test of
//! this package), where nothing else installed a provider.

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    #[allow(unused_imports)]
    use txcloud::*;

    const SEED: &str = include_str!("../../support/seed_example.json");

    /// An HTTP server on 127.0.0.1 that answers every request with the seed's
    /// verification; returns its base URL.
    fn server() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(&mut stream);
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{SEED}",
                    SEED.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        url
    }

    #[tokio::test]
    async fn the_programs_own_reqwest_works_beside_the_client_without_a_panic() {
        let base = server();
        // The program uses the generated client...
        let client = Client::builder()
            .base_url(&base)
            .bearer_auth("sk_test")
            .build()
            .expect("the client builds");
        let verification = client
            .complete_session("ses_1")
            .await
            .expect("the client's call succeeds");
        assert_eq!(verification.id, "ver_a1b2c3d4e5f6");

        // ...and HTTP clients of its own: `reqwest` is the glob-imported re-export.
        let own = reqwest::Client::new();
        let answer = own
            .get(format!("{base}/ping"))
            .send()
            .await
            .expect("the program's own client reaches the server");
        assert_eq!(answer.status(), 200);
        // HTTPS through the program's own `reqwest::get`: nothing listens on port 1, so
        // it fails as a connection error, not a panic.
        let refused = reqwest::get("https://127.0.0.1:1/").await;
        assert!(refused.expect_err("nothing listens").is_connect());
    }
}
