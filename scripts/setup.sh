#!/usr/bin/env bash
# One command to set the harness up on a fresh machine: npm dependencies, a Chromium for Playwright,
# and a stripe-mock binary of the pinned release. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

STRIPE_MOCK_VERSION=$(sed -n "s/^export const STRIPE_MOCK_VERSION = '\(v[0-9.]*\)';$/\1/p" fixtures/stripe-mock/release.ts)
say() { printf '\n== %s\n' "$*"; }

say "npm dependencies"
npm ci --no-audit --no-fund

say "Chromium"
if npx playwright install chromium >/tmp/playwright-install.log 2>&1; then
  echo "Playwright's own Chromium is installed."
elif command -v chromium-headless-shell >/dev/null; then
  echo "Playwright could not download its Chromium; using the system's $(command -v chromium-headless-shell)."
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # The headless shell is the browser the checks run in (Playwright's own choice for headless runs);
  # the full chromium package beside it, for headed debugging.
  echo "Playwright could not download its Chromium; installing Debian's chromium and chromium-headless-shell."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
elif command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  echo "Playwright could not download its Chromium; using the system's $(command -v chromium || command -v chromium-browser) (its headless shell, chromium-headless-shell, starts pages faster)."
else
  echo "No Chromium: run 'npx playwright install chromium' where downloads work, or install your system's chromium-headless-shell (or chromium)." >&2
  exit 1
fi

say "stripe-mock ${STRIPE_MOCK_VERSION}"
if [ -x .tools/bin/stripe-mock ] && [ "$(cat .tools/bin/stripe-mock.version 2>/dev/null)" = "$STRIPE_MOCK_VERSION" ]; then
  echo "Already installed in .tools/bin."
elif command -v go >/dev/null; then
  # Static (CGO off), so the same binary also runs in a FROM-scratch image.
  CGO_ENABLED=0 GOBIN="$PWD/.tools/bin" go install "github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}"
  echo "$STRIPE_MOCK_VERSION" > .tools/bin/stripe-mock.version
  echo "Installed .tools/bin/stripe-mock."
else
  echo "Go is not installed, so no stripe-mock binary: the tests will use Docker (stripe/stripe-mock:${STRIPE_MOCK_VERSION})"
  echo "when an engine runs, or STRIPE_MOCK_URL / STRIPE_MOCK_BIN."
fi

say "Ready: run npx playwright test"
