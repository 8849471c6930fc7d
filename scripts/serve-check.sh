#!/usr/bin/env bash
# Proves the README's first command: copies the checkout as a fresh clone would have it (the
# files git tracks, plus new ones it does not ignore; no node_modules, dist or artifacts), runs
# `make serve` there on a spare port, waits until it answers, fetches `/`, a deep link and the
# app's wasm and Python's manifest and packages (with the cross-origin isolation headers
# Python needs), and stops it. Exits non-zero, with the server's log, if any of that fails.
#
#   DBLAB_SERVE_CHECK_PORT   port to serve on (default 18080)
#   DBLAB_SERVE_CHECK_WAIT   seconds to wait for the first answer (default 1500: a cold build)
#
# The copy lives at a fixed path under the build cache, with the files' own modification
# times, so a second run rebuilds only what changed (cargo keys its cache on path and mtime).
set -euo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port="${DBLAB_SERVE_CHECK_PORT:-18080}"
wait_s="${DBLAB_SERVE_CHECK_WAIT:-1500}"
copy="$HOME/.cache/dblab/serve-check"
log_file="$copy.log"
base="http://127.0.0.1:$port"

# --- A fresh checkout ---------------------------------------------------------------------
rm -rf "$copy"
mkdir -p "$copy"
if git -C "$DBLAB_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # What a clone holds: tracked files that still exist, and untracked ones not ignored.
    (
        cd "$DBLAB_ROOT"
        git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
            tar --null -T - -cf -
    ) | tar -xpf - -C "$copy"
else
    tar -C "$DBLAB_ROOT" --exclude=./dist --exclude=./artifacts --exclude=./target \
        --exclude=node_modules -cf - . | tar -xpf - -C "$copy"
fi
log "fresh copy in $copy ($(find "$copy" -type f | wc -l) files)"

# --- make serve, in its own process group so that stopping it stops trunk too -------------
# Something already answering on the port would pass the checks in its place.
if node -e 'fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))' "$base/"; then
    die "something already answers on $base: stop it (or set DBLAB_SERVE_CHECK_PORT) and run again"
fi
(cd "$copy" && DBLAB_PORT="$port" exec setsid make serve) >"$log_file" 2>&1 &
server=$!
stop_server() {
    kill -- "-$server" 2>/dev/null || kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
# Stopped or interrupted, the check takes the server down with it.
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- Wait for it, then fetch what a browser would ------------------------------------------
log "make serve (port $port): waiting up to ${wait_s}s for the first answer"
status=0
DBLAB_BASE="$base" DBLAB_WAIT_S="$wait_s" DBLAB_SERVER_PID="$server" node --input-type=module -e '
const base = process.env.DBLAB_BASE;
const deadline = Date.now() + Number(process.env.DBLAB_WAIT_S) * 1000;
const alive = () => { try { process.kill(Number(process.env.DBLAB_SERVER_PID), 0); return true; } catch { return false; } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const get = async (path) => {
  const res = await fetch(base + path);
  return { status: res.status, type: res.headers.get("content-type") || "", headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
};
let home;
for (;;) {
  try { home = await get("/"); if (home.status === 200) break; } catch {}
  if (!alive()) { console.error("make serve exited before it answered"); process.exit(1); }
  if (Date.now() > deadline) { console.error("make serve did not answer in time"); process.exit(1); }
  await sleep(2000);
}
const html = home.body.toString();
const wasm = html.match(/["\x27]([^"\x27]*_bg\.wasm)["\x27]/);
const checks = [
  ["/ is the app page", html.includes("<html") && wasm !== null],
  // Python waits on shared memory, which only a cross-origin isolated page gets.
  ["/ is served cross-origin isolated (COOP same-origin, COEP require-corp)",
    home.headers.get("cross-origin-opener-policy") === "same-origin" && home.headers.get("cross-origin-embedder-policy") === "require-corp"],
];
const manifest = await get("/python/manifest.json");
let python = null;
try { python = JSON.parse(manifest.body.toString()); } catch {}
checks.push(["/python/manifest.json names the Python build", manifest.status === 200 && python !== null && python.packages in python.files]);
if (python) {
  const packages = await get("/python/" + python.packages);
  checks.push([`/python/${python.packages} is served whole`, packages.status === 200 && packages.body.length === python.files[python.packages]]);
}
const editor = await get("/editor/editor.mjs");
checks.push(["/editor/editor.mjs (CodeMirror, bundled) is served as JavaScript", editor.status === 200 && /javascript/.test(editor.type) && editor.body.length > 100000]);
const deep = await get("/lessons/rds-multi-az");
checks.push(["/lessons/rds-multi-az answers 200 with the app page", deep.status === 200 && deep.body.toString() === html]);
if (wasm) {
  const w = await get(wasm[1].startsWith("/") ? wasm[1] : "/" + wasm[1]);
  checks.push([`${wasm[1]} is served as application/wasm`, w.status === 200 && w.type.startsWith("application/wasm") && w.body.length > 0]);
}
// The answers must have come from this make serve, not from a server that was there before.
checks.push(["the make serve started here is still running", alive()]);
let ok = true;
for (const [what, passed] of checks) {
  console.log(`${passed ? "ok  " : "FAIL"}  ${what}`);
  ok &&= passed;
}
process.exit(ok ? 0 : 1);
' || status=$?

if [ "$status" -ne 0 ]; then
    printf '\n--- the last lines make serve printed (%s) ---\n' "$log_file" >&2
    tail -n 40 "$log_file" >&2
    exit "$status"
fi
log "make serve answered / and a deep link from a fresh copy"
