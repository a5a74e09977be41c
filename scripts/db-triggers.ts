/**
 * npm run db:triggers [-- --name <migration name>]: a new migration (drizzle-kit's custom migration)
 * that (re)creates every SQL trigger from its source, src/db/triggers.ts, and recomputes the counters
 * they keep. Run it after changing a trigger, or when test/schema.test.ts reports a trigger missing or
 * changed (a drizzle-kit table rebuild drops the table's triggers).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { RECOUNT, TRIGGERS } from "../src/db/triggers";
import { root } from "./dev-server";

const { values } = parseArgs({ options: { name: { type: "string", default: "triggers" } } });
const migrations = path.join(root, "migrations");
const before = new Set(readdirSync(migrations));
execFileSync("npx", ["drizzle-kit", "generate", "--custom", "--name", values.name], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
const file = readdirSync(migrations).find((name) => name.endsWith(".sql") && !before.has(name));
if (!file) throw new Error("drizzle-kit made no migration file");

const statements = [...Object.entries(TRIGGERS).flatMap(([name, create]) => [`DROP TRIGGER IF EXISTS "${name}"`, create]), ...RECOUNT];
// A migration must not end in a comment line (readD1Migrations), so the comment comes first.
writeFileSync(
  path.join(migrations, file),
  `-- Written by npm run db:triggers from src/db/triggers.ts: every trigger, and the counters they keep.\n${statements.join(";--> statement-breakpoint\n")};\n`,
);
console.log(`Wrote migrations/${file}: ${Object.keys(TRIGGERS).length} triggers and the counters they keep.`);
