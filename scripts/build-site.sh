#!/usr/bin/env bash
# Builds the static site into dist/ (or $1). The crate is built twice for wasm32 (cargo
# features, see Cargo.toml), and each module is bound by wasm-bindgen into pkg/ and shrunk by
# wasm-opt (binaryen from npm, tools/package.json):
#   pkg/kitchen*       the page and its engine worker, one module for both (features ui and
#                      engine): Yew and the page models, the parser, interpreter, simulator,
#                      live driver and converters. One module rather than a page module and
#                      an engine module: the code both need (std, serde_json, the trace types,
#                      the scenarios) is then downloaded once, 131 KB gzipped less in all.
#   pkg/kitchen_chef*  the live kitchen's chef workers: the real CPU step
# next to the files of www/, and the opening scenario's trace, precomputed by the native
# binary into traces/, so the first scene needs neither the engine nor its download; and that
# first scene prerendered into index.html (scripts/prerender.mjs), so it is painted before
# any wasm has arrived.
# Every URL in the site is relative, so dist/ works from any static host and under any
# sub-path. sizes.txt lists every file's size, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
root=target
[ "$(cat .tools/wasm-route)" = debian ] && root=${CARGO_TARGET_DIR:-target/debian}
wasm_opt=tools/node_modules/.bin/wasm-opt
esbuild=tools/node_modules/.bin/esbuild
for tool in "$wasm_opt" "$esbuild"; do
  [ -x "$tool" ] || { echo "build-site: $tool is missing; run scripts/setup.sh" >&2; exit 1; }
done

# The (scenario, cores) pairs precomputed: src/web/opening.rs's PRECOMPUTED (a test holds
# the two to each other).
PRECOMPUTED="asyncio-blocking:4"

# Each module has its own target directory: one cargo feature set per directory, so a
# rebuild of one does not throw away the others' work.
# opt-level "z" (size) rather than the release profile's "s": the page's budget is in bytes,
# and it measured 8 % smaller (README.md, "The page's size"). Two -Z flags (hence
# RUSTC_BOOTSTRAP=1, which the Debian route sets anyway, for build-std), for the budget:
# -Zlocation-detail=none leaves the file, line and column of every possible panic out of
# the module (18 KB gzipped; an engine panic on the page still says its message, see
# src/web/engine_worker.rs); -Zfmt-debug=shallow has `{:?}` of a derived type print its
# name without its fields (3.9 KB): the page shows `{:?}` only of field-less enums (a
# state, a phase), which print the same, and field details only in messages about bugs.
# build_module NAME FEATURES: NAME.wasm, built in its own target dir, site-NAME.
build_module() {
  local name=$1 features=$2 dir="$root/site-$1"
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=shallow" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_TARGET_DIR="$dir" scripts/cargo-wasm build --release --target wasm32-unknown-unknown \
    --lib --no-default-features --features "$features"
  cp "$dir/wasm32-unknown-unknown/release/kitchen.wasm" "$work/$name.wasm"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_module kitchen "ui engine"
build_module kitchen_chef chef

rm -rf "$out"
mkdir -p "$out/pkg" "$out/traces"
for name in kitchen kitchen_chef; do
  .tools/bin/wasm-bindgen --target web --no-typescript --out-dir "$out/pkg" "$work/$name.wasm"
  # -Oz: size first (the page's budget is in bytes), after merging functions that differ
  # only in constants (generic code: 1.7 KB gzipped), and twice (what the first pass
  # simplified, the second shrinks further: 1.9 KB); the features are those rustc's wasm32
  # target emits by default.
  "$wasm_opt" --merge-similar-functions -Oz -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/pkg/${name}_bg.wasm" -o "$out/pkg/${name}_bg.wasm"
done
cp -r www/. "$out/"
# The scripts (ours and wasm-bindgen's glue) and the style sheet, minified: 6.7 KB gzipped
# less. The sources in www/ stay as they are, comments and all.
for f in "$out"/*.js "$out"/pkg/*.js "$out"/*.css; do
  "$esbuild" --minify --log-level=warning "$f" --outfile="$f.min" && mv "$f.min" "$f"
done

# The debug build the native tests use is enough (the simulation is deterministic: any build
# writes the same trace).
cargo build --quiet --bin kitchen
for pair in $PRECOMPUTED; do
  id=${pair%%:*} cores=${pair##*:}
  "${CARGO_TARGET_DIR:-target}/debug/kitchen" simulate "$id" --cores "$cores" --json > "$out/traces/$id.c$cores.json"
done

# The opening scene, prerendered into index.html by the page itself in headless Chromium.
node scripts/prerender.mjs "$out"

(cd "$out" && find . -type f | sort | while read -r f; do
  printf '%s\t%s\t%s\n' "${f#./}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done) > "$work/sizes.txt"
mv "$work/sizes.txt" "$out/sizes.txt"
awk -F'\t' '{ raw += $2; gz += $3 } END { printf "site written to '"$out"'/: %d files, %.0f KiB (%.0f KiB gzipped)\n", NR, raw / 1024, gz / 1024 }' "$out/sizes.txt"
