//! What makes the output a package: the manifest of a crate (`--crate`), with what the
//! spec's `info` says (licence, home page, description), ready to publish when asked;
//! the crate's `README.md` ([`readme`]); the single file a `build.rs` writes into
//! `OUT_DIR` for `include!` ([`include`]); and the dependencies a crate that compiles
//! the client as a module needs ([`dependencies_toml`]).

pub mod include;
pub mod readme;

use crate::embedded::{
    client_dependencies, full_serde_feature, mock_feature, rust_version, webhook_dependencies,
};
use crate::model;

/// What the spec says about itself that a package shows: read from the document before
/// the model is built (the model keeps none of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecInfo {
    /// `info.summary` (OpenAPI 3.1).
    pub summary: Option<String>,
    /// `info.license.name`.
    pub license_name: Option<String>,
    /// `info.license.identifier` (3.1: an SPDX expression).
    pub license_identifier: Option<String>,
    pub license_url: Option<String>,
    /// `info.contact.url`.
    pub contact_url: Option<String>,
    /// The document's `externalDocs.url`.
    pub external_docs: Option<String>,
}

impl SpecInfo {
    pub fn of(doc: &openapiv3::OpenAPI) -> Self {
        let text = |v: Option<&serde_json::Value>| {
            v.and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let license = doc.info.license.as_ref();
        SpecInfo {
            summary: text(doc.info.extensions.get("x-summary")),
            license_name: license
                .map(|l| l.name.trim().to_string())
                .filter(|n| !n.is_empty()),
            license_identifier: text(license.and_then(|l| l.extensions.get("x-identifier"))),
            license_url: license.and_then(|l| web_url(l.url.as_deref())),
            contact_url: web_url(doc.info.contact.as_ref().and_then(|c| c.url.as_deref())),
            external_docs: web_url(doc.external_docs.as_ref().map(|d| d.url.as_str())),
        }
    }

    /// Where the API's own pages are: its documentation, else its contact page (unless
    /// that is a source repository, which [`SpecInfo::repository`] takes).
    pub fn homepage(&self) -> Option<&str> {
        self.external_docs
            .as_deref()
            .or(self.contact_url.as_deref().filter(|u| !is_repository(u)))
    }

    /// A contact URL on a code host (GitHub, GitLab, ...): the source repository.
    pub fn repository(&self) -> Option<&str> {
        self.contact_url.as_deref().filter(|u| is_repository(u))
    }
}

/// An absolute http(s) URL without spaces (a relative link or a server template such
/// as `{scheme}://host` is not a page cargo can link to).
fn web_url(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let ok = !host.is_empty()
        && !url.contains(char::is_whitespace)
        && !url.contains(['{', '}', '"', '<', '>']);
    ok.then(|| url.to_string())
}

fn is_repository(url: &str) -> bool {
    const HOSTS: [&str; 5] = [
        "github.com/",
        "gitlab.com/",
        "bitbucket.org/",
        "codeberg.org/",
        "git.sr.ht/",
    ];
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    HOSTS.iter().any(|h| rest.starts_with(h))
}

/// How the crate is packaged (set through [`crate::Config`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageOptions {
    /// Leave out `publish = false`, so that `cargo publish` may upload the crate.
    pub publish: bool,
    /// The crate's version (default `0.1.0`; the API's own version is another thing).
    pub version: Option<String>,
    /// A licence for the crate (an SPDX expression), instead of the spec's.
    pub license: Option<String>,
    /// The crate's source repository (a URL), instead of what the spec suggests.
    pub repository: Option<String>,
}

/// How the manifest states the licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Licence {
    /// `license = "…"`: an SPDX expression.
    Spdx(String),
    /// `license-file = "LICENSE"`, a file with these contents: a licence the spec names
    /// that is no SPDX identifier.
    File(String),
    /// The spec names none.
    None,
}

/// The licence of the crate: the one given, else the spec's when it is (or plainly
/// names) an SPDX licence, else a `LICENSE` file with the name and link the spec gives.
pub fn licence(info: &SpecInfo, options: &PackageOptions) -> Licence {
    if let Some(given) = &options.license {
        return Licence::Spdx(given.clone());
    }
    let spdx = |text: &str| -> Option<String> {
        if spdx::Expression::parse(text).is_ok() {
            return Some(text.to_string());
        }
        // A licence's full name ("Mozilla Public License 2.0"), or a usual way of
        // writing it ("Apache 2.0"), when the whole name is matched.
        if let Some(l) = spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.full_name.eq_ignore_ascii_case(text))
        {
            return Some(l.name.to_string());
        }
        match spdx::imprecise_license_id(text) {
            Some((id, len)) if len == text.len() => Some(id.name.to_string()),
            _ => None,
        }
    };
    let found = (info.license_identifier.as_deref())
        .and_then(spdx)
        .or_else(|| info.license_name.as_deref().and_then(spdx));
    if let Some(id) = found {
        return Licence::Spdx(id);
    }
    match &info.license_name {
        Some(name) => {
            let mut text = format!(
                "This crate is generated from an API description published under this licence:\n\n{name}\n"
            );
            if let Some(url) = &info.license_url {
                text.push_str(&format!("{url}\n"));
            }
            Licence::File(text)
        }
        None => Licence::None,
    }
}

/// A TOML string literal, escaped by the `toml` crate, so that no spec text (a
/// multi-line or quoted title) can break the manifest.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        toml_string(key)
    }
}

/// The crate's one-line description: the title, the API version and the summary.
pub fn description(api: &model::Api, info: &SpecInfo) -> String {
    let mut text = format!(
        "Client for {} (version {}), generated by openapi-client-gen",
        api.title, api.version
    );
    if let Some(summary) = &info.summary {
        text.push_str(": ");
        text.push_str(summary);
    }
    text
}

/// The manifest of a crate named `name`, and the `LICENSE` file it points to, if any.
pub fn manifest(
    name: &str,
    api: &model::Api,
    info: &SpecInfo,
    options: &PackageOptions,
) -> (String, Option<String>) {
    let description = toml_string(&description(api, info));
    let mut deps = client_dependencies().to_string();
    if api.webhooks.is_some() {
        deps.push_str(webhook_dependencies());
    }
    let version = toml_string(options.version.as_deref().unwrap_or("0.1.0"));
    let mut package = vec![
        format!("name = {}", toml_string(name)),
        format!("version = {version}"),
        "edition = \"2021\"".to_string(),
        format!("rust-version = {}", toml_string(rust_version())),
        format!("description = {description}"),
    ];
    let licence = licence(info, options);
    let license_file = match &licence {
        Licence::Spdx(id) => {
            package.push(format!("license = {}", toml_string(id)));
            None
        }
        Licence::File(text) => {
            package.push("license-file = \"LICENSE\"".to_string());
            Some(text.clone())
        }
        Licence::None => {
            package.push(
                "# The spec names no licence: add `license` (an SPDX expression) before publishing."
                    .to_string(),
            );
            None
        }
    };
    if let Some(url) = info.homepage() {
        package.push(format!("homepage = {}", toml_string(url)));
    }
    if let Some(url) = options.repository.as_deref().or(info.repository()) {
        package.push(format!("repository = {}", toml_string(url)));
    }
    package.push("readme = \"README.md\"".to_string());
    package.push("keywords = [\"api\", \"client\", \"openapi\", \"sdk\"]".to_string());
    package.push("categories = [\"api-bindings\", \"web-programming::http-client\"]".to_string());
    if !options.publish {
        package.push(
            "# Generated with `publish = false`: `generate --publish` (`Config::publish`) leaves it out."
                .to_string(),
        );
        package.push("publish = false".to_string());
    }
    let mut manifest = format!(
        "[package]\n{}\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n{deps}",
        package.join("\n")
    );
    manifest.push_str(
        "\n[features]\n# A `tracing` span per call (operation, method, path template, status, attempt, duration).\ntracing = [\"dep:tracing\"]\n",
    );
    manifest.push_str(&full_serde_feature());
    manifest.push_str(
        "# Typed mocks for tests (`mock::MockServer`), off by default: enable it in `[dev-dependencies]`.\n",
    );
    manifest.push_str(mock_feature());
    manifest.push('\n');
    if !api.features.is_empty() {
        // Every tag is on by default; the types no operation uses and received webhooks
        // are not needed to call the API, so `unused-types` and `webhooks` are opt-in.
        let quoted: Vec<String> = api
            .features
            .iter()
            .filter(|f| !model::features::OPT_IN.contains(&f.as_str()))
            .map(|f| toml_string(f))
            .collect();
        manifest.push_str(
            "# Tags (if any) are all on by default; `unused-types` (off by default) holds the types no operation uses, `webhooks` (off by default) the typed webhook events and their verifier.\n",
        );
        manifest.push_str(&format!("default = [{}]\n", quoted.join(", ")));
        for f in &api.features {
            manifest.push_str(&format!("{} = []\n", toml_key(f)));
        }
    }
    // docs.rs documents every feature: the tags, `unused-types`, `tracing`.
    manifest.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    (manifest, license_file)
}

/// What a crate that compiles the client as its own module (`build.rs` → `OUT_DIR` →
/// `include!`, or `#[path] mod`) adds to its `Cargo.toml`: the client's dependencies,
/// and the features its code tests for (`tracing`, and the tags and `unused-types`
/// when the client has them), as TOML ready to paste.
pub fn dependencies_toml(features: &[String]) -> String {
    let mut out = format!(
        "[dependencies]\n{}{}\n[features]\n# A `tracing` span per call of the generated client.\ntracing = [\"dep:tracing\"]\n",
        client_dependencies(),
        // For a spec with webhooks (their verifier); rustls builds it anyway.
        webhook_dependencies()
    );
    out.push_str(&full_serde_feature());
    out.push_str("# Typed mocks for tests, off by default.\n");
    out.push_str(mock_feature());
    out.push('\n');
    let tags: Vec<String> = features
        .iter()
        .filter(|f| !model::features::OPT_IN.contains(&f.as_str()))
        .map(|f| toml_string(f))
        .collect();
    if !tags.is_empty() {
        out.push_str(&format!(
            "# The tags' operations, all on.\ndefault = [{}]\n",
            tags.join(", ")
        ));
    }
    for f in features {
        out.push_str(&format!("{} = []\n", toml_key(f)));
    }
    out
}

#[cfg(test)]
mod tests;
