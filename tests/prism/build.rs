//! Generates the clients of the corpus specs that the Prism tests exercise into
//! `OUT_DIR`, and a `clients.rs` that declares them as modules.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Module name and file in `../shared/specs/`.
const SPECS: [(&str, &str); 5] = [
    ("petstore_expanded", "oai-petstore-expanded-3.0.json"),
    ("swagger_petstore", "swagger-petstore-3.0.yaml"),
    ("keeper", "progenitor-keeper.json"),
    ("museum", "redocly-museum-3.1.yaml"),
    // Not mocked by Prism: its multipart bodies are checked on the loopback recorder.
    ("openai_subset", "progenitor-openai-subset.yaml"),
];

/// Module name and file in `tests/swagger2/specs/` (Swagger 2.0, converted on load).
const SWAGGER2: [(&str, &str); 1] = [("petstore_v2", "readme-petstore-2.0.json")];

/// Module name and file in `tests/fixtures/`.
const FIXTURES: [(&str, &str); 5] = [
    // One operation per method class of the retry policy: tests/faults.rs.
    ("runtime_fixture", "runtime.yaml"),
    // One operation per pagination convention: tests/pagination.rs.
    ("pagination_fixture", "pagination.yaml"),
    // Events, downloads and uploads: tests/streaming.rs and the memory tests.
    ("streaming_fixture", "streaming.yaml"),
    // Servers chosen by name and variable: tests/wire_encoding.rs.
    ("servers_fixture", "servers.yaml"),
    // 3.1 webhooks and a callback, signed: tests/webhooks/ (in the wire_encoding binary).
    ("webhooks_fixture", "webhooks.yaml"),
];

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let specs = manifest_dir.join("../../../shared/specs");
    println!("cargo:rerun-if-changed=build.rs");
    let mut modules = String::new();
    let corpus = SPECS
        .iter()
        .map(|(module, file)| (*module, specs.join(file), format!("shared/specs/{file}")));
    // The repository's own fixtures, beside the corpus.
    let fixtures = FIXTURES.iter().map(|(module, file)| {
        (
            *module,
            manifest_dir.join("../fixtures").join(file),
            format!("tests/fixtures/{file}"),
        )
    });
    let swagger2 = SWAGGER2.iter().map(|(module, file)| {
        (
            *module,
            manifest_dir.join("../swagger2/specs").join(file),
            format!("tests/swagger2/specs/{file}"),
        )
    });
    for (module, spec, file) in corpus.chain(swagger2).chain(fixtures) {
        println!("cargo:rerun-if-changed={}", spec.display());
        if !spec.exists() {
            eprintln!("error: the spec {} is missing (the corpus must be at ../shared/specs beside the repository)", spec.display());
            std::process::exit(1);
        }
        let dir = out_dir.join(module);
        let mut config = openapi_client_gen::Config::new(&spec);
        config.out_dir(&dir).source_name(&file);
        // A fixture's pagination rules sit beside it, as `<name>.toml`.
        let rules = spec.with_extension("toml");
        if module.ends_with("_fixture") && rules.exists() {
            println!("cargo:rerun-if-changed={}", rules.display());
            if let Err(e) = config.pagination_file(&rules) {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
        if let Err(e) = config.write() {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        let lib = dir.join("lib.rs");
        writeln!(modules, "#[doc = \"Client generated from `{file}`.\"]").expect("write");
        writeln!(modules, "#[path = {:?}]\npub mod {module};", display(&lib)).expect("write");
    }
    std::fs::write(out_dir.join("clients.rs"), modules).expect("write clients.rs");
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
