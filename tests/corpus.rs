//! The public corpus (`../shared/specs/`, see its MANIFEST.md): every spec generates
//! without a panic and its emitted code is locked by snapshots; with `--ignored`, all
//! outputs compile together (as modules of a few crates of one workspace, checked side
//! by side) under `cargo clippy -- -D warnings`, and that test writes the coverage
//! table in `docs/corpus-coverage.md` (under CI it fails when the committed table is
//! stale).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use openapi_client_gen::{Config, Output};

#[path = "support/check_crate.rs"]
mod check_crate;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Row {
    file: String,
    module: String,
    result: Result<Output, String>,
}

fn specs_dir() -> PathBuf {
    Path::new(ROOT).join("../shared/specs")
}

fn module_name(file: &str) -> String {
    let file = file.replace('/', "_");
    check_crate::module_name(
        file.rsplit_once('.')
            .map_or(file.as_str(), |(stem, _)| stem),
    )
}

/// The Swagger 2.0 descriptions of `tests/swagger2/specs/` (see its MANIFEST.md).
fn swagger2_dir() -> PathBuf {
    Path::new(ROOT).join("tests/swagger2/specs")
}

fn spec_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("the corpus must be at {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|f| f.ends_with(".json") || f.ends_with(".yaml") || f.ends_with(".yml"))
        .collect();
    files.sort();
    files
}

fn generate_all() -> Vec<Row> {
    let dir = specs_dir();
    let files = spec_files(&dir);
    assert!(
        files.len() >= 23,
        "expected the 23 corpus specs in {}, found {}",
        dir.display(),
        files.len()
    );
    let swagger2 = spec_files(&swagger2_dir());
    assert!(
        swagger2.len() >= 5,
        "expected at least 5 Swagger 2.0 specs in tests/swagger2/specs, found {}",
        swagger2.len()
    );
    let files = files
        .into_iter()
        .map(|f| (dir.join(&f), format!("shared/specs/{f}"), f))
        .chain(swagger2.into_iter().map(|f| {
            (
                swagger2_dir().join(&f),
                format!("tests/swagger2/specs/{f}"),
                format!("swagger2/{f}"),
            )
        }));
    files
        .map(|(path, source, file)| {
            let mut config = Config::new(path);
            config.source_name(source);
            let result = std::panic::catch_unwind(|| config.render())
                .map_err(|panic| {
                    let text = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    format!("PANIC: {text}")
                })
                .and_then(|r| r.map_err(|e| e.to_string()));
            Row {
                module: module_name(&file),
                file,
                result,
            }
        })
        .collect()
}

/// Writes the outputs as modules of a few crates of one workspace: dependencies compile
/// once, and the crates are checked side by side, one per core.
fn write_check_crate(rows: &[Row], dir: &Path) -> PathBuf {
    let with_user_code: Vec<(String, Vec<openapi_client_gen::GeneratedFile>)> = rows
        .iter()
        .filter_map(|row| {
            let files = &row.result.as_ref().ok()?.files;
            Some((row.module.clone(), with_user_code(&row.module, files)))
        })
        .collect();
    let modules: Vec<(String, &[openapi_client_gen::GeneratedFile])> = with_user_code
        .iter()
        .map(|(module, files)| (module.clone(), files.as_slice()))
        .collect();
    check_crate::write_workspace(
        Path::new(ROOT),
        dir,
        "corpus-check",
        &modules,
        check_crate::parts(),
    )
}

/// A client's files, plus the code a user wrote against it (`tests/user_code/<module>.rs`,
/// where there is one) as its public module `user_code`: it is then compiled, under the
/// same `-D warnings`, as the client changes.
fn with_user_code(
    module: &str,
    files: &[openapi_client_gen::GeneratedFile],
) -> Vec<openapi_client_gen::GeneratedFile> {
    let mut files = files.to_vec();
    // Every operation's doc example, as a function of the module `doc_examples`.
    let client = files.iter().find(|f| f.path == Path::new("client.rs"));
    let examples = client
        .map(|c| doc_examples(module, &c.contents))
        .unwrap_or_default();
    if !examples.is_empty() {
        check_crate::add_module(&mut files, "doc_examples", examples);
    }
    let path = Path::new(ROOT).join(format!("tests/user_code/{module}.rs"));
    if let Ok(code) = std::fs::read_to_string(&path) {
        check_crate::add_module(&mut files, "user_code", code);
    }
    files
}

/// The examples in the docs of a module-form client (shown as `text`, since the client
/// has no crate name), turned into one function each (`example_1`, ...) that names the
/// client as `crate::<module>`: the corpus check compiles them under `-D warnings`.
fn doc_examples(module: &str, client: &str) -> String {
    let mut out = String::from("//! The client's doc examples, compiled by tests/corpus.rs.\n");
    let mut block: Option<Vec<String>> = None;
    let mut count = 0;
    for line in client.lines() {
        let Some(text) = line.trim_start().strip_prefix("///") else {
            block = None;
            continue;
        };
        let text = text.strip_prefix(' ').unwrap_or(text);
        match (&mut block, text) {
            (None, "```text") => block = Some(Vec::new()),
            (Some(lines), "```") => {
                let code = lines.join("\n");
                block = None;
                if !code.contains("async fn example(") {
                    continue;
                }
                count += 1;
                let code = code
                    .replacen(
                        "async fn example(",
                        &format!("pub async fn example_{count}("),
                        1,
                    )
                    .replace("__crate__", &format!("crate::{module}"));
                out.push('\n');
                out.push_str(&code);
                out.push('\n');
            }
            (Some(lines), text) => {
                // Hidden lines (`# ...`) are code too.
                let text = text
                    .strip_prefix("# ")
                    .unwrap_or(if text == "#" { "" } else { text });
                lines.push(text.to_string());
            }
            (None, _) => {}
        }
    }
    if count == 0 {
        String::new()
    } else {
        out
    }
}

/// `cargo clippy -- -D warnings` on the check workspace: rustc warnings and clippy lints
/// both fail. Returns the modules with diagnostics and the compiler's output.
fn clippy(manifest: &Path) -> (bool, BTreeMap<String, usize>, String) {
    // With the typed mocks (`mock`), so that every operation's builder is checked too.
    let out = check_crate::clippy(
        Path::new(ROOT),
        manifest,
        &["--workspace", "--features", "mock"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut per_module = BTreeMap::new();
    for line in stderr.lines() {
        if line.contains(": error") || line.contains(": warning") {
            if let Some(module) = check_crate::module_of(line) {
                *per_module.entry(module.to_string()).or_insert(0) += 1;
            }
        }
    }
    (out.status.success(), per_module, stderr)
}

fn coverage_table(rows: &[Row], compiled: bool, broken: &BTreeMap<String, usize>) -> String {
    let mut md = String::new();
    md.push_str("# Corpus coverage\n\n");
    md.push_str("Written by `cargo test --test corpus -- --ignored` (run by CI after `cargo test --workspace`): every spec in\n");
    md.push_str(
        "`../shared/specs/`, and every Swagger 2.0 description in `tests/swagger2/specs/` (rows\n",
    );
    md.push_str(
        "`swagger2/...`, converted to OpenAPI 3.0 on the way in; sources in its MANIFEST.md), is\n",
    );
    md.push_str("generated, snapshotted and compiled with all the others (modules of a few crates of one workspace)\n");
    md.push_str("under `cargo clippy -- -D warnings`. Warnings are places where the generated code is less\n");
    md.push_str("precise than the spec (each names its JSON pointer; run the CLI on the spec to see them).\n\n");
    md.push_str("| spec | version | operations | paginated | types | warnings | compiles (check + clippy, -D warnings) |\n");
    md.push_str("|---|---|---:|---:|---:|---:|---|\n");
    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        match &row.result {
            Ok(out) => {
                for w in &out.warnings {
                    *classes.entry(w.class).or_insert(0) += 1;
                }
                let compiles = match (compiled, broken.get(&row.module)) {
                    (true, _) => "yes".to_string(),
                    (false, Some(n)) => format!("no ({n} diagnostics)"),
                    (false, None) => "not reached".to_string(),
                };
                writeln!(
                    md,
                    "| `{}` | {} | {} | {} | {} | {} | {} |",
                    row.file,
                    out.openapi_version,
                    out.operations,
                    out.paginated,
                    out.types,
                    out.warnings.len(),
                    compiles
                )
                .expect("write");
            }
            Err(e) => {
                writeln!(
                    md,
                    "| `{}` | - | - | - | - | generation failed: {} |",
                    row.file,
                    e.lines().next().unwrap_or_default()
                )
                .expect("write");
            }
        }
    }
    md.push_str("\n## Warning classes\n\n| class | count |\n|---|---:|\n");
    for (class, n) in classes {
        writeln!(md, "| `{class}` | {n} |").expect("write");
    }
    md
}

/// Every spec generates without a panic, and its emitted code is what the snapshots
/// hold.
#[test]
fn corpus_generates_and_matches_snapshots() {
    let rows = generate_all();
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| r.result.as_ref().err().map(|e| format!("{}: {e}", r.file)))
        .collect();
    for row in &rows {
        let Ok(output) = &row.result else { continue };
        insta::with_settings!({ snapshot_path => "snapshots/corpus", prepend_module_to_snapshot => false }, {
            for file in output.files.iter().filter(|f| matches!(f.path.to_str(), Some("lib.rs" | "types.rs" | "client.rs"))) {
                insta::assert_snapshot!(format!("{}__{}", row.module, file.path.display()), file.contents);
            }
        });
    }
    assert!(
        failures.is_empty(),
        "specs that did not generate:\n{}",
        failures.join("\n")
    );
}

/// Every corpus client compiles under `cargo clippy -- -D warnings`, and the coverage
/// table says so. About two minutes on two cores, most of the test suite's time, so it
/// runs on its own (`.ci/run` runs it after the suite).
#[test]
#[ignore = "compiles every corpus client (about 2 min): cargo test --test corpus -- --ignored"]
fn corpus_compiles_under_clippy() {
    let rows = generate_all();
    let dir = Path::new(ROOT).join("target/corpus-check");
    let manifest = write_check_crate(&rows, &dir);
    let (compiled, broken, stderr) = clippy(&manifest);

    let table = coverage_table(&rows, compiled, &broken);
    let doc = Path::new(ROOT).join("docs/corpus-coverage.md");
    let committed = std::fs::read_to_string(&doc).unwrap_or_default();
    let table_stale = committed != table;
    if table_stale && std::env::var_os("CI").is_none() {
        std::fs::create_dir_all(doc.parent().expect("docs dir")).expect("create docs");
        std::fs::write(&doc, &table).expect("write coverage table");
    }
    assert!(
        compiled,
        "the corpus clients do not compile cleanly:\n{stderr}"
    );
    assert!(
        !table_stale || std::env::var_os("CI").is_none(),
        "docs/corpus-coverage.md is stale; run `cargo test --test corpus -- --ignored` and commit it.\nExpected:\n{table}"
    );
}

/// Every type the generator writes as text (aliases, structs, enums) prints exactly as
/// its tokens formatted by prettyplease, on every corpus spec, with the types gated by
/// features as `--crate` and `--tag-features` gate them.
#[test]
fn text_items_match_prettyplease_on_the_corpus() {
    let paths = spec_files(&specs_dir())
        .into_iter()
        .map(|f| specs_dir().join(f))
        .chain(
            spec_files(&swagger2_dir())
                .into_iter()
                .map(|f| swagger2_dir().join(f)),
        );
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for path in paths {
        let Ok(doc) = openapi_client_gen::load::load_file(&path) else {
            continue;
        };
        for tag_features in [false, true] {
            let options = openapi_client_gen::model::Options {
                tag_features,
                unused_types_feature: true,
                ..Default::default()
            };
            let api = openapi_client_gen::model::build_with(&doc, &options);
            checked += api.types.len();
            for name in openapi_client_gen::emit::text_mismatches(&api) {
                mismatches.push(format!("{}: {name}", path.display()));
            }
        }
    }
    assert!(checked > 5000, "only {checked} types checked");
    assert!(
        mismatches.is_empty(),
        "text differs from prettyplease: {mismatches:#?}"
    );
}

/// The museum's client written with `--crate`: the types no operation uses (its webhook
/// payloads) are behind `unused-types`, a feature of the manifest, off by default.
fn unused_types_crate() -> PathBuf {
    let dir = Path::new(ROOT).join("target/unused-types-check");
    let mut config = Config::new(specs_dir().join("redocly-museum-3.1.yaml"));
    config.out_dir(&dir).crate_name("unused-types-check");
    config.write().expect("generates");
    let types = std::fs::read_to_string(dir.join("types.rs")).expect("types.rs");
    assert!(
        types.contains("#[cfg(feature = \"unused-types\")]"),
        "the webhook payloads are gated"
    );
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    assert!(text.contains("\nunused-types = []\n"), "{text}");
    assert!(text.contains("\ndefault = []\n"), "{text}");
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).expect("write manifest");
    check_crate::copy_lock_file(Path::new(ROOT), &dir);
    manifest
}

/// The Swagger petstore's client written with `--tag-features`: a feature per tag, all
/// on by default.
fn tag_features_crate() -> PathBuf {
    let dir = Path::new(ROOT).join("target/tag-features-check");
    let mut config = Config::new(specs_dir().join("swagger-petstore-3.0.yaml"));
    config
        .out_dir(&dir)
        .crate_name("tag-features-check")
        .tag_features(true);
    config.write().expect("generates");
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    assert!(
        text.contains("default = [\"pet\", \"store\", \"user\"]"),
        "{text}"
    );
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).expect("write manifest");
    check_crate::copy_lock_file(Path::new(ROOT), &dir);
    manifest
}

#[test]
fn unused_types_and_tag_features_are_gated_and_declared() {
    unused_types_crate();
    tag_features_crate();
}

/// Both gated crates compile cleanly under clippy with each set of features: without
/// `unused-types` (the default) and with it; with every tag, with none, and with one
/// tag's alone (types shared between tags, credentials used by no compiled method).
#[test]
#[ignore = "compiles two generated crates five times: cargo test --test corpus -- --ignored"]
fn gated_crates_compile_with_any_set_of_features() {
    let unused = unused_types_crate();
    let tags = tag_features_crate();
    let runs: [(&Path, &[&str]); 5] = [
        (&unused, &[]),
        (&unused, &["--features", "unused-types"]),
        (&tags, &[]),
        (&tags, &["--no-default-features"]),
        (&tags, &["--no-default-features", "--features", "user"]),
    ];
    for (manifest, features) in runs {
        let out = check_crate::clippy(Path::new(ROOT), manifest, features);
        assert!(
            out.status.success(),
            "{} with {features:?}:\n{}",
            manifest.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A crate generated with `--crate` (and `--publish`) is ready to publish: `cargo
/// package` accepts it (manifest, licence, README, file list), for a corpus spec and for
/// TxCloud's. `--no-verify` checks the manifest and lists the files without building
/// (under a second each); `crate_package_builds_and_its_readme_compiles` (ignored)
/// builds them and compiles the README's examples.
#[test]
fn generated_crates_package() {
    for (name, dir) in package_crates() {
        let out = check_crate::cargo(
            Path::new(ROOT),
            &dir.join("Cargo.toml"),
            &[
                "package",
                "--no-verify",
                "--allow-dirty",
                "--offline",
                "--quiet",
            ],
        )
        .output()
        .expect("cargo runs");
        assert!(
            out.status.success(),
            "cargo package {name}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list = check_crate::cargo(
            Path::new(ROOT),
            &dir.join("Cargo.toml"),
            &["package", "--list", "--allow-dirty", "--offline"],
        )
        .output()
        .expect("cargo runs");
        let list = String::from_utf8_lossy(&list.stdout);
        for file in ["Cargo.toml", "README.md", "lib.rs", "client.rs", "types.rs"] {
            assert!(
                list.lines().any(|l| l == file),
                "{name}: {file} not packaged:\n{list}"
            );
        }
    }
    // What the spec's `info` gives reaches the manifest.
    let (_, petstore) = &package_crates()[0];
    let manifest = std::fs::read_to_string(petstore.join("Cargo.toml")).expect("manifest");
    for line in [
        "license = \"Apache-2.0\"",
        "homepage = \"https://swagger.io\"",
        "readme = \"README.md\"",
        "rust-version = ",
        "\n[package.metadata.docs.rs]\nall-features = true\n",
    ] {
        assert!(manifest.contains(line), "{line} missing:\n{manifest}");
    }
    assert!(!manifest.contains("publish = false"), "{manifest}");
    let readme = std::fs::read_to_string(petstore.join("README.md")).expect("README");
    for tag in ["### pet\n", "### store\n", "### user\n"] {
        assert!(readme.contains(tag), "{tag} missing:\n{readme}");
    }
}

/// The crates of [`generated_crates_package`], written (with `--crate`, `--publish` and
/// the crate name in the doc examples) into `target/package-check/`.
fn package_crates() -> Vec<(&'static str, PathBuf)> {
    let specs = [
        (
            "swagger-petstore",
            specs_dir().join("swagger-petstore-3.0.yaml"),
        ),
        (
            "txcloud",
            Path::new(ROOT).join("spec/txcloud-identity.yaml"),
        ),
    ];
    specs
        .into_iter()
        .map(|(name, spec)| {
            let dir = Path::new(ROOT).join("target/package-check").join(name);
            let mut config = Config::new(spec);
            config
                .out_dir(&dir)
                .crate_name(name)
                .doc_crate(name)
                .publish(true);
            config.write().expect("generates");
            // A workspace of its own (it sits inside this one's folder), and this
            // workspace's lock file, so that nothing is fetched.
            let manifest = dir.join("Cargo.toml");
            let mut text = std::fs::read_to_string(&manifest).expect("manifest");
            if !text.contains("\n[workspace]\n") {
                text.push_str("\n[workspace]\n");
                std::fs::write(&manifest, text).expect("write manifest");
            }
            check_crate::copy_lock_file(Path::new(ROOT), &dir);
            (name, dir)
        })
        .collect()
}

/// `cargo package` with its verification (it builds the packaged crate) and the
/// README's examples compiled as doctests, for both crates of
/// [`generated_crates_package`]. About 3 min on two cores with the dependencies built.
#[test]
#[ignore = "builds two generated crates and their doctests (about 3 min): cargo test --test corpus -- --ignored"]
fn crate_package_builds_and_its_readme_compiles() {
    for (name, dir) in package_crates() {
        for args in [
            &["package", "--allow-dirty", "--offline", "--quiet"][..],
            &["test", "--doc", "--offline", "--quiet"],
        ] {
            let out = check_crate::cargo(Path::new(ROOT), &dir.join("Cargo.toml"), args)
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "cargo {args:?} of {name}:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
