//! Completes a TxCloud identity session and prints the verification as JSON.
//!
//! ```text
//! TXCLOUD_API_KEY=sk_... [TXCLOUD_BASE_URL=https://...] cargo run --example complete_session -- <session-id>
//! ```
//!
//! Exit status: 0 with the verification on stdout; 1 with the failure on stderr (for an
//! error answer, its status, the server's request id and the body); 2 for a usage error.

use std::process::ExitCode;
use std::time::Duration;

use txcloud::{Client, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(session_id), None) = (args.next(), args.next()) else {
        eprintln!("usage: complete_session <session-id>  (reads TXCLOUD_API_KEY, and TXCLOUD_BASE_URL if set)");
        return ExitCode::from(2);
    };
    let Ok(api_key) = std::env::var("TXCLOUD_API_KEY") else {
        eprintln!("error: set TXCLOUD_API_KEY to your API key");
        return ExitCode::from(2);
    };
    let mut builder = Client::builder()
        .bearer_auth(api_key)
        .timeout(Duration::from_secs(30));
    if let Ok(base_url) = std::env::var("TXCLOUD_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match client.complete_session(&session_id).await {
        Ok(verification) => match serde_json::to_string_pretty(&verification) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot print the verification: {e}");
                ExitCode::FAILURE
            }
        },
        Err(Error::Status(response)) => {
            eprintln!("error: the server answered HTTP {}", response.status);
            if let Some(id) = &response.request_id {
                eprintln!("request id: {id}");
            }
            eprintln!("{}", response.text());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(id) = e.request_id() {
                eprintln!("request id: {id}");
            }
            ExitCode::FAILURE
        }
    }
}
