/**
 * npm run db:reset: deletes the local D1 database of `npm run dev` (PERSIST_TO as it takes it), so that
 * the next `npm run dev` creates it anew, with every migration and the demo data. Keys go with it.
 * It refuses while a dev server serves that database: deleting it under the server would leave it
 * answering 503 to everything until restarted.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { fail } from "./cli";
import { d1Folder, holder, persistDir } from "./local-database";

const persist = persistDir();
const pid = holder(persist);
if (pid !== undefined)
  fail("db:reset", `npm run dev (process ${pid}) is serving this database: stop it first, then run npm run db:reset again.`);
const d1 = d1Folder(persist);
rmSync(d1, { recursive: true, force: true });
console.log(`Deleted the local database (${path.relative(process.cwd(), d1) || d1}); the next npm run dev starts with the demo data.`);
