#!/usr/bin/env bash
# The test command (README and .ci/run both run this): installs what the tests need, builds
# Skaidra once in release mode, and runs every test from that build:
#   1. cargo tests: unit tests next to the code and integration tests in tests/ (real binary,
#      fixture sites), all in the release profile; then `cargo fmt --check` and clippy with
#      warnings as errors;
#   2. the browser accessibility suite (axe-core, reflow at 320 px, keyboard, Nu Html Checker) on
#      the example site, on a fresh `skaidra init` site and on a site with a partly translated and a
#      right-to-left language, plus the harness's own self-test; the easy-read layout measured on
#      every easy-read page (easyread.mjs) and the search box;
#   3. the browser editor (Decap CMS with its local back end) end to end on a copy of the example.
# Screenshots and reports go to tests/artifacts/ (printed at the end).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ART="$ROOT/tests/artifacts"
rm -rf "$ART"; mkdir -p "$ART"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- what the tests need -------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v pdffonts >/dev/null || missing+=(poppler-utils)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { echo "apt-get install failed"; exit 1; }
fi
npm_missing=0
for pkg in playwright-core axe-core vnu-jar decap-cms decap-server @decimalturn/toml-patch; do
  [ -d "tests/browser/node_modules/$pkg" ] || npm_missing=1
done
if [ "$npm_missing" -eq 1 ]; then
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; exit 1; }
fi

passed=0; failed=0; failures=()
step() {
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

# --- build once, run the Rust tests ---------------------------------------------------------
step "cargo build --release" cargo build --release --locked
step "cargo test --release" cargo test --release --locked
# Code style: formatting (rustfmt.toml) and clippy's lints as errors, the fuzzing code included.
if cargo fmt --version >/dev/null 2>&1; then
  step "cargo fmt --check" cargo fmt --check
else
  echo "=== cargo fmt --check: skipped, this toolchain has no rustfmt"
fi
if cargo clippy --version >/dev/null 2>&1; then
  step "cargo clippy" cargo clippy --release --locked --all-targets --features fuzzing -- -D warnings
else
  echo "=== cargo clippy: skipped, this toolchain has no clippy"
fi
BIN="$ROOT/target/release/skaidra"

# --- browser suite on the example site and on a new site ------------------------------------
SITE_OUT="$ROOT/target/test-sites/example"
INIT_DIR="$ROOT/target/test-sites/init"
step "build example site" "$BIN" build --root "$ROOT" --out "$SITE_OUT" --quiet
rm -rf "$INIT_DIR"
step "init + build new site" bash -c "'$BIN' init '$INIT_DIR' && '$BIN' build --root '$INIT_DIR' --quiet"
step "browser harness self-test" node tests/browser/selftest.mjs
step "accessibility: example site" node tests/browser/a11y.mjs --dir "$SITE_OUT" --prefix /socialines-paslaugos/ --artifacts "$ART/example" \
  --screens ",paslaugos/pagalba-i-namus/,chartija/,paslaugos/pagalba-i-namus/lengvai/" --keyboard ",paslaugos/pagalba-i-namus/"
step "easy-read layout: example site" node tests/browser/easyread.mjs --dir "$SITE_OUT" --prefix /socialines-paslaugos/ --artifacts "$ART/easy-read" \
  --screens "paslaugos/pagalba-i-namus/lengvai/,chartija/lengvai/"
step "search in the browser: example site" node tests/browser/search.mjs --dir "$SITE_OUT" --prefix /socialines-paslaugos/
# A generated catalogue of 3,000 services, whose search index is split into many files: each query
# must load only a small part of it.
BIG_DIR="$ROOT/target/test-sites/search-big"
step "search in the browser: split index" bash -c "python3 tests/browser/gen_search_site.py 3000 '$BIG_DIR' >/dev/null && '$BIN' build --root '$BIG_DIR' --quiet && node tests/browser/search.mjs --dir '$BIG_DIR/public' --prefix / --expect '$BIG_DIR/expect.json'"
step "accessibility: new site" node tests/browser/a11y.mjs --dir "$INIT_DIR/public" --prefix / --artifacts "$ART/init" --screens ","
# The example site with six entries per list page, so the page navigation of long lists is checked.
PAGED_DIR="$ROOT/target/test-sites/paged"
rm -rf "$PAGED_DIR"
step "example site with paginated lists" bash -c "mkdir -p '$PAGED_DIR' && cp -r '$ROOT/site.toml' '$ROOT/content' '$ROOT/themes' '$ROOT/i18n' '$PAGED_DIR/' && printf '\n[lists]\nper_page = 6\n' >> '$PAGED_DIR/site.toml' && '$BIN' build --root '$PAGED_DIR' --quiet && test -f '$PAGED_DIR/public/paslaugos/3/index.html'"
step "accessibility: paginated lists" node tests/browser/a11y.mjs --dir "$PAGED_DIR/public" --prefix /socialines-paslaugos/ --artifacts "$ART/paged" --screens "paslaugos/2/" --keyboard "paslaugos/2/"
# The browser editor: a service created and an existing one edited through Decap CMS with its
# local back end (decap-server), then built and checked.
step "browser editor: example site" node tests/browser/editor.mjs --bin "$BIN" --site "$ROOT" --artifacts "$ART/editor"

# A site whose third language (Ukrainian) is partly translated, with Arabic (right to left) added:
# fallbacks marked with their language, links to pages in the default language, mirrored layout.
LANG_DIR="$ROOT/target/test-sites/languages"
rm -rf "$LANG_DIR"
step "build partly translated and right-to-left site" bash -c "mkdir -p '$LANG_DIR' && cp -r '$ROOT/tests/fixtures/languages/site/.' '$ROOT/tests/fixtures/languages/rtl/.' '$LANG_DIR/' && cp -r '$ROOT/themes' '$ROOT/i18n' '$LANG_DIR/' && '$BIN' build --root '$LANG_DIR' --quiet"
step "accessibility: partly translated and right-to-left site" node tests/browser/a11y.mjs --dir "$LANG_DIR/public" --prefix /socialines-paslaugos/ --artifacts "$ART/languages" \
  --screens "uk/,uk/posluhy/dopomoha-vdoma/,uk/khartiia/,ar/,ar/khadamat/al-musaada-fi-al-manzil/" --keyboard "ar/khadamat/al-musaada-fi-al-manzil/"
step "search in the browser: Cyrillic and Arabic" node tests/browser/search.mjs --dir "$LANG_DIR/public" --prefix /socialines-paslaugos/ \
  --find "uk/|допомога вдома|uk/posluhy/dopomoha-vdoma/|Допомога вдома" --find "uk/|допомона|uk/posluhy/dopomoha-vdoma/|Допомога вдома" \
  --find "ar/|المساعدة|ar/khadamat/al-musaada-fi-al-manzil/|المساعدة في المنزل"

echo
echo "screenshots and reports: $ART"
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
