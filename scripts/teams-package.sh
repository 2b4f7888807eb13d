#!/usr/bin/env bash
# Builds the Teams app package to side-load (README: "Connect Teams"): manifests/teams/manifest.json with your bot's
# Microsoft App ID filled in (as the bot, and as the Entra app that resource-specific consent is granted to: the
# webApplicationInfo id), color.png and outline.png, zipped flat (no folder inside the zip), as Teams requires.
#
#   scripts/teams-package.sh --bot-id <Microsoft App ID> [--out artifacts/teams/platformbot-teams.zip]
#
# The bot id defaults to the environment variable Teams__AppId.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/manifests/teams"
bot_id="${Teams__AppId:-}"
out="$root/artifacts/teams/platformbot-teams.zip"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bot-id) bot_id="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown option $1 (use --bot-id <guid> [--out file.zip])" >&2; exit 2 ;;
  esac
done
if ! [[ "$bot_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "--bot-id must be the bot's Microsoft App ID (a GUID), got '${bot_id}'" >&2
  exit 2
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
placeholder="00000000-0000-0000-0000-000000000000"
sed -e "s/\"botId\": \"${placeholder}\"/\"botId\": \"${bot_id}\"/" -e "s/\"id\": \"${placeholder}\"/\"id\": \"${bot_id}\"/" "$src/manifest.json" > "$stage/manifest.json"
grep -q "\"botId\": \"${bot_id}\"" "$stage/manifest.json" || { echo "manifest.json has no placeholder botId to replace" >&2; exit 1; }
grep -q "\"id\": \"${bot_id}\"" "$stage/manifest.json" || { echo "manifest.json has no placeholder webApplicationInfo.id to replace" >&2; exit 1; }
cp "$src/color.png" "$src/outline.png" "$stage/"
mkdir -p "$(dirname "$out")"
rm -f "$out"
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && zip -q -X "$out" manifest.json color.png outline.png)
else
  (cd "$stage" && python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED); [z.write(f) for f in sys.argv[2:]]; z.close()' "$out" manifest.json color.png outline.png)
fi
echo "$out"
