//! Writes the server's OpenAPI description (utoipa's output for `src/api.rs`) to
//! `OUT_DIR/referee.json` and generates the client from it into `OUT_DIR/client`.

use std::path::PathBuf;

#[path = "src/api.rs"]
mod api;

fn main() {
    use utoipa::OpenApi as _;
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/api.rs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let description = match api::ApiDoc::openapi().to_pretty_json() {
        Ok(json) => json,
        Err(e) => {
            eprintln!("error: utoipa's description does not serialise: {e}");
            std::process::exit(1);
        }
    };
    let spec = out_dir.join("referee.json");
    std::fs::write(&spec, description).expect("write the description");
    let dir = out_dir.join("client");
    let mut config = openapi_client_gen::Config::new(&spec);
    config
        .out_dir(&dir)
        .source_name("the utoipa description of tests/referee/src/api.rs");
    if let Err(e) = config.write() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    let module = format!(
        "#[path = {:?}]\npub mod generated_client;\npub use generated_client as client;\n",
        dir.join("lib.rs").display().to_string()
    );
    std::fs::write(out_dir.join("client_module.rs"), module).expect("write client_module.rs");
}
