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

/// How many crates a check workspace is split into: one per core (at least two, at
/// most four), since rustc checks one crate on one core.
pub fn parts() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4)
}

/// Writes generated clients (module name, files) as modules of `parts` crates of one
/// workspace at `dir` (`{name}-1`, `{name}-2`, …), each with about the same amount of
/// source (the biggest module first, into the lightest crate), so that cargo checks
/// them side by side. Returns the workspace manifest; a diagnostic's path reads
/// `{name}-N/src/{module}/…`.
pub fn write_workspace(
    root: &Path,
    dir: &Path,
    name: &str,
    modules: &[(String, &[openapi_client_gen::GeneratedFile])],
    parts: usize,
) -> std::path::PathBuf {
    let size = |files: &[openapi_client_gen::GeneratedFile]| -> usize {
        files.iter().map(|f| f.contents.len()).sum()
    };
    let mut order: Vec<usize> = (0..modules.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(size(modules[i].1)), modules[i].0.clone()));
    let mut load = vec![0usize; parts];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); parts];
    for i in order {
        let lightest = (0..parts).min_by_key(|&p| (load[p], p)).unwrap_or(0);
        load[lightest] += size(modules[i].1);
        members[lightest].push(i);
    }
    let mut workspace = String::from("[workspace]\nresolver = \"2\"\nmembers = [");
    for (p, member) in members.iter_mut().enumerate() {
        member.sort_by(|&a, &b| modules[a].0.cmp(&modules[b].0));
        let crate_name = format!("{name}-{}", p + 1);
        let crate_dir = dir.join(&crate_name);
        let mut lib = String::from("//! Generated clients, compiled together.\n\n");
        for &i in member.iter() {
            let (module, files) = &modules[i];
            for file in files.iter() {
                write_if_changed(
                    &crate_dir.join("src").join(module).join(&file.path),
                    &file.contents,
                );
            }
            lib.push_str(&format!(
                "#[path = \"{module}/lib.rs\"]\npub mod {module};\n"
            ));
        }
        write_if_changed(&crate_dir.join("src/lib.rs"), &lib);
        let manifest =
            openapi_client_gen::module_crate_manifest(&crate_name).replace("\n[workspace]\n", "\n");
        write_if_changed(&crate_dir.join("Cargo.toml"), &manifest);
        workspace.push_str(&format!(
            "{}\"{crate_name}\"",
            if p == 0 { "" } else { ", " }
        ));
    }
    workspace.push_str("]\n");
    let manifest = dir.join("Cargo.toml");
    write_if_changed(&manifest, &workspace);
    copy_lock_file(root, dir);
    manifest
}

/// The module a diagnostic line of a check workspace is about (`{crate}/src/{module}/…`).
pub fn module_of(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once("src/")?;
    rest.split('/')
        .next()
        .filter(|m| !m.is_empty() && !m.contains(':'))
}

/// Adds a public module `name` (a file `name.rs` with `contents`) to a generated client's
/// files: code compiled together with the client, such as a user's code against it.
pub fn add_module(
    files: &mut Vec<openapi_client_gen::GeneratedFile>,
    name: &str,
    contents: String,
) {
    if let Some(lib) = files.iter_mut().find(|f| f.path == Path::new("lib.rs")) {
        lib.contents.push_str(&format!("\npub mod {name};\n"));
    }
    files.push(openapi_client_gen::GeneratedFile {
        path: std::path::PathBuf::from(format!("{name}.rs")),
        contents,
    });
}
