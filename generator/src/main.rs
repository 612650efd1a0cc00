//! `generate`: writes a Rust client for an OpenAPI document.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use openapi_client_gen::{CheckOutcome, Config};

// Generation is mostly small allocations (JSON values, token trees, strings), which
// mimalloc serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_SPEC: &str = "spec/txcloud-identity.yaml";

/// Generates an async Rust client (reqwest + serde) from an OpenAPI 3.0 or 3.1 document,
/// or a Swagger 2.0 one, in one file or split into many (`$ref: ./schemas/Pet.yaml`).
///
/// With no arguments, regenerates `generated/` from `spec/txcloud-identity.yaml`.
#[derive(Parser, Debug)]
#[command(name = "generate", version)]
struct Args {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The folder to write the client source to.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// Also write a Cargo.toml, making the folder a standalone crate of this name.
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,
    /// The crate name the doc examples import the client as (compiled as doctests);
    /// defaults to `--crate`, and to `txcloud` for the default spec. Without one the
    /// examples are shown as text.
    #[arg(long, value_name = "NAME")]
    doc_crate: Option<String>,
    /// Pagination rules for operations the spec does not mark: a TOML file of
    /// `[[operation]]` tables (id, style, param, next, items, has-more).
    #[arg(long, value_name = "FILE")]
    pagination: Option<PathBuf>,
    /// Gate operations behind a cargo feature per tag (all on by default), and types
    /// behind the features of the operations that use them.
    #[arg(long)]
    tag_features: bool,
    /// Compile every type, also those no operation uses (with `--crate` they are
    /// otherwise behind the `unused-types` feature, off by default).
    #[arg(long)]
    all_types: bool,
    /// With `--crate`: let `cargo publish` upload the crate (the manifest otherwise says
    /// `publish = false`).
    #[arg(long, requires = "crate_name")]
    publish: bool,
    /// With `--crate`: the crate's version (default 0.1.0).
    #[arg(long, value_name = "VERSION", requires = "crate_name")]
    crate_version: Option<String>,
    /// With `--crate`: the crate's licence, an SPDX expression, instead of the spec's
    /// `info.license`.
    #[arg(long, value_name = "SPDX", requires = "crate_name")]
    license: Option<String>,
    /// With `--crate`: the crate's source repository URL.
    #[arg(long, value_name = "URL", requires = "crate_name")]
    repository: Option<String>,
    /// Write the client as one file, `lib.rs`, that `include!` accepts (for a build.rs
    /// writing into OUT_DIR): modules inline, no `//!` docs or inner attributes, unused
    /// items allowed.
    #[arg(long, conflicts_with = "crate_name")]
    single_file: bool,
    /// Write nothing; print the `[dependencies]` (and `[features]`) a crate that
    /// compiles the client as a module adds to its Cargo.toml, as TOML ready to paste.
    #[arg(long)]
    print_dependencies: bool,
    /// Write nothing; print a diff and exit 1 when the folder is not what would be generated.
    #[arg(long)]
    check: bool,
    /// Read `$ref`s to URLs that start with PREFIX from the folder DIR (repeatable).
    /// URLs are never fetched.
    #[arg(long, value_name = "PREFIX=DIR", value_parser = parse_url_map)]
    map_url: Vec<(String, PathBuf)>,
    /// Write no client: write the single OpenAPI 3 document the generator reads (every
    /// referenced file copied in, Swagger 2.0 converted) to FILE, YAML when its name
    /// ends in `.yaml` or `.yml`, JSON otherwise; `-` prints JSON.
    #[arg(long, value_name = "FILE")]
    bundle: Option<PathBuf>,
    /// Write nothing; compare the generated API of `--spec` with that of this older
    /// version of it and print what changed, each change classified as breaking,
    /// non-breaking or wire-only for the crate's users.
    #[arg(long, value_name = "OLD_SPEC")]
    changes_from: Option<PathBuf>,
    /// With `--changes-from`: `markdown` (every change), `compact` (for a pull request:
    /// counts, breaking changes first, the rest folded, at most 60,000 characters),
    /// `json` (for tools) or `summary` (one line with the semver bump).
    #[arg(
        long,
        value_enum,
        default_value = "markdown",
        requires = "changes_from"
    )]
    format: Format,
    /// With `--changes-from`: also write the full report to FILE, JSON when its name
    /// ends in `.json`, Markdown otherwise (beside `--format compact`, say).
    #[arg(long, value_name = "FILE", requires = "changes_from")]
    full_report: Option<PathBuf>,
    /// With `--changes-from`: exit 1 when any change is breaking (for CI).
    #[arg(long, requires = "changes_from")]
    fail_on_breaking: bool,
    /// Do not print warnings.
    #[arg(long, short)]
    quiet: bool,
}

/// mimalloc asks for transparent huge pages, and the kernel then zeroes a whole 2 MiB
/// page at the first touch of any byte of it. A short run that allocates about 150 MB in
/// small pieces pays more for that than it gains: on GitHub's description, run after
/// another big process, 0.35 s of system time and a third of the wall time. mimalloc's own
/// switch (`MIMALLOC_ALLOW_THP=0`) does the same as this call, but it is read before
/// `main`.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes nothing but
    // this process's page policy; a kernel without it returns an error, ignored here.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}

fn parse_url_map(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((prefix, dir)) if !prefix.is_empty() && !dir.is_empty() => {
            Ok((prefix.to_string(), PathBuf::from(dir)))
        }
        _ => Err(format!("expected PREFIX=DIR, got {text:?}")),
    }
}

/// How `--changes-from` prints its report.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Markdown,
    Compact,
    Json,
    Summary,
}

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    let args = Args::parse();
    let mut config = Config::new(&args.spec);
    config.out_dir(&args.out);
    for (prefix, dir) in &args.map_url {
        config.map_url(prefix, dir);
    }
    if let Some(target) = &args.bundle {
        return write_bundle(&config, &args, target);
    }
    if let Some(name) = &args.crate_name {
        config.crate_name(name);
    }
    // With no arguments this writes the root package's source, as its build.rs does.
    let default_spec = args.spec == std::path::Path::new(DEFAULT_SPEC);
    let doc_crate = args.doc_crate.clone().or_else(|| match &args.crate_name {
        Some(name) => Some(name.clone()),
        None => default_spec.then(|| "txcloud".to_string()),
    });
    if let Some(name) = doc_crate {
        config.doc_crate(name);
    }
    config.tag_features(args.tag_features);
    if args.all_types {
        config.unused_types_feature(false);
    }
    config.publish(args.publish).single_file(args.single_file);
    if let Some(version) = &args.crate_version {
        config.crate_version(version);
    }
    if let Some(license) = &args.license {
        config.license(license);
    }
    if let Some(url) = &args.repository {
        config.repository(url);
    }
    if args.print_dependencies {
        return match config.dependencies_toml() {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    if let Some(file) = &args.pagination {
        if let Err(e) = config.pagination_file(file) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    if let Some(old) = &args.changes_from {
        return review(&config, old, &args);
    }
    let result = if args.check {
        config
            .check()
            .map(|(out, outcome)| (out, Some(outcome), Vec::new()))
    } else {
        config.write().map(|(out, written)| (out, None, written))
    };
    let (output, outcome, written) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.quiet {
        for w in &output.warnings {
            eprintln!("warning: {}: {w}", args.spec.display());
        }
    }
    match outcome {
        Some(CheckOutcome::UpToDate) => {
            eprintln!(
                "{} is up to date with {}",
                args.out.display(),
                args.spec.display()
            );
            ExitCode::SUCCESS
        }
        Some(CheckOutcome::Stale(diff)) => {
            print!("{diff}");
            eprintln!(
                "{} is stale: run `generate --spec {} --out {}`",
                args.out.display(),
                args.spec.display(),
                args.out.display()
            );
            ExitCode::from(1)
        }
        None => {
            eprintln!(
                "generated {} operations and {} types into {} ({} file(s) changed, {} warning(s))",
                output.operations,
                output.types,
                args.out.display(),
                written.len(),
                output.warnings.len()
            );
            ExitCode::SUCCESS
        }
    }
}

/// `--bundle`: writes the document the generator reads instead of a client.
fn write_bundle(config: &Config, args: &Args, target: &std::path::Path) -> ExitCode {
    let yaml = target
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml");
    let (text, bundle) = match config.bundle(yaml) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.quiet {
        for w in &bundle.warnings {
            eprintln!("warning: {}: {w}", args.spec.display());
        }
    }
    if target == std::path::Path::new("-") {
        print!("{text}");
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::write(target, text) {
        eprintln!("error: {}: {e}", target.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "bundled {} file(s) into {}",
        bundle.files.len(),
        target.display()
    );
    ExitCode::SUCCESS
}

/// `--changes-from`: prints the report; 2 on a load error, 1 on a breaking change with
/// `--fail-on-breaking`.
fn review(config: &Config, old: &std::path::Path, args: &Args) -> ExitCode {
    let report = match config.review(old) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &args.full_report {
        let json = file.extension().is_some_and(|e| e == "json");
        let written = if json {
            json_text(&report)
        } else {
            Ok(report.markdown())
        }
        .and_then(|text| std::fs::write(file, text).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    match args.format {
        Format::Markdown => print!("{}", report.markdown()),
        Format::Compact => print!("{}", report.compact_markdown()),
        Format::Json => match json_text(&report) {
            Ok(text) => print!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        Format::Summary => println!("{}", report.summary()),
    }
    if args.fail_on_breaking && report.has_breaking() {
        eprintln!(
            "{} breaking change(s) from {} to {}",
            report.count(openapi_client_gen::review::Class::Breaking),
            old.display(),
            args.spec.display()
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The report as pretty JSON, ending in a newline.
fn json_text(report: &openapi_client_gen::review::Report) -> Result<String, String> {
    serde_json::to_string_pretty(&report.json())
        .map(|text| text + "\n")
        .map_err(|e| e.to_string())
}
