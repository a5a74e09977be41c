/**
 * npm run purge [-- --remote | --persist-to DIR] [--env staging]: one run of the retention purge that
 * the Cron Trigger makes every 10 minutes, now, with the same statements (src/db/retention.ts) and the
 * settings of wrangler.toml (AUDIT_RETENTION_DAYS, PURGE_BATCH_SIZE). For the local database of
 * `npm run dev`, where the scheduled handler does not run by itself, or to catch up after an outage.
 */
import { parseArgs } from "node:util";
import { unstable_readConfig } from "wrangler";
import { compile } from "../src/db/engine/compile";
import { purgeStatements } from "../src/db/retention";
import { run } from "./cli";
import { literal, TARGET_OPTIONS, target, wrangler } from "./wrangler";

const USAGE = "Usage: npm run purge -- [--remote | --persist-to DIR] [--env staging]";

await run("purge", () => {
  const { values } = parseArgs({ options: TARGET_OPTIONS });
  if (values.help) return console.log(USAGE);
  const where = target(values);
  const { vars } = unstable_readConfig({ config: "wrangler.toml", env: values.env }, { hideWarnings: true });
  const settings = { now: Date.now(), auditRetentionDays: Number(vars.AUDIT_RETENTION_DAYS), limit: Number(vars.PURGE_BATCH_SIZE) };
  // wrangler d1 execute binds no parameters: each value becomes a literal.
  const statements = purgeStatements(settings).map(({ counts, query }) => {
    const { sql, params } = compile(query);
    let i = 0;
    return { counts, sql: sql.replace(/\?/g, () => (typeof params[i] === "number" ? String(params[i++]) : literal(String(params[i++])))) };
  });
  const output = JSON.parse(
    wrangler(["d1", "execute", "DB", ...where, "--json", "--command", statements.map((s) => s.sql).join(";\n")]),
  ) as {
    meta: { changes: number };
  }[];
  const deleted = statements.flatMap(({ counts }, k) => (counts ? [`${output[k]?.meta.changes ?? 0} ${counts.replace("_", " ")}`] : []));
  console.log(
    `Purged ${deleted.join(" and ")} (at most ${settings.limit} of each a run; audit entries older than ${settings.auditRetentionDays} days).`,
  );
});
