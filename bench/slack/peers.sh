#!/usr/bin/env bash
# PlatformBot's Slack endpoint beside Bolt for JavaScript, same load, same run, through the shared peer harness
# (../shared/bench/peers, see its README). Everything stays on 127.0.0.1; every process started here is stopped by PID.
#
#   bench/slack/peers.sh                       # CONC=32 DURATION=20 WARMUP=3, slash commands only
#   CONC=32 DURATION=10 SCENARIOS="slack-command slack-event" bench/slack/peers.sh
#
# PlatformBot runs the Release build pinned to CPU 1 (like Bolt), with a fresh data folder, the harness's signing
# secret, and its Web API pointed at the harness's fake upstream. Results: $OUT (default /tmp/platformbot-bench/<UTC time>).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/bench/peers}
WORK=${WORK:-/tmp/platformbot-bench}
OUT=${OUT:-$WORK/$(date -u +%Y%m%dT%H%M%SZ)}
PB_PORT=${PB_PORT:-39190}
SECRET=${SECRET:-bench-signing-secret}
UPSTREAM_PORT=${UPSTREAM_PORT:-39180}
export CONC=${CONC:-32} DURATION=${DURATION:-20} WARMUP=${WARMUP:-3} SCENARIOS=${SCENARIOS:-slack-command} RECEIVERS=${RECEIVERS:-http}

if ss -Hltn "sport = :$PB_PORT" 2>/dev/null | grep -q .; then echo "port $PB_PORT is in use; set PB_PORT" >&2; exit 3; fi

# The shared harness is read-only: run a copy (its node_modules are installed there once).
mkdir -p "$WORK/peers" "$OUT"
find "$PEERS_SRC" -maxdepth 1 -type f -exec cp -f {} "$WORK/peers/" \;
chmod -R u+w "$WORK/peers"

dotnet publish "$ROOT/src/PlatformBot.Host" -c Release -o "$WORK/platformbot" --nologo -v q >/dev/null
DATA=$(mktemp -d "$WORK/data.XXXXXX")

PIN=(); if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN=(taskset -c 1); fi
Slack__SigningSecret="$SECRET" Slack__BotToken=xoxb-bench Slack__ApiBaseUrl="http://127.0.0.1:${UPSTREAM_PORT}/api/" \
  PlatformBot__DataDirectory="$DATA" DevChannel__Enabled=false Logging__LogLevel__Default=Warning \
  "${PIN[@]}" "$WORK/platformbot/PlatformBot.Host" --urls "http://127.0.0.1:${PB_PORT}" --environment Production \
  > "$OUT/platformbot.log" 2>&1 &
PB=$!
trap 'kill $PB 2>/dev/null || true; for _ in $(seq 1 25); do kill -0 $PB 2>/dev/null || break; sleep 0.2; done; kill -9 $PB 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:${PB_PORT}/healthz" 2>/dev/null && break; sleep 0.2; done
sleep 2 # settle before the idle-RSS reading

cd "$WORK/peers"
OUT="$OUT" SECRET="$SECRET" UPSTREAM_PORT="$UPSTREAM_PORT" \
  EXTRA_SLACK_URL="http://127.0.0.1:${PB_PORT}/slack/events" EXTRA_SLACK_PID=$PB EXTRA_SLACK_NAME=platformbot \
  bash run-all.sh

# The same event three times (as Slack retries it): how many Web API calls did it cause? (One card post: handled once.)
(cd "$WORK/peers" && exec node fake-upstream.js --port "$UPSTREAM_PORT" > "$OUT/dup-upstream.log" 2>&1) & UPB=$!
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:${UPSTREAM_PORT}/stats" 2>/dev/null && break; sleep 0.2; done
node "$ROOT/bench/slack/duplicate-probe.js" --peers "$WORK/peers" --target "http://127.0.0.1:${PB_PORT}/slack/events" --secret "$SECRET" \
  --stats "http://127.0.0.1:${UPSTREAM_PORT}/stats" | tee "$OUT/duplicate-platformbot.txt"
kill "$UPB" 2>/dev/null || true

echo "== PlatformBot after the run: $(grep -c . "$OUT/platformbot.log" || true) log lines (warnings and errors only)"
