/**
 * npm run audit -- <customer id> [--remote | --persist-to DIR] [--env staging]: the customer's audit trail, oldest
 * first, for operators. It works for an erased customer too (the trail keeps ids, times, actions and
 * field names, never values), which the API does not show (docs/deploy.md, recovery).
 */
import { run } from "./cli";
import { customerCommand, query } from "./wrangler";

const USAGE = "Usage: npm run audit -- <customer id> [--remote | --persist-to DIR] [--env staging]";

await run("audit", () => {
  const command = customerCommand(USAGE);
  if (!command) return;
  const { id, where } = command;
  const rows = query<Record<string, unknown>>(
    `SELECT id, version AS number, at, action, consumer_id, request_id, fields FROM customer_changes WHERE customer_id = ${id} ORDER BY id`,
    where,
  );
  if (rows.length === 0) console.log(`No audit entries for customer ${id}.`);
  else console.table(rows);
});
