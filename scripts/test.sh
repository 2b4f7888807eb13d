#!/usr/bin/env bash
# Runs the whole test suite. With --ci, first installs Chromium (Debian) and Node tools for the end-to-end tests and
# makes a skipped end-to-end test a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--ci" ]]; then
  export PLATFORMBOT_REQUIRE_E2E=1
  ./scripts/install-e2e-deps.sh
fi

# The server's own time zone must never change what the bot does, so the suite runs away from UTC (with daylight saving
# time) unless TZ is set: stored dates read back in local time, say, show up here and not on a UTC laptop.
export TZ="${TZ:-Europe/Berlin}"

dotnet test PlatformBot.sln --logger "console;verbosity=normal" 2>&1 | tee /tmp/platformbot-test.log
status=${PIPESTATUS[0]}
if [[ $status -ne 0 ]]; then
  exit $status
fi
if [[ "${PLATFORMBOT_REQUIRE_E2E:-}" == "1" ]] && grep -qE '^\s*Skipped ' /tmp/platformbot-test.log; then
  echo "CI: end-to-end tests were skipped; CI installs Chromium and Node, so a skip is a failure:" >&2
  grep -E '^\s*Skipped ' /tmp/platformbot-test.log >&2
  exit 1
fi
