# Concurrency Kitchen. The two commands a newcomer needs:
#   make serve   set up what is missing, build the page, serve it at http://127.0.0.1:8080/
#   make test    every test: native, wasm in headless Chromium, end-to-end in headless Chromium
# Also: make dist (the static site in dist/), make bench (speed and size figures: simulation,
# the site's sizes, the time to the first scene and the live kitchen's figures, and the page's
# frame times and DOM size while playing, in headless Chromium).

PORT ?= 8080
WASM_TEST_ENV = CHROMEDRIVER=/usr/bin/chromedriver \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(CURDIR)/.tools/bin/wasm-bindgen-test-runner

.PHONY: setup dist build serve test test-native test-wasm test-e2e bench

## Installs what is missing (idempotent; seconds when all is there).
setup:
	scripts/setup.sh

## The deployable static site in dist/ (relative URLs: any host, any sub-path).
dist: setup
	scripts/build-site.sh dist

build: dist

serve: dist
	@echo "Concurrency Kitchen at http://127.0.0.1:$(PORT)/  (Ctrl-C stops)"
	python3 scripts/serve.py --port $(PORT) --dir dist

test: setup
	$(MAKE) test-native
	$(MAKE) test-wasm
	scripts/build-site.sh dist
	$(MAKE) test-e2e

test-native:
	cargo test

test-wasm:
	$(WASM_TEST_ENV) scripts/cargo-wasm test --target wasm32-unknown-unknown --test web

test-e2e:
	cd tests/e2e && node --test

bench: dist
	cargo run --release --quiet --example bench
	node tests/e2e/bench-load.mjs
	node tests/e2e/bench-page.mjs
