import { and, eq, getTableColumns, inArray, ne, type SQL, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Consumer } from "../auth/consumer";
import type { CustomerChanges, WritableField } from "../customers/fields";
import type { Db } from "./client";
import { doesNotExist } from "../validation/fields";
import { type FieldErrors, NON_FIELD_ERRORS } from "../validation/errors";
import { failedCheck, isConstraintError } from "./errors";
import { type Customer, customerChanges, customers, restrictedTypes } from "./schema";

const columns = getTableColumns(customers);

/** Each foreign-key column of customers and the table it points to, read from the Drizzle schema. */
export const REFERENCES = new Map<string, SQLiteTable>(
  getTableConfig(customers).foreignKeys.map((fk) => {
    const { columns: [column], foreignTable } = fk.reference();
    return [column!.name, foreignTable];
  }),
);

const param = (column: SQLiteColumn, value: unknown) => sql.param(value, column);

/** A customer at protection level `extended` exists only for consumers with GDPR access `extended`. */
function visibleTo(consumer: Consumer): SQL | undefined {
  if (consumer.gdprAccess === "extended") return undefined;
  return sql`(${customers.restricted_type} IS NULL OR ${customers.restricted_type} IN (SELECT ${restrictedTypes.id} FROM ${restrictedTypes} WHERE ${restrictedTypes.protection_level} = 'normal'))`;
}

const levelOf = (restrictedType: number) =>
  sql<string | null>`(SELECT ${restrictedTypes.protection_level} FROM ${restrictedTypes} WHERE ${restrictedTypes.id} = ${restrictedType})`;

export type IfMatch = "*" | number[] | undefined;

function versionMatches(ifMatch: IfMatch): SQL | undefined {
  if (ifMatch === undefined || ifMatch === "*") return undefined;
  return ifMatch.length ? inArray(customers.version, ifMatch) : sql`0`;
}

export type UpdateRequest = {
  id: number;
  changes: CustomerChanges;
  consumer: Consumer;
  requestId: string;
  ifMatch: IfMatch;
};

export type UpdateOutcome =
  | { status: "updated"; customer: Customer; changedFields: WritableField[] }
  | { status: "unchanged"; customer: Customer }
  | { status: "not_found" }
  | { status: "restricted_type_forbidden" }
  | { status: "precondition_failed" }
  | { status: "invalid"; errors: FieldErrors };

/**
 * Applies a partial update in the database itself, in one round trip: a single batch (atomic) of the
 * audit row and `UPDATE … SET <given columns> … RETURNING`, both guarded by the same condition (the
 * customer is visible, If-Match holds, a value really changes). Nothing is read into the Worker first,
 * so concurrent updates of different fields all survive. When nothing was updated, or a constraint
 * refused the change, one more round trip finds out why.
 */
export async function updateCustomer(db: Db, request: UpdateRequest): Promise<UpdateOutcome> {
  const { id, changes, consumer, requestId, ifMatch } = request;
  const given = (Object.keys(changes) as WritableField[]).filter((field) => changes[field] !== undefined);
  if (given.length === 0) return explainNoUpdate(db, request);

  const differs = (field: WritableField) => sql`${columns[field]} IS NOT ${param(columns[field], changes[field])}`;
  const condition = and(
    eq(customers.id, id),
    visibleTo(consumer),
    versionMatches(ifMatch),
    // Only a consumer with access `extended` may give a customer the protection level `extended`.
    changes.restricted_type && consumer.gdprAccess !== "extended"
      ? sql`${levelOf(changes.restricted_type)} IS NOT 'extended'`
      : undefined,
    sql`(${sql.join(given.map(differs), sql` OR `)})`,
  );
  // The names of the fields whose value changes, as a JSON array; computed before the update.
  const changedFields = sql`(SELECT json_group_array(value) FROM json_each(json_array(${sql.join(
    given.map((field) => sql`CASE WHEN ${differs(field)} THEN ${sql.raw(`'${field}'`)} END`),
    sql`, `,
  )})) WHERE value IS NOT NULL)`;
  const now = new Date().toISOString();

  const audit = db
    .insert(customerChanges)
    .select(
      db
        .select({
          id: sql`NULL`.as("id"),
          customer_id: customers.id,
          consumer_id: sql`${consumer.id}`.as("consumer_id"),
          request_id: sql`${requestId}`.as("request_id"),
          at: sql`${now}`.as("at"),
          action: sql`'update'`.as("action"),
          fields: changedFields.as("fields"),
        })
        .from(customers)
        .where(condition),
    )
    .returning({ fields: customerChanges.fields });
  const update = db
    .update(customers)
    .set({ ...changes, modified: now, version: sql`${customers.version} + 1` })
    .where(condition)
    .returning();

  try {
    const [audited, [customer]] = await db.batch([audit, update]);
    if (!customer) return explainNoUpdate(db, request);
    return { status: "updated", customer, changedFields: JSON.parse(audited[0]!.fields) };
  } catch (error) {
    if (!isConstraintError(error)) throw error;
    const errors = await findInvalidReferences(db, id, changes);
    if (Object.keys(errors).length) return { status: "invalid", errors };
    // Else the CHECK on the merged record refused it: a rule across two fields.
    if (failedCheck(error) === "customers_cooperative_dates") {
      return { status: "invalid", errors: { [NON_FIELD_ERRORS]: [COOPERATIVE_DATES] } };
    }
    throw error;
  }
}

/** Why no row was updated: hidden or missing, a forbidden protection level, a stale ETag, or no change. */
async function explainNoUpdate(db: Db, { id, changes, consumer, ifMatch }: UpdateRequest): Promise<UpdateOutcome> {
  const visible = visibleTo(consumer) ?? sql`1`;
  const [row] = await db
    .select({
      customer: customers,
      visible: sql<number>`${visible}`,
      newLevel: changes.restricted_type ? levelOf(changes.restricted_type) : sql<null>`NULL`,
    })
    .from(customers)
    .where(eq(customers.id, id));
  if (!row?.visible) return { status: "not_found" };
  if (row.newLevel === "extended" && consumer.gdprAccess !== "extended") return { status: "restricted_type_forbidden" };
  if (Array.isArray(ifMatch) && !ifMatch.includes(row.customer.version)) return { status: "precondition_failed" };
  return { status: "unchanged", customer: row.customer };
}

export const CUSTOMER_NUMBER_TAKEN = "Customer with this customer number already exists.";
export const COOPERATIVE_DATES = "cooperative_reimbursement_date may not be before cooperative_date.";

/**
 * The field errors that only the database can tell: references to rows that do not exist and a
 * customer number another customer has. One query, whatever the number of fields.
 */
export async function findInvalidReferences(db: Db, id: number, values: CustomerChanges) {
  const checks: [WritableField, SQL][] = [];
  for (const [field, table] of REFERENCES) {
    const value = values[field as WritableField];
    if (typeof value === "number") {
      const { id: key } = getTableColumns(table) as { id: SQLiteColumn };
      checks.push([field as WritableField, sql`NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} = ${value})`]);
    }
  }
  if (typeof values.customer_number === "string") {
    const taken = db
      .select({ one: sql`1` })
      .from(customers)
      .where(and(eq(customers.customer_number, values.customer_number), ne(customers.id, id)));
    checks.push(["customer_number", sql`EXISTS ${taken}`]); // Drizzle adds the parentheses
  }
  const errors: FieldErrors = {};
  if (checks.length === 0) return errors;

  const found = await db.get<Record<string, number>>(
    sql`SELECT ${sql.join(
      checks.map(([field, check]) => sql`${check} AS ${sql.identifier(field)}`),
      sql`, `,
    )}`,
  );
  for (const [field] of checks) {
    if (found[field]) errors[field] = [field === "customer_number" ? CUSTOMER_NUMBER_TAKEN : doesNotExist(values[field] as number)];
  }
  return errors;
}
