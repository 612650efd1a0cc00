//! `examples/complete_session.rs` run as a user would, against a loopback server.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{Reply, Server, SEED_EXAMPLE};

/// A plain `cargo test` builds the examples next to the test binaries; when only this
/// test was built (`cargo test --test example`), build the example first.
fn example_binary() -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let path = dir
        .join("examples")
        .join(format!("complete_session{}", std::env::consts::EXE_SUFFIX));
    BUILT.call_once(|| {
        if !path.exists() {
            let status = Command::new(env!("CARGO"))
                .args(["build", "--example", "complete_session"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("cargo runs");
            assert!(status.success(), "building the example failed");
        }
    });
    path
}

fn run(server: &Server, args: &[&str]) -> std::process::Output {
    Command::new(example_binary())
        .args(args)
        .env("TXCLOUD_API_KEY", "sk_example_secret")
        .env("TXCLOUD_BASE_URL", &server.base_url)
        .output()
        .expect("example runs")
}

#[test]
fn prints_the_verification_as_json() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    let out = run(&server, &["ses_123"]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(printed["id"], "ver_a1b2c3d4e5f6");
    assert_eq!(printed["status"], "pending");
    assert_eq!(printed["extracted_data"]["last_name"], "El Amrani");
    let request = &server.requests()[0];
    assert_eq!(request.target(), "/v1/identity/sessions/ses_123/complete");
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sk_example_secret")
    );
}

#[test]
fn error_answer_exits_1_with_status_and_body_on_stderr() {
    let server = Server::start(
        Reply::json(404, r#"{"error":"session not found"}"#)
            .with_header("x-request-id", "req_7f3a"),
    );
    let out = run(&server, &["ses_missing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("404"), "{stderr}");
    assert!(stderr.contains("request id: req_7f3a"), "{stderr}");
    assert!(
        stderr.contains(r#"{"error":"session not found"}"#),
        "{stderr}"
    );
    assert!(!stderr.contains("sk_example_secret"), "{stderr}");
}

#[test]
fn missing_argument_is_a_usage_error() {
    let server = Server::start(Reply::json(200, SEED_EXAMPLE));
    let out = run(&server, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(server.requests().is_empty());
}
