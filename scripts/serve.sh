#!/usr/bin/env bash
# Builds DB Lab in release mode and serves it at http://127.0.0.1:8080 (rebuilds on change).
# Extra arguments go to `trunk serve`.
#
#   DBLAB_PORT   port to serve on (default 8080)
set -euo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DBLAB_ROOT"

"$DBLAB_ROOT/scripts/setup.sh"

port="${DBLAB_PORT:-8080}"
# Trunk.toml's [watch] ignore names artifacts/ (the browser tests' screenshots), and Trunk
# will not start while an ignored folder is missing: a fresh clone has none yet.
mkdir -p artifacts
log "trunk serve --release: http://127.0.0.1:$port"
exec trunk serve --release --address 127.0.0.1 --port "$port" "$@"
