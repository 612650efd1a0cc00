//! The hostile-spec suite: small documents aimed at the corners of OpenAPI and YAML
//! (`tests/hostile/`, see its README). Every valid document must generate without a
//! panic, compile with all the others (one crate per core) under `cargo clippy -- -D warnings`,
//! document under `cargo doc` with `RUSTDOCFLAGS=-D warnings`, produce no doctest, keep
//! every wire name, and give a manifest that cargo reads. Every invalid one must be
//! refused in under a second, in bounded memory, with one line naming the file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use check_crate::write_if_changed;
use openapi_client_gen::{Config, Output};

#[path = "support/check_crate.rs"]
mod check_crate;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn docs_in(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join("tests/hostile").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    files.sort();
    files
}

fn module_name(path: &Path) -> String {
    check_crate::module_name(path.file_stem().and_then(|s| s.to_str()).unwrap_or("doc"))
}

fn render(path: &Path, module: &str) -> Result<Output, String> {
    let mut config = Config::new(path);
    config
        .source_name(format!("hostile/{module}"))
        .crate_name(format!("hostile-{}", module.replace('_', "-")));
    std::panic::catch_unwind(|| config.render())
        .map_err(|_| format!("{}: PANIC", path.display()))?
        .map_err(|e| e.to_string())
}

/// Property names, parameter names and enum strings of the document, as the generator
/// read it (extensions skipped: nothing is generated from them).
fn wire_names(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            // Path parameters are checked by the compile (an argument per template
            // name); a declared one missing from the template is not sent (a warning).
            if let (Some(serde_json::Value::String(name)), Some(location)) =
                (map.get("name"), map.get("in"))
            {
                if location != "path" {
                    out.push(name.clone());
                }
            }
            for (key, child) in map {
                if key.starts_with("x-") || key == "extensions" {
                    continue;
                }
                if key == "properties" {
                    if let serde_json::Value::Object(props) = child {
                        out.extend(props.keys().cloned());
                    }
                }
                // String enums (a mixed one is typed as a JSON value and keeps all).
                if key == "enum" {
                    if let serde_json::Value::Array(values) = child {
                        if values.iter().all(|v| v.is_string() || v.is_null()) {
                            out.extend(
                                values.iter().filter_map(|v| v.as_str().map(str::to_string)),
                            );
                        }
                    }
                }
                wire_names(child, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| wire_names(i, out)),
        _ => {}
    }
}

/// Problems with the doc comments of a generated file: a code block rustdoc would run
/// as a doctest (a fence without a non-Rust language, or an indented block).
fn doctest_problems(file: &str, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            continue;
        };
        let doc = doc.strip_prefix(' ').unwrap_or(doc);
        let content = doc.trim_start();
        let marker = content.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| content.chars().take_while(|c| *c == m).count());
        match (marker, fence) {
            (Some(m), Some((open, len)))
                if run >= 3 && m == open && run >= len && content[run..].trim().is_empty() =>
            {
                fence = None
            }
            (Some(m), None) if run >= 3 => {
                let lang = content[run..].trim();
                let rusty = lang.is_empty()
                    || [
                        "rust",
                        "no_run",
                        "should_panic",
                        "compile_fail",
                        "ignore",
                        "edition",
                        "test_harness",
                        "standalone",
                    ]
                    .iter()
                    .any(|w| lang.contains(w));
                if rusty {
                    problems.push(format!(
                        "{file}:{}: code block `{lang}` would be a doctest",
                        n + 1
                    ));
                }
                fence = Some((m, run));
            }
            (_, None) if doc.len() - content.len() >= 4 && !content.is_empty() => {
                problems.push(format!(
                    "{file}:{}: indented code block would be a doctest",
                    n + 1
                ));
            }
            _ => {}
        }
    }
    problems
}

/// `cargo` on the check crate in `dir`; `rustdocflags` makes rustdoc warnings errors.
fn cargo(dir: &Path, args: &[&str], rustdocflags: bool) -> std::process::Output {
    let mut command = check_crate::cargo(Path::new(ROOT), &dir.join("Cargo.toml"), args);
    if rustdocflags {
        command.env("RUSTDOCFLAGS", "-D warnings");
    }
    command.output().expect("cargo runs")
}

#[test]
fn valid_hostile_documents_compile_document_and_keep_their_wire_names() {
    let started = Instant::now();
    let files = docs_in("valid");
    assert!(
        files.len() >= 30,
        "expected at least 30 valid documents, found {}",
        files.len()
    );
    let dir = Path::new(ROOT).join("target/hostile-check");
    let mut clients = Vec::new();
    let mut problems = Vec::new();
    for path in &files {
        let module = module_name(path);
        let output = match render(path, &module) {
            Ok(output) => output,
            Err(e) => {
                problems.push(format!("{module}: does not generate: {e}"));
                continue;
            }
        };
        let all: String = output.files.iter().map(|f| f.contents.as_str()).collect();
        // Every wire name survives, as a string literal (a `rename`, a parameter name,
        // an enum value) or as the field's own name.
        let doc = openapi_client_gen::load::load_file(path).expect("loads");
        let mut names = Vec::new();
        wire_names(
            &serde_json::to_value(&doc.api).expect("serialises"),
            &mut names,
        );
        for name in names {
            let literal = format!("{name:?}");
            let as_field = format!(" {name}: ");
            let as_raw_field = format!(" r#{name}: ");
            if !all.contains(&literal) && !all.contains(&as_field) && !all.contains(&as_raw_field) {
                problems.push(format!("{module}: wire name {literal} is lost"));
            }
        }
        for file in &output.files {
            if file.path.extension().is_some_and(|e| e == "rs") {
                problems.extend(doctest_problems(
                    &format!("{module}/{}", file.path.display()),
                    &file.contents,
                ));
            }
        }
        // The manifest is read by cargo itself (a title may hold quotes and newlines).
        let manifest_dir = Path::new(ROOT)
            .join("target/hostile-manifests")
            .join(&module);
        for file in &output.files {
            let mut contents = file.contents.clone();
            if file.path == Path::new("Cargo.toml") {
                contents.push_str("\n[workspace]\n");
            }
            write_if_changed(&manifest_dir.join(&file.path), &contents);
        }
        let metadata = cargo(
            &manifest_dir,
            &[
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--offline",
            ],
            false,
        );
        if !metadata.status.success() {
            problems.push(format!(
                "{module}: Cargo.toml is not read by cargo: {}",
                String::from_utf8_lossy(&metadata.stderr)
            ));
        }
        clients.push((module, output.files));
    }
    // One crate per core, checked and documented side by side.
    let modules: Vec<(String, &[openapi_client_gen::GeneratedFile])> = clients
        .iter()
        .map(|(module, files)| (module.clone(), files.as_slice()))
        .collect();
    check_crate::write_workspace(
        Path::new(ROOT),
        &dir,
        "hostile-check",
        &modules,
        check_crate::parts(),
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let generated = started.elapsed();

    let clippy = cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            // With the typed mocks: hostile names meet the mock builders' names too.
            "--features",
            "mock",
            "--quiet",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ],
        false,
    );
    assert!(
        clippy.status.success(),
        "the hostile clients do not compile cleanly:\n{}",
        String::from_utf8_lossy(&clippy.stderr)
    );
    let doc = cargo(
        &dir,
        &[
            "doc",
            "--workspace",
            "--features",
            "mock",
            "--no-deps",
            "--quiet",
        ],
        true,
    );
    assert!(
        doc.status.success(),
        "the hostile clients do not document cleanly:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );
    eprintln!(
        "{} valid documents: generated in {generated:?}, clippy + doc in {:?}",
        files.len(),
        started.elapsed() - generated
    );
}

/// Peak resident memory of this process, from `/proc` (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn invalid_hostile_documents_are_refused_fast_with_one_clear_line() {
    let mut files = docs_in("invalid");
    // 100,000 levels of flow nesting, written here rather than committed.
    let deep = Path::new(ROOT).join("target/hostile-generated/deep_flow.yaml");
    write_if_changed(
        &deep,
        &format!(
            "openapi: 3.0.3\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    files.push(deep);
    assert!(files.len() >= 8, "{files:?}");
    let mut problems = Vec::new();
    for path in &files {
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| Config::new(path).render());
        let took = started.elapsed();
        let shown = path.display().to_string();
        match result {
            Err(_) => problems.push(format!("{shown}: PANIC")),
            Ok(Ok(_)) => problems.push(format!("{shown}: accepted")),
            Ok(Err(e)) => {
                let message = e.to_string();
                if !message.starts_with(&shown) {
                    problems.push(format!(
                        "{shown}: message does not name the file: {message}"
                    ));
                }
                if message.contains('\n') || message.len() > 400 {
                    problems.push(format!("{shown}: message is not one short line: {message}"));
                }
                eprintln!("{took:>10.1?}  {message}");
            }
        }
        if took > Duration::from_secs(1) {
            problems.push(format!("{shown}: took {took:?}"));
        }
    }
    if let Some(kib) = peak_rss_kib() {
        assert!(kib < 256 * 1024, "peak memory {kib} KiB");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
