//! Driving the pipeline: the `Config` builder used by `build.rs`, the CLI and tests,
//! and writing or checking the output folder.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Error, Warning};
use crate::embedded::{
    client_dependencies, full_serde_feature, mock_feature, webhook_dependencies,
};
use crate::package::{self, PackageOptions, SpecInfo};
use crate::{emit, load, model};

/// The manifest of a crate that compiles generated clients as its own modules (the
/// test suites' check crates): every client dependency, the features the generated
/// code tests for (`tracing`, and `unused-types` and `webhooks` on, so that every type is
/// compiled),
/// and a workspace of its own.
pub fn module_crate_manifest(name: &str) -> String {
    let deps = format!("{}{}", client_dependencies(), webhook_dependencies());
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{deps}\n[features]\ndefault = [\"{MODELS}\", \"{WEBHOOKS}\"]\ntracing = [\"dep:tracing\"]\n{full}{mock}\n{MODELS} = []\n{WEBHOOKS} = []\n",
        MODELS = model::features::MODELS_FEATURE,
        WEBHOOKS = model::features::WEBHOOKS_FEATURE,
        full = full_serde_feature(),
        mock = mock_feature()
    )
}

/// What to generate, in the style of `prost_build::Config`:
///
/// ```no_run
/// openapi_client_gen::Config::new("spec/api.yaml")
///     .out_dir("generated")
///     .write()
///     .expect("generation failed");
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    spec: PathBuf,
    out_dir: PathBuf,
    crate_name: Option<String>,
    doc_crate: Option<String>,
    source_name: Option<String>,
    unused_types_feature: Option<bool>,
    single_file: bool,
    package: PackageOptions,
    model: model::Options,
    load: load::LoadOptions,
}

/// A file the generator produces, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// The result of a generation: the files, the warnings, and counts for reports.
#[derive(Debug, Clone)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Warning>,
    pub openapi_version: String,
    pub operations: usize,
    pub types: usize,
    /// Operations with a `*_stream` method (pagination found or declared).
    pub paginated: usize,
    /// Every file the spec was read from, the spec first (a `build.rs` prints a
    /// `cargo:rerun-if-changed` for each).
    pub sources: Vec<PathBuf>,
}

/// The result of [`Config::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    UpToDate,
    /// A unified diff from what is on disk to what would be generated.
    Stale(String),
}

impl Config {
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Config {
            spec: spec.into(),
            out_dir: PathBuf::from("generated"),
            crate_name: None,
            doc_crate: None,
            source_name: None,
            unused_types_feature: None,
            single_file: false,
            package: PackageOptions::default(),
            model: model::Options::default(),
            load: load::LoadOptions::default(),
        }
    }

    /// Where the client source goes (default `generated`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = dir.into();
        self
    }

    /// Also write a `Cargo.toml`, making the output folder a crate of this name.
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = Some(name.into());
        self
    }

    /// The crate (package) name users import the client as, for the examples in its
    /// docs, which are then compiled as doctests (the CLI's `--crate` sets it too). A
    /// `build.rs` generating its own package passes `CARGO_PKG_NAME`. Without it the
    /// examples are plain text: a client compiled as a module of another crate has no
    /// name they could import.
    pub fn doc_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.doc_crate = Some(name.into().replace('-', "_"));
        self
    }

    /// Let `cargo publish` upload the crate of [`Config::crate_name`]: its manifest then
    /// has no `publish = false` (the default keeps it, so nothing is published by
    /// mistake).
    pub fn publish(&mut self, on: bool) -> &mut Self {
        self.package.publish = on;
        self
    }

    /// The version of the crate of [`Config::crate_name`] (default `0.1.0`; the API's
    /// own version, `info.version`, is another thing).
    pub fn crate_version(&mut self, version: impl Into<String>) -> &mut Self {
        self.package.version = Some(version.into());
        self
    }

    /// The crate's licence, an SPDX expression (`MIT OR Apache-2.0`), instead of the
    /// one the spec gives. Without it the manifest says `license = "<id>"` when the
    /// spec's `info.license` is an SPDX licence (its 3.1 `identifier`, its name, or its
    /// usual name: "Apache 2.0"), `license-file = "LICENSE"` with the name and link the
    /// spec gives otherwise, and nothing when the spec names none.
    pub fn license(&mut self, spdx: impl Into<String>) -> &mut Self {
        self.package.license = Some(spdx.into());
        self
    }

    /// The crate's source repository (`repository` in its manifest), instead of the
    /// spec's `info.contact.url` when that is on a code host.
    pub fn repository(&mut self, url: impl Into<String>) -> &mut Self {
        self.package.repository = Some(url.into());
        self
    }

    /// Write the client as one file, `lib.rs`, that `include!` accepts, for a
    /// `build.rs` that generates into `OUT_DIR` (the modules inline, no inner
    /// attribute or `//!` doc at the top, and `dead_code`, `unused_imports` and
    /// `missing_docs` allowed on the generated items, so that a private module of a
    /// binary builds without warnings):
    ///
    /// ```ignore
    /// // build.rs
    /// let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    /// openapi_client_gen::Config::new("petstore.yaml")
    ///     .out_dir(out.join("petstore"))
    ///     .single_file(true)
    ///     .write()
    ///     .expect("generates");
    ///
    /// // src/main.rs or src/lib.rs
    /// mod petstore {
    ///     include!(concat!(env!("OUT_DIR"), "/petstore/lib.rs"));
    /// }
    /// ```
    ///
    /// The crate needs the client's dependencies: [`Config::dependencies_toml`].
    pub fn single_file(&mut self, on: bool) -> &mut Self {
        self.single_file = on;
        self
    }

    /// What a crate that compiles this client as a module adds to its `Cargo.toml`:
    /// the client's dependencies and the features its code tests for, as TOML ready to
    /// paste (`generate --print-dependencies`). The features depend on the spec only
    /// with [`Config::tag_features`] (or `unused-types` asked for), and only then is the
    /// spec read.
    pub fn dependencies_toml(&self) -> Result<String, Error> {
        let options = self.model_options();
        let features = if options.tag_features || options.unused_types_feature {
            let doc = load::load_file_with(&self.spec, &self.load)?;
            model::build_with(&doc, &options).features
        } else {
            Vec::new()
        };
        Ok(package::dependencies_toml(&features))
    }

    /// How the header comment of each file names the spec (default: the path given).
    pub fn source_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.source_name = Some(name.into());
        self
    }

    /// Gate operations behind a cargo feature per tag (all enabled by default), and
    /// types behind the features of the operations that use them, so users of a big
    /// API compile only what they call. The manifest from [`Config::crate_name`]
    /// declares the features; a hand-written manifest must declare them too.
    pub fn tag_features(&mut self, on: bool) -> &mut Self {
        self.model.tag_features = on;
        self
    }

    /// Whether the types no operation uses (spare schemas: webhook payloads are used by
    /// the event enum) are put behind the `unused-types` cargo feature, off by default, so
    /// that building the client does not compile them. Default: yes when the generator
    /// writes the manifest ([`Config::crate_name`]), which then declares the feature; no for a
    /// client compiled as a module of a hand-written crate, which could not turn it on.
    pub fn unused_types_feature(&mut self, on: bool) -> &mut Self {
        self.unused_types_feature = Some(on);
        self
    }

    /// Declares the pagination of an operation the spec does not mark (see
    /// [`model::pagination::Rule`]); it wins over what the spec says.
    pub fn pagination(&mut self, rule: model::pagination::Rule) -> &mut Self {
        self.model.pagination.push(rule);
        self
    }

    /// Reads pagination rules from a TOML file of `[[operation]]` tables (see
    /// [`model::pagination::Rule`]).
    pub fn pagination_file(&mut self, path: impl AsRef<Path>) -> Result<&mut Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        let file: model::pagination::RuleFile =
            toml::from_str(&text).map_err(|e| Error::new(path, None, e.to_string()))?;
        self.model.pagination.extend(file.operation);
        Ok(self)
    }

    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// Runs the pipeline and returns the files without touching the disk.
    pub fn render(&self) -> Result<Output, Error> {
        let doc = load::load_file_with(&self.spec, &self.load)?;
        let mut api = model::build_with(&doc, &self.model_options());
        // The parsed document is as big as the model: free it before emission, the
        // stage that needs the most memory.
        let openapi_version = doc.version.clone();
        let read_files = doc.files.clone();
        let info = SpecInfo::of(&doc.api);
        drop(doc);
        let source = self
            .source_name
            .clone()
            .unwrap_or_else(|| self.spec.display().to_string().replace('\\', "/"));
        let sources = emit::emit(&api, &source, self.doc_crate.as_deref())
            .map_err(|msg| Error::new(&self.spec, None, msg))?;
        let mut files: Vec<GeneratedFile> = sources
            .into_iter()
            .map(|s| GeneratedFile {
                path: PathBuf::from(s.name),
                contents: s.contents,
            })
            .collect();
        if self.single_file {
            let usage = "// `include!` it inside a module of your crate: `mod NAME { include!(concat!(env!(\"OUT_DIR\"), \"/…/lib.rs\")); }`.";
            let one = package::include::single_file(&files, usage)
                .map_err(|msg| Error::new(&self.spec, None, msg))?;
            files = vec![one];
        } else {
            self.package_files(&mut files, &api, &info);
        }
        let output = Output {
            files,
            warnings: std::mem::take(&mut api.warnings),
            openapi_version,
            operations: api.operations.len(),
            types: api.types.len(),
            paginated: api
                .operations
                .iter()
                .filter(|op| op.pagination.is_some())
                .count(),
            sources: read_files,
        };
        // Freeing the model takes tens of milliseconds on a big spec: the caller does not
        // wait for it (unless no thread can be had, and then it is freed here).
        let _ = std::thread::Builder::new().spawn(move || drop(api));
        Ok(output)
    }

    /// The README (for a client with a crate name) and the manifest and licence file
    /// (for [`Config::crate_name`]).
    fn package_files(&self, files: &mut Vec<GeneratedFile>, api: &model::Api, info: &SpecInfo) {
        let krate = self
            .doc_crate
            .clone()
            .or_else(|| self.crate_name.as_ref().map(|n| n.replace('-', "_")));
        if let Some(krate) = krate {
            let package = self.crate_name.as_deref().unwrap_or(&krate);
            let version = self.package.version.as_deref().unwrap_or("0.1.0");
            files.push(GeneratedFile {
                path: PathBuf::from("README.md"),
                contents: package::readme::readme(api, info, package, &krate, version),
            });
            // The README's examples are doctests where the doc examples are.
            if self.doc_crate.is_some() {
                if let Some(lib) = files.iter_mut().find(|f| f.path == Path::new("lib.rs")) {
                    lib.contents.push_str(package::readme::DOCTEST_ITEM);
                }
            }
        }
        if let Some(name) = &self.crate_name {
            let (manifest, license_file) = package::manifest(name, api, info, &self.package);
            files.push(GeneratedFile {
                path: PathBuf::from("Cargo.toml"),
                contents: manifest,
            });
            if let Some(text) = license_file {
                files.push(GeneratedFile {
                    path: PathBuf::from("LICENSE"),
                    contents: text,
                });
            }
        }
    }

    /// Reads `$ref`s to URLs starting with `prefix` from the local folder `dir` instead
    /// (`https://example.com/specs/` and `vendor/specs` make
    /// `https://example.com/specs/common.yaml#/X` read `vendor/specs/common.yaml`). URLs
    /// are never fetched: one that no prefix maps stays unresolved, with a warning.
    pub fn map_url(&mut self, prefix: impl Into<String>, dir: impl Into<PathBuf>) -> &mut Self {
        self.load.url_map.push((prefix.into(), dir.into()));
        self
    }

    /// The single OpenAPI 3 document the generator reads: the spec with every file it
    /// refers to copied in, Swagger 2.0 converted. As JSON, or YAML when `yaml` is set.
    pub fn bundle(&self, yaml: bool) -> Result<(String, load::Bundle), Error> {
        let bundle = load::bundle_file(&self.spec, &self.load)?;
        let text = if yaml {
            serde_yaml::to_string(&bundle.value)
                .map_err(|e| Error::new(&self.spec, None, e.to_string()))?
        } else {
            let mut text = serde_json::to_string_pretty(&bundle.value)
                .map_err(|e| Error::new(&self.spec, None, e.to_string()))?;
            text.push('\n');
            text
        };
        Ok((text, bundle))
    }

    /// Compares the generated API of this spec with that of an older version of it
    /// (built with the same options) and classifies every change for the crate's users:
    /// see [`crate::review`].
    pub fn review(&self, old_spec: impl AsRef<Path>) -> Result<crate::review::Report, Error> {
        let options = self.model_options();
        let old = model::build_with(
            &load::load_file_with(old_spec.as_ref(), &self.load)?,
            &options,
        );
        let new = model::build_with(&load::load_file_with(&self.spec, &self.load)?, &options);
        Ok(crate::review::compare(&old, &new))
    }

    /// The model options, with the defaults that depend on other settings resolved.
    fn model_options(&self) -> model::Options {
        let mut options = self.model.clone();
        options.unused_types_feature = self
            .unused_types_feature
            .unwrap_or(self.crate_name.is_some());
        options
    }

    /// Generates and writes the files whose content differs from what is on disk.
    /// Returns the output and the paths written.
    pub fn write(&self) -> Result<(Output, Vec<PathBuf>), Error> {
        let output = self.render()?;
        std::fs::create_dir_all(&self.out_dir).map_err(|e| Error::io(&self.out_dir, &e))?;
        let mut written = Vec::new();
        for file in &output.files {
            let path = self.out_dir.join(&file.path);
            let current = std::fs::read_to_string(&path).ok();
            if current.as_deref() != Some(file.contents.as_str()) {
                std::fs::write(&path, &file.contents).map_err(|e| Error::io(&path, &e))?;
                written.push(path);
            }
        }
        Ok((output, written))
    }

    /// Compares the output folder with what would be generated, writing nothing.
    pub fn check(&self) -> Result<(Output, CheckOutcome), Error> {
        let output = self.render()?;
        let mut diff = String::new();
        for file in &output.files {
            let path = self.out_dir.join(&file.path);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != file.contents {
                let shown = path.display().to_string();
                diff.push_str(
                    &similar::TextDiff::from_lines(current.as_str(), file.contents.as_str())
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{shown}"), &format!("b/{shown}"))
                        .to_string(),
                );
            }
        }
        let outcome = if diff.is_empty() {
            CheckOutcome::UpToDate
        } else {
            CheckOutcome::Stale(diff)
        };
        Ok((output, outcome))
    }
}
