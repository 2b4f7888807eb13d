#!/usr/bin/env bash
# What this machine allows for the Slack `/ticket` and Teams message benchmarks, beside Bolt and botbuilder in the same
# run: the `floor` mode of PlatformBot.Benchmarks (bare ASP.NET Core endpoints: Slack checks the signature with
# PlatformBot's own code and answers the acknowledgement; Teams posts a text reply to the connector), without storage
# and with a ticket-shaped document group-committed to LiteDB before the answer. Each variant is loaded through the
# shared harness's run-all.sh as its extra Slack and Teams target, so each table has the peers measured in the same run. Same pinning as peers.sh (server CPU 1, load generator CPU 0). Loopback only; every process
# started here is stopped by PID.
#
#   bench/floor.sh                     # CONC=32 DURATION=20 WARMUP=3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/bench/peers}
WORK=${WORK:-/tmp/platformbot-bench}
OUT=${OUT:-$WORK/floor-$(date -u +%Y%m%dT%H%M%SZ)}
PORT=${PORT:-39250}
SECRET=${SECRET:-bench-signing-secret}
export CONC=${CONC:-32} DURATION=${DURATION:-20} WARMUP=${WARMUP:-3} SCENARIOS=${SCENARIOS:-slack-command teams} RECEIVERS=http TEAMS_ADAPTERS=${TEAMS_ADAPTERS:-cloud legacy}

if ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q .; then echo "port $PORT is in use; set PORT" >&2; exit 3; fi
mkdir -p "$WORK/peers" "$OUT"
find "$PEERS_SRC" -maxdepth 1 -type f -exec cp -f {} "$WORK/peers/" \;
chmod -R u+w "$WORK/peers"
dotnet build "$ROOT/bench/PlatformBot.Benchmarks" -c Release --nologo -v q >/dev/null
DLL="$ROOT/bench/PlatformBot.Benchmarks/bin/Release/net10.0/PlatformBot.Benchmarks.dll"
PIN=(); if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN=(taskset -c 1); fi

for variant in plain store; do
  flags=(); [ "$variant" = store ] && flags=(--store)
  # The shipped host's code generation settings (BENCHMARKS.md, "Code generation").
  DOTNET_TC_QuickJit=0 DOTNET_TC_CallCountingDelayMs=0 "${PIN[@]}" dotnet "$DLL" floor --port "$PORT" --secret "$SECRET" "${flags[@]}" \
    > "$OUT/floor-$variant.log" 2>&1 &
  FLOOR=$!
  trap 'kill $FLOOR 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz" 2>/dev/null && break; sleep 0.2; done
  sleep 2
  (cd "$WORK/peers" && OUT="$OUT/$variant" SECRET="$SECRET" EXTRA_SLACK_URL="http://127.0.0.1:${PORT}/slack/events" \
    EXTRA_SLACK_PID=$FLOOR EXTRA_SLACK_NAME="floor-$variant" \
    EXTRA_TEAMS_URL="http://127.0.0.1:${PORT}/api/messages" EXTRA_TEAMS_PID=$FLOOR EXTRA_TEAMS_NAME="floor-$variant" bash run-all.sh)
  kill "$FLOOR" 2>/dev/null || true
  for _ in $(seq 1 25); do kill -0 "$FLOOR" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$FLOOR" 2>/dev/null || true
done
