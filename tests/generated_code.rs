//! The committed `generated/` is exactly what the generator emits for `spec/` today,
//! the output is deterministic, and every emitted file is locked by a snapshot.

use openapi_client_gen::{CheckOutcome, Config};

fn config() -> Config {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut config = Config::new(format!("{root}/spec/txcloud-identity.yaml"));
    config
        .out_dir(format!("{root}/generated"))
        .source_name("spec/txcloud-identity.yaml")
        .doc_crate("txcloud");
    config
}

#[test]
fn committed_generated_code_is_up_to_date() {
    let (output, outcome) = config().check().expect("the default spec generates");
    assert!(
        output.warnings.is_empty(),
        "warnings: {:#?}",
        output.warnings
    );
    if let CheckOutcome::Stale(diff) = outcome {
        panic!(
            "generated/ differs from what the generator emits for spec/txcloud-identity.yaml.\n\
             Run `cargo build` (or `cargo run -p openapi-client-gen --bin generate`) and commit the result.\n\n{diff}"
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let first = config().render().expect("generates");
    for _ in 0..3 {
        let again = config().render().expect("generates");
        assert_eq!(first.files, again.files);
    }
}

#[test]
fn emitted_code_snapshots() {
    let output = config().render().expect("generates");
    let names: Vec<String> = output
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "lib.rs",
            "types.rs",
            "client.rs",
            "auth.rs",
            "call.rs",
            "client_core.rs",
            "credential_source.rs",
            "error.rs",
            "files.rs",
            "mock.rs",
            "oauth.rs",
            "options.rs",
            "pages.rs",
            "response.rs",
            "retry.rs",
            "runtime.rs",
            "send.rs",
            "stream.rs",
            "tls.rs",
            "README.md"
        ]
    );
    for file in &output.files {
        let name = file.path.display().to_string();
        insta::assert_snapshot!(name, file.contents);
    }
}

/// The packages that compile generated code by hand-written manifests (this one, the
/// runtime crate, the Prism tests, the referee) ask for the dependencies generated manifests do, at the
/// same versions, so that a version bump in the generator cannot leave them behind.
/// (The referee's server may ask for more features of the same crates.)
#[test]
fn hand_written_manifests_carry_the_client_dependencies() {
    fn version(line: &str) -> Option<&str> {
        let value = line.split_once(" = ")?.1;
        let value = value.split_once("version = ").map_or(value, |(_, v)| v);
        value.split('"').nth(1)
    }
    let root = env!("CARGO_MANIFEST_DIR");
    for manifest in [
        "Cargo.toml",
        "generator/runtime/Cargo.toml",
        "tests/prism/Cargo.toml",
        "tests/referee/Cargo.toml",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{manifest}")).expect("manifest");
        for wanted in openapi_client_gen::client_dependencies().lines() {
            let name = wanted.split(" = ").next().unwrap_or(wanted);
            let found = text
                .lines()
                .find(|l| l.split(" = ").next() == Some(name))
                .unwrap_or_else(|| panic!("{manifest} lacks the client dependency `{wanted}`"));
            assert_eq!(
                version(found),
                version(wanted),
                "{manifest}: `{found}` against `{wanted}`"
            );
            if name == "reqwest" {
                assert_eq!(found, wanted, "{manifest}: reqwest's features decide TLS");
            }
        }
    }
}
