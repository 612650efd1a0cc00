//! The public corpus (`../shared/specs/`, see its MANIFEST.md): every spec generates
//! without a panic, its emitted code is locked by snapshots, and all outputs compile
//! together in one crate under `cargo clippy -- -D warnings`. The test also writes the
//! coverage table in `docs/corpus-coverage.md` (and, under CI, fails when the committed
//! table is stale).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use check_crate::write_if_changed;
use openapi_client_gen::{module_crate_manifest, Config, Output};

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

/// Writes the outputs as modules of one crate, so dependencies compile once.
fn write_check_crate(rows: &[Row], dir: &Path) {
    let src = dir.join("src");
    let mut lib = String::from("//! Every corpus client, compiled together.\n\n");
    for row in rows {
        let Ok(output) = &row.result else { continue };
        let module_dir = src.join(&row.module);
        std::fs::create_dir_all(&module_dir).expect("create module dir");
        for file in &output.files {
            write_if_changed(&module_dir.join(&file.path), &file.contents);
        }
        writeln!(
            lib,
            "#[path = \"{}/lib.rs\"]\npub mod {};",
            row.module, row.module
        )
        .expect("write");
    }
    write_if_changed(&src.join("lib.rs"), &lib);
    let manifest = module_crate_manifest("corpus-check");
    write_if_changed(&dir.join("Cargo.toml"), &manifest);
    // The workspace's lock file pins the same dependency versions the client uses.
    check_crate::copy_lock_file(Path::new(ROOT), dir);
}

/// `cargo clippy -- -D warnings` on the check crate: rustc warnings and clippy lints
/// both fail. Returns the modules with diagnostics and the compiler's output.
fn clippy(dir: &Path) -> (bool, BTreeMap<String, usize>, String) {
    let out = check_crate::clippy(Path::new(ROOT), &dir.join("Cargo.toml"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut per_module = BTreeMap::new();
    for line in stderr.lines() {
        if let Some(module) = line
            .strip_prefix("src/")
            .and_then(|rest| rest.split('/').next())
        {
            if line.contains(": error") || line.contains(": warning") {
                *per_module.entry(module.to_string()).or_insert(0) += 1;
            }
        }
    }
    (out.status.success(), per_module, stderr)
}

fn coverage_table(rows: &[Row], compiled: bool, broken: &BTreeMap<String, usize>) -> String {
    let mut md = String::new();
    md.push_str("# Corpus coverage\n\n");
    md.push_str("Written by `tests/corpus.rs` (part of `cargo test --workspace`): every spec in\n");
    md.push_str(
        "`../shared/specs/`, and every Swagger 2.0 description in `tests/swagger2/specs/` (rows\n",
    );
    md.push_str(
        "`swagger2/...`, converted to OpenAPI 3.0 on the way in; sources in its MANIFEST.md), is\n",
    );
    md.push_str("generated, snapshotted and compiled with all the others in one crate\n");
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

#[test]
fn corpus_generates_snapshots_and_compiles() {
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

    let dir = Path::new(ROOT).join("target/corpus-check");
    write_check_crate(&rows, &dir);
    let (compiled, broken, stderr) = clippy(&dir);

    let table = coverage_table(&rows, compiled, &broken);
    let doc = Path::new(ROOT).join("docs/corpus-coverage.md");
    let committed = std::fs::read_to_string(&doc).unwrap_or_default();
    let table_stale = committed != table;
    if table_stale && std::env::var_os("CI").is_none() {
        std::fs::create_dir_all(doc.parent().expect("docs dir")).expect("create docs");
        std::fs::write(&doc, &table).expect("write coverage table");
    }

    assert!(
        failures.is_empty(),
        "specs that did not generate:\n{}",
        failures.join("\n")
    );
    assert!(
        compiled,
        "the corpus clients do not compile cleanly:\n{stderr}"
    );
    assert!(
        !table_stale || std::env::var_os("CI").is_none(),
        "docs/corpus-coverage.md is stale; run `cargo test --test corpus` and commit it.\nExpected:\n{table}"
    );
}

/// `--tag-features`: the client compiles cleanly with every feature, with none, and with
/// one tag's alone (types shared between tags, credentials used by no compiled method).
#[test]
fn tag_features_compile_with_any_subset() {
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
    for features in [
        &[][..],
        &["--no-default-features"],
        &["--no-default-features", "--features", "user"],
    ] {
        let out = check_crate::clippy(Path::new(ROOT), &manifest, features);
        assert!(
            out.status.success(),
            "features {features:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
