import { and, eq, Placeholder, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditRow, givenFields } from "./audit";
import type { Db } from "./client";
import { latestChange } from "./exports";
import { explainConstraintFailure, type StoredDataProblem } from "./problems";
import { columns, decodeCustomer } from "./rows";
import { type Customer, type CustomerChanges, customerChanges, customers, type WritableField } from "./schema";
import { StatementCache } from "./statement-cache";
import { type IfMatch, type IfMatchKind, ifMatchKind, versionMatches } from "./versions";
import { levelOf, type Viewer, visibleTo } from "./visibility";

export type UpdateRequest = {
  id: number;
  changes: CustomerChanges;
  viewer: Viewer;
  requestId: string;
  ifMatch: IfMatch;
};

export type UpdateOutcome =
  | { status: "updated"; customer: Customer; changedFields: WritableField[] }
  | { status: "unchanged"; customer: Customer }
  | { status: "not_found" }
  | { status: "restricted_type_forbidden" }
  | { status: "precondition_failed" }
  | { status: "invalid"; problems: StoredDataProblem[] };

/** What the SQL of an update depends on, and nothing else; the values are bound separately. */
type UpdateShape = {
  given: WritableField[];
  seesHidden: boolean;
  ifMatch: IfMatchKind;
  /** The update gives a restricted type, and the viewer may not assign level `extended`. */
  checksLevel: boolean;
};

type Statement = { sql: string; params: unknown[] };

// Builds SQL without a database.
const builder = drizzle({} as D1Database);

function compileUpdate({ given, seesHidden, ifMatch, checksLevel }: UpdateShape): [audit: Statement, update: Statement] {
  const value = (field: string) => sql`${sql.placeholder(field)}`;
  const differs = (field: WritableField) => sql`${columns[field]} IS NOT ${value(field)}`;
  const condition = and(
    eq(customers.id, sql.placeholder("$id")),
    visibleTo({ seesHidden }),
    versionMatches(ifMatch, sql.placeholder("$versions")),
    // Only a viewer that sees hidden customers may give one the protection level `extended`.
    checksLevel ? sql`${levelOf(sql.placeholder("restricted_type"))} IS NOT 'extended'` : undefined,
    sql`(${sql.join(given.map(differs), sql` OR `)})`,
  );
  // The names of the fields whose value changes, as a JSON array; computed before the update.
  const changedFields = sql`(SELECT json_group_array(value) FROM json_each(json_array(${sql.join(
    given.map((field) => sql`CASE WHEN ${differs(field)} THEN ${sql.raw(`'${field}'`)} END`),
    sql`, `,
  )})) WHERE value IS NOT NULL)`;
  const audit = auditRow(
    builder,
    {
      consumer: sql.placeholder("$consumer"),
      requestId: sql.placeholder("$request"),
      at: sql.placeholder("$now"),
      action: "update",
      fields: changedFields,
      restrictedTypeAfter: given.includes("restricted_type") ? sql.placeholder("restricted_type") : undefined,
    },
    condition,
  ).returning({ fields: customerChanges.fields });
  const update = builder
    .update(customers)
    .set({
      ...Object.fromEntries(given.map((field) => [field, value(field)])),
      modified: value("$now"),
      version: sql`${customers.version} + 1`,
      seq: latestChange,
    })
    .where(condition)
    .returning();
  return [audit.toSQL(), update.toSQL()];
}

const updates = new StatementCache(compileUpdate);

const bind = (d1: D1Database, { sql: text, params }: Statement, values: Record<string, unknown>) =>
  d1.prepare(text).bind(...params.map((param) => (param instanceof Placeholder ? values[param.name] : param)));

/**
 * Applies a partial update in the database itself, in one round trip: a single batch (atomic) of the
 * audit row and `UPDATE … SET <given columns> … RETURNING`, both guarded by the same condition (the
 * customer is visible, If-Match holds, a value really changes). Nothing is read into the Worker first,
 * so concurrent updates of different fields all survive. When nothing was updated, or a constraint
 * refused the change, one more round trip finds out why.
 */
export async function updateCustomer(db: Db, request: UpdateRequest): Promise<UpdateOutcome> {
  const { id, changes, viewer, requestId, ifMatch } = request;
  const given = givenFields(changes);
  if (given.length === 0) return explainNoUpdate(db, request);

  const [audit, update] = updates.get({
    given,
    seesHidden: viewer.seesHidden,
    ifMatch: ifMatchKind(ifMatch),
    checksLevel: Boolean(changes.restricted_type) && !viewer.seesHidden,
  });
  const values: Record<string, unknown> = {
    $id: id,
    $consumer: viewer.consumerId,
    $request: requestId,
    $now: new Date().toISOString(),
    $versions: JSON.stringify(ifMatch),
  };
  for (const field of given) {
    const value = changes[field];
    values[field] = value === null ? null : columns[field].mapToDriverValue(value);
  }

  try {
    const d1 = db.$client;
    const [audited, updated] = await d1.batch<Record<string, unknown>>([bind(d1, audit, values), bind(d1, update, values)]);
    const row = updated?.results[0];
    if (!row) return explainNoUpdate(db, request);
    return { status: "updated", customer: decodeCustomer(row), changedFields: JSON.parse(audited!.results[0]!.fields as string) };
  } catch (error) {
    const problems = await explainConstraintFailure(db, { id, viewer }, changes, error);
    if (problems) return { status: "invalid", problems };
    throw error;
  }
}

/** Why no row was updated: hidden or missing, a forbidden protection level, a stale ETag, or no change. */
async function explainNoUpdate(db: Db, { id, changes, viewer, ifMatch }: UpdateRequest): Promise<UpdateOutcome> {
  const visible = visibleTo(viewer);
  const [row] = await db
    .select({
      customer: customers,
      visible: sql<number>`${visible}`,
      newLevel: changes.restricted_type ? levelOf(changes.restricted_type) : sql<null>`NULL`,
    })
    .from(customers)
    .where(eq(customers.id, id));
  if (!row?.visible) return { status: "not_found" };
  if (row.newLevel === "extended" && !viewer.seesHidden) return { status: "restricted_type_forbidden" };
  if (Array.isArray(ifMatch) && !ifMatch.includes(row.customer.version)) return { status: "precondition_failed" };
  return { status: "unchanged", customer: row.customer };
}
