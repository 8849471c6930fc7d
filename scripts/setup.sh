#!/usr/bin/env bash
# Installs whatever is missing to build, serve and test DB Lab. Idempotent and pinned:
# a second run only checks versions. Needs internet to crates.io, the npm registry and
# Debian apt the first time.
#
#   Rust target wasm32-unknown-unknown, rustfmt and clippy   (rustup)
#   trunk 0.21.14                                             (cargo install --locked)
#   wasm-bindgen-cli at the wasm-bindgen version of Cargo.lock (cargo install)
#   wasm-split-cli 0.2.3                                      (cargo install --locked)
#   chromium, chromium-driver, node and npm                   (apt, only when missing)
#   playwright-core, axe-core, binaryen (wasm-opt 132)        (npm ci in tests/browser)
#   pyodide 314.0.7 (CPython 3.14 for the browser),          (npm ci at the root)
#     CodeMirror 6 and esbuild (the editor, bundled at build time)
#   the crates of Cargo.lock                                  (cargo fetch; Trunk builds offline)
#   boto3, botocore, redis-py and their dependencies          (wheels from PyPI, hash-checked,
#     as pinned in src/shell/python/requirements.txt           into a virtualenv for `python3`)
set -euo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DBLAB_ROOT"

command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup first"
command -v rustup >/dev/null 2>&1 || die "rustup not found: install Rust with rustup first"

# --- System packages (apt) -------------------------------------------------------------
apt_packages=()
command -v cc >/dev/null 2>&1 || apt_packages+=(build-essential)
[ -x "$CHROMIUM" ] || apt_packages+=(chromium fonts-liberation fonts-dejavu-core)
[ -x /usr/bin/chromedriver ] || apt_packages+=(chromium-driver)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
if [ "${#apt_packages[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing ${apt_packages[*]} and apt-get is not available"
    log "apt: installing ${apt_packages[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${apt_packages[@]}"
else
    log "apt: chromium, chromium-driver, node and npm present"
fi
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing after installing chromium"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || die "node >= 18 is needed, found $(node --version)"

# --- Rust target and components ----------------------------------------------------------
if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    log "rustup: target $WASM_TARGET present"
else
    log "rustup: adding target $WASM_TARGET"
    rustup target add "$WASM_TARGET"
fi
for component in rustfmt clippy; do
    if rustup component list --installed | grep -q "^$component"; then
        log "rustup: component $component present"
    else
        log "rustup: adding component $component"
        rustup component add "$component"
    fi
done

# --- Trunk --------------------------------------------------------------------------------
# `cargo install` runs without CARGO_TARGET_DIR so tool builds stay out of the project's cache.
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
    log "trunk $TRUNK_VERSION present"
else
    log "installing trunk $TRUNK_VERSION (about 10 minutes cold)"
    env -u CARGO_TARGET_DIR cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# --- wasm-bindgen-cli ---------------------------------------------------------------------
wb_version="$(wasm_bindgen_version)"
[ -n "$wb_version" ] || die "could not read the wasm-bindgen version from Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $wb_version" ]; then
    log "wasm-bindgen-cli $wb_version present"
else
    # Not --locked: the CLI's own lockfile pins crates that may no longer resolve.
    log "installing wasm-bindgen-cli $wb_version (about 4 minutes cold)"
    env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# --- wasm-split-cli -------------------------------------------------------------------------
# Splits the app's wasm at its lazy functions (the console) into chunks fetched on first use
# (scripts/wasm_build.sh); the version pairs with the wasm_split_helpers that Leptos uses.
if command -v wasm-split-cli >/dev/null &&
    cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    log "wasm-split-cli $WASM_SPLIT_VERSION present"
else
    log "installing wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes cold)"
    env -u CARGO_TARGET_DIR cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" \
        --features build-binary --locked --force
fi

# --- npm packages ---------------------------------------------------------------------------
# npm_ci DIR WHAT FILE: `npm ci` in DIR unless its node_modules matches package-lock.json
# (which pins each package with its sha512; npm ci checks them) and FILE exists.
npm_ci() {
    local dir="$1" what="$2" file="$3" stamp="$1/node_modules/.dblab-package-lock.json"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json" && [ -e "$dir/node_modules/$file" ]; then
        log "npm: $what up to date"
    else
        log "npm: npm ci ($what)"
        (cd "$dir" && npm ci --no-audit --no-fund)
        cp "$dir/package-lock.json" "$stamp"
    fi
}
npm_ci "$DBLAB_ROOT/tests/browser" "playwright-core, axe-core, binaryen" ".bin/wasm-opt"
npm_ci "$DBLAB_ROOT" "the app's: pyodide, codemirror, esbuild" "pyodide/pyodide.asm.wasm"
wasm_opt_version="$(wasm-opt --version)"
case "$wasm_opt_version" in
    *"version $BINARYEN_VERSION "* | *"version $BINARYEN_VERSION") ;;
    *) die "wasm-opt on PATH is '$wasm_opt_version', expected version $BINARYEN_VERSION ($(command -v wasm-opt))" ;;
esac

# --- Python packages ------------------------------------------------------------------------
# The wheels are downloaded once (pip checks each against its pinned SHA-256) and installed
# into the virtualenv the native `python3` of `dblab shell` and the tests runs.
requirements="$DBLAB_ROOT/src/shell/python/requirements.txt"
venv_stamp="$PYTHON_VENV/.dblab-requirements.txt"
pinned="$(grep -c '==' "$requirements")"
# (No folder yet on a fresh machine: find fails, which pipefail would make fatal.)
wheels="$( (find "$PYTHON_WHEELS" -maxdepth 1 -name '*.whl' 2>/dev/null || true) | wc -l)"
# The wheels are kept too: the browser's build packs them (scripts/python_web.py).
if [ -x "$PYTHON_VENV/bin/python3" ] && cmp -s "$venv_stamp" "$requirements" && [ "$wheels" -ge "$pinned" ]; then
    log "python: virtualenv up to date ($PYTHON_VENV)"
else
    command -v python3 >/dev/null 2>&1 || die "python3 not found: install CPython 3.10 or newer"
    log "python: downloading pinned wheels into $PYTHON_WHEELS"
    mkdir -p "$PYTHON_WHEELS"
    python3 -m pip download --quiet --no-deps --require-hashes --only-binary=:all: \
        -d "$PYTHON_WHEELS" -r "$requirements"
    log "python: virtualenv $PYTHON_VENV"
    python3 -m venv --clear "$PYTHON_VENV"
    "$PYTHON_VENV/bin/python3" -m pip install --quiet --no-index --no-deps --require-hashes \
        --find-links "$PYTHON_WHEELS" -r "$requirements"
    cp "$requirements" "$venv_stamp"
fi

# --- Crates -------------------------------------------------------------------------------
# Trunk.toml sets offline = true, which makes its cargo calls offline: fetch everything first.
log "cargo fetch"
cargo fetch

log "setup done: $(trunk --version), $(wasm-bindgen --version), $wasm_opt_version, node $(node --version), $("$CHROMIUM" --version 2>/dev/null | head -n1)"
