#!/usr/bin/env bash
# Builds the static site into dist/ (or $1). The crate is built three times for wasm32, one
# cargo feature each (see Cargo.toml), and each module is bound by wasm-bindgen into pkg/ and
# shrunk by wasm-opt (binaryen from npm, tools/package.json):
#   pkg/kitchen_ui*      the page: Yew, the page models, the trace types (drawn first)
#   pkg/kitchen_engine*  the engine worker: parser, interpreter, simulator, live driver, converters
#   pkg/kitchen_chef*    the live kitchen's chef workers: the real CPU step
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
[ -x "$wasm_opt" ] || { echo "build-site: $wasm_opt is missing; run scripts/setup.sh" >&2; exit 1; }

# The (scenario, cores) pairs precomputed: src/web/opening.rs's PRECOMPUTED (a test holds
# the two to each other).
PRECOMPUTED="asyncio-blocking:4"

# Each module has its own target directory: one cargo feature set per directory, so a
# rebuild of one does not throw away the others' work.
# opt-level "z" (size) rather than the release profile's "s": the page's budget is in bytes,
# and it measured 8 % smaller (README.md, "The page's size").
build_module() {
  local name=$1 features=$2 dir="$root/site-$1"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_TARGET_DIR="$dir" scripts/cargo-wasm build --release --target wasm32-unknown-unknown \
    --lib --no-default-features --features "$features"
  cp "$dir/wasm32-unknown-unknown/release/kitchen.wasm" "$work/kitchen_$name.wasm"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_module ui ui
build_module engine engine
build_module chef chef

rm -rf "$out"
mkdir -p "$out/pkg" "$out/traces"
for name in ui engine chef; do
  .tools/bin/wasm-bindgen --target web --no-typescript --out-dir "$out/pkg" "$work/kitchen_$name.wasm"
  # -Oz: size first (the page's budget is in bytes); the features are those rustc's wasm32
  # target emits by default.
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/pkg/kitchen_${name}_bg.wasm" -o "$out/pkg/kitchen_${name}_bg.wasm"
done
cp -r www/. "$out/"

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
