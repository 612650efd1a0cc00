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

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let specs = manifest_dir.join("../../../shared/specs");
    println!("cargo:rerun-if-changed=build.rs");
    let mut modules = String::new();
    for (module, file) in SPECS {
        let spec = specs.join(file);
        println!("cargo:rerun-if-changed={}", spec.display());
        if !spec.exists() {
            eprintln!("error: the corpus spec {} is missing (the tests need ../shared/specs beside the repository)", spec.display());
            std::process::exit(1);
        }
        let dir = out_dir.join(module);
        let mut config = openapi_client_gen::Config::new(&spec);
        config
            .out_dir(&dir)
            .source_name(format!("shared/specs/{file}"));
        if let Err(e) = config.write() {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        let lib = dir.join("lib.rs");
        writeln!(
            modules,
            "#[doc = \"Client generated from `shared/specs/{file}`.\"]"
        )
        .expect("write");
        writeln!(modules, "#[path = {:?}]\npub mod {module};", display(&lib)).expect("write");
    }
    std::fs::write(out_dir.join("clients.rs"), modules).expect("write clients.rs");
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
