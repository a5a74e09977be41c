#!/usr/bin/env bash
# npm run dev: a local D1 with every migration (and, when the database is new, the demo data), then
# `wrangler dev` on $PORT (8787). PERSIST_TO=<dir> keeps this instance's local database there instead
# of .wrangler/state. `npm run db:reset` deletes the local database, so that the next start is fresh.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
# Miniflare fetches a sample Request.cf object once a month and warns, with a stack trace, when it is
# offline: give it a placeholder in its cache instead (the Worker reads nothing from Request.cf).
export MINIFLARE_CACHE_DIR=.wrangler/cache
mkdir -p "$MINIFLARE_CACHE_DIR"
if [ -z "$(find "$MINIFLARE_CACHE_DIR/cf.json" -mtime -25 2>/dev/null)" ]; then
  echo '{"colo":"HEL","country":"FI","city":"Helsinki","timezone":"Europe/Helsinki","clientAcceptEncoding":"gzip, deflate, br"}' >"$MINIFLARE_CACHE_DIR/cf.json"
fi
# The secret that seals cursors (wrangler.toml [secrets]): a random one of this checkout's own.
if ! grep -qs '^CURSOR_SECRET=' .dev.vars; then
  echo "CURSOR_SECRET=\"$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')\"" >>.dev.vars
fi
port="${PORT:-8787}"
persist=()
[ -n "${PERSIST_TO:-}" ] && persist=(--persist-to "$PERSIST_TO")
d1_dir="${PERSIST_TO:-.wrangler/state}/v3/d1"

new_database=1
compgen -G "$d1_dir/*/*.sqlite" >/dev/null && new_database=0
npx wrangler d1 migrations apply DB --local "${persist[@]}"
if [ $new_database = 1 ]; then
  mkdir -p .wrangler
  npx tsx scripts/demo-data.ts .wrangler/demo-data.sql
  npx wrangler d1 execute DB --local "${persist[@]}" --file .wrangler/demo-data.sql >/dev/null
  echo "Demo data loaded: customers 1-500."
else
  echo "Using the existing local database (npm run db:reset starts afresh with the demo data)."
fi

consumer_flags=""
[ -n "${PERSIST_TO:-}" ] && consumer_flags=" --persist-to $PERSIST_TO"
cat <<EOT

  Customer API on http://127.0.0.1:${port}/api/v2/
  Get a key (in another terminal; the key is the last line):
    npm run consumer -- create --name "me" --scopes customers:read,customers:write --gdpr normal${consumer_flags}

EOT
# One line per request: the Worker's own JSON access log; wrangler's copy of it is left out.
npx wrangler dev --port "$port" --ip 127.0.0.1 "${persist[@]}" 2>&1 |
  grep --line-buffered -vE '^\[wrangler:info\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) .* \([0-9.]+ms\)$'
