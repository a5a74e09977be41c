/**
 * npm run audit -- <customer id> [--remote | --persist-to DIR]: the customer's audit trail, oldest
 * first, for operators. It works for an erased customer too (the trail keeps ids, times, actions and
 * field names, never values), which the API does not show (docs/deploy.md, recovery).
 */
import { parseArgs } from "node:util";
import { query, target } from "./wrangler";

const USAGE = "Usage: npm run audit -- <customer id> [--remote [--env staging] | --persist-to DIR]";

function fail(message: string): never {
  console.error(`audit: ${message}`);
  process.exit(2);
}

let args: ReturnType<
  typeof parseArgs<{
    allowPositionals: true;
    options: {
      remote: { type: "boolean" };
      env: { type: "string" };
      "persist-to": { type: "string" };
      help: { type: "boolean"; short: "h" };
    };
  }>
>;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      remote: { type: "boolean" },
      env: { type: "string" },
      "persist-to": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (error) {
  fail(`${(error as Error).message.split("\n")[0]} (${USAGE})`);
}
const { positionals, values } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const id = Number(positionals[0]);
if (positionals.length !== 1 || !Number.isSafeInteger(id) || id < 1) fail(USAGE);

const rows = query<Record<string, unknown>>(
  `SELECT id, at, action, consumer_id, request_id, fields FROM customer_changes WHERE customer_id = ${id} ORDER BY id`,
  target(values),
);
if (rows.length === 0) console.log(`No audit entries for customer ${id}.`);
else console.table(rows);
