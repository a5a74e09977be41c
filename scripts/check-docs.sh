#!/usr/bin/env bash
# npm run docs:check: opens /docs in a real headless browser (Debian's chromium) with the network cut
# off but for this machine, and checks that the page renders and lists the customer operations.
# Leaves a screenshot in docs-check.png. Needs: apt-get install chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "docs:check needs chromium: apt-get install chromium" >&2; exit 2; }
port=$((8500 + RANDOM % 90))
persist=$(mktemp -d)
# Its own process group, so that the preview and its workerd stop with it.
PORT=$port PERSIST_TO=$persist LOG_FILE=/dev/null setsid npx tsx scripts/preview.ts >"$persist/preview.log" 2>&1 &
preview=$!
profile=$(mktemp -d)
trap 'kill -- -$preview 2>/dev/null; rm -rf "$persist" "$profile"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/docs" >/dev/null && break; sleep 1; done

# No route out but to 127.0.0.1: a CDN the page depended on would fail to load.
browser=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --proxy-server="127.0.0.1:9" --proxy-bypass-list="127.0.0.1"
  --virtual-time-budget=15000)
dom=$("${browser[@]}" --dump-dom "http://127.0.0.1:$port/docs" 2>/dev/null)
"${browser[@]}" --window-size=1280,1600 --screenshot=docs-check.png "http://127.0.0.1:$port/docs" >/dev/null 2>&1

status=0
for operation in "List customers" "Create a customer" "Read a customer" "Update partial customer data" \
  "Erase a customer (GDPR)" "The customer's audit trail"; do
  if grep -qF "$operation" <<<"$dom"; then echo "ok: $operation"; else echo "missing: $operation"; status=1; fi
done
[ $status = 0 ] && echo "The page renders offline and lists the customer operations (screenshot: docs-check.png)."
exit $status
