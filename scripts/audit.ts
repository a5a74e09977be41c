/**
 * npm run audit -- <customer id> [--remote | --persist-to DIR]: the customer's audit trail, oldest
 * first, for operators. It works for an erased customer too (the trail keeps ids, times, actions and
 * field names, never values), which the API does not show (docs/deploy.md, recovery).
 */
import { parseArgs } from "node:util";
import { CommandError, run } from "./cli";
import { query, target } from "./wrangler";

const USAGE = "Usage: npm run audit -- <customer id> [--remote [--env staging] | --persist-to DIR]";

await run("audit", () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      remote: { type: "boolean" },
      env: { type: "string" },
      "persist-to": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return console.log(USAGE);
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isSafeInteger(id) || id < 1) throw new CommandError(USAGE);
  const rows = query<Record<string, unknown>>(
    `SELECT id, version AS number, at, action, consumer_id, request_id, fields FROM customer_changes WHERE customer_id = ${id} ORDER BY id`,
    target(values),
  );
  if (rows.length === 0) console.log(`No audit entries for customer ${id}.`);
  else console.table(rows);
});
