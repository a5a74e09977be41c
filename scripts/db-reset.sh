#!/usr/bin/env bash
# npm run db:reset: deletes the local D1 database of `npm run dev` (PERSIST_TO as it takes it), so that
# the next `npm run dev` creates it anew, with every migration and the demo data. Keys go with it.
set -euo pipefail
cd "$(dirname "$0")/.."
d1_dir="${PERSIST_TO:-.wrangler/state}/v3/d1"
rm -rf "$d1_dir"
echo "Deleted the local database ($d1_dir); the next npm run dev starts with the demo data."
