//! Check crates: generated clients written as modules of one throwaway crate and
//! compiled by cargo in one target folder, shared by the corpus, hostile-spec and fuzz
//! tests so that the dependencies compile once. Include it with
//! `#[path = "…/support/check_crate.rs"] mod check_crate;`.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// A file stem as a module name: ASCII alphanumerics lower-cased, the rest `_`.
pub fn module_name(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes `contents` (creating folders) unless the file already holds exactly that, so
/// cargo sees no change and rebuilds nothing.
pub fn write_if_changed(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

/// The workspace's lock file (`root` is the repository), so the check crate pins the
/// versions the client uses.
pub fn copy_lock_file(root: &Path, dir: &Path) {
    if !dir.join("Cargo.lock").exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    }
}

/// `cargo <args[0]> --manifest-path <manifest> <args[1..]>` in the target folder the
/// check crates share under `root` (the rest may end with `-- -D warnings`, which must
/// stay last).
pub fn cargo(root: &Path, manifest: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(&args[..1])
        .arg("--manifest-path")
        .arg(manifest)
        .args(&args[1..])
        .env("CARGO_TARGET_DIR", root.join("target/corpus-target"))
        .env_remove("RUSTFLAGS");
    command
}

/// `cargo clippy -- -D warnings` (rustc warnings and clippy lints both fail), with
/// `extra` arguments (features) before the `--`.
pub fn clippy(root: &Path, manifest: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["clippy", "--quiet", "--message-format", "short"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--", "-D", "warnings"]);
    cargo(root, manifest, &args).output().expect("cargo runs")
}
