//! Where the generator's time and memory go, stage by stage, on one spec.
//!
//! `cargo bench --manifest-path bench/criterion/Cargo.toml --bench stages -- SPEC [RUNS]`
//! (default: `spec/txcloud-identity.yaml`, 3 runs). Uses only the library's public API: the JSON parse and `normalize` are timed
//! on their own, and "deserialize" is `load_str` minus those two (the `openapiv3`
//! deserialisation through `serde_path_to_error`). After each stage it prints the
//! resident memory and that stage's peak (Linux: `VmHWM`, reset between stages through
//! `/proc/self/clear_refs`); elsewhere the memory columns show `-`.
//!
//! Not a criterion bench: one generation of a big spec takes seconds, and what matters
//! is the split, which `bench/run.sh` prints next to the whole-process numbers.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use openapi_client_gen::{emit, load, model};

struct Stage {
    name: &'static str,
    time: Duration,
    /// Resident memory when the stage ended, and the stage's peak, in KiB.
    rss_kib: Option<u64>,
    peak_kib: Option<u64>,
}

fn main() {
    // `cargo bench` passes `--bench` (and any filter) to every bench: keep the rest.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let spec = args.first().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/txcloud-identity.yaml")
    });
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut all: Vec<Vec<Stage>> = Vec::new();
    for _ in 0..runs.max(1) {
        all.push(run_once(&spec));
    }
    print_table(&spec, &all);
}

fn run_once(spec: &Path) -> Vec<Stage> {
    let mut stages = Vec::new();
    let mark = |name: &'static str, start: Instant, stages: &mut Vec<Stage>| {
        let time = start.elapsed();
        let (rss_kib, peak_kib) = memory();
        stages.push(Stage {
            name,
            time,
            rss_kib,
            peak_kib,
        });
        reset_peak();
    };
    reset_peak();
    let total = Instant::now();

    let t = Instant::now();
    let text = std::fs::read_to_string(spec).expect("read the spec");
    mark("read file", t, &mut stages);

    // The parse and normalisation that `load_str` does first, timed on their own (JSON
    // only: the YAML reader is private, so for YAML they stay inside "load").
    let is_json = text.trim_start().starts_with('{');
    let (parse_time, normalize_time) = if is_json {
        let t = Instant::now();
        let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let parse = t.elapsed();
        mark("  parse JSON to Value", t, &mut stages);
        let t = Instant::now();
        let _ = load::normalize::normalize(&mut value);
        let normalize = t.elapsed();
        mark("  normalize (3.1 to 3.0 shape)", t, &mut stages);
        let t = Instant::now();
        drop(value);
        mark("  drop Value", t, &mut stages);
        (parse, normalize)
    } else {
        (Duration::ZERO, Duration::ZERO)
    };

    let t = Instant::now();
    let doc = load::load_str(spec, &text).expect("the spec loads");
    let load_time = t.elapsed();
    mark("load (parse + normalize + deserialize)", t, &mut stages);
    if is_json {
        stages.push(Stage {
            name: "  of which deserialize to openapiv3 (load - parse - normalize)",
            time: load_time.saturating_sub(parse_time + normalize_time),
            rss_kib: None,
            peak_kib: None,
        });
    }

    let t = Instant::now();
    let api = model::build(&doc);
    mark("model::build", t, &mut stages);

    let t = Instant::now();
    let files = emit::emit(&api, &spec.display().to_string(), None).expect("emit");
    mark("emit::emit (quote, syn, prettyplease)", t, &mut stages);
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    std::hint::black_box(bytes);

    let t = Instant::now();
    drop(files);
    drop(api);
    drop(doc);
    drop(text);
    mark("drop everything", t, &mut stages);

    // The whole run's peak is the highest of the stages' peaks.
    let peak_kib = stages.iter().filter_map(|s| s.peak_kib).max();
    let rss_kib = memory().0;
    stages.push(Stage {
        name: "total",
        time: total.elapsed(),
        rss_kib,
        peak_kib,
    });
    stages
}

fn print_table(spec: &Path, runs: &[Vec<Stage>]) {
    println!(
        "\nstages of one generation of {} (median of {} run(s))\n",
        spec.display(),
        runs.len()
    );
    println!("| stage | median time (ms) | share | RSS after (MiB) | stage peak RSS (MiB) |");
    println!("|---|---:|---:|---:|---:|");
    let total_ms = median(runs.iter().map(|r| ms(r.last().expect("total").time)));
    for (i, stage) in runs[0].iter().enumerate() {
        let time = median(runs.iter().map(|r| ms(r[i].time)));
        let share = if stage.name == "total" || total_ms == 0.0 {
            String::new()
        } else {
            format!("{:.0}%", 100.0 * time / total_ms)
        };
        let mib =
            |v: Option<u64>| v.map_or("-".to_string(), |k| format!("{:.0}", k as f64 / 1024.0));
        // Memory of the first run, which starts from a fresh heap as the CLI does.
        let last = &runs[0][i];
        println!(
            "| {} | {:.1} | {} | {} | {} |",
            stage.name,
            time,
            share,
            mib(last.rss_kib),
            mib(last.peak_kib)
        );
    }
    println!("\nMemory is the first run's (a fresh heap, as in the CLI); the peak of `total` is the highest stage peak. `bench/run.sh` measures whole fresh processes.");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// `VmRSS` and `VmHWM` of this process, in KiB (Linux).
fn memory() -> (Option<u64>, Option<u64>) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return (None, None);
    };
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets `VmHWM` to the current RSS, so the next reading is that stage's own peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
