//! Installs Prism on first use (npm, pinned by `tests/prism/package-lock.json`, into the
//! git-ignored `target/prism/`), starts it on a free 127.0.0.1 port, waits until it
//! answers, and stops it when dropped (also when a test panics).

#[path = "../../support/npm.rs"]
mod npm;

use std::fs::File;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The pinned version; `package.json` and `package-lock.json` beside this crate say the same.
pub const PRISM_VERSION: &str = "5.16.0";

/// The repository root (`tests/prism/../..`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A corpus spec by file name; fails clearly when the corpus is not beside the repository.
pub fn corpus_spec(file: &str) -> PathBuf {
    let path = repo_root().join("../shared/specs").join(file);
    assert!(
        path.exists(),
        "corpus spec {} not found: the tests need ../shared/specs",
        path.display()
    );
    path
}

/// How Prism answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Examples from the spec (or values derived from the schema).
    Static,
    /// Random schema-valid values for every response (`--dynamic`).
    Dynamic,
}

impl Mode {
    /// The `Prefer` header that asks a Prism started in static mode for this mode's
    /// answers, request by request.
    pub fn prefer(self) -> &'static str {
        match self {
            Mode::Static => "dynamic=false",
            Mode::Dynamic => "dynamic=true",
        }
    }
}

/// A running Prism server.
pub struct Prism {
    child: Child,
    pub base_url: String,
    pub log: PathBuf,
}

impl Prism {
    /// Mocks `spec`, with request validation failures answered as errors (`--errors`).
    pub fn start(spec: &Path, mode: Mode) -> Prism {
        let bin = prism_binary();
        let port = free_port();
        let logs = repo_root().join("target/prism/logs");
        std::fs::create_dir_all(&logs).expect("create log dir");
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        let log = logs.join(format!("{stem}-{port}.log"));
        let out = File::create(&log).expect("create log");
        let err = out.try_clone().expect("clone log handle");
        let mut cmd = Command::new("node");
        cmd.arg(&bin)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        if mode == Mode::Dynamic {
            cmd.arg("--dynamic");
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({}): {e}", bin.display()));
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        prism.wait_until_listening(port);
        prism
    }

    fn wait_until_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before listening:\n{}",
                    self.log_text()
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok()
                && self.log_text().contains("Prism is listening")
            {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "Prism did not start listening within 90 s:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What Prism printed so far: its validation verdicts, for failure messages.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    /// The last `lines` lines of the log.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = self.log_text();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// The Prism entry point, installed once per process (and kept across runs).
fn prism_binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(install).clone()
}

fn install() -> PathBuf {
    npm::install(
        &npm::Pinned {
            package: "@stoplight/prism-cli",
            version: PRISM_VERSION,
            entry: "dist/index.js",
            pins: Path::new(env!("CARGO_MANIFEST_DIR")),
            needed_by: "the Prism contract tests",
        },
        &repo_root().join("target/prism"),
    )
}
