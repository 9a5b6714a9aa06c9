#!/usr/bin/env bash
# Builds the static site into dist/ (or $1): the wasm module bound by wasm-bindgen into pkg/,
# next to the files of www/. Every URL in the site is relative, so dist/ works from any static
# host and under any sub-path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
scripts/cargo-wasm build --release --target wasm32-unknown-unknown --lib
target=target
[ "$(cat .tools/wasm-route)" = debian ] && target=${CARGO_TARGET_DIR:-target/debian}
rm -rf "$out"
mkdir -p "$out/pkg"
.tools/bin/wasm-bindgen --target web --no-typescript --out-dir "$out/pkg" \
  "$target/wasm32-unknown-unknown/release/kitchen.wasm"
cp -r www/. "$out/"
echo "site written to $out/ ($(du -sh "$out" | cut -f1); wasm $(du -h "$out/pkg/kitchen_bg.wasm" | cut -f1))"
