//! Property-based fuzzing of the whole pipeline: random documents (schema trees,
//! operations, parameters, security schemes, with names drawn from a hostile alphabet)
//! go through load → model → emit. None may panic; every emitted file must parse with
//! `syn`; a sample of the outputs is compiled together in one crate.
//!
//! The suite runs a short budget; `cargo test -p openapi-client-gen --test fuzz --
//! --ignored` runs the long one.

use std::path::{Path, PathBuf};

#[path = "../../tests/support/check_crate.rs"]
mod check_crate;

use proptest::prelude::*;
use proptest::test_runner::{
    Config as RunnerConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner,
};
use serde_json::{json, Map, Value};

/// Names from the corners: keywords, prelude and support names, case collisions,
/// punctuation, digits, non-ASCII, bidi overrides, markdown and very long ones.
fn hostile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "self",
            "Self",
            "self_",
            "super",
            "crate",
            "type",
            "fn",
            "async",
            "From",
            "Into",
            "Option",
            "Result",
            "String",
            "Client",
            "ClientBuilder",
            "Call",
            "Error",
            "authorize",
            "has_credentials",
            "builder",
            "base_url",
            "timeout",
            "build",
            "with_options",
            "clone",
            "default",
            "Unknown",
            "unknown",
            "value",
            "",
            "_",
            "__",
            "1",
            "1st",
            "a-b",
            "a_b",
            "A_B",
            "aB",
            "AB",
            "a b",
            "$ref",
            "@type",
            "<<",
            "é",
            "名前",
            "🙂",
            "x\u{202e}y",
            "[Foo]",
            "`x`",
            "a\"b",
            "a\\b",
            "new",
            "body",
            "params",
            "r#type",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z_][a-zA-Z0-9_ .-]{0,12}",
        "[a-z]{1,6}".prop_map(|s| s.repeat(30)),
    ]
}

/// Descriptions that have broken rustdoc: fences, doctest tags, CR, links.
fn hostile_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(vec![
        "plain",
        "````\n```\nfn main() { panic!() }\n````",
        "```no_run\nloop {}\n```",
        "```should_panic\npanic!()\n```",
        "a\rb",
        "see [Client::authorize] and [`Credentials`]",
        "    indented code",
        "~~~\nunclosed",
        "<details> List<String> https://example.com",
        "\u{202e}bidi",
    ]))
    .prop_map(|o| o.map(str::to_string))
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "format": "int64"})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "boolean"})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "format": "binary"})),
        Just(json!({"type": "string", "nullable": true})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": "null"})),
        Just(json!({})),
        Just(json!({"type": "object"})),
        prop::collection::vec(hostile_name(), 1..5)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        Just(json!({"type": "integer", "enum": [-1, 0, 7]})),
        (0..4usize).prop_map(|i| json!({"$ref": format!("#/components/schemas/S{i}")})),
        Just(json!({"$ref": "#/components/schemas/Missing"})),
        Just(json!({"const": "fixed"})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::vec((hostile_name(), inner.clone()), 0..5),
                prop::collection::vec(any::<bool>(), 5),
                hostile_text(),
            )
                .prop_map(|(props, required, description)| {
                    let mut properties = Map::new();
                    let mut req = Vec::new();
                    for ((name, s), r) in props.into_iter().zip(required) {
                        if r {
                            req.push(Value::String(name.clone()));
                        }
                        properties.insert(name, s);
                    }
                    let mut o =
                        json!({"type": "object", "properties": properties, "required": req});
                    if let Some(d) = description {
                        o["description"] = Value::String(d);
                    }
                    o
                }),
            inner
                .clone()
                .prop_map(|s| json!({"type": "array", "items": s})),
            inner
                .clone()
                .prop_map(|s| json!({"type": "object", "additionalProperties": s})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|m| json!({"oneOf": m})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|mut m| {
                m.push(json!({"type": "null"}));
                json!({"anyOf": m})
            }),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|m| json!({"allOf": m})),
        ]
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    (
        hostile_name(),
        prop::sample::select(vec!["query", "header", "cookie", "path"]),
        any::<bool>(),
        leaf(),
    )
        .prop_map(|(name, location, required, schema)| {
            json!({"name": name, "in": location, "required": required || location == "path", "schema": schema})
        })
}

fn operation() -> impl Strategy<Value = (String, String, Value)> {
    (
        prop::collection::vec(
            prop_oneof![
                hostile_name().prop_map(|n| format!("{{{n}}}")),
                "[a-z]{1,5}"
            ],
            0..4,
        ),
        prop::sample::select(vec!["get", "post", "put", "patch", "delete"]),
        prop::option::of(hostile_name()),
        prop::collection::vec(parameter(), 0..4),
        prop::option::of(schema()),
        prop::collection::vec(
            (
                prop::sample::select(vec!["200", "201", "204", "404", "4XX", "default"]),
                prop::option::of(schema()),
            ),
            0..3,
        ),
        hostile_text(),
        prop::option::of(prop::sample::select(vec![
            "application/json",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "text/plain",
            "application/octet-stream",
        ])),
    )
        .prop_map(
            |(segments, method, id, params, body, responses, description, media)| {
                let path = format!("/{}", segments.join("/"));
                let mut op = json!({"parameters": params, "responses": {}});
                if let Some(id) = id {
                    op["operationId"] = Value::String(id);
                }
                if let Some(d) = description {
                    op["description"] = Value::String(d);
                }
                if let Some(body) = body {
                    let media = media.unwrap_or("application/json");
                    op["requestBody"] =
                        json!({"required": true, "content": {media: {"schema": body}}});
                }
                for (status, schema) in responses {
                    let mut r = json!({"description": "r"});
                    if let Some(s) = schema {
                        r["content"] = json!({"application/json": {"schema": s}});
                    }
                    op["responses"][status] = r;
                }
                (path, method.to_string(), op)
            },
        )
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((hostile_name(), schema()), 0..6),
        prop::collection::vec(schema(), 4),
        prop::collection::vec(operation(), 0..6),
        prop::collection::vec((hostile_name(), prop::sample::select(vec!["bearer", "basic", "header", "query"])), 0..3),
        hostile_name(),
        any::<bool>(),
    )
        .prop_map(|(named, numbered, operations, schemes, title, v31)| {
            let mut schemas = Map::new();
            for (i, s) in numbered.into_iter().enumerate() {
                schemas.insert(format!("S{i}"), s);
            }
            for (name, s) in named {
                schemas.insert(name, s);
            }
            let mut paths = Map::new();
            for (path, method, op) in operations {
                let item = paths.entry(path).or_insert_with(|| json!({}));
                item[method] = op;
            }
            let mut security = Map::new();
            for (name, kind) in &schemes {
                security.insert(
                    name.clone(),
                    match *kind {
                        "bearer" => json!({"type": "http", "scheme": "bearer", "description": "```\nassert!(false)\n```"}),
                        "basic" => json!({"type": "http", "scheme": "basic"}),
                        "header" => json!({"type": "apiKey", "in": "header", "name": "X-Key"}),
                        _ => json!({"type": "apiKey", "in": "query", "name": "key"}),
                    },
                );
            }
            let requirement: Vec<Value> = schemes.iter().map(|(n, _)| json!({n.clone(): []})).collect();
            let doc = json!({
                "openapi": if v31 { "3.1.0" } else { "3.0.3" },
                "info": {"title": title, "version": "1\n\"2\""},
                "paths": paths,
                "components": {"schemas": schemas, "securitySchemes": security},
                "security": requirement,
            });
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        })
}

/// Load → model → emit; the emitted files, or `None` when the document is refused (a
/// refusal is fine; a panic or unparsable output is not).
fn pipeline(text: &str) -> Result<Option<Vec<(String, String)>>, TestCaseError> {
    let doc = match openapi_client_gen::load::load_str(Path::new("fuzz.json"), text) {
        Ok(doc) => doc,
        Err(e) => {
            prop_assert!(e.to_string().starts_with("fuzz.json"), "{e}");
            return Ok(None);
        }
    };
    let api = openapi_client_gen::model::build(&doc);
    let mismatches = openapi_client_gen::emit::text_mismatches(&api);
    prop_assert!(
        mismatches.is_empty(),
        "types written as text differ from prettyplease's output: {mismatches:?}"
    );
    let files = openapi_client_gen::emit::emit(&api, "fuzz.json", None)
        .map_err(|e| TestCaseError::fail(format!("emit failed: {e}")))?;
    for f in &files {
        if f.name.ends_with(".rs") {
            if let Err(e) = syn::parse_file(&f.contents) {
                return Err(TestCaseError::fail(format!(
                    "{} does not parse: {e}",
                    f.name
                )));
            }
        }
    }
    Ok(Some(
        files.into_iter().map(|f| (f.name, f.contents)).collect(),
    ))
}

/// Runs `cases` random documents through the pipeline and, given `compile_every`,
/// compiles every `compile_every`-th output in one crate. Returns (cases run,
/// documents compiled).
fn run(cases: u32, compile_every: Option<usize>, deterministic: bool) -> (u32, usize) {
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    // The suite's short run is the same every time; the long run explores.
    let mut runner = if deterministic {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    } else {
        TestRunner::new(config)
    };
    let sampled = std::cell::RefCell::new(Vec::new());
    let count = std::cell::Cell::new(0usize);
    // A crash (a stack overflow is not a panic) leaves the document that caused it here.
    let last = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-last.json");
    let result = runner.run(&document(), |text| {
        let _ = std::fs::write(&last, &text);
        let files = pipeline(&text)?;
        let n = count.get();
        count.set(n + 1);
        if let (Some(files), Some(every)) = (files, compile_every) {
            if n % every == 0 {
                sampled.borrow_mut().push(files);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("fuzzing found a failure: {e}");
    }
    let sampled = sampled.into_inner();
    if compile_every.is_some() {
        compile(&sampled);
    }
    (cases, sampled.len())
}

fn compile(outputs: &[Vec<(String, String)>]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir: PathBuf = root.join("target/fuzz-check");
    let src = dir.join("src");
    let _ = std::fs::remove_dir_all(&src);
    let mut lib = String::from("//! Sampled fuzz outputs.\n");
    for (i, files) in outputs.iter().enumerate() {
        let module = src.join(format!("case{i}"));
        std::fs::create_dir_all(&module).expect("create dir");
        for (name, contents) in files {
            std::fs::write(module.join(name), contents).expect("write");
        }
        lib.push_str(&format!("#[path = \"case{i}/lib.rs\"]\npub mod case{i};\n"));
    }
    std::fs::write(src.join("lib.rs"), lib).expect("write lib");
    let manifest = openapi_client_gen::module_crate_manifest("fuzz-check");
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write manifest");
    check_crate::copy_lock_file(&root, &dir);
    let out = check_crate::clippy(&root, &dir.join("Cargo.toml"), &[]);
    assert!(
        out.status.success(),
        "sampled fuzz outputs do not compile (see target/fuzz-check):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn random_documents_never_panic_and_emit_valid_rust() {
    let (cases, _) = run(96, None, true);
    eprintln!("fuzz: {cases} cases");
}

/// The same 96 documents, every 12th compiled under clippy: a cargo run of its own
/// (about a minute and a half from a clean clone, its dependencies checked first), so
/// CI runs it with the other slow checks.
#[test]
#[ignore = "compiles a sample: cargo test -p openapi-client-gen --test fuzz -- --ignored random_documents_compile"]
fn random_documents_compile() {
    let (cases, compiled) = run(96, Some(12), true);
    assert!(compiled > 0, "none of {cases} cases was sampled");
    eprintln!("fuzz: {cases} cases, {compiled} compiled");
}

#[test]
#[ignore = "long fuzzing run: cargo test -p openapi-client-gen --test fuzz -- --ignored random_documents_long_run"]
fn random_documents_long_run() {
    let (cases, compiled) = run(3000, Some(100), false);
    eprintln!("fuzz: {cases} cases, {compiled} compiled");
}

#[path = "fuzz/stable_names.rs"]
mod stable_names;

#[test]
fn inserted_operations_and_schemas_rename_nothing() {
    let started = std::time::Instant::now();
    let (checked, moved) = stable_names::run(&stable_names::SMALL, 24, true);
    eprintln!(
        "stable names: 24 cases, {checked} names checked, {moved} moved to a stronger claim, {:?}",
        started.elapsed()
    );
}

#[test]
#[ignore = "long run: cargo test -p openapi-client-gen --test fuzz -- --ignored stable_names_long_run"]
fn stable_names_long_run() {
    let started = std::time::Instant::now();
    let files = stable_names::all();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let (checked, moved) = stable_names::run(&files, 500, false);
    eprintln!(
        "stable names: 500 cases over {} specs, {checked} names checked, {moved} moved to a stronger claim, {:?}",
        files.len(),
        started.elapsed()
    );
}
