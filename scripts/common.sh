# Shared environment for the DB Lab scripts. Source it; do not run it.
# shellcheck shell=bash

DBLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DBLAB_ROOT

# Pinned tool versions.
export TRUNK_VERSION="0.21.14"
export BINARYEN_VERSION="132"
export WASM_SPLIT_VERSION="0.2.3"
export WASM_TARGET="wasm32-unknown-unknown"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# rustup's default install puts cargo here; a fresh shell may not have it on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
export PATH="$DBLAB_ROOT/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Builds are reused across checkouts (CI starts from a clean checkout each time).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/dblab/target}"
export TRUNK_SKIP_VERSION_CHECK=true
# The lab's Python packages: the pinned wheels, and the virtualenv `python3` runs natively.
export PYTHON_WHEELS="${PYTHON_WHEELS:-$HOME/.cache/dblab/wheels}"
export PYTHON_VENV="${PYTHON_VENV:-$HOME/.cache/dblab/venv}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock (wasm-bindgen-cli must match it exactly).
wasm_bindgen_version() {
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' \
        "$DBLAB_ROOT/Cargo.lock"
}

# Runs a command as root: directly when root, through sudo when available.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (not root and no sudo)"
    fi
}
