//! Spec-change review on real published versions of descriptions: Figma's REST API
//! (`@figma/rest-api-spec` on npm), Redo's API (`@redotech/redo-api-schema`) and
//! GitHub's (`@octokit/openapi`).
//!
//! The pinned versions are fetched with `npm pack` into `target/tmp/review-specs/` on
//! first use (npm must be on the PATH). The fast tests check the report of each Figma and
//! Redo pair; the ignored ones check GitHub's pair (two tarballs of 40 and 29 MB) and
//! confirm the classification with `cargo-semver-checks` on the two generated crates
//! (see the README for the commands).

use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_client_gen::review::{Class, Report, GITHUB_COMMENT_LIMIT};
use openapi_client_gen::Config;

#[path = "support/check_crate.rs"]
mod check_crate;

/// A published description: the npm package, the file in it, and consecutive versions.
struct Source {
    package: &'static str,
    file: &'static str,
    versions: &'static [&'static str],
}

const FIGMA: Source = Source {
    package: "@figma/rest-api-spec",
    file: "openapi/openapi.yaml",
    versions: &["0.40.0", "0.41.0", "0.42.0", "0.43.0"],
};

const REDO: Source = Source {
    package: "@redotech/redo-api-schema",
    file: "lib/openapi.yaml",
    versions: &["2.2.642", "2.2.646", "2.2.656", "2.2.693"],
};

/// GitHub's REST description: 1,620 changes from 22.0.0 to 23.0.2, whose full Markdown
/// is about 388,000 characters.
const GITHUB: Source = Source {
    package: "@octokit/openapi",
    file: "generated/api.github.com.json",
    versions: &["22.0.0", "23.0.2"],
};

/// The description of one version, fetched once (only that file is unpacked: GitHub's
/// package holds 500 MB of other descriptions).
fn spec(source: &Source, version: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("review-specs")
        .join(format!(
            "{}-{version}",
            source.package.replace(['@', '/'], "_")
        ));
    let file = dir.join("package").join(source.file);
    if file.is_file() {
        return file;
    }
    std::fs::create_dir_all(&dir).expect("create the spec folder");
    let spec = format!("{}@{version}", source.package);
    let packed = Command::new("npm")
        .args(["pack", &spec, "--silent", "--pack-destination"])
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("these tests fetch {spec} with `npm pack`; is npm installed? ({e})")
        });
    assert!(
        packed.status.success(),
        "npm pack {spec} failed:\n{}",
        String::from_utf8_lossy(&packed.stderr)
    );
    let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_string();
    let untar = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg(format!("package/{}", source.file))
        .current_dir(&dir)
        .status()
        .expect("tar runs");
    assert!(
        untar.success(),
        "tar xzf {tarball} failed in {}",
        dir.display()
    );
    assert!(file.is_file(), "{spec} has no {}", source.file);
    // Best effort: the tarball is not needed any more.
    let _ = std::fs::remove_file(dir.join(&tarball));
    file
}

/// The report of each pair of consecutive versions.
fn pairs(source: &Source) -> Vec<(String, String, Report)> {
    source
        .versions
        .windows(2)
        .map(|w| {
            let report = Config::new(spec(source, w[1]))
                .review(spec(source, w[0]))
                .unwrap_or_else(|e| panic!("{} {} → {}: {e}", source.package, w[0], w[1]));
            (w[0].to_string(), w[1].to_string(), report)
        })
        .collect()
}

fn counts(r: &Report) -> (usize, usize, usize) {
    (
        r.count(Class::Breaking),
        r.count(Class::NonBreaking),
        r.count(Class::WireOnly),
    )
}

fn has(r: &Report, class: Class, kind: &str, item: &str) -> bool {
    r.changes
        .iter()
        .any(|c| c.class == class && c.kind == kind && c.item == item)
}

#[test]
fn figma_versions_are_reviewed() {
    let reports = pairs(&FIGMA);
    let got: Vec<(usize, usize, usize)> = reports.iter().map(|(_, _, r)| counts(r)).collect();
    assert_eq!(got, [(0, 9, 0), (0, 33, 0), (0, 8, 0)], "{}", all(&reports));
    // 0.41 → 0.42: new v2 folder methods; the v1 project methods deprecated.
    let r = &reports[1].2;
    assert!(has(
        r,
        Class::NonBreaking,
        "method-added",
        "Client::get_folder_files"
    ));
    assert!(has(
        r,
        Class::NonBreaking,
        "method-deprecated",
        "Client::get_project_files"
    ));
    // 0.42 → 0.43: a new value in a response enum, harmless since it is #[non_exhaustive].
    let r = &reports[2].2;
    assert!(has(
        r,
        Class::NonBreaking,
        "variant-added",
        "types::VariableScope::ColorOpacity"
    ));
    let line = r
        .markdown()
        .lines()
        .find(|l| l.contains("types::VariableScope::ColorOpacity"))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        line.contains("(old: `#/components/schemas/VariableScope`, new: `#/components/schemas/VariableScope`)"),
        "{line}"
    );
    assert_eq!(
        r.summary(),
        "0 breaking, 8 non-breaking, 0 wire-only change(s): minor version bump"
    );
}

#[test]
fn redo_versions_are_reviewed() {
    let reports = pairs(&REDO);
    let got: Vec<(usize, usize, usize)> = reports.iter().map(|(_, _, r)| counts(r)).collect();
    assert_eq!(got, [(0, 0, 0), (0, 6, 0), (0, 4, 0)], "{}", all(&reports));
    // 2.2.646 → 2.2.656: new optional fields in a request struct, which users build with
    // `new` and setters: a new setter each.
    let r = &reports[1].2;
    assert!(has(
        r,
        Class::NonBreaking,
        "field-added",
        "types::CustomOrderSyncSchema::cancel_reason"
    ));
    assert!(has(
        r,
        Class::NonBreaking,
        "type-added",
        "types::CustomOrderCancelReasonSchema"
    ));
    assert_eq!(r.json()["summary"]["bump"], "minor");
    // 2.2.656 → 2.2.693: one more.
    assert!(has(
        &reports[2].2,
        Class::NonBreaking,
        "field-added",
        "types::CustomOrderSyncSchema::refunds"
    ));
}

/// The code a user writes against the GitHub client (`tests/user_code/github.rs`: create
/// an issue with labels, list open issues) compiles inside the client's module under
/// `cargo clippy -- -D warnings`, with the client generated from GitHub 23.0.2.
#[test]
#[ignore = "fetches GitHub's description with npm and checks its 7,000-type client (minutes)"]
fn github_user_code_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Config::new(spec(&GITHUB, "23.0.2"))
        .render()
        .expect("GitHub's description generates");
    let mut files = output.files;
    let code = std::fs::read_to_string(root.join("tests/user_code/github.rs")).expect("user code");
    check_crate::add_module(&mut files, "user_code", code);
    let dir = root.join("target/github-user-check");
    let modules = [("github".to_string(), files.as_slice())];
    let manifest = check_crate::write_workspace(root, &dir, "github-user-check", &modules, 1);
    let out = check_crate::clippy(root, &manifest, &["--workspace"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "fetches GitHub's description twice with npm (tarballs of 40 and 29 MB)"]
fn github_review_fits_a_pull_request() {
    let reports = pairs(&GITHUB);
    let r = &reports[0].2;
    assert_eq!(counts(r), (231, 1378, 11), "{}", r.summary());
    // New optional query parameters are new setters of the `…Params` structs.
    let optional: Vec<_> = r
        .changes
        .iter()
        .filter(|c| c.kind == "param-added-optional")
        .collect();
    assert_eq!(optional.len(), 32);
    assert!(optional.iter().all(|c| c.class == Class::NonBreaking));
    let full = r.markdown().chars().count();
    let compact = r.compact_markdown();
    let size = compact.chars().count();
    println!(
        "GitHub 22.0.0 → 23.0.2: {}; full Markdown {full} characters, compact {size}",
        r.summary()
    );
    assert!(full > GITHUB_COMMENT_LIMIT, "{full}");
    assert!(size < GITHUB_COMMENT_LIMIT, "{size}");
    // All 231 breaking changes fit, each named.
    for c in r.changes.iter().filter(|c| c.class == Class::Breaking) {
        assert!(
            compact.contains(&format!("- `{}`: ", c.item)),
            "{} missing",
            c.item
        );
    }
    assert!(compact.contains("more non-breaking change(s): see the full report"));
}

fn all(reports: &[(String, String, Report)]) -> String {
    reports
        .iter()
        .map(|(a, b, r)| format!("{a} → {b}:\n{}", r.markdown()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Generates the client of `spec` as a standalone crate named `review_probe` in `dir`.
fn generate_crate(spec: &Path, dir: &Path) {
    let mut config = Config::new(spec);
    config.out_dir(dir).crate_name("review_probe");
    config
        .write()
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", spec.display()));
    // Not a member of this workspace.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).expect("write manifest");
    }
}

/// `cargo-semver-checks`, installed pinned into `target/semver-checks` (see the README),
/// or the one `SEMVER_CHECKS` names.
fn semver_checks() -> PathBuf {
    let path = std::env::var_os("SEMVER_CHECKS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/semver-checks/bin/cargo-semver-checks")
        });
    assert!(
        path.is_file(),
        "{} is missing: cargo install --locked --version 0.51.0 cargo-semver-checks --root target/semver-checks",
        path.display()
    );
    path
}

/// For every pair: generate both crates, run `cargo-semver-checks check-release`, and
/// compare. A pair with a change classified breaking must fail the check, one without
/// must pass; each breaking change's item must be named in the failure output.
#[test]
#[ignore = "builds two generated crates per pair and runs cargo-semver-checks (minutes)"]
fn breaking_changes_are_confirmed_by_cargo_semver_checks() {
    let tool = semver_checks();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review-crates");
    let mut table = Vec::new();
    let (mut ours, mut confirmed, mut theirs, mut pairs_agree, mut pairs_total) = (0, 0, 0, 0, 0);
    for source in [&FIGMA, &REDO] {
        for (old, new, report) in pairs(source) {
            let name = source.package.replace(['@', '/'], "_");
            let (old_dir, new_dir) = (
                root.join(format!("{name}-{old}")),
                root.join(format!("{name}-{new}")),
            );
            generate_crate(&spec(source, &old), &old_dir);
            generate_crate(&spec(source, &new), &new_dir);
            let output = Command::new(&tool)
                .args(["semver-checks", "check-release", "--manifest-path"])
                .arg(new_dir.join("Cargo.toml"))
                .arg("--baseline-root")
                .arg(&old_dir)
                .args(["--release-type", "minor"])
                .env("CARGO_TARGET_DIR", root.join("target"))
                .output()
                .expect("cargo-semver-checks runs");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                text.contains("Checked") || text.contains("Summary"),
                "cargo-semver-checks did not run the checks:\n{text}"
            );
            let failed = !output.status.success();
            pairs_total += 1;
            if failed == report.has_breaking() {
                pairs_agree += 1;
            }
            let breaking: Vec<_> = report
                .changes
                .iter()
                .filter(|c| c.class == Class::Breaking)
                .collect();
            let seen = breaking.iter().filter(|c| named_in(&c.item, &text)).count();
            let flagged = failed_items(&text);
            ours += breaking.len();
            confirmed += seen;
            theirs += flagged;
            table.push(format!(
                "{} {old} → {new}: ours {:?}, semver-checks {} ({flagged} item(s) flagged), {seen}/{} of our breaking items named",
                source.package,
                counts(&report),
                if failed { "FAIL" } else { "pass" },
                breaking.len()
            ));
            if failed != report.has_breaking()
                || seen != breaking.len()
                || flagged != breaking.len()
            {
                table.push(format!("{}\n{text}", report.markdown()));
            }
        }
    }
    let summary = format!(
        "{}\npairs agreeing: {pairs_agree}/{pairs_total}; our breaking changes named by semver-checks: {confirmed}/{ours}; items semver-checks flagged: {theirs}",
        table.join("\n")
    );
    println!("{summary}");
    assert_eq!(pairs_agree, pairs_total, "{summary}");
    assert_eq!(confirmed, ours, "{summary}");
    // Nothing it flags is missing from our report (one lint hit per change here).
    assert_eq!(theirs, ours, "{summary}");
}

/// How many items the failed lints list: the lines indented by exactly two spaces under
/// `Failed in:` (its progress lines on stderr are indented further).
fn failed_items(text: &str) -> usize {
    let mut count = 0;
    let mut inside = false;
    for line in text.lines() {
        let item = line.starts_with("  ") && !line[2..].starts_with(' ') && line.len() > 2;
        if line.starts_with("Failed in:") {
            inside = true;
        } else if inside && item {
            count += 1;
        } else {
            inside = false;
        }
    }
    count
}

/// Whether the semver-checks output names the item (`types::A::b` as `A.b` or `A::b`,
/// `types::A` as `A`).
fn named_in(item: &str, text: &str) -> bool {
    let parts: Vec<&str> = item
        .split("::")
        .filter(|p| *p != "types" && *p != "Client")
        .collect();
    match parts.as_slice() {
        [one] => text.contains(one),
        [owner, member] => {
            text.contains(&format!("{owner}.{member}"))
                || text.contains(&format!("{owner}::{member}"))
        }
        _ => false,
    }
}
