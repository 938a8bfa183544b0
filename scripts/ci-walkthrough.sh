#!/usr/bin/env bash
# CI (issue 15 item 18): the README's curl walkthrough against the BUILT server, as a newcomer runs it
# after `npm start` — on the embedded database (PGlite) in a throwaway data folder, on a free port.
# Needs `npm run build` first. Exits with the walkthrough's status; the server is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(mktemp -d)
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE="http://127.0.0.1:$PORT"
LOG="$DATA/server.log"
# env -u: the walk is on PGlite even where the shell has a DATABASE_URL
env -u DATABASE_URL DATA_DIR="$DATA/data" PORT="$PORT" HOST=127.0.0.1 node dist/src/main.js >"$LOG" 2>&1 &
SERVER=$!
stop() {
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA"
}
trap stop EXIT
# the first start imports the demo divisions and seeds the demo: allow it two minutes
for _ in $(seq 1 240); do
  if curl -sf "$BASE/api/health" >/dev/null; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "the server stopped before it was ready:"; cat "$LOG"; exit 1; fi
  sleep 0.5
done
curl -sf "$BASE/api/health" >/dev/null || { echo "no /api/health after two minutes:"; cat "$LOG"; exit 1; }
bash scripts/walkthrough.sh "$BASE" || { echo "== the walkthrough failed; the server's log:"; cat "$LOG"; exit 1; }
