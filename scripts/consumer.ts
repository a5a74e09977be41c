/**
 * Manages API consumers and their keys, against the local D1 by default and the deployed
 * one with --remote:
 *   npm run consumer -- create --name "Billing" --scopes customers:read,customers:write --gdpr normal [--tier standard] [--expires 2027-12-31]
 *   npm run consumer -- --help
 *   npm run consumer -- list
 *   npm run consumer -- tier <id> standard|high|unlimited
 *   npm run consumer -- revoke <id>
 * `create` prints the new key as the last line of its output; only its SHA-256 hash is stored.
 */
import { parseArgs } from "node:util";
import { hashKey, newKey } from "../src/auth/keys";
import { RATE_TIERS } from "../src/db/schema";
import { fail, run } from "./cli";
import { literal, query, TARGET_OPTIONS, target } from "./wrangler";

const SCOPES = ["customers:read", "customers:write"];
const GDPR_LEVELS = ["none", "normal", "extended"];

const USAGE = `Usage: npm run consumer -- <command> [options]

  create --name "<name>" --scopes customers:read,customers:write --gdpr none|normal|extended
         [--tier standard|high|unlimited] [--expires YYYY-MM-DD]
                       a new consumer and its key (the key is the last line, shown only now);
                       --expires: the key works through that day (UTC)
  list                 every consumer (never a key)
  tier <id> <tier>     a consumer's rate tier
  revoke <id>          stops a consumer's key (within 30 seconds in running Workers)

Options for every command: --remote (the deployed database, else the local one of npm run dev),
--env staging (that environment's database, deployed or local), --persist-to DIR (a local one
elsewhere), --help.`;

function parsed() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        name: { type: "string" },
        scopes: { type: "string" },
        gdpr: { type: "string" },
        expires: { type: "string" },
        tier: { type: "string" },
        ...TARGET_OPTIONS,
      },
    });
  } catch (error) {
    // Unknown or malformed options: one line, not a stack trace.
    fail("consumer", `${(error as Error).message.split("\n")[0]} (see --help)`);
  }
}
const { positionals, values } = parsed();
if (values.help || positionals[0] === "help") {
  console.log(USAGE);
  process.exit(0);
}
const refuse = (message: string): never => fail("consumer", message);

async function create() {
  const name = values.name?.trim() || refuse('create needs --name "<name>"');
  const scopes = (values.scopes ?? refuse("create needs --scopes customers:read,customers:write")).split(",").map((s) => s.trim());
  for (const scope of scopes) if (!SCOPES.includes(scope)) refuse(`unknown scope "${scope}" (use ${SCOPES.join(", ")})`);
  const gdpr = values.gdpr ?? refuse("create needs --gdpr none|normal|extended");
  if (!GDPR_LEVELS.includes(gdpr)) refuse(`--gdpr must be one of ${GDPR_LEVELS.join(", ")}`);
  const tier = checkedTier(values.tier ?? "standard");
  const expires = values.expires === undefined ? null : endOfDay(values.expires);

  const key = newKey();
  const [row] = query<{ id: number }>(
    `INSERT INTO api_consumers (name, scopes, gdpr_access, key_hash, expires_at, rate_tier)
     VALUES (${literal(name)}, ${literal(scopes.join(" "))}, ${literal(gdpr)}, ${literal(await hashKey(key))}, ${literal(expires?.toISOString() ?? null)}, ${literal(tier)})
     RETURNING id`,
    where,
  );
  const until = expires ? `; expires after ${expires.toISOString()}` : "";
  console.log(`Created consumer ${row!.id} "${name}" (scopes: ${scopes.join(", ")}; GDPR access: ${gdpr}; rate tier: ${tier}${until}).`);
  console.log("The key is shown only now. Send it as `Authorization: Token <key>`:");
  console.log(key);
}

/** --expires YYYY-MM-DD: the key works through that whole day, UTC. A day already over is refused. */
function endOfDay(day: string): Date {
  const end = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T23:59:59.999Z`) : new Date(Number.NaN);
  if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== day) refuse("--expires must be a date, e.g. 2027-12-31");
  if (end.getTime() <= Date.now()) refuse(`--expires ${day} is over: the key would never work`);
  return end;
}

function list() {
  const rows = query<Record<string, unknown>>(
    "SELECT id, name, scopes, gdpr_access, rate_tier, created_at, expires_at, revoked_at FROM api_consumers ORDER BY id",
    where,
  );
  console.table(rows);
}

function checkedTier(tier: string): string {
  if (!(RATE_TIERS as readonly string[]).includes(tier)) refuse(`the rate tier must be one of ${RATE_TIERS.join(", ")}`);
  return tier;
}

function consumerId(): number {
  const id = Number(positionals[1]);
  if (!Number.isSafeInteger(id) || id < 1) refuse(`${positionals[0]} needs the consumer's id`);
  return id;
}

function tier() {
  const id = consumerId();
  const tier = checkedTier(positionals[2] ?? "");
  const rows = query<{ id: number }>(`UPDATE api_consumers SET rate_tier = ${literal(tier)} WHERE id = ${id} RETURNING id`, where);
  if (rows.length === 0) refuse(`no consumer ${id}`);
  console.log(`Consumer ${id} now has the rate tier ${tier}; running Workers apply it within 30 seconds.`);
}

function revoke() {
  const id = consumerId();
  const rows = query<{ id: number }>(
    `UPDATE api_consumers SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ${id} AND revoked_at IS NULL RETURNING id`,
    where,
  );
  if (rows.length === 0) refuse(`no active consumer ${id}`);
  console.log(`Revoked consumer ${id}; running Workers stop accepting its key within 30 seconds.`);
}

const commands: Record<string, () => unknown> = { create, list, tier, revoke };
const command =
  commands[positionals[0] ?? ""] ?? refuse(`unknown command "${positionals[0] ?? ""}" (use create, list, tier or revoke; see --help)`);
let where: string[] = [];
await run("consumer", () => {
  where = target(values);
  return command();
});
