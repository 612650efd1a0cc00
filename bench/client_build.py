#!/usr/bin/env python3
"""Compile cost of a generated client, before and after a generator change, side by side.

Generates the client of one spec with two generator binaries (`--old`, `--new`) as two
crates of one workspace, builds their dependencies once, then builds each client crate
alone (debug, the default profile, as `cargo build` does for users) `--runs` times,
alternating, from a clean state of that crate. Prints the wall time and the peak RSS of
the build (rustc's, the largest process) for each run, the medians and the ratios.

    python3 bench/client_build.py --old OLD/generate --new target/release/generate \\
        --spec ../shared/specs/openai-3.1.yaml --runs 3

Everything goes to target/bench/client-build/ (git-ignored).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, cwd=None, env=None):
    """Runs a command; returns (seconds, peak RSS of it and its children in MiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{stderr[-4000:]}")
    # ru_maxrss of RUSAGE_CHILDREN covers the largest descendant (rustc); KiB on Linux.
    return seconds, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", required=True, help="the generator binary before the change")
    parser.add_argument("--new", required=True, help="the generator binary after the change")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--name", default=None, help="folder name (default: the spec's stem)")
    args = parser.parse_args()

    name = args.name or Path(args.spec).stem.replace(".", "-")
    work = ROOT / "target/bench/client-build" / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    crates = {"old": "client_old", "new": "client_new"}
    for side, crate in crates.items():
        binary = args.old if side == "old" else args.new
        seconds, rss = run([binary, "--spec", args.spec, "--out", str(work / crate), "--crate", crate])
        print(f"generate {side}: {seconds:.2f} s, {rss:.0f} MiB")
        # One workspace: the crates share the dependencies' build.
        manifest = work / crate / "Cargo.toml"
        manifest.write_text(manifest.read_text().replace("\n[workspace]\n", "\n"))
    (work / "Cargo.toml").write_text(
        '[workspace]\nresolver = "2"\nmembers = ["client_old", "client_new"]\n'
    )
    lock = ROOT / "Cargo.lock"
    if lock.exists():
        shutil.copy(lock, work / "Cargo.lock")
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"), CARGO_INCREMENTAL="0")
    # The dependencies, once (and a first build of each crate, not measured).
    for crate in crates.values():
        run(["cargo", "build", "-q", "-p", crate], cwd=work, env=env)

    results = {side: [] for side in crates}
    for i in range(args.runs):
        for side in (["old", "new"] if i % 2 == 0 else ["new", "old"]):
            crate = crates[side]
            run(["cargo", "clean", "-q", "-p", crate], cwd=work, env=env)
            seconds, rss = run(["cargo", "build", "-q", "-p", crate], cwd=work, env=env)
            results[side].append((seconds, rss))
            print(f"run {i + 1} {side}: {seconds:.1f} s, peak {rss:.0f} MiB", flush=True)

    med = {side: (statistics.median(s for s, _ in r), statistics.median(m for _, m in r)) for side, r in results.items()}
    for side, (s, m) in med.items():
        print(f"{side}: median {s:.1f} s, peak {m:.0f} MiB")
    print(f"ratio new/old: time {med['new'][0] / med['old'][0]:.3f}, peak memory {med['new'][1] / med['old'][1]:.3f}")


if __name__ == "__main__":
    main()
