//! Multi-file specs, end to end: every corpus spec of `../shared/specs/` is split into
//! files by `redocly split` (the pinned `@redocly/cli` of `tests/redocly/`, installed
//! from npm on first use into `target/redocly`), and the client generated from the
//! split version must be identical, file for file, to the one generated from the single
//! file. Node and Redocly take a minute or two on two cores, so it runs with `--ignored`
//! (`.ci/run` runs it after the suite).
//!
//! What the split itself changes is taken out of the comparison, and nothing else:
//! - the split root lists only what its paths reach, so components that nothing refers
//!   to are gone; the single file is compared with those removed (as
//!   `redocly bundle --remove-unused-components` would);
//! - Redocly runs on JavaScript numbers, so integers above 2^53 come back rounded; lines
//!   are compared with such integers rounded the same way.

use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_client_gen::{load, Config};
use serde_json::Value;

#[path = "support/npm.rs"]
mod npm;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const REDOCLY_VERSION: &str = "2.77.0";

/// Specs `redocly split` 2.77.0 itself cannot split ("An unexpected error occurred").
const SPLIT_FAILS: &[&str] = &["openapi-typescript-codegen-v3.json"];

fn redocly() -> PathBuf {
    npm::install(
        &npm::Pinned {
            package: "@redocly/cli",
            version: REDOCLY_VERSION,
            entry: "bin/cli.js",
            pins: &Path::new(ROOT).join("tests/redocly"),
            needed_by: "the split test",
        },
        &Path::new(ROOT).join("target/redocly"),
    )
}

/// Runs `redocly split` for each spec, two at a time; returns the root of each split.
fn split_all(cli: &Path, specs: &[PathBuf], out: &Path) -> Vec<Result<PathBuf, String>> {
    let mut results = Vec::new();
    for pair in specs.chunks(2) {
        let children: Vec<_> = pair
            .iter()
            .map(|spec| {
                let name = spec.file_name().and_then(|n| n.to_str()).unwrap_or("spec");
                let dir = out.join(name);
                let _ = std::fs::remove_dir_all(&dir);
                let child = Command::new("node")
                    .arg(cli)
                    .args(["split", &spec.display().to_string(), "--outDir"])
                    .arg(&dir)
                    .env("REDOCLY_TELEMETRY", "off")
                    .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("node runs");
                (dir, child)
            })
            .collect();
        for (dir, child) in children {
            let output = child.wait_with_output().expect("redocly split finishes");
            let root = ["openapi.yaml", "openapi.json"]
                .iter()
                .map(|f| dir.join(f))
                .find(|p| p.exists());
            results.push(match (output.status.success(), root) {
                (true, Some(root)) => Ok(root),
                _ => Err(format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                )),
            });
        }
    }
    results
}

/// Removes the components (other than security schemes, which a split root keeps)
/// that nothing outside `components` reaches through `$ref`s.
fn remove_unused_components(doc: &mut Value) -> usize {
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let Some(components) = doc.get("components").cloned() else {
        return 0;
    };
    let mut outside = doc.clone();
    if let Some(map) = outside.as_object_mut() {
        map.remove("components");
    }
    let mut pending = Vec::new();
    refs(&outside, &mut pending);
    if let Some(schemes) = components.get("securitySchemes") {
        refs(schemes, &mut pending);
    }
    let mut used = std::collections::HashSet::new();
    while let Some(r) = pending.pop() {
        let Some(pointer) = r.strip_prefix('#') else {
            continue;
        };
        let tokens: Vec<&str> = pointer.split('/').collect();
        if tokens.len() < 4 || tokens[1] != "components" {
            continue;
        }
        let key = format!("/{}/{}", tokens[2], tokens[3]);
        if used.insert(key.clone()) {
            if let Some(target) = components.pointer(&key) {
                refs(target, &mut pending);
            }
        }
    }
    let mut removed = 0;
    if let Some(Value::Object(kinds)) = doc.get_mut("components") {
        for (kind, entries) in kinds.iter_mut() {
            if kind == "securitySchemes" {
                continue;
            }
            if let Value::Object(entries) = entries {
                let before = entries.len();
                entries.retain(|name, _| {
                    let escaped = name.replace('~', "~0").replace('/', "~1");
                    used.contains(&format!("/{kind}/{escaped}"))
                        || used.contains(&format!("/{kind}/{}", escaped.replace(' ', "%20")))
                });
                removed += before - entries.len();
            }
        }
    }
    removed
}

/// A line with every integer of 16 digits or more written as the nearest `f64` would
/// print it: the precision JavaScript keeps.
fn js_numbers(line: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 16 {
            let rounded = digits.parse::<f64>().map(|f| format!("{f:.0}"));
            out.push_str(&rounded.unwrap_or_else(|_| digits.clone()));
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in line.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

type Files = Vec<(PathBuf, String)>;

/// The generated files, and how many files the spec was read from.
fn render(spec: &Path) -> Result<(Files, usize), String> {
    let mut config = Config::new(spec);
    config.source_name("spec");
    config
        .render()
        .map(|out| {
            let files = out
                .files
                .into_iter()
                .map(|f| (f.path, f.contents))
                .collect();
            (files, out.sources.len())
        })
        .map_err(|e| e.to_string())
}

/// The first line where two outputs differ (beyond rounded big integers), if any.
fn first_difference(single: &Files, split: &Files) -> Option<String> {
    let names = |files: &Files| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    if names(single) != names(split) {
        return Some(format!("files {:?} vs {:?}", names(single), names(split)));
    }
    for ((path, a), (_, b)) in single.iter().zip(split) {
        let (la, lb): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
        for i in 0..la.len().max(lb.len()) {
            let (x, y) = (
                la.get(i).copied().unwrap_or(""),
                lb.get(i).copied().unwrap_or(""),
            );
            if x != y && js_numbers(x) != js_numbers(y) {
                return Some(format!(
                    "{}:{}:\n  single: {x}\n  split:  {y}",
                    path.display(),
                    i + 1
                ));
            }
        }
    }
    None
}

#[test]
#[ignore = "runs redocly 46 times (1-2 min): cargo test --test split -- --ignored"]
fn every_corpus_spec_split_by_redocly_generates_the_same_client() {
    let cli = redocly();
    let specs_dir = Path::new(ROOT).join("../shared/specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&specs_dir)
        .unwrap_or_else(|e| panic!("the corpus must be at {}: {e}", specs_dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .collect();
    specs.sort();
    assert!(
        specs.len() >= 23,
        "expected the 23 corpus specs, found {}",
        specs.len()
    );
    let work = Path::new(ROOT).join("target/split");
    let splits = split_all(&cli, &specs, &work.join("split"));
    let mut failures = Vec::new();
    let mut split_failed = Vec::new();
    let mut matched = 0;
    let mut pruned_specs = 0;
    for (spec, split) in specs.iter().zip(splits) {
        let name = spec
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let root = match split {
            Ok(root) => root,
            Err(message) => {
                split_failed.push((name, message));
                continue;
            }
        };
        // The single file, less what the split cannot keep, written where it can be read.
        let mut single = load::bundle_file(spec, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .value;
        if remove_unused_components(&mut single) > 0 {
            pruned_specs += 1;
        }
        let single_path = work.join("single").join(format!("{name}.json"));
        std::fs::create_dir_all(work.join("single")).expect("create target/split/single");
        std::fs::write(&single_path, serde_json::to_string(&single).expect("JSON")).expect("write");
        let ((single_out, _), (split_out, split_files)) =
            match (render(&single_path), render(&root)) {
                (Ok(a), Ok(b)) => (a, b),
                (a, b) => {
                    failures.push(format!(
                        "{name}: single {:?} / split {:?}",
                        a.err(),
                        b.err()
                    ));
                    continue;
                }
            };
        // The split really is several files, and its references were followed.
        if split_files < 2 {
            failures.push(format!(
                "{name}: the split was read from {split_files} file(s)"
            ));
        }
        match first_difference(&single_out, &split_out) {
            Some(diff) => failures.push(format!("{name}: {diff}")),
            None => matched += 1,
        }
        eprintln!("{name}: {split_files} file(s) read from the split");
    }
    let failed_names: Vec<&str> = split_failed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        failed_names, SPLIT_FAILS,
        "redocly split failed on other specs than the known ones: {split_failed:#?}"
    );
    assert!(
        failures.is_empty(),
        "split and single outputs differ:\n{}",
        failures.join("\n")
    );
    assert_eq!(matched, specs.len() - SPLIT_FAILS.len());
    eprintln!("{matched} split specs generate the same client ({pruned_specs} compared without unused components)");
}

#[test]
fn big_integers_are_rounded_like_javascript() {
    assert_eq!(js_numbers("0..=18014398509481983"), "0..=18014398509481984");
    assert_eq!(js_numbers("max 255, id 12"), "max 255, id 12");
}
