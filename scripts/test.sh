#!/usr/bin/env bash
# Runs ALL of Vangnet's tests on a fresh Debian machine with Rust:
#   1. installs what is missing (PostgreSQL server, Chromium, poppler-utils, npm packages),
#   2. starts a throwaway PostgreSQL server (scripts/pg-test-server.sh),
#   3. checks formatting (cargo fmt --check) and lints (cargo clippy --all-targets -D warnings),
#      and licences, bans and sources of every crate (cargo deny, deny.toml; the advisories only
#      when their database can be fetched),
#   4. runs every Rust test (unit, conformance on SQLite AND PostgreSQL, web, architecture checks);
#      a PostgreSQL test without its server fails here instead of skipping,
#   5. runs the browser tests in headless Chromium (e2e/run.mjs: playwright-core + axe-core).
# Exit status is non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

echo "== voorbereiden"
if [ ! -x /usr/bin/chromium ]; then echo "Chromium installeren"; apt_install chromium; fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "PostgreSQL installeren"; apt_install postgresql; fi
# pdftotext reads the decision letter's PDF back in crates/vangnet-web/tests/brief.rs.
if ! command -v pdftotext >/dev/null 2>&1; then echo "poppler-utils installeren"; apt_install poppler-utils; fi
PG_URL="$(scripts/pg-test-server.sh /tmp/vangnet-test-pg | tail -n 1)"
export VANGNET_TEST_DATABASE_URL="$PG_URL"
export VANGNET_REQUIRE_POSTGRES=1
echo "PostgreSQL: $VANGNET_TEST_DATABASE_URL"

echo "== opmaak en lints"
for tool in rustfmt clippy; do
  if ! cargo "${tool/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "$tool installeren"; rustup component add "$tool" >/dev/null 2>&1 || true
  fi
done
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --all --check
else echo "WAARSCHUWING: rustfmt ontbreekt en kon niet worden geïnstalleerd; opmaak niet gecontroleerd" >&2; fi
if cargo clippy --version >/dev/null 2>&1; then cargo clippy --workspace --all-targets -- -D warnings
else echo "WAARSCHUWING: clippy ontbreekt en kon niet worden geïnstalleerd; lints niet gecontroleerd" >&2; fi

echo "== licenties, verboden crates en bronnen (cargo deny, deny.toml)"
# Pinned: a new cargo-deny may read deny.toml differently. Installing it takes ~2.5 minutes
# on 2 cores (measured 2026-12-03: 2 min 27 s wall, clean install from crates.io).
DENY_VERSION=0.20.2
if ! cargo deny --version 2>/dev/null | grep -qx "cargo-deny $DENY_VERSION"; then
  echo "cargo-deny $DENY_VERSION installeren"
  cargo install --locked cargo-deny --version "$DENY_VERSION" >/dev/null 2>&1 || true
fi
if cargo deny --version >/dev/null 2>&1; then
  cargo deny check licenses bans sources
  # The advisory database comes from outside crates.io: check it only when it can be had.
  if timeout 120 cargo deny fetch db >/dev/null 2>&1; then
    cargo deny check --disable-fetch advisories
  else
    echo "advisories overgeslagen: database niet bereikbaar"
  fi
else
  echo "WAARSCHUWING: cargo-deny ontbreekt en kon niet worden geïnstalleerd; licenties, bans en bronnen niet gecontroleerd" >&2
fi

echo "== Rust-tests (SQLite en PostgreSQL)"
cargo build --workspace --all-targets
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi

echo "== browsertests (Chromium)"
(cd e2e && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi)
VANGNET_BIN="$PWD/target/debug/vangnet" node e2e/run.mjs

echo "== alle tests geslaagd"
