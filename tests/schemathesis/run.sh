#!/usr/bin/env bash
# schemathesis against /api/openapi.json of a demo server on SQLite: every check, a fixed
# seed, a bounded number of examples; any failure fails the script. Builds nothing:
#   tests/schemathesis/run.sh [path/to/gallra]   (default target/debug/gallra)
# MAX_EXAMPLES (default 50) bounds the examples per operation.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-target/debug/gallra}"
[ -x "$BIN" ] || { echo "no gallra binary at $BIN (cargo build first)" >&2; exit 2; }
command -v schemathesis >/dev/null || { echo "schemathesis is not installed" >&2; exit 2; }

TMP="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# schemathesis sends wrong tokens on purpose, from the address its right one comes from: the
# sign-in throttle (docs/operations.md) would answer both 429; here it allows as many as it sends.
GALLRA_SIGNIN_FAILURES=1000000000 env -u GALLRA_EVIDENCE_KEY -u GALLRA_INSTALLATION_KEY -u GALLRA_DATABASE_URL \
  "$BIN" demo --dir "$TMP/demo" --listen "127.0.0.1:$PORT" >"$TMP/out" 2>"$TMP/err" &
PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && grep -q '  token:' "$TMP/out" && break
  kill -0 "$PID" 2>/dev/null || { cat "$TMP/out" "$TMP/err" >&2; exit 1; }
  sleep 0.5
done
TOKEN="$(sed -n 's/^  token: *//p' "$TMP/out")"
[ -n "$TOKEN" ] || { echo "the demo printed no token" >&2; cat "$TMP/out" "$TMP/err" >&2; exit 1; }

schemathesis --config-file tests/schemathesis/schemathesis.toml run "$BASE/api/openapi.json" \
  --url "$BASE" \
  --checks all \
  --seed "${SEED:-18}" \
  --max-examples "${MAX_EXAMPLES:-50}" \
  --header "Authorization: Bearer $TOKEN" \
  --no-color \
  --suppress-health-check all \
  --workers 1 \
  --generation-database none \
  "${@:2}"
