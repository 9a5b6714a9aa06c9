#!/usr/bin/env bash
# Installs everything `make serve` and `make test` need, idempotently: each step first checks
# whether its result is already there, so a second run costs seconds.
#
# The wasm32 standard library comes by the normal route when it can (`rustup target add`, what a
# user with internet does) and otherwise by the offline route of shared/TOOLCHAIN.md: Debian's
# packaged Rust 1.85 plus the source of that exact release, from which cargo builds std itself.
# The route taken is written to .tools/wasm-route, read by scripts/cargo-wasm.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_RUST=1.85.0+dfsg3-1~deb12u3
STD_SRC=/usr/lib/rustlib/src/rust/library
TOOLS=.tools
mkdir -p "$TOOLS"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
log() { printf '[setup] %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ $apt_updated -eq 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# --- browser for the wasm and end-to-end tests -------------------------------------------
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing Debian's chromium and chromium-driver"
  apt_install chromium chromium-driver
fi

# --- wasm32 standard library: normal route, then the offline fallback -------------------------
rustup_has_wasm() { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }
debian_route_ready() {
  [ -x /usr/bin/rustc ] && /usr/bin/rustc --version | grep -q '1\.85' && command -v wasm-ld-19 >/dev/null \
    && [ -f "$STD_SRC/std/Cargo.toml" ]
}
install_debian_route() {
  log "offline route: Debian's Rust $DEB_RUST and the std source of that release"
  if ! [ -x /usr/bin/rustc ] || ! /usr/bin/rustc --version | grep -q '1\.85' || ! command -v wasm-ld-19 >/dev/null; then
    apt_install "rustc-web=$DEB_RUST" "cargo-web=$DEB_RUST" "libstd-rust-web-dev=$DEB_RUST" \
      "libstd-rust-web-1.85=$DEB_RUST" lld-19
  fi
  [ -f "$STD_SRC/std/Cargo.toml" ] && return 0
  local src_list=/etc/apt/sources.list.d/kitchen-bookworm-src.sources
  if ! [ -f "$src_list" ]; then
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | $SUDO tee "$src_list" >/dev/null
    $SUDO apt-get update -qq
  fi
  # Only the upstream tarball (83 MB) is needed, not the 1 GB of the whole source package.
  local line url name sum work
  line=$(apt-get --print-uris source "rustc-web=$DEB_RUST" 2>/dev/null | grep -E "orig\.tar\.xz'" | head -n1)
  url=$(echo "$line" | awk '{print $1}' | tr -d "'")
  name=$(echo "$line" | awk '{print $2}')
  sum=$(echo "$line" | awk '{print $4}')
  [ -n "$url" ] || { echo "setup: could not find the rustc-web source tarball via apt" >&2; exit 1; }
  work=$(mktemp -d)
  log "downloading $name"
  curl -fsSL --retry 3 -o "$work/$name" "$url"
  case "$sum" in
    SHA256:*) echo "${sum#SHA256:}  $work/$name" | sha256sum -c --quiet - ;;
    SHA512:*) echo "${sum#SHA512:}  $work/$name" | sha512sum -c --quiet - ;;
  esac
  log "extracting library/ to $STD_SRC"
  tar -xJf "$work/$name" -C "$work" --wildcards '*/library/*'
  $SUDO mkdir -p "$(dirname "$STD_SRC")"
  $SUDO rm -rf "$STD_SRC"
  $SUDO mv "$work"/*/library "$STD_SRC"
  rm -rf "$work"
}

# KITCHEN_WASM_ROUTE=debian forces the offline route (to test it where rustup works).
if [ "${KITCHEN_WASM_ROUTE:-}" = debian ]; then
  debian_route_ready || install_debian_route
  route=debian
elif rustup_has_wasm; then
  route=rustup
elif timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 && rustup_has_wasm; then
  route=rustup
else
  debian_route_ready || install_debian_route
  route=debian
fi
echo "$route" > "$TOOLS/wasm-route"
log "wasm32 route: $route"

# --- wasm-bindgen CLI, the exact version Cargo.lock pins -----------------------------------
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  log "installing wasm-bindgen-cli $WB_VERSION (about 5 minutes on 2 cores)"
  # rustup's cargo: the CLI's own minimum Rust is newer than Debian's 1.85.
  cargo install --quiet --root "$TOOLS" wasm-bindgen-cli --version "=$WB_VERSION"
fi

# --- Node packages for the end-to-end tests (playwright-core drives Debian's chromium) --------
if ! [ -d tests/e2e/node_modules/playwright-core ]; then
  log "installing the end-to-end test packages"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
# --- the site build's tools from npm, the versions tools/package-lock.json pins: wasm-opt
# (binaryen) and esbuild (minifies the site's JavaScript and CSS) ---
if ! [ -x tools/node_modules/.bin/wasm-opt ] || ! [ -x tools/node_modules/.bin/esbuild ]; then
  log "installing binaryen (wasm-opt) and esbuild from npm"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
log "ready"
