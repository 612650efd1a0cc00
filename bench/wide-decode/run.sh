#!/bin/sh
# Generates a client for a 1,000-property schema (hand-written Deserialize) and the same
# struct with serde's derive (src/derived.rs), then times both decoding one JSON object
# (release build) and prints the ratio.
set -e
cd "$(dirname "$0")/../.."
mkdir -p target/wide-decode
python3 bench/wide-decode/mkspec.py props 1000 > target/wide-decode/spec.json
cargo run -q -p openapi-client-gen --bin generate -- --spec target/wide-decode/spec.json \
    --out target/wide-decode/client --crate wide-props
python3 bench/wide-decode/mk.py de 1000 | grep -v '^pub fn' \
    | sed 's/^#\[derive(serde::Deserialize)\]/#[derive(serde::Deserialize, serde::Serialize)]/' \
    > bench/wide-decode/src/derived.rs
cd bench/wide-decode
cargo run --release -q
