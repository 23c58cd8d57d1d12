#!/usr/bin/env bash
# Runs every scenario of the performance bar (docs/BENCHMARKS.md, "Current") against servers it
# starts itself, and leaves the JSON results and logs in OUT (default bench-results/bars-DATE).
# Takes about 20 minutes on the 2-core benchmark machine; run it on a machine doing nothing else.
# It starts each server on port 7600 with a fresh data directory under OUT and stops it after.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/bench-results/bars-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
cd "$ROOT"
IMPS="$ROOT/imps"
SERVER_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap stop_server EXIT

start_server() { # NAME [--set ...]
  stop_server
  local name="$1"; shift
  "$IMPS" server --port 7600 --data-dir "$OUT/data-$name" \
    --set register.per-address=1000000 --set register.per-minute=1000000 "$@" > "$OUT/server-$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 120); do
    grep -q "IMPS listening" "$OUT/server-$name.log" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server-$name.log" >&2; exit 1; }
    sleep 1
  done
  echo "bars: server $name did not start" >&2
  exit 1
}

bench() { # OUTNAME SCENARIO ARGS...
  local name="$1"; shift
  echo "bars: $(date +%T) $name" >&2
  "$IMPS" bench "$@" --reuse-users --no-progress --out "$OUT/$name.json" > "$OUT/$name.txt" 2>&1
}

B=(--set password.memory-kib=1024 --set password.iterations=1)

start_server b "${B[@]}"
bench warm-chat chat -u 1000 -r 5000 -d 30
for i in 1 2 3; do bench "chat5k-$i" chat -u 1000 -r 5000 -d 20; done
for i in 1 2 3; do bench "max-$i" chat --max -u 1000 --max-start 8000 --max-trials 7; done
bench warm-backlog offline-backlog -n 10000
for i in 1 2 3; do bench "backlog-$i" offline-backlog -n 10000; done
bench presence presence -u 1000 -f 10 -r 1000 -d 10
bench login-storm-b login-storm -u 5000 --rounds 3

start_server connections "${B[@]}"
bench connections connections -c 19000 -d 300 --heartbeat 60

start_server default-cost
bench login-storm-default login-storm -u 5000 --rounds 3 --timeout 1200
stop_server

echo "bars: done; results in $OUT" >&2
