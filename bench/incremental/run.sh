#!/usr/bin/env bash
# Incremental rebuild of a user's program after an edit to its own code: a crate that
# calls three GitHub operations (bench/incremental/main.rs), built against the GitHub
# client of each generator given, then rebuilt after each of 3 edits to its main.rs.
#
#   bench/incremental/run.sh OLD/generate target/release/generate
#
# Needs GitHub's description (bench/run.sh fetches it). Everything goes to
# target/bench/incremental/ (git-ignored); the dev profile as cargo gives it
# (incremental on for the user's crate).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SPEC=${SPEC:-target/bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json}
[ -f "$SPEC" ] || { echo "no $SPEC: run bench/run.sh once (it fetches GitHub's description)"; exit 1; }
WORK=$ROOT/target/bench/incremental
rm -rf "$WORK"
mkdir -p "$WORK"
members=()
i=0
for generator in "$@"; do
    i=$((i + 1))
    "$generator" --spec "$SPEC" --out "$WORK/github-$i" --crate "github-$i" -q
    # One workspace: the dependencies are built once.
    sed -i 's/^\[workspace\]$//' "$WORK/github-$i/Cargo.toml"
    mkdir -p "$WORK/user-$i/src"
    cp bench/incremental/main.rs "$WORK/user-$i/src/main.rs"
    printf '[package]\nname = "user-%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\ngithub = { package = "github-%s", path = "../github-%s" }\ntokio = { version = "1", features = ["macros", "rt"] }\n' \
        "$i" "$i" "$i" >"$WORK/user-$i/Cargo.toml"
    members+=("\"github-$i\"" "\"user-$i\"")
done
(IFS=,; printf '[workspace]\nresolver = "2"\nmembers = [%s]\n' "${members[*]}" >"$WORK/Cargo.toml")
[ -f Cargo.lock ] && cp Cargo.lock "$WORK/Cargo.lock"
cd "$WORK"
export CARGO_TARGET_DIR=$WORK/target
for n in $(seq 1 $i); do
    echo "== generator $n: ${!n}"
    cargo build -q -p "user-$n"
    for edit in 1 2 3; do
        sed -i "s|println!(\"created .*); // EDIT|println!(\"created $edit #{}\", created.number); // EDIT|" "user-$n/src/main.rs"
        /usr/bin/time -f "edit $edit: %e s, peak %M KB" cargo build -q -p "user-$n"
    done
done
