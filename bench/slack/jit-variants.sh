#!/usr/bin/env bash
# How code generation settings change PlatformBot's Slack /ticket throughput and its start-up (BENCHMARKS.md, "Code
# generation"). Publishes PlatformBot twice (as shipped: our assemblies ReadyToRun, quick JIT off; and without
# ReadyToRun), then for each variant starts a fresh process pinned to CPU 1 with an empty data folder, times process
# start -> /readyz, and drives signed /ticket commands with the shared harness's load generator from CPU 0.
# Everything stays on 127.0.0.1; every process started here is stopped by PID.
#
#   bench/slack/jit-variants.sh              # CONC=32 DURATION=15 WARMUP=3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/bench/peers}
WORK=${WORK:-/tmp/platformbot-jit}
PB_PORT=${PB_PORT:-39290}
UPSTREAM_PORT=${UPSTREAM_PORT:-39281}
SECRET=bench-signing-secret
CONC=${CONC:-32} DURATION=${DURATION:-15} WARMUP=${WARMUP:-3}

for port in "$PB_PORT" "$UPSTREAM_PORT"; do
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then echo "port $port is in use; set PB_PORT / UPSTREAM_PORT" >&2; exit 3; fi
done

mkdir -p "$WORK/peers"
find "$PEERS_SRC" -maxdepth 1 -type f -exec cp -f {} "$WORK/peers/" \;
chmod -R u+w "$WORK/peers"
[ -d "$WORK/peers/node_modules" ] || (cd "$WORK/peers" && npm ci --no-audit --no-fund --omit-lockfile-registry-resolved --loglevel=error >/dev/null)

dotnet publish "$ROOT/src/PlatformBot.Host" -c Release -o "$WORK/shipped" --nologo -v q >/dev/null
dotnet publish "$ROOT/src/PlatformBot.Host" -c Release -o "$WORK/jit" -p:PublishReadyToRun=false --nologo -v q >/dev/null

(cd "$WORK/peers" && exec taskset -c 0 node fake-upstream.js --port "$UPSTREAM_PORT" > "$WORK/upstream.log" 2>&1) & UP=$!
PB=""
cleanup() { [ -n "$PB" ] && kill "$PB" 2>/dev/null; kill "$UP" 2>/dev/null || true; }
trap cleanup EXIT

run() { # name, build folder, environment settings...
  local name=$1 build=$2; shift 2
  local data; data=$(mktemp -d "$WORK/data.XXXXXX")
  local start; start=$(date +%s.%N)
  env "$@" Slack__SigningSecret="$SECRET" Slack__BotToken=xoxb-bench Slack__ApiBaseUrl="http://127.0.0.1:${UPSTREAM_PORT}/api/" \
    PlatformBot__DataDirectory="$data" DevChannel__Enabled=false Logging__LogLevel__Default=Warning \
    taskset -c 1 "$build/PlatformBot.Host" --urls "http://127.0.0.1:${PB_PORT}" --environment Production > "$WORK/$name.log" 2>&1 &
  PB=$!
  for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:${PB_PORT}/readyz" 2>/dev/null && break; sleep 0.02; done
  local ready; ready=$(echo "$(date +%s.%N) - $start" | bc)
  local line; line=$(cd "$WORK/peers" && taskset -c 0 node loadgen.js --mode slack-command --target "http://127.0.0.1:${PB_PORT}/slack/events" \
    --secret "$SECRET" --concurrency "$CONC" --duration "$DURATION" --warmup "$WARMUP" --pid "$PB" | tail -1)
  kill "$PB"; wait "$PB" 2>/dev/null || true; PB=""
  rm -rf "$data"
  printf '| %s | %.2f s | %s |\n' "$name" "$ready" "${line#*: }"
}

echo "| variant | start → /readyz (empty database) | /ticket load (req/s, latency, CPU) |"
echo "|---|---|---|"
run "as shipped: ReadyToRun (LiteDB excluded), quick JIT off, call counting from the start" "$WORK/shipped"
run "ReadyToRun, quick JIT off, call counting after 100 ms without new methods (.NET default)" "$WORK/shipped" DOTNET_TC_CallCountingDelayMs=100
run "ReadyToRun, quick JIT on, default call counting" "$WORK/shipped" DOTNET_TC_QuickJit=1 DOTNET_TC_CallCountingDelayMs=100
run "no ReadyToRun, quick JIT on, default call counting (.NET defaults: the build before this change)" "$WORK/jit" DOTNET_TC_QuickJit=1 DOTNET_TC_CallCountingDelayMs=100
run "no ReadyToRun, quick JIT off, call counting from the start" "$WORK/jit"
run "no ReadyToRun, tiered compilation off" "$WORK/jit" DOTNET_TieredCompilation=0
