//! What a user's `build.rs` writes, as prost-build users do: the client of a spec, as
//! one file in `OUT_DIR` that `src/lib.rs` and `src/main.rs` `include!`.

use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let spec = manifest_dir.join("../../../shared/specs/oai-petstore-3.0.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    println!("cargo:rerun-if-changed=build.rs");
    let mut config = openapi_client_gen::Config::new(&spec);
    config
        .out_dir(out_dir.join("petstore"))
        .source_name("shared/specs/oai-petstore-3.0.yaml")
        .single_file(true);
    if let Err(e) = config.write() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
