//! Multi-file specs (`tests/multifile/` at the repository root): references between
//! files resolved relative to the file they are written in, YAML and JSON mixed, a
//! cycle across two files, one file reached by two paths, names as a bundle gives them,
//! URLs mapped to a folder, and the errors for a missing file or pointer.

use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_client_gen::load::{self, LoadOptions};
use openapi_client_gen::Config;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/multifile")
}

fn names(value: &serde_json::Value, pointer: &str) -> Vec<String> {
    value
        .pointer(pointer)
        .and_then(|v| v.as_object())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn split_description_is_bundled_with_bundle_names() {
    let bundle = load::bundle_file(
        &fixtures().join("api/openapi.yaml"),
        &LoadOptions::default(),
    )
    .expect("bundles");
    // Each file once, though Pet.yaml is reached as ../schemas/Pet.yaml and
    // ../../api/schemas/Pet.yaml.
    let files: Vec<String> = bundle
        .files
        .iter()
        .map(|f| {
            f.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        files,
        [
            "openapi.yaml",
            "common.yaml",
            "pets.yaml",
            "Pet.yaml",
            "Owner.yaml",
            "defs.json",
            "pet.json"
        ],
        "{:?}",
        bundle.files
    );
    // A whole file is named by its stem, a fragment by its last token; the root entry
    // `Problem` keeps its name for common.yaml's Error; common.yaml's own Pet collides.
    assert_eq!(
        names(&bundle.value, "/components/schemas"),
        ["Owner", "Pet", "Pet_2", "Problem", "Tag"]
    );
    assert_eq!(names(&bundle.value, "/components/parameters"), ["Limit"]);
    assert_eq!(names(&bundle.value, "/components/responses"), ["Failure"]);
    // Path items are written inline; every reference is now local.
    let text = serde_json::to_string(&bundle.value).expect("JSON");
    assert!(!text.contains(".yaml"), "{text}");
    assert!(!text.contains(".json"), "{text}");
    let v = &bundle.value;
    assert_eq!(
        v.pointer("/paths/~1pets/get/operationId")
            .and_then(|x| x.as_str()),
        Some("listPets")
    );
    // The cycle Pet -> Owner -> Pet is two local references.
    assert_eq!(
        v.pointer("/components/schemas/Pet/properties/owner/$ref")
            .and_then(|x| x.as_str()),
        Some("#/components/schemas/Owner")
    );
    assert_eq!(
        v.pointer("/components/schemas/Owner/properties/pets/items/$ref")
            .and_then(|x| x.as_str()),
        Some("#/components/schemas/Pet")
    );
    // `#/components/schemas/Error` inside common.yaml means common.yaml's Error, which
    // the root calls Problem.
    assert_eq!(
        v.pointer("/components/responses/Failure/content/application~1json/schema/$ref")
            .and_then(|x| x.as_str()),
        Some("#/components/schemas/Problem")
    );
    assert_eq!(
        v.pointer("/paths/~1pets~1{id}/put/requestBody/content/application~1json/schema/$ref")
            .and_then(|x| x.as_str()),
        Some("#/components/schemas/Pet_2")
    );
}

#[test]
fn split_description_generates_typed_client_and_lists_its_files() {
    let out = Config::new(fixtures().join("api/openapi.yaml"))
        .render()
        .expect("generates");
    assert_eq!(out.operations, 4);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(out.sources.len(), 7, "{:?}", out.sources);
    let types = &out
        .files
        .iter()
        .find(|f| f.path == Path::new("types.rs"))
        .expect("types.rs")
        .contents;
    for item in [
        "pub struct Pet {",
        "pub struct Pet2 {",
        "pub struct Owner {",
        "pub struct Problem {",
        "pub enum Tag {",
    ] {
        assert!(types.contains(item), "{item} missing:\n{types}");
    }
    assert!(
        types.contains("pub owner: Option<Box<Owner>>")
            || types.contains("pub owner: Option<Owner>"),
        "{types}"
    );
    assert!(types.contains("pub pets: Option<Vec<Pet>>"), "{types}");
}

#[test]
fn missing_file_names_the_referring_file_line_and_pointer() {
    let root = fixtures().join("broken/openapi.yaml");
    let err = Config::new(&root).render().expect_err("must fail");
    let text = err.to_string();
    assert_eq!(err.file, root, "{text}");
    let location = err.location.clone().expect("location");
    assert_eq!(location.line_col.map(|(l, _)| l), Some(14), "{text}");
    assert_eq!(
        location.pointer,
        "/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
    );
    assert!(text.contains("schemas/missing.yaml"), "{text}");
    assert!(text.contains("cannot read"), "{text}");
}

#[test]
fn missing_pointer_names_the_file_that_refers_to_it() {
    let err = Config::new(fixtures().join("broken/bad-pointer.yaml"))
        .render()
        .expect_err("must fail");
    let text = err.to_string();
    assert!(err.file.ends_with("broken/path.yaml"), "{text}");
    assert_eq!(
        err.location
            .as_ref()
            .and_then(|l| l.line_col)
            .map(|(l, _)| l),
        Some(8),
        "{text}"
    );
    assert!(
        text.contains("defs.yaml#/Nope, which does not exist"),
        "{text}"
    );
}

#[test]
fn urls_are_not_fetched_unless_mapped_to_a_folder() {
    let root = fixtures().join("remote/openapi.yaml");
    let unmapped = Config::new(&root).render().expect("generates");
    assert!(
        unmapped
            .warnings
            .iter()
            .any(|w| w.class == "url-ref-not-fetched"),
        "{:?}",
        unmapped.warnings
    );
    assert_eq!(unmapped.sources.len(), 1);
    let mut config = Config::new(&root);
    config.map_url(
        "https://schemas.example.com/shared/",
        fixtures().join("common"),
    );
    let mapped = config.render().expect("generates");
    assert!(mapped.warnings.is_empty(), "{:?}", mapped.warnings);
    assert_eq!(mapped.types, 1);
    assert!(
        mapped.sources[1].ends_with("common/common.yaml"),
        "{:?}",
        mapped.sources
    );
}

#[test]
fn cli_bundle_writes_the_document_the_generator_reads() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bundle-cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let root = fixtures().join("api/openapi.yaml");
    for name in ["bundle.yaml", "bundle.json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_generate"))
            .arg("--spec")
            .arg(&root)
            .arg("--bundle")
            .arg(dir.join(name))
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("bundled 7 file(s)"));
        // The bundle generates exactly what the split description does.
        let split = Config::new(&root)
            .source_name("spec")
            .render()
            .expect("split");
        let single = Config::new(dir.join(name))
            .source_name("spec")
            .render()
            .expect("bundle");
        assert_eq!(single.files, split.files, "{name}");
        assert_eq!(single.sources.len(), 1);
    }
    let json = std::fs::read_to_string(dir.join("bundle.json")).expect("written");
    assert!(json.trim_start().starts_with('{'));
    let yaml = std::fs::read_to_string(dir.join("bundle.yaml")).expect("written");
    assert!(yaml.starts_with("openapi: 3.0.3"), "{yaml}");
}

#[test]
fn split_swagger_2_is_bundled_then_converted() {
    let bundle = load::bundle_file(
        &fixtures().join("swagger2/api.yaml"),
        &LoadOptions::default(),
    )
    .expect("bundles");
    assert_eq!(bundle.version, "2.0");
    assert_eq!(bundle.files.len(), 3);
    let v = &bundle.value;
    assert_eq!(
        v.pointer("/openapi").and_then(|x| x.as_str()),
        Some("3.0.3")
    );
    assert_eq!(
        v.pointer("/servers/0/url").and_then(|x| x.as_str()),
        Some("https://pets.example.com")
    );
    assert_eq!(
        v.pointer("/components/schemas/Pet/properties/nick/nullable"),
        Some(&serde_json::json!(true))
    );
    assert_eq!(
        v.pointer("/components/parameters/Limit/schema/format")
            .and_then(|x| x.as_str()),
        Some("int32")
    );
    assert_eq!(
        v.pointer("/paths/~1pets/get/parameters/0/$ref")
            .and_then(|x| x.as_str()),
        Some("#/components/parameters/Limit")
    );
    assert_eq!(
        v.pointer("/paths/~1pets/get/responses/200/content/application~1json/schema/items/$ref")
            .and_then(|x| x.as_str()),
        Some("#/components/schemas/Pet")
    );
    let out = Config::new(fixtures().join("swagger2/api.yaml"))
        .render()
        .expect("generates");
    assert_eq!(out.operations, 1);
    let types = &out
        .files
        .iter()
        .find(|f| f.path == Path::new("types.rs"))
        .expect("types")
        .contents;
    // Optional and nullable: absent and `null` are told apart.
    assert!(
        types.contains("pub nick: Option<Option<String>>"),
        "{types}"
    );
}
