//! Regenerates `generated/` from `spec/txcloud-identity.yaml` when the spec or the
//! generator changes. Only files whose content differs are written, so a clean checkout
//! builds without touching its sources.
//!
//! Under CI (`CI` set) nothing is written: a stale `generated/` must fail the tests
//! (which show the diff) rather than be silently repaired on the build machine.

#[cfg(feature = "regenerate")]
use std::path::Path;

#[cfg(not(feature = "regenerate"))]
fn main() {}

#[cfg(feature = "regenerate")]
fn main() {
    let spec = Path::new("spec/txcloud-identity.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");
    if !spec.exists() {
        // Packaged without the spec (for example from a registry): use the committed source.
        return;
    }
    let mut config = openapi_client_gen::Config::new(spec);
    config.out_dir("generated");
    // The doc examples import the client by its package name.
    if let Ok(name) = std::env::var("CARGO_PKG_NAME") {
        config.doc_crate(name);
    }
    if std::env::var_os("CI").is_some() {
        match config.check() {
            Ok((output, outcome)) => {
                watch(&output);
                if let openapi_client_gen::CheckOutcome::Stale(_) = outcome {
                    println!(
                        "cargo:warning=generated/ is stale; run `cargo build` outside CI and commit the result"
                    );
                }
            }
            Err(e) => fail(&e),
        }
        return;
    }
    match config.write() {
        Ok((output, written)) => {
            watch(&output);
            for w in &output.warnings {
                println!("cargo:warning={}: {w}", spec.display());
            }
            for path in written {
                println!("cargo:warning=regenerated {}", path.display());
            }
        }
        Err(e) => fail(&e),
    }
}

/// Regenerates when any file the spec pulled in with `$ref` changes, not only the spec.
#[cfg(feature = "regenerate")]
fn watch(output: &openapi_client_gen::Output) {
    for source in output.sources.iter().skip(1) {
        println!("cargo:rerun-if-changed={}", source.display());
    }
}

#[cfg(feature = "regenerate")]
fn fail(e: &openapi_client_gen::Error) -> ! {
    eprintln!("error: cannot generate the client: {e}");
    std::process::exit(1)
}
