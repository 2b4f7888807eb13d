#!/usr/bin/env bash
# Teams message throughput: PlatformBot's /api/messages beside botbuilder 4.23.3 (CloudAdapter and the legacy
# BotFrameworkAdapter), in ONE run of the shared peer harness (../shared/bench/peers, README "Compare against another
# target"), so the ratios come from the same machine state. Each request is a Teams message activity whose answer must
# reach the fake connector (counted there).
#
#   scripts/bench-teams.sh            # CONC=32 DURATION=10 WARMUP=2 by default; results in $OUT (default /tmp/...)
#
# PlatformBot runs as a Release build in Production with Teams authentication off (Teams:AllowUnauthenticated=true, no
# app id: the peers run without one too), a fresh data folder, on 127.0.0.1 and on the harness's server CPU.
# Everything started here is stopped by PID on exit. The harness is copied to a temporary folder; nothing is written
# into ../shared.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers_src="${PEERS:-$root/../shared/bench/peers}"
[[ -d "$peers_src" ]] || { echo "no peer harness at $peers_src (set PEERS=...)" >&2; exit 2; }
export CONC="${CONC:-32}" DURATION="${DURATION:-10}" WARMUP="${WARMUP:-2}"
PB_PORT="${PB_PORT:-39190}"
work="$(mktemp -d)"
OUT="${OUT:-/tmp/platformbot-bench/teams-$(date -u +%Y%m%dT%H%M%SZ)}"
pb=""
cleanup() {
  if [[ -n "$pb" ]]; then kill "$pb" 2>/dev/null || true; wait "$pb" 2>/dev/null || true; fi
  rm -rf "$work" # the harness copy (with its node_modules), the build and the data; results are in $OUT
}
trap cleanup EXIT

if ss -Hltn "sport = :$PB_PORT" 2>/dev/null | grep -q .; then
  echo "port $PB_PORT is taken; set PB_PORT" >&2; exit 3
fi

mkdir -p "$OUT"
cp -r "$peers_src" "$work/peers"
chmod -R u+w "$work/peers"
(cd "$work/peers" && npm ci --no-audit --no-fund --omit-lockfile-registry-resolved --loglevel=error >/dev/null)

dotnet publish "$root/src/PlatformBot.Host" -c Release -o "$work/pb" --nologo -v quiet >/dev/null
pin=()
if command -v taskset >/dev/null && [[ "$(nproc)" -ge 2 ]]; then pin=(taskset -c 1); fi
ASPNETCORE_ENVIRONMENT=Production Teams__AllowUnauthenticated=true PlatformBot__DataDirectory="$work/data" \
  "${pin[@]}" dotnet "$work/pb/PlatformBot.Host.dll" --urls "http://127.0.0.1:$PB_PORT" > "$OUT/platformbot.log" 2>&1 &
pb=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$PB_PORT/healthz" 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null "http://127.0.0.1:$PB_PORT/healthz"
sleep 2 # settle before the idle-RSS reading, as the harness does for its peers

(cd "$work/peers" && SCENARIOS=teams TEAMS_ADAPTERS="${TEAMS_ADAPTERS:-cloud legacy}" OUT="$OUT" \
  EXTRA_TEAMS_URL="http://127.0.0.1:$PB_PORT/api/messages" EXTRA_TEAMS_PID="$pb" EXTRA_TEAMS_NAME=platformbot \
  bash run-all.sh)
# Where PlatformBot's time went: the router's (the feature's) share of each /api/messages request, from its own metrics.
curl -fsS "http://127.0.0.1:$PB_PORT/metrics" | grep -E '^(platformbot_request_duration_milliseconds|http_server_request_duration_seconds)_(sum|count)' \
  | grep -E 'kind=|/api/messages' > "$OUT/platformbot-metrics.txt" || true
awk -F'[ {}]' '
  /platformbot_request_duration_milliseconds_sum/ { match($0, /kind="[^"]*"/); k = substr($0, RSTART + 6, RLENGTH - 7); rs[k] = $NF }
  /platformbot_request_duration_milliseconds_count/ { match($0, /kind="[^"]*"/); k = substr($0, RSTART + 6, RLENGTH - 7); rc[k] = $NF }
  /http_server_request_duration_seconds_sum/ { hs += $NF } /http_server_request_duration_seconds_count/ { hc += $NF }
  END {
    if (hc > 0) printf "PlatformBot /api/messages: %d requests, mean %.1f ms in the server\n", hc, 1000 * hs / hc
    for (k in rs) if (rc[k] > 0) printf "  router %s: %d, mean %.1f ms\n", k, rc[k], rs[k] / rc[k]
  }' "$OUT/platformbot-metrics.txt" | tee "$OUT/platformbot-breakdown.txt"
echo "PlatformBot log and results: $OUT"
