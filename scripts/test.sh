#!/usr/bin/env bash
# The whole check, as CI runs it: formatting, clippy (native and wasm), native tests, the
# release build with Trunk, the wasm size budget, and the browser tests in headless Chromium.
# Screenshots go to artifacts/. Last, `make serve` is started from a fresh copy of the checkout
# and asked for a page and a deep link (scripts/serve-check.sh). Exits non-zero on the first
# failing step.
#
#   DBLAB_SKIP_SETUP=1   skip scripts/setup.sh (tools already installed)
set -euo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DBLAB_ROOT"

summary=()
started=$SECONDS

print_summary() {
    local line
    printf '\n\033[1mSummary\033[0m (total %ss)\n' "$((SECONDS - started))"
    for line in "${summary[@]}"; do
        printf '  %s\n' "$line"
    done
}

# step NAME COMMAND...: runs one step, records its time, stops everything on failure.
step() {
    local name="$1" t0=$SECONDS status=0
    shift
    printf '\n\033[1;34m==> [%s]\033[0m %s\n' "$name" "$*"
    "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        summary+=("FAIL  $name ($((SECONDS - t0))s, exit $status)")
        print_summary
        printf '\n\033[1;31mFAILED at step: %s\033[0m\n' "$name" >&2
        exit "$status"
    fi
    summary+=("ok    $name ($((SECONDS - t0))s)")
}

if [ "${DBLAB_SKIP_SETUP:-0}" = 1 ]; then
    log "skipping setup (DBLAB_SKIP_SETUP=1)"
else
    step setup "$DBLAB_ROOT/scripts/setup.sh"
fi

step fmt cargo fmt --all --check
step clippy-native cargo clippy --all-targets -- -D warnings
# lib and bin only: --all-targets on wasm32 would compile the native test suites for wasm.
step clippy-wasm cargo clippy --target "$WASM_TARGET" -- -D warnings
step test cargo test
step build trunk build --release
step size node tests/browser/size.mjs dist
mkdir -p artifacts
step browser env DBLAB_DIST="$DBLAB_ROOT/dist" DBLAB_ARTIFACTS="$DBLAB_ROOT/artifacts" \
    node tests/browser/run.mjs
step serve "$DBLAB_ROOT/scripts/serve-check.sh"

print_summary
printf '\n\033[1;32mAll checks passed.\033[0m\n'
