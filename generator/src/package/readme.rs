//! The `README.md` of a client with a crate name: what a hand-written SDK's README
//! says (installation, a quick start from the spec's servers and auth, one example per
//! tag, errors and retries, pagination and streaming where the API has them, testing).
//! Its examples are the operations' doc examples (`emit::operation_example`), written
//! out whole, and compile: the crate's `lib.rs` includes the README as a doctest-only
//! item (see [`DOCTEST_ITEM`]).

use crate::emit::{operation_example, TypeIndex};
use crate::model::{Api, AuthKind, Operation};

use super::SpecInfo;

/// Appended to `lib.rs` when the README is written: its code blocks run as doctests
/// (`cargo test --doc`), and nothing else sees it.
pub const DOCTEST_ITEM: &str = "\n/// The examples of `README.md`, compiled as doctests.\n#[cfg(doctest)]\n#[doc = include_str!(\"README.md\")]\npub struct ReadmeDoctests;\n";

/// The README of the crate `package` (its package name) whose code imports it as
/// `krate`.
pub fn readme(api: &Api, info: &SpecInfo, package: &str, krate: &str, version: &str) -> String {
    let types: TypeIndex = api.types.iter().map(|d| (d.name.as_str(), d)).collect();
    let examples: Vec<(&Operation, Vec<String>)> = api
        .operations
        .iter()
        .filter(|op| op.alternative_of.is_none())
        .filter_map(|op| {
            let body = example_body(&operation_example(api, op, &types), krate)?;
            Some((op, body))
        })
        .collect();
    let mut out = String::new();
    out.push_str(&format!("# {package}\n\n"));
    out.push_str(&format!(
        "An async Rust client for **{}** (API version {}).",
        one_line(&api.title),
        one_line(&api.version)
    ));
    if let Some(summary) = &info.summary {
        out.push_str(&format!(" {}", one_line(summary)));
    }
    out.push_str("\n\n");
    if let Some(first) = api.description.as_deref().and_then(first_paragraph) {
        out.push_str(&format!("{first}\n\n"));
    }
    out.push_str(
        "Every call goes through one request path: HTTPS with `reqwest` and rustls, JSON with \
         `serde`, retries with backoff, per-call options, hooks and typed errors.\n\n",
    );
    installation(&mut out, api, package, version);
    quick_start(&mut out, api, krate, examples.first());
    per_tag(&mut out, krate, &examples);
    errors_and_retries(&mut out, krate, examples.iter().find(|(op, _)| !op.streams));
    pagination(&mut out, krate, &examples);
    streaming(&mut out, krate, &examples);
    out.push_str(&testing_section(api, krate));
    licence(&mut out, info);
    out
}

/// The lines of a doc example between the function's head and its `Ok(())`, shown
/// (hidden lines made visible), with the crate's name in; none when the example has
/// none (a required value that cannot be built).
fn example_body(lines: &[String], krate: &str) -> Option<Vec<String>> {
    let start = lines.iter().position(|l| l.contains("async fn example("))?;
    let end = lines.iter().rposition(|l| l == "# Ok(())")?;
    let body = lines[start + 1..end]
        .iter()
        .filter(|l| l.as_str() != "# let _ = answer;")
        .map(|l| {
            l.strip_prefix("# ")
                .unwrap_or(l)
                .replace("__crate__", krate)
        })
        .collect();
    Some(body)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first paragraph of the API's description, if it is plain prose of a reasonable
/// length (no heading, list, HTML or table).
fn first_paragraph(text: &str) -> Option<String> {
    let para = text.trim().split("\n\n").next()?.trim();
    let plain = !para.is_empty()
        && para.len() <= 600
        && !para.starts_with(['#', '-', '*', '<', '|', '>', '`']);
    plain.then(|| one_line(para))
}

/// A function of the example's lines, taking the client.
fn example_fn(krate: &str, body: &[String], deprecated: bool) -> String {
    let mut code = String::from("```rust,no_run\n");
    if deprecated {
        code.push_str("#[allow(deprecated)]\n");
    }
    code.push_str(&format!(
        "async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n"
    ));
    for line in body {
        code.push_str(&indent(line));
    }
    code.push_str("    Ok(())\n}\n```\n\n");
    code
}

fn indent(line: &str) -> String {
    if line.is_empty() {
        "\n".to_string()
    } else {
        format!("    {line}\n")
    }
}

fn installation(out: &mut String, api: &Api, package: &str, version: &str) {
    out.push_str("## Installation\n\n");
    out.push_str(&format!(
        "```toml\n[dependencies]\n{package} = \"{version}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n"
    ));
    out.push_str("Cargo features:\n\n");
    out.push_str("- `tracing`: a `tracing` span per call (operation, method, path template, status, attempt, duration), with no secret in it.\n");
    let tags: Vec<String> = api
        .features
        .iter()
        .filter(|f| !crate::model::features::OPT_IN.contains(&f.as_str()))
        .map(|f| format!("`{f}`"))
        .collect();
    if !tags.is_empty() {
        out.push_str(&format!(
            "- one per tag, all on by default: {}. Set `default-features = false` and name the ones you call to compile less.\n",
            tags.join(", ")
        ));
    }
    // The opt-in features the client has.
    use crate::model::features::{MODELS_FEATURE, WEBHOOKS_FEATURE};
    let opt_in = [
        (MODELS_FEATURE, "the types no operation uses."),
        (
            WEBHOOKS_FEATURE,
            "the webhooks the API sends you, as a typed event enum, with the verifier of their signatures.",
        ),
    ];
    for (feature, what) in opt_in {
        if api.features.iter().any(|f| f == feature) {
            out.push_str(&format!("- `{feature}` (off by default): {what}\n"));
        }
    }
    out.push_str(&format!(
        "- `{}` (off by default): both serde traits on every type. Without it a type that only goes into requests implements `Serialize` and one that only comes back implements `Deserialize`, so the compiler builds only the serde code calls use; turn it on to store, log or forward responses as JSON.\n",
        crate::model::features::FULL_SERDE_FEATURE
    ));
    out.push_str("- `mock` (off by default, for `[dev-dependencies]`): typed mocks for your tests (see Testing); it turns on `full-serde`.\n");
    out.push('\n');
}

fn quick_start(
    out: &mut String,
    api: &Api,
    krate: &str,
    first: Option<&(&Operation, Vec<String>)>,
) {
    out.push_str("## Quick start\n\n");
    match api.servers.first() {
        Some(server) => {
            out.push_str(&format!(
                "The client sends its requests to `{}`, the spec's first server; `.base_url(…)` on the builder picks another",
                server.url
            ));
            let others: Vec<String> = api.servers[1..]
                .iter()
                .map(|s| format!("`{}`", s.url))
                .collect();
            if others.is_empty() {
                out.push_str(".\n\n");
            } else {
                out.push_str(&format!(
                    " (the spec also names {}).\n\n",
                    others.join(", ")
                ));
            }
        }
        None => out.push_str(
            "The spec names no server: give the API's URL with `.base_url(…)` on the builder.\n\n",
        ),
    }
    if !api.auth.is_empty() {
        out.push_str("Credentials, one builder method per security scheme of the spec (each is sent where the operations ask for it, and never printed):\n\n");
        for scheme in &api.auth {
            let how = match &scheme.kind {
                AuthKind::Bearer => "a bearer token (`Authorization: Bearer …`)".to_string(),
                AuthKind::Basic => "a user name and password (HTTP basic)".to_string(),
                AuthKind::ApiKey { location, name } => {
                    format!("an API key in the {location:?} parameter `{name}`").to_lowercase()
                }
            };
            out.push_str(&format!("- `.{}(…)`: {how}\n", scheme.rust_name));
        }
        out.push('\n');
    }
    let mut code = String::from("```rust,no_run\n");
    code.push_str(&format!("use {krate}::Client;\n\n"));
    code.push_str("async fn run() -> Result<(), Box<dyn std::error::Error>> {\n");
    code.push_str("    let client = Client::builder()\n");
    if api.servers.is_empty() {
        code.push_str("        .base_url(\"https://api.example.com\")\n");
    }
    if let Some(scheme) = api.auth.first() {
        code.push_str(&match scheme.kind {
            AuthKind::Basic => format!(
                "        .{}(\"user\", std::env::var(\"API_PASSWORD\")?)\n",
                scheme.rust_name
            ),
            _ => format!(
                "        .{}(std::env::var(\"API_TOKEN\")?)\n",
                scheme.rust_name
            ),
        });
    }
    code.push_str("        .build()?;\n");
    if let Some((op, body)) = first {
        code.push_str(&format!("    // {}\n", op_summary(op)));
        for line in body {
            code.push_str(&indent(line));
        }
    }
    code.push_str("    Ok(())\n}\n```\n\n");
    out.push_str(&code);
    out.push_str("Every operation is a method of `Client` that returns a call: `.await` it for the decoded value, or set options first (`.timeout(…)`, `.header(…)`, `.with_response()` for the status, headers and request id beside the value).\n\n");
}

fn op_summary(op: &Operation) -> String {
    let title = op
        .docs
        .title
        .as_deref()
        .map(one_line)
        .filter(|t| t.len() <= 100 && !t.contains("*/"));
    match title {
        Some(t) => format!("{} {}: {t}", op.http_method, op.path),
        None => format!("{} {}", op.http_method, op.path),
    }
}

/// One example per tag: the first operation of the tag whose example could be built.
fn per_tag(out: &mut String, krate: &str, examples: &[(&Operation, Vec<String>)]) {
    let mut tags: Vec<&str> = Vec::new();
    for (op, _) in examples {
        for tag in &op.tags {
            if !tags.contains(&tag.as_str()) {
                tags.push(tag);
            }
        }
    }
    if tags.is_empty() {
        return;
    }
    out.push_str("## Examples\n\nOne call per tag of the spec; every method's documentation has its own.\n\n");
    for tag in tags {
        let Some((op, body)) = examples
            .iter()
            .filter(|(op, _)| op.tags.iter().any(|t| t == tag))
            .min_by_key(|(op, _)| op.deprecated)
        else {
            continue;
        };
        out.push_str(&format!(
            "### {}\n\n`{}`: {}.\n\n",
            one_line(tag),
            op.method_name,
            op_summary(op)
        ));
        out.push_str(&example_fn(krate, body, op.deprecated));
    }
}

fn errors_and_retries(out: &mut String, krate: &str, example: Option<&(&Operation, Vec<String>)>) {
    out.push_str("## Errors and retries\n\n");
    out.push_str(&format!(
        "A call fails with `{krate}::Error`: `Status` when the server answered with an error status (the status, headers, raw body, the body decoded as the spec documents it, the request id and the number of attempts), `Decode` when a success body is not what the spec says, `Transport` for connection errors and timeouts, `InvalidRequest` when an argument cannot be sent.\n\n"
    ));
    if let Some((op, body)) = example {
        // The example's setup, then its call matched instead of `?`.
        let mut lines: Vec<String> = Vec::new();
        for line in body {
            match line
                .strip_prefix("let answer = ")
                .and_then(|l| l.strip_suffix(".await?;"))
                .or_else(|| {
                    line.strip_suffix(".await?;")
                        .filter(|l| l.starts_with("client."))
                }) {
                Some(call) => {
                    lines.push(format!("match {call}.await {{"));
                    lines.push("    Ok(_answer) => {}".to_string());
                    lines.push("    Err(Error::Status(answer)) => eprintln!(".to_string());
                    lines.push(
                        "        \"HTTP {} (request id {:?}, {} attempt(s)): {}\",".to_string(),
                    );
                    lines.push(
                        "        answer.status, answer.request_id, answer.attempts, answer.text()"
                            .to_string(),
                    );
                    lines.push("    ),".to_string());
                    lines.push("    Err(other) => eprintln!(\"{other}\"),".to_string());
                    lines.push("}".to_string());
                }
                None => lines.push(line.clone()),
            }
        }
        let mut code = String::from("```rust,no_run\n");
        if op.deprecated {
            code.push_str("#[allow(deprecated)]\n");
        }
        code.push_str(&format!(
            "async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n    use {krate}::Error;\n"
        ));
        for line in &lines {
            code.push_str(&indent(line));
        }
        code.push_str("    Ok(())\n}\n```\n\n");
        out.push_str(&code);
    }
    out.push_str("Failed attempts are retried: by default at most 2 retries, with a backoff of 0.5 s doubling up to 8 s (less up to 25 % jitter), or the wait the server asks for with `Retry-After`. Connection failures, timeouts, 408, 409, 429 and 5xx answers are retried for GET, PUT, DELETE and any request with an idempotency key; a POST or PATCH without one only when the server cannot have processed it (no connection, 429, 503).\n\n");
    out.push_str(&format!(
        "```rust,no_run\nuse std::time::Duration;\n\nfn client() -> Result<{krate}::Client, {krate}::Error> {{\n    {krate}::Client::builder()\n        .timeout(Duration::from_secs(30)) // each attempt (default 60 s)\n        .max_retries(4)                   // default 2\n        .build()\n}}\n```\n\n"
    ));
    out.push_str("One call can say otherwise: `.max_retries(0)`, `.timeout(…)` and `.idempotency_key(…)` on the call before `.await`.\n\n");
}

fn pagination(out: &mut String, krate: &str, examples: &[(&Operation, Vec<String>)]) {
    let Some((op, body, stream)) = examples.iter().find_map(|(op, body)| {
        let p = op.pagination.as_ref()?;
        Some((op, body, p.method_name.as_str()))
    }) else {
        return;
    };
    let prefix = format!("let answer = client.{}(", op.method_name);
    let mut lines = Vec::new();
    for line in body {
        match line
            .strip_prefix(&prefix)
            .and_then(|l| l.strip_suffix(").await?;"))
        {
            Some(args) => {
                lines.push(format!("let mut items = client.{stream}({args});"));
                lines.push("while let Some(item) = items.next_item().await {".to_string());
                lines.push("    let _item = item?;".to_string());
                lines.push("}".to_string());
            }
            None => lines.push(line.clone()),
        }
    }
    if lines.len() == body.len() {
        return;
    }
    out.push_str("## Pagination\n\n");
    out.push_str(&format!(
        "A paginated operation also has a `*_stream` method that takes the same arguments and yields the items of every page, fetching each page when the items before it are used up (`next_item().await`, or as a `futures_core::Stream`; `.pages()` walks page by page). `{}` pages this way:\n\n",
        op.method_name
    ));
    out.push_str(&example_fn(krate, &lines, op.deprecated));
}

fn streaming(out: &mut String, krate: &str, examples: &[(&Operation, Vec<String>)]) {
    let Some((op, body)) = examples.iter().find(|(op, _)| op.streams) else {
        return;
    };
    out.push_str("## Streaming\n\n");
    out.push_str(&format!(
        "An operation answered with server-sent events returns an `EventStream`: each item is an event whose `data` is decoded as the spec says. `{}` streams:\n\n",
        op.method_name
    ));
    out.push_str(&example_fn(krate, body, op.deprecated));
    out.push_str("Any call can also be read as a stream of bytes with `.byte_stream()`, and files are sent from memory, a path or a stream with `FilePart`.\n\n");
}

/// The "Testing" section.
///
/// How users test their own code: the `mock` feature's server, which hands out the real
/// client, with one typed expectation builder per operation.
pub fn testing_section(api: &Api, krate: &str) -> String {
    let example = api
        .operations
        .first()
        .map(|op| format!(" (`mock.{}()`, say)", op.method_name))
        .unwrap_or_default();
    format!(
        "## Testing\n\nCode that calls `{krate}` is tested against the real client pointed at a mock server. Enable the `mock` feature in your `[dev-dependencies]`:\n\n```toml\n[dev-dependencies]\n{krate} = {{ version = \"*\", features = [\"mock\"] }}\n```\n\n`{krate}::mock::MockServer::start()` starts a server on 127.0.0.1 and `mock.client()` gives the `Client` pointed at it, so encoding, credentials, retries and hooks all run. Each operation has a typed expectation builder{example}: match its path, query and header parameters and its body by value or with a closure (`*_matches`), answer with `responds(value)`, `fails(status, body)`, `responds_status(503)`, `responds_raw(..)`, `events([..])` or `pages([..])`, add a `delay(..)` or `resets_connection()`, and check `expect(n)`. When the server is dropped (or on `mock.verify()`), unmet expectations fail the test, and every request that matched nothing is listed with the closest expectation and what differed.\n\n"
    )
}

fn licence(out: &mut String, info: &SpecInfo) {
    if let Some(name) = &info.license_name {
        out.push_str("## Licence\n\n");
        match &info.license_url {
            Some(url) => out.push_str(&format!(
                "The API description is published under [{}]({url}).\n",
                one_line(name)
            )),
            None => out.push_str(&format!(
                "The API description is published under {}.\n",
                one_line(name)
            )),
        }
    }
}
