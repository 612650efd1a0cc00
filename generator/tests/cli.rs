//! The `generate` command's contract: write, check (exit 1 with a diff when stale),
//! standalone crates, and clear errors (exit 2, file and place, never a panic).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn generate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generate"))
        .args(args)
        .output()
        .expect("generate runs")
}

fn spec() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/txcloud-identity.yaml")
        .display()
        .to_string()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "openapi-client-gen-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_reports_stale_output_with_a_diff_then_passes_after_generation() {
    let out = temp_dir("check");
    let out_s = out.display().to_string();
    let stale = generate(&["--spec", &spec(), "--out", &out_s, "--check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale.stderr));
    assert!(
        text(&stale.stdout).contains("+pub struct Verification {"),
        "diff on stdout"
    );
    assert!(!out.exists(), "--check writes nothing");

    let written = generate(&["--spec", &spec(), "--out", &out_s]);
    assert!(written.status.success(), "{}", text(&written.stderr));
    let fresh = generate(&["--spec", &spec(), "--out", &out_s, "--check"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stdout));
    assert!(fresh.stdout.is_empty());

    std::fs::write(out.join("types.rs"), "// edited by hand\n").expect("edit");
    let edited = generate(&["--spec", &spec(), "--out", &out_s, "--check"]);
    assert_eq!(edited.status.code(), Some(1));
    assert!(
        text(&edited.stdout).contains("-// edited by hand"),
        "{}",
        text(&edited.stdout)
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn crate_flag_writes_a_manifest() {
    let out = temp_dir("crate");
    let status = generate(&[
        "--spec",
        &spec(),
        "--out",
        &out.display().to_string(),
        "--crate",
        "my-client",
    ]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"my-client\""), "{manifest}");
    assert!(manifest.contains("path = \"lib.rs\""), "{manifest}");
    assert!(manifest.contains("rustls-no-provider"), "{manifest}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_bad_spec_is_a_clear_error_not_a_panic() {
    let dir = temp_dir("bad");
    std::fs::create_dir_all(&dir).expect("dir");
    let cases = [
        ("syntax.yaml", "openapi: 3.0.3\ninfo: [\n", "line 3"),
        ("shape.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': 5\n", "/paths/~1a/get/responses/200"),
        ("swagger.json", "{\"swagger\": \"1.2\"}", "unsupported Swagger version"),
        ("empty.yaml", "", "openapi"),
    ];
    for (name, body, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, body).expect("write spec");
        let out = generate(&[
            "--spec",
            &path.display().to_string(),
            "--out",
            &dir.join("out").display().to_string(),
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: names the file: {stderr}");
        assert!(
            stderr.contains(expected),
            "{name}: says {expected:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let missing = generate(&["--spec", &dir.join("nope.yaml").display().to_string()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("nope.yaml"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pagination_rules_from_a_file_add_stream_methods_and_bad_ones_are_named() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let spec = fixtures.join("pagination.yaml").display().to_string();
    let out = temp_dir("pagination");
    let out_s = out.display().to_string();
    let rules = fixtures.join("pagination.toml").display().to_string();
    let with = generate(&["--spec", &spec, "--out", &out_s, "--pagination", &rules]);
    assert!(with.status.success(), "{}", text(&with.stderr));
    let client = std::fs::read_to_string(out.join("client.rs")).expect("client.rs");
    assert!(
        client.contains("pub fn list_declared_stream("),
        "declared rule"
    );
    assert!(
        client.contains("pub fn list_dropshot_stream("),
        "spec extension"
    );

    let without = generate(&["--spec", &spec, "--out", &out_s]);
    assert!(without.status.success());
    let client = std::fs::read_to_string(out.join("client.rs")).expect("client.rs");
    assert!(!client.contains("pub fn list_declared_stream("));

    // A rule whose fields are not in the page: a warning naming the operation's pointer.
    let bad = out.join("bad.toml");
    std::fs::write(&bad, "[[operation]]\nid = \"listDeclared\"\nstyle = \"cursor\"\nparam = \"cursor\"\nnext = \"nowhere\"\n").expect("write");
    let warned = generate(&[
        "--spec",
        &spec,
        "--out",
        &out_s,
        "--pagination",
        &bad.display().to_string(),
    ]);
    assert!(warned.status.success());
    let stderr = text(&warned.stderr);
    assert!(stderr.contains("/paths/~1declared/get"), "{stderr}");
    assert!(stderr.contains("no field `nowhere`"), "{stderr}");

    // A file that is not a rule file: exit 2, the file named.
    std::fs::write(&bad, "[[operation]]\nid = \"x\"\nstyle = \"sideways\"\n").expect("write");
    let refused = generate(&[
        "--spec",
        &spec,
        "--out",
        &out_s,
        "--pagination",
        &bad.display().to_string(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("bad.toml"),
        "{}",
        text(&refused.stderr)
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn changes_from_reports_in_three_formats_and_fails_on_breaking_when_asked() {
    let dir = temp_dir("review");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let original = std::fs::read_to_string(spec()).expect("spec");
    // A new risk level (non-breaking: the enum is #[non_exhaustive]) and `created_at` no
    // longer required (breaking: its `chrono::DateTime<chrono::FixedOffset>` becomes an
    // `Option` of it).
    let changed = original
        .replacen(
            "enum: [pending, verified, rejected, review, expired, error]",
            "enum: [pending, verified, rejected, review, expired, error, on_hold]",
            1,
        )
        .replacen(
            "required: [id, object, status, created_at]",
            "required: [id, object, status]",
            1,
        );
    assert_ne!(
        changed, original,
        "the spec still has the lines this test edits"
    );
    let new = dir.join("new.yaml");
    std::fs::write(&new, changed).expect("write");
    let new_s = new.display().to_string();
    let old_s = spec();

    let md = generate(&["--spec", &new_s, "--changes-from", &old_s]);
    assert_eq!(md.status.code(), Some(0), "{}", text(&md.stderr));
    let md = text(&md.stdout);
    assert!(
        md.contains("**1 breaking, 1 non-breaking, 0 wire-only change(s): major version bump**"),
        "{md}"
    );
    let breaking = md.find("## Breaking (1)").expect("breaking section");
    let non_breaking = md
        .find("## Non-breaking (1)")
        .expect("non-breaking section");
    assert!(breaking < non_breaking, "{md}");
    assert!(
        md.contains(
            "- `types::Verification::created_at`: `Option<chrono::DateTime<chrono::FixedOffset>>` (was `chrono::DateTime<chrono::FixedOffset>`"
        ),
        "{md}"
    );
    assert!(md.contains("`types::VerificationStatus::OnHold`"), "{md}");

    let json = generate(&[
        "--spec",
        &new_s,
        "--changes-from",
        &old_s,
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["summary"]["bump"], "major");
    assert_eq!(
        json["changes"][0]["item"],
        "types::Verification::created_at"
    );
    assert_eq!(
        json["changes"][0]["old_pointer"],
        "#/components/schemas/Verification/properties/created_at"
    );

    let summary = generate(&[
        "--spec",
        &new_s,
        "--changes-from",
        &old_s,
        "--format",
        "summary",
    ]);
    assert_eq!(
        text(&summary.stdout),
        "1 breaking, 1 non-breaking, 0 wire-only change(s): major version bump\n"
    );

    let ci = generate(&[
        "--spec",
        &new_s,
        "--changes-from",
        &old_s,
        "--fail-on-breaking",
        "--format",
        "summary",
    ]);
    assert_eq!(ci.status.code(), Some(1), "{}", text(&ci.stderr));
    assert!(
        text(&ci.stderr).contains("1 breaking change(s)"),
        "{}",
        text(&ci.stderr)
    );
    let same = generate(&[
        "--spec",
        &old_s,
        "--changes-from",
        &old_s,
        "--fail-on-breaking",
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));

    let missing = dir.join("missing.yaml").display().to_string();
    let bad = generate(&["--spec", &new_s, "--changes-from", &missing]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("missing.yaml"),
        "{}",
        text(&bad.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
