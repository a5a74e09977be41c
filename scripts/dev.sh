#!/usr/bin/env bash
# npm run dev: a local D1 with every migration and the demo data, then `wrangler dev` on $PORT (8787).
# PERSIST_TO=<dir> keeps this instance's local database there instead of .wrangler/state.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
port="${PORT:-8787}"
persist=()
[ -n "${PERSIST_TO:-}" ] && persist=(--persist-to "$PERSIST_TO")

npx wrangler d1 migrations apply DB --local "${persist[@]}"
mkdir -p .wrangler
npx tsx scripts/demo-data.ts .wrangler/demo-data.sql
npx wrangler d1 execute DB --local "${persist[@]}" --file .wrangler/demo-data.sql >/dev/null
echo "Demo data loaded: customers 1-500."

consumer_flags=""
[ -n "${PERSIST_TO:-}" ] && consumer_flags=" --persist-to $PERSIST_TO"
cat <<EOT

  Customer API on http://127.0.0.1:${port}/api/v2/
  Get a key (in another terminal; the key is the last line):
    npm run consumer -- create --name "me" --scopes customers:read,customers:write --gdpr normal${consumer_flags}

EOT
exec npx wrangler dev --port "$port" --ip 127.0.0.1 "${persist[@]}"
