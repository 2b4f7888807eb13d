#!/usr/bin/env bash
# Microsoft 365 Agents Playground, pinned in tools/playground, for the Teams end-to-end test and for trying the bot by hand.
#
#   scripts/agents-playground.sh install
#       npm ci into tools/playground (idempotent; the version is pinned in package.json and package-lock.json).
#   scripts/agents-playground.sh start [--app-endpoint URL] [--port N]
#       runs it in the foreground (exec: its PID is this script's), offline and on this machine only:
#       telemetry off (APPLICATION_INSIGHTS_NO_STATSBEAT=true as well as --disable-telemetry, which alone still dials out),
#       no browser opened, and tools/playground/loopback-guard.js preloaded, which makes it listen on 127.0.0.1 and refuses
#       any connection or DNS lookup that is not loopback. Default endpoint http://127.0.0.1:5080/api/messages, port 56150.
#       It prints "Listening on <port>" when ready (a busy port makes it pick another one).
#
# The bot must run with Teams authentication off (Teams:AppId empty, the Development environment): the playground sends
# no token. Then open http://127.0.0.1:<port>/ in a browser.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/tools/playground"
cli="$dir/node_modules/@microsoft/m365agentsplayground/cli.js"

install() {
  if [[ -f "$cli" ]] && grep -q '"version": "0.2.28"' "$dir/node_modules/@microsoft/m365agentsplayground/package.json"; then
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

case "${1:-}" in
  install)
    install
    ;;
  start)
    shift
    endpoint="http://127.0.0.1:5080/api/messages"
    port=56150
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --app-endpoint) endpoint="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
      esac
    done
    install
    run="${PLAYGROUND_RUN_DIR:-$(mktemp -d)}"
    cd "$run"
    export APPLICATION_INSIGHTS_NO_STATSBEAT=true TEAMSAPPTESTER_BROWSER=none
    export NODE_OPTIONS="--require $dir/loopback-guard.js"
    exec node "$cli" start --app-endpoint "$endpoint" --channel-id msteams --port "$port" --disable-telemetry
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
