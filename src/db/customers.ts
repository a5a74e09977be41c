import { and, asc, count, desc, eq, getTableColumns, gt, gte, inArray, lt, lte, ne, Placeholder, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Consumer } from "../auth/consumer";
import { type CustomerChanges, WRITABLE_FIELDS, type WritableField } from "../customers/fields";
import type { Db } from "./client";
import { doesNotExist } from "../validation/fields";
import { type FieldErrors, NON_FIELD_ERRORS } from "../validation/errors";
import { failedCheck, isConstraintError } from "./errors";
import { type Customer, customerChanges, customers, idempotencyKeys, restrictedTypes } from "./schema";

const columns = getTableColumns(customers);

/** Each foreign-key column of customers and the table it points to, read from the Drizzle schema. */
export const REFERENCES = new Map<string, SQLiteTable>(
  getTableConfig(customers).foreignKeys.map((fk) => {
    const { columns: [column], foreignTable } = fk.reference();
    return [column!.name, foreignTable];
  }),
);

/** A customer at protection level `extended` exists only for consumers with GDPR access `extended`. */
function visibleTo(consumer: Consumer): SQL | undefined {
  if (consumer.gdprAccess === "extended") return undefined;
  return sql`(${customers.restricted_type} IS NULL OR ${customers.restricted_type} IN (SELECT ${restrictedTypes.id} FROM ${restrictedTypes} WHERE ${restrictedTypes.protection_level} = 'normal'))`;
}

const levelOf = (restrictedType: unknown) =>
  sql<string | null>`(SELECT ${restrictedTypes.protection_level} FROM ${restrictedTypes} WHERE ${restrictedTypes.id} = ${restrictedType})`;

export type IfMatch = "*" | number[] | undefined;

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

/** What the SQL of an update depends on; the values are bound separately. */
type UpdateShape = {
  given: WritableField[];
  consumer: Consumer;
  versions: number | "any";
  checksLevel: boolean;
};

type Statement = { sql: string; params: unknown[] };

// Builds SQL without a database: Drizzle compiles each shape of update once per isolate.
const builder = drizzle({} as D1Database);
const compiledUpdates = new Map<string, [audit: Statement, update: Statement]>();
const MAX_COMPILED = 512;

function compileUpdate({ given, consumer, versions, checksLevel }: UpdateShape): [Statement, Statement] {
  const value = (field: string) => sql`${sql.placeholder(field)}`;
  const differs = (field: WritableField) => sql`${columns[field]} IS NOT ${value(field)}`;
  const condition = and(
    eq(customers.id, sql.placeholder("$id")),
    visibleTo(consumer),
    versions === "any"
      ? undefined
      : versions === 0
        ? sql`0`
        : inArray(customers.version, Array.from({ length: versions }, (_, i) => sql.placeholder(`$version${i}`))),
    // Only a consumer with access `extended` may give a customer the protection level `extended`.
    checksLevel ? sql`${levelOf(sql.placeholder("restricted_type"))} IS NOT 'extended'` : undefined,
    sql`(${sql.join(given.map(differs), sql` OR `)})`,
  );
  // The names of the fields whose value changes, as a JSON array; computed before the update.
  const changedFields = sql`(SELECT json_group_array(value) FROM json_each(json_array(${sql.join(
    given.map((field) => sql`CASE WHEN ${differs(field)} THEN ${sql.raw(`'${field}'`)} END`),
    sql`, `,
  )})) WHERE value IS NOT NULL)`;
  const audit = builder
    .insert(customerChanges)
    .select(
      builder
        .select({
          id: sql`NULL`.as("id"),
          customer_id: customers.id,
          consumer_id: sql`${sql.placeholder("$consumer")}`.as("consumer_id"),
          request_id: sql`${sql.placeholder("$request")}`.as("request_id"),
          at: sql`${sql.placeholder("$now")}`.as("at"),
          action: sql`'update'`.as("action"),
          fields: changedFields.as("fields"),
        })
        .from(customers)
        .where(condition),
    )
    .returning({ fields: customerChanges.fields });
  const update = builder
    .update(customers)
    .set({
      ...Object.fromEntries(given.map((field) => [field, value(field)])),
      modified: value("$now"),
      version: sql`${customers.version} + 1`,
    })
    .where(condition)
    .returning();
  return [audit.toSQL(), update.toSQL()];
}

function compiled(shape: UpdateShape) {
  const key = `${shape.consumer.gdprAccess === "extended"}|${shape.versions}|${shape.checksLevel}|${shape.given.join(",")}`;
  let statements = compiledUpdates.get(key);
  if (!statements) {
    if (compiledUpdates.size >= MAX_COMPILED) compiledUpdates.clear();
    statements = compileUpdate(shape);
    compiledUpdates.set(key, statements);
  }
  return statements;
}

const bind = (d1: D1Database, { sql: text, params }: Statement, values: Record<string, unknown>) =>
  d1.prepare(text).bind(...params.map((param) => (param instanceof Placeholder ? values[param.name] : param)));

const COLUMNS = Object.entries(columns);

/** The fields a body gives, in table order (which also keeps the compiled-statement cache small). */
const givenFields = (values: CustomerChanges) => WRITABLE_FIELDS.filter((field) => values[field] !== undefined);

/** A row as D1 returns it → a Customer (booleans from 0/1), with Drizzle's column mappings. */
function decodeCustomer(row: Record<string, unknown>): Customer {
  const customer: Record<string, unknown> = {};
  for (const [name, column] of COLUMNS) {
    const value = row[name];
    customer[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return customer as Customer;
}

/**
 * Applies a partial update in the database itself, in one round trip: a single batch (atomic) of the
 * audit row and `UPDATE … SET <given columns> … RETURNING`, both guarded by the same condition (the
 * customer is visible, If-Match holds, a value really changes). Nothing is read into the Worker first,
 * so concurrent updates of different fields all survive. When nothing was updated, or a constraint
 * refused the change, one more round trip finds out why.
 */
export async function updateCustomer(db: Db, request: UpdateRequest): Promise<UpdateOutcome> {
  const { id, changes, consumer, requestId, ifMatch } = request;
  const given = givenFields(changes);
  if (given.length === 0) return explainNoUpdate(db, request);

  const versions = Array.isArray(ifMatch) ? ifMatch : [];
  const [audit, update] = compiled({
    given,
    consumer,
    versions: Array.isArray(ifMatch) ? ifMatch.length : "any",
    checksLevel: Boolean(changes.restricted_type) && consumer.gdprAccess !== "extended",
  });
  const values: Record<string, unknown> = { $id: id, $consumer: consumer.id, $request: requestId, $now: new Date().toISOString() };
  for (const field of given) {
    const value = changes[field];
    values[field] = value === null ? null : columns[field].mapToDriverValue(value);
  }
  versions.forEach((version, i) => (values[`$version${i}`] = version));

  try {
    const d1 = db.$client;
    const [audited, updated] = await d1.batch<Record<string, unknown>>([bind(d1, audit, values), bind(d1, update, values)]);
    const row = updated?.results[0];
    if (!row) return explainNoUpdate(db, request);
    return { status: "updated", customer: decodeCustomer(row), changedFields: JSON.parse(audited!.results[0]!.fields as string) };
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

/** The customer, if it exists for this consumer. */
export async function findCustomer(db: Db, id: number, consumer: Consumer): Promise<Customer | undefined> {
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), visibleTo(consumer)));
  return customer;
}

export type CustomerFilters = {
  customer_number?: string | undefined;
  status?: number | undefined;
  type?: number | undefined;
  water_database?: number | undefined;
  modified__gte?: string | undefined;
  modified__lt?: string | undefined;
};

export const ORDERINGS = ["id", "-id", "modified", "-modified", "customer_number", "-customer_number"] as const;
export type Ordering = (typeof ORDERINGS)[number];

export type Page = { limit: number; offset: number };

/** A page of the customers this consumer may see, and how many there are: one round trip. */
export async function listCustomers(db: Db, consumer: Consumer, filters: CustomerFilters, orderby: Ordering, page: Page) {
  const condition = and(
    visibleTo(consumer),
    filters.customer_number === undefined ? undefined : eq(customers.customer_number, filters.customer_number),
    filters.status === undefined ? undefined : eq(customers.status, filters.status),
    filters.type === undefined ? undefined : eq(customers.type, filters.type),
    filters.water_database === undefined ? undefined : eq(customers.water_database, filters.water_database),
    filters.modified__gte === undefined ? undefined : gte(customers.modified, filters.modified__gte),
    filters.modified__lt === undefined ? undefined : lt(customers.modified, filters.modified__lt),
  );
  const column = columns[orderby.replace("-", "") as "id" | "modified" | "customer_number"];
  const direction = orderby.startsWith("-") ? desc : asc;
  const [[total], rows] = await db.batch([
    db.select({ count: count() }).from(customers).where(condition),
    db
      .select()
      .from(customers)
      .where(condition)
      // The id breaks ties, so that pages neither repeat nor skip a customer.
      .orderBy(direction(column), direction(customers.id))
      .limit(page.limit)
      .offset(page.offset),
  ]);
  return { count: total?.count ?? 0, customers: rows };
}

export type CreateRequest = {
  values: CustomerChanges & Pick<Customer, "name">;
  consumer: Consumer;
  requestId: string;
  idempotency?: { key: string; requestHash: string } | undefined;
};

export type CreateOutcome =
  | { status: "created"; customer: Customer }
  | { status: "replayed"; customer: Customer | undefined }
  | { status: "key_reused" }
  | { status: "restricted_type_forbidden" }
  | { status: "invalid"; errors: FieldErrors };

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Creates a customer with its audit row (and, with an Idempotency-Key, the key's record) in one
 * atomic batch. A key already used by this consumer within 24 hours replays the first result: the
 * customer it created, as it is now; with another body it is refused.
 */
export async function createCustomer(db: Db, request: CreateRequest): Promise<CreateOutcome> {
  const { values, consumer, requestId, idempotency } = request;
  const now = new Date().toISOString();
  const cutoff = new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString();
  if (idempotency) {
    const earlier = await findIdempotentResult(db, consumer, idempotency, cutoff);
    if (earlier) return earlier;
  }
  // Only a consumer with access `extended` may create a customer at level `extended` (a rare case).
  if (values.restricted_type && consumer.gdprAccess !== "extended") {
    const level = await db.get<{ level: string | null }>(sql`SELECT ${levelOf(values.restricted_type)} AS level`);
    if (level.level === "extended") return { status: "restricted_type_forbidden" };
  }
  const insert = db.insert(customers).values({ ...values, modified: now }).returning();
  // last_insert_rowid() is the new customer's id, then the audit row's (whose customer_id it holds).
  const audit = db.insert(customerChanges).values({
    customer_id: sql`last_insert_rowid()`,
    consumer_id: consumer.id,
    request_id: requestId,
    at: now,
    action: "create",
    fields: JSON.stringify(givenFields(values)),
  });
  try {
    if (!idempotency) {
      const [[customer]] = await db.batch([insert, audit]);
      return { status: "created", customer: customer! };
    }
    const [, [customer]] = await db.batch([
      db.delete(idempotencyKeys).where(lte(idempotencyKeys.created_at, cutoff)),
      insert,
      audit,
      db.insert(idempotencyKeys).values({
        consumer_id: consumer.id,
        key: idempotency.key,
        request_hash: idempotency.requestHash,
        customer_id: sql`(SELECT ${customerChanges.customer_id} FROM ${customerChanges} WHERE ${customerChanges.id} = last_insert_rowid())`,
        created_at: now,
      }),
    ]);
    return { status: "created", customer: customer! };
  } catch (error) {
    if (!isConstraintError(error)) throw error;
    // A concurrent request with the same key won the race: answer as its retry would be answered.
    const earlier = idempotency && (await findIdempotentResult(db, consumer, idempotency, cutoff));
    if (earlier) return earlier;
    const errors = await findInvalidReferences(db, 0, values);
    if (Object.keys(errors).length) return { status: "invalid", errors };
    if (failedCheck(error) === "customers_cooperative_dates") {
      return { status: "invalid", errors: { [NON_FIELD_ERRORS]: [COOPERATIVE_DATES] } };
    }
    throw error;
  }
}

async function findIdempotentResult(
  db: Db,
  consumer: Consumer,
  { key, requestHash }: { key: string; requestHash: string },
  cutoff: string,
): Promise<CreateOutcome | undefined> {
  const [earlier] = await db
    .select({ requestHash: idempotencyKeys.request_hash, customer: customers, visible: sql<number>`${visibleTo(consumer) ?? sql`1`}` })
    .from(idempotencyKeys)
    .leftJoin(customers, eq(customers.id, idempotencyKeys.customer_id))
    .where(and(eq(idempotencyKeys.consumer_id, consumer.id), eq(idempotencyKeys.key, key), gt(idempotencyKeys.created_at, cutoff)));
  if (!earlier) return undefined;
  if (earlier.requestHash !== requestHash) return { status: "key_reused" };
  return { status: "replayed", customer: earlier.customer && earlier.visible ? earlier.customer : undefined };
}

/**
 * Erases a customer (GDPR right to erasure): the row goes, and its audit trail, which holds only ids
 * and field names, gets a `delete` entry, in one atomic batch.
 */
export async function deleteCustomer(
  db: Db,
  { id, consumer, requestId, ifMatch }: { id: number; consumer: Consumer; requestId: string; ifMatch: IfMatch },
): Promise<"deleted" | "not_found" | "precondition_failed"> {
  const condition = and(
    eq(customers.id, id),
    visibleTo(consumer),
    Array.isArray(ifMatch) ? (ifMatch.length ? inArray(customers.version, ifMatch) : sql`0`) : undefined,
  );
  const [, deleted] = await db.batch([
    db.insert(customerChanges).select(
      db
        .select({
          id: sql`NULL`.as("id"),
          customer_id: customers.id,
          consumer_id: sql`${consumer.id}`.as("consumer_id"),
          request_id: sql`${requestId}`.as("request_id"),
          at: sql`${new Date().toISOString()}`.as("at"),
          action: sql`'delete'`.as("action"),
          fields: sql`'[]'`.as("fields"),
        })
        .from(customers)
        .where(condition),
    ),
    db.delete(customers).where(condition).returning({ id: customers.id }),
  ]);
  if (deleted.length) return "deleted";
  const customer = await findCustomer(db, id, consumer);
  return customer ? "precondition_failed" : "not_found";
}

/** A page of a visible customer's audit trail, newest first, and its length: one round trip. */
export async function listChanges(db: Db, id: number, consumer: Consumer, page: Page) {
  const own = eq(customerChanges.customer_id, id);
  const [visible, [total], changes] = await db.batch([
    db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, id), visibleTo(consumer))),
    db.select({ count: count() }).from(customerChanges).where(own),
    db.select().from(customerChanges).where(own).orderBy(desc(customerChanges.id)).limit(page.limit).offset(page.offset),
  ]);
  if (!visible.length) return undefined;
  return { count: total?.count ?? 0, changes };
}
