/**
 * npm run gdpr:report -- <customer id> [--remote | --persist-to DIR] [--env staging]: everything the
 * service holds about one customer, for a person's access request (GDPR Art. 15), as JSON: the row,
 * every audit entry with the name of the consumer that made it, and the idempotency records that name
 * the customer (whose copy of the created row, kept for 24 hours, is sealed: only the Worker opens it,
 * and it holds the data of the row at its creation). docs/security.md says where else data lives (D1
 * Time Travel, logs).
 */
import { run } from "./cli";
import { customerCommand, wrangler } from "./wrangler";

const USAGE = "Usage: npm run gdpr:report -- <customer id> [--remote | --persist-to DIR] [--env staging]";

await run("gdpr:report", () => {
  const command = customerCommand(USAGE);
  if (!command) return;
  const { id, where } = command;
  const statements = [
    `SELECT * FROM customers WHERE id = ${id}`,
    `SELECT e.id AS entry, e.version AS number, e.at, e.action, e.fields, e.consumer_id, c.name AS consumer_name, e.request_id
       FROM customer_changes AS e LEFT JOIN api_consumers AS c ON c.id = e.consumer_id WHERE e.customer_id = ${id} ORDER BY e.id`,
    `SELECT k.consumer_id, c.name AS consumer_name, k.created_at, k.copy IS NOT NULL AS keeps_sealed_copy FROM idempotency_keys AS k
       LEFT JOIN api_consumers AS c ON c.id = k.consumer_id WHERE k.customer_id = ${id} ORDER BY k.created_at`,
  ];
  const [customer, entries, records] = (
    JSON.parse(wrangler(["d1", "execute", "DB", ...where, "--json", "--command", statements.join(";\n")])) as {
      results: Record<string, unknown>[];
    }[]
  ).map((result) => result.results);
  const report = {
    customer_id: id,
    generated_at: new Date().toISOString(),
    customer: customer![0] ?? null,
    audit_entries: entries!.map((entry) => ({ ...entry, fields: JSON.parse(entry.fields as string) })),
    idempotency_records: records!.map((record) => ({ ...record, keeps_sealed_copy: Boolean(record.keeps_sealed_copy) })),
  };
  console.log(JSON.stringify(report, null, 2));
});
