import type { Db } from "./client";
import { prepare, statement } from "./raw";
import { type PurgeSettings, purgeStatements } from "./retention";

/** One purge run in one atomic batch: how many records of each kind it deleted. */
export async function purge(db: Db, settings: PurgeSettings): Promise<Record<string, number>> {
  const statements = purgeStatements(settings);
  const d1 = db.$client;
  const results = await d1.batch(statements.map(({ query }) => prepare(d1, statement(query))));
  return Object.fromEntries(statements.flatMap(({ counts }, i) => (counts ? [[counts, results[i]!.meta.changes]] : [])));
}
