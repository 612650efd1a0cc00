//! The runtime every client embeds (the `openapi-client-runtime` crate in
//! `generator/runtime/`): its module files, copied into each client as they are, and
//! what its source says about names. Everything here is read from that source (its
//! `lib.rs` for the modules and exports, every module for the methods of `Client` and
//! `ClientBuilder`), so the generator keeps no copy of the runtime's names by hand.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use quote::ToTokens;

/// The runtime's `lib.rs`: not copied (the client writes its own), but read for the
/// module list and the re-exports.
const LIB: &str = include_str!("../runtime/src/lib.rs");

/// The runtime's manifest: its `[dependencies]` are a generated client's.
const MANIFEST: &str = include_str!("../runtime/Cargo.toml");

/// The `[dependencies]` lines of a crate that compiles generated code, as the manifest
/// of [`Config::crate_name`](crate::Config::crate_name) writes them: the runtime's own
/// (`generator/runtime/Cargo.toml`), which is built and tested with exactly these,
/// less [`webhook_dependencies`].
///
/// TLS is rustls with the `ring` provider (pure Rust apart from its audited assembly,
/// and quicker to build than `aws-lc-rs`, which needs a C toolchain and CMake); the
/// client trusts the system's certificates and falls back to Mozilla's roots
/// (`webpki-roots`) where the system has none, such as a minimal container.
pub fn client_dependencies() -> &'static str {
    static DEPENDENCIES: OnceLock<String> = OnceLock::new();
    DEPENDENCIES.get_or_init(|| runtime_dependencies(false))
}

/// The dependencies only the webhooks module needs (`ring`, for HMAC-SHA256: the
/// crate rustls already builds for TLS, named so the module can call it), written
/// only for a spec with webhooks or callbacks.
pub fn webhook_dependencies() -> &'static str {
    static DEPENDENCIES: OnceLock<String> = OnceLock::new();
    DEPENDENCIES.get_or_init(|| runtime_dependencies(true))
}

/// The packages of the runtime's `[dependencies]` that only its webhooks module uses.
const WEBHOOK_PACKAGES: [&str; 1] = ["ring"];

/// The runtime's `[dependencies]` lines: those of the webhooks module, or the others.
fn runtime_dependencies(webhooks: bool) -> String {
    let section = MANIFEST
        .split("\n[dependencies]\n")
        .nth(1)
        .unwrap_or_default();
    let mut lines = String::new();
    for line in section.lines().take_while(|l| !l.starts_with('[')) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(" = ").next().unwrap_or_default();
        if WEBHOOK_PACKAGES.contains(&name) == webhooks {
            lines.push_str(line);
            lines.push('\n');
        }
    }
    lines
}

/// The `rust-version` of the runtime's manifest: the oldest Rust a generated client
/// builds with (its dependencies decide it: reqwest 0.13 and tokio ask for 1.85).
pub fn rust_version() -> &'static str {
    MANIFEST
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map_or("", |v| v.trim().trim_matches('"'))
}

/// The `full-serde` feature, with the comment a generated manifest gives it.
pub fn full_serde_feature() -> String {
    format!(
        "# Both serde traits on every type: without it, a type only sent implements `Serialize` and one only received `Deserialize` (turn it on to store or forward responses).\n{} = []\n",
        crate::model::features::FULL_SERDE_FEATURE
    )
}

/// The `mock` feature of the runtime's manifest (`mock = [...]`), as a generated
/// crate declares it: the optional dependencies of the typed mock server.
pub fn mock_feature() -> &'static str {
    static FEATURE: OnceLock<String> = OnceLock::new();
    FEATURE.get_or_init(|| {
        MANIFEST
            .lines()
            .find(|l| l.starts_with("mock = ["))
            .unwrap_or("mock = []")
            .to_string()
    })
}

/// The runtime's modules, by file name. `include_str!` needs literal paths, so this is
/// a list; a test checks it against the `mod` items of the runtime's `lib.rs`.
pub const MODULES: [(&str, &str); 17] = [
    ("auth.rs", include_str!("../runtime/src/auth.rs")),
    ("call.rs", include_str!("../runtime/src/call.rs")),
    (
        "client_core.rs",
        include_str!("../runtime/src/client_core.rs"),
    ),
    (
        "credential_source.rs",
        include_str!("../runtime/src/credential_source.rs"),
    ),
    ("error.rs", include_str!("../runtime/src/error.rs")),
    ("files.rs", include_str!("../runtime/src/files.rs")),
    ("mock.rs", include_str!("../runtime/src/mock.rs")),
    ("oauth.rs", include_str!("../runtime/src/oauth.rs")),
    ("options.rs", include_str!("../runtime/src/options.rs")),
    ("pages.rs", include_str!("../runtime/src/pages.rs")),
    ("response.rs", include_str!("../runtime/src/response.rs")),
    ("retry.rs", include_str!("../runtime/src/retry.rs")),
    ("runtime.rs", include_str!("../runtime/src/runtime.rs")),
    ("send.rs", include_str!("../runtime/src/send.rs")),
    ("stream.rs", include_str!("../runtime/src/stream.rs")),
    ("tls.rs", include_str!("../runtime/src/tls.rs")),
    ("webhooks.rs", include_str!("../runtime/src/webhooks.rs")),
];

/// The modules of the request path, which a client without operations does not use.
pub const REQUEST_PATH: [&str; 7] = [
    "call",
    "client_core",
    "credential_source",
    "options",
    "response",
    "retry",
    "send",
];

/// The module that verifies received webhooks: only a client whose spec has webhooks
/// or callbacks carries it (and exports its names).
pub const WEBHOOKS: &str = "webhooks";

/// The module of pagination, which only paginated operations use.
pub const PAGINATION: &str = "pages";

/// The runtime's names the emitted `client.rs` imports beside the operation types it
/// defines, by module: `emit::client::prelude` writes its `use` items from this list,
/// and the model keeps operation types from taking these names.
pub const CLIENT_IMPORTS: [(&str, &[&str]); 4] = [
    ("call", &["Call"]),
    ("client_core", &["Client", "ClientBuilder"]),
    ("error", &["Error", "Undocumented"]),
    ("pages", &["Pages", "Paginator"]),
];

/// What `client.rs` imports from `reqwest` (the same way: written from this list).
pub const CLIENT_REQWEST_IMPORTS: [&str; 1] = ["Method"];

/// Methods of the standard traits the runtime's `Client` and `ClientBuilder` implement
/// (`Clone`, `ToOwned` through it, `Debug`, `Default`), which an inherent method of the
/// same name would shadow, and `new`, which readers take for a constructor.
const TRAIT_METHODS: [&str; 6] = ["clone", "clone_from", "clone_into", "default", "fmt", "new"];

/// What the runtime's source says, read once.
#[derive(Debug)]
pub struct Runtime {
    /// The module names of `lib.rs`, in order (`tests` left out).
    pub modules: Vec<String>,
    /// The `pub use` items of `lib.rs` (with their docs), as Rust source for the
    /// client's `lib.rs`. (Text, not `syn` items, which cannot be shared by threads.)
    pub exports: Vec<String>,
    /// Every name those items export at the crate root.
    pub exported_names: BTreeSet<String>,
    /// Every method of `Client` in the runtime (any visibility), plus the trait methods.
    pub client_methods: BTreeSet<String>,
    /// Every method of `ClientBuilder` in the runtime, plus the trait methods.
    pub builder_methods: BTreeSet<String>,
}

/// The runtime's names, parsed from its source on first use.
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(read)
}

/// Names a type defined next to the operations (in `client.rs`) cannot take: what the
/// crate root exports and what `client.rs` imports.
pub fn reserved_type_names() -> impl Iterator<Item = &'static str> {
    let exported = runtime().exported_names.iter().map(String::as_str);
    let imported = CLIENT_IMPORTS
        .iter()
        .flat_map(|(_, names)| names.iter().copied());
    exported.chain(imported).chain(CLIENT_REQWEST_IMPORTS)
}

/// Method names an operation cannot take: the methods `Client` has already, and
/// `builder`, which the generated client adds.
pub fn reserved_client_methods() -> impl Iterator<Item = &'static str> {
    runtime()
        .client_methods
        .iter()
        .map(String::as_str)
        .chain(["builder"])
}

/// Method names a security scheme's builder method cannot take: the methods
/// `ClientBuilder` has already, and `server`, which the generated client adds.
pub fn reserved_builder_methods() -> impl Iterator<Item = &'static str> {
    runtime()
        .builder_methods
        .iter()
        .map(String::as_str)
        // The generated client adds `server` (`emit::client::servers`).
        .chain(["server"])
}

fn read() -> Runtime {
    // The runtime is the generator's own source, compiled and tested with it: a parse
    // error here is a bug in this repository, caught by the tests below.
    let lib = syn::parse_file(LIB).expect("the runtime's lib.rs parses");
    let mut modules = Vec::new();
    let mut exports = Vec::new();
    let mut exported_names = BTreeSet::new();
    for item in lib.items {
        match item {
            syn::Item::Mod(m) if m.ident != "tests" => modules.push(m.ident.to_string()),
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                use_names(&u.tree, &mut exported_names);
                exports.push(u.to_token_stream().to_string());
            }
            _ => {}
        }
    }
    let mut client_methods: BTreeSet<String> =
        TRAIT_METHODS.iter().map(|m| m.to_string()).collect();
    let mut builder_methods = client_methods.clone();
    for (name, text) in MODULES {
        let file =
            syn::parse_file(text).unwrap_or_else(|e| panic!("runtime module {name} parses: {e}"));
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let self_ty = block.self_ty.to_token_stream().to_string();
            let into = match self_ty.as_str() {
                "Client" => &mut client_methods,
                "ClientBuilder" => &mut builder_methods,
                _ => continue,
            };
            for inner in &block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    into.insert(f.sig.ident.to_string());
                }
            }
        }
    }
    Runtime {
        modules,
        exports,
        exported_names,
        client_methods,
        builder_methods,
    }
}

/// The names a `use` tree brings into scope (`a::{B, C as D}` gives `B` and `D`).
fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_list_is_the_runtimes() {
        let listed: Vec<String> = MODULES
            .iter()
            .map(|(f, _)| f.trim_end_matches(".rs").to_string())
            .collect();
        assert_eq!(
            listed,
            runtime().modules,
            "MODULES must list the `mod` items of runtime/src/lib.rs, in order"
        );
        for module in REQUEST_PATH.iter().chain([&PAGINATION]) {
            assert!(
                runtime().modules.iter().any(|m| m == module),
                "{module} is not a runtime module"
            );
        }
    }

    #[test]
    fn names_come_from_the_runtime_source() {
        let rt = runtime();
        for name in [
            "Client",
            "ClientBuilder",
            "Call",
            "ResponseHead",
            "RetryPolicy",
            "reqwest",
        ] {
            assert!(
                rt.exported_names.contains(name),
                "{name} not exported: {:?}",
                rt.exported_names
            );
        }
        for method in ["base_url", "with_options", "authorize", "clone", "fmt"] {
            assert!(
                rt.client_methods.contains(method),
                "Client::{method} not found: {:?}",
                rt.client_methods
            );
        }
        for method in ["timeout", "hook", "build", "http_client", "default"] {
            assert!(
                rt.builder_methods.contains(method),
                "ClientBuilder::{method} not found"
            );
        }
        // A method added to the runtime's client is reserved without anyone listing it.
        assert!(
            !rt.client_methods.contains("timeout"),
            "ClientBuilder's methods are not Client's"
        );
    }

    #[test]
    fn client_dependencies_are_the_runtimes() {
        let deps = client_dependencies();
        for name in [
            "reqwest",
            "serde",
            "serde_json",
            "tokio",
            "eventsource-stream",
            "tracing",
            "url",
        ] {
            assert!(
                deps.lines().any(|l| l.starts_with(&format!("{name} = "))),
                "{name} missing:\n{deps}"
            );
        }
        assert!(
            deps.lines()
                .all(|l| !l.starts_with('[') && !l.starts_with('#')),
            "{deps}"
        );
        assert_eq!(deps.lines().count(), 19, "{deps}");
        assert!(!deps.lines().any(|l| l.starts_with("ring = ")), "{deps}");
        assert!(
            webhook_dependencies().starts_with("ring = "),
            "{}",
            webhook_dependencies()
        );
        assert!(mock_feature().contains("dep:hyper"), "{}", mock_feature());
    }

    #[test]
    fn rust_version_is_the_workspaces() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
        let workspace: toml::Table =
            toml::from_str(&std::fs::read_to_string(root).expect("the root manifest"))
                .expect("parses");
        let expected = workspace["workspace"]["package"]["rust-version"].as_str();
        assert_eq!(Some(rust_version()), expected);
        assert!(rust_version().starts_with("1."), "{}", rust_version());
    }

    #[test]
    fn modules_parse_as_rust() {
        for (name, text) in MODULES {
            if let Err(e) = syn::parse_file(text) {
                panic!("runtime module {name} does not parse: {e}");
            }
        }
    }
}
