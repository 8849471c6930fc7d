#!/usr/bin/env bash
# Builds DB Lab in release mode and serves it at http://127.0.0.1:8080 (rebuilds on change).
# Extra arguments go to `trunk serve`.
set -euo pipefail

# shellcheck source=scripts/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DBLAB_ROOT"

"$DBLAB_ROOT/scripts/setup.sh"

log "trunk serve --release: http://127.0.0.1:8080"
exec trunk serve --release --address 127.0.0.1 --port 8080 "$@"
