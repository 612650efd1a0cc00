//! The hostile-spec suite: small documents aimed at the corners of OpenAPI and YAML
//! (`tests/hostile/`, see its README). Every valid document must generate without a
//! panic, compile with all the others (one crate per core) under `cargo clippy -- -D warnings`,
//! document under `cargo doc` with `RUSTDOCFLAGS=-D warnings`, build in a debug build with
//! debug info, pass `cargo test --doc`, keep every wire name, and give a manifest that
//! cargo reads. A wide document (2,000 properties, values and parameters) is written by
//! the test. Every invalid one must be
//! refused in under a second, in bounded memory, with one line naming the file.

use std::collections::HashSet;
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

/// The places a wire name can survive in generated text, indexed once: searching the
/// text for each of the wide document's 6,000 names took 45 s in the unoptimised test.
struct Written<'a> {
    /// Every stretch of a line from one `"` to a later one, quotes included: a name's
    /// string literal (`"{name:?}"`, which holds no newline) is one of them.
    quoted: HashSet<&'a str>,
    /// Every word between a space and a `: ` (a field, `r#` included).
    fields: HashSet<&'a str>,
}

impl<'a> Written<'a> {
    fn index(text: &'a str) -> Self {
        let mut quoted = HashSet::new();
        let mut fields = HashSet::new();
        for line in text.lines() {
            let quotes: Vec<usize> = line.match_indices('"').map(|(i, _)| i).collect();
            for (n, &start) in quotes.iter().enumerate() {
                for &end in &quotes[n + 1..] {
                    quoted.insert(&line[start..=end]);
                }
            }
            for (colon, _) in line.match_indices(": ") {
                let before = &line[..colon];
                if let Some(space) = before.rfind(' ') {
                    fields.insert(&before[space + 1..]);
                }
            }
        }
        Written { quoted, fields }
    }

    /// Whether `name` is written as a string literal or as a field (`text` is what was
    /// indexed: a name with a space in it is looked for there).
    fn keeps(&self, text: &str, name: &str) -> bool {
        if self.quoted.contains(format!("{name:?}").as_str()) {
            return true;
        }
        if name.contains(' ') {
            return text.contains(&format!(" {name}: ")) || text.contains(&format!(" r#{name}: "));
        }
        self.fields.contains(name) || self.fields.contains(format!("r#{name}").as_str())
    }
}

/// `cargo` on the check crate in `dir`; `rustdocflags` makes rustdoc warnings errors.
fn cargo(dir: &Path, args: &[&str], rustdocflags: bool) -> std::process::Output {
    let mut command = check_crate::cargo(Path::new(ROOT), &dir.join("Cargo.toml"), args);
    if rustdocflags {
        command.env("RUSTDOCFLAGS", "-D warnings");
    }
    command.output().expect("cargo runs")
}

/// Every valid document generates, keeps every wire name, and has a manifest cargo
/// reads. Compiling them is the `--ignored` half below.
#[test]
fn valid_hostile_documents_generate_and_keep_their_wire_names() {
    let started = Instant::now();
    let (_, count) = write_hostile_workspace();
    eprintln!(
        "{count} valid documents: generated in {:?}",
        started.elapsed()
    );
}

/// The hostile clients compiled, side by side (one crate per core): under clippy and
/// `cargo doc` with `-D warnings` (with the typed mocks: hostile names meet the mock
/// builders' names too), in a debug build with debug info, and their doctests run.
/// About 4 minutes from a clean clone on 2 cores (the dependencies are checked and
/// built first), so CI runs it with the other `--ignored` checks.
#[test]
#[ignore = "compiles the hostile clients (about 4 min): cargo test --test hostile -- --ignored"]
fn valid_hostile_documents_compile_build_and_pass_their_doctests() {
    let started = Instant::now();
    let (dir, count) = write_hostile_workspace();
    let generated = started.elapsed();
    let clippy = cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
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
    // A debug build with debug info (the default dev profile), which `cargo check` does
    // not show: rustc overflowed its stack writing the debug info of wide items.
    let build = cargo(&dir, &["build", "--workspace", "--quiet"], false);
    assert!(
        build.status.success(),
        "the hostile clients do not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    // Spec text never becomes a doctest that fails: every doctest there is runs.
    let doctests = cargo(&dir, &["test", "--doc", "--workspace", "--quiet"], false);
    assert!(
        doctests.status.success(),
        "the doctests of the hostile clients fail:\n{}{}",
        String::from_utf8_lossy(&doctests.stdout),
        String::from_utf8_lossy(&doctests.stderr)
    );
    eprintln!(
        "{count} valid documents: generated in {generated:?}, clippy, doc, build and doctests in {:?}",
        started.elapsed() - generated
    );
}

/// Generates a client of every valid hostile document (and the wide one) into the
/// check workspace, checking that every wire name survives and that cargo reads each
/// manifest; returns the workspace folder and the number of documents.
fn write_hostile_workspace() -> (PathBuf, usize) {
    let mut files = docs_in("valid");
    files.push(wide_document());
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
        let written = Written::index(&all);
        // The index can say no.
        assert!(!written.keeps(&all, "no such name") && !written.keeps(&all, "no_such_name"));
        for name in names {
            if !written.keeps(&all, &name) {
                problems.push(format!("{module}: wire name {name:?} is lost"));
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
    (dir, files.len())
}

/// The wide document, written here rather than committed: a schema of 2,000 properties
/// (every presence, wire names that need a rename, extra properties kept in a map),
/// sent and received, a string enum of 2,000 values and an operation with 2,000 query
/// parameters. With `serde`'s derive the struct's `Deserialize` overflowed rustc's stack
/// in a debug build (from about 1,460 fields).
fn wide_document() -> PathBuf {
    const N: usize = 2_000;
    let scalar = ["string", "integer", "boolean", "number"];
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for i in 0..N {
        // Every fifth a name that is not a Rust identifier.
        let name = if i % 5 == 4 {
            format!("prop-{i}.x")
        } else {
            format!("prop_{i}")
        };
        let mut schema = serde_json::json!({"type": scalar[i % 4]});
        if i % 7 == 3 {
            schema["nullable"] = true.into();
        }
        if i % 11 == 0 {
            required.push(serde_json::Value::from(name.clone()));
        }
        properties.insert(name, schema);
    }
    let parameters: Vec<serde_json::Value> = (0..N)
        .map(|i| {
            serde_json::json!({
                "name": format!("param_{i}"), "in": "query", "required": i == 0,
                "schema": {"type": scalar[i % 4]}
            })
        })
        .collect();
    let values: Vec<String> = (0..N).map(|i| format!("value_{i}")).collect();
    let json = |schema: &str| serde_json::json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}});
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "wide", "version": "1"},
        "paths": {
            "/wide": {
                "post": {
                    "operationId": "putWide",
                    "requestBody": {"required": true, "content": json("Wide")},
                    "responses": {"200": {"description": "ok", "content": json("Wide")}}
                },
                "get": {
                    "operationId": "getWide",
                    "parameters": parameters,
                    "responses": {"200": {"description": "ok", "content": json("WideEnum")}}
                }
            }
        },
        "components": {"schemas": {
            "Wide": {
                "type": "object", "properties": properties, "required": required,
                "additionalProperties": {"type": "integer"}
            },
            "WideEnum": {"type": "string", "enum": values}
        }}
    });
    let path = Path::new(ROOT).join("target/hostile-generated/wide.json");
    write_if_changed(&path, &serde_json::to_string(&doc).expect("serialises"));
    path
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
