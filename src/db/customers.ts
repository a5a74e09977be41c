import { and, asc, count, desc, eq, getTableColumns, gte, lt, type SQL, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Consumer } from "../auth/consumer";
import { type CustomerChanges, WRITABLE_FIELDS, type WritableField } from "../customers/fields";
import type { Db } from "./client";
import { failedCheck, isConstraintError } from "./errors";
import { type Customer, customerChanges, customers, restrictedTypes } from "./schema";

export const columns = getTableColumns(customers);

const COLUMNS = Object.entries(columns);

/** A row as D1 returns it → a Customer (booleans from 0/1), with Drizzle's column mappings. */
export function decodeCustomer(row: Record<string, unknown>): Customer {
  const customer: Record<string, unknown> = {};
  for (const [name, column] of COLUMNS) {
    const value = row[name];
    customer[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return customer as Customer;
}

/** The customer row with this id as a JSON object, built in SQL from every column of the schema. */
export const rowAsJson = (id: SQL) =>
  sql`(SELECT json_object(${sql.join(
    COLUMNS.map(([name, column]) => sql`${sql.raw(`'${name}'`)}, ${column}`),
    sql`, `,
  )}) FROM ${customers} WHERE ${customers.id} = ${id})`;

/** Each foreign-key column of customers and the table it points to, read from the Drizzle schema. */
export const REFERENCES = new Map<string, SQLiteTable>(
  getTableConfig(customers).foreignKeys.map((fk) => {
    const {
      columns: [column],
      foreignTable,
    } = fk.reference();
    return [column!.name, foreignTable];
  }),
);

/** A customer at protection level `extended` exists only for consumers with GDPR access `extended`. */
export function visibleTo(consumer: Consumer): SQL | undefined {
  if (consumer.gdprAccess === "extended") return undefined;
  return sql`(${customers.restricted_type} IS NULL OR ${customers.restricted_type} IN (SELECT ${restrictedTypes.id} FROM ${restrictedTypes} WHERE ${restrictedTypes.protection_level} = 'normal'))`;
}

/** The customer with this id (a value or a column), if this consumer may see it. */
export const visibleCustomer = (id: number | SQLiteColumn, consumer: Consumer) => and(eq(customers.id, id), visibleTo(consumer));

/** The protection level of a restricted type, as an SQL expression. */
export const levelOf = (restrictedType: unknown) =>
  sql<string | null>`(SELECT ${restrictedTypes.protection_level} FROM ${restrictedTypes} WHERE ${restrictedTypes.id} = ${restrictedType})`;

/** If-Match as the write sees it: any version (no header, or "*"), or one of these (none matches []). */
export type IfMatch = "*" | number[] | undefined;

/** What the SQL of a write's If-Match depends on; the versions themselves are bound as one JSON array. */
export type IfMatchKind = "any" | "list" | "none";

export const ifMatchKind = (ifMatch: IfMatch): IfMatchKind => (!Array.isArray(ifMatch) ? "any" : ifMatch.length ? "list" : "none");

/** If-Match as a condition: the same statement text whatever the number of tags. */
export function versionMatches(kind: IfMatchKind, versions: unknown): SQL | undefined {
  if (kind === "any") return undefined;
  return kind === "none" ? sql`0` : sql`${customers.version} IN (SELECT value FROM json_each(${versions}))`;
}

/**
 * The audit row of a write (SPEC §6), as `INSERT INTO customer_changes … SELECT … FROM customers WHERE
 * <condition>`: it exists only if the write's own condition selects the customer, and it goes in the
 * same batch as the write. Values may be bound values or placeholders.
 */
export function auditRow(
  db: Db,
  entry: { consumer: unknown; requestId: unknown; at: unknown; action: "update" | "delete"; fields: SQL },
  condition: SQL | undefined,
) {
  return db.insert(customerChanges).select(
    db
      .select({
        id: sql`NULL`.as("id"),
        customer_id: customers.id,
        consumer_id: sql`${entry.consumer}`.as("consumer_id"),
        request_id: sql`${entry.requestId}`.as("request_id"),
        at: sql`${entry.at}`.as("at"),
        action: sql.raw(`'${entry.action}'`).as("action"),
        fields: entry.fields.as("fields"),
      })
      .from(customers)
      .where(condition),
  );
}

/** The fields a body gives, in table order (which also keeps the compiled-statement cache small). */
export const givenFields = (values: CustomerChanges) => WRITABLE_FIELDS.filter((field) => values[field] !== undefined);

/**
 * What is wrong with values that only the database can tell (SPEC §3): a reference to a row that does
 * not exist, a customer number that a customer the consumer sees already has (`taken`) or that one it
 * cannot see has (`unavailable`), or the rule across the cooperative dates. Facts, not messages.
 */
export type StoredDataProblem =
  | { field: WritableField; problem: "missing" }
  | { field: "customer_number"; problem: "taken" | "unavailable" }
  | { field: "cooperative_dates"; problem: "reimbursed_before_joining" };

/**
 * The problems behind a constraint that refused a write: references and the customer number (one
 * more round trip), else the CHECK on the merged record. Undefined when the failure is none of these.
 */
export async function explainConstraintFailure(db: Db, target: Target, values: CustomerChanges, error: unknown) {
  if (!isConstraintError(error)) return undefined;
  const problems = await findStoredDataProblems(db, target, values);
  if (problems.length) return problems;
  if (failedCheck(error) === "customers_cooperative_dates")
    return [{ field: "cooperative_dates", problem: "reimbursed_before_joining" } as const];
  return undefined;
}

/** The customer a write is for (none on create), and who asks. */
export type Target = { id: number | undefined; consumer: Consumer };

/**
 * The problems that only the database can tell, in one query whatever the number of fields. The
 * target keeps its own customer number only if the consumer may see it: for anyone else a hidden
 * customer is an id like one that never existed (SPEC §2).
 */
export async function findStoredDataProblems(db: Db, { id, consumer }: Target, values: CustomerChanges): Promise<StoredDataProblem[]> {
  const checks: [WritableField, SQL][] = [];
  for (const [field, table] of REFERENCES) {
    const value = values[field as WritableField];
    if (typeof value === "number") {
      const { id: key } = getTableColumns(table) as { id: SQLiteColumn };
      checks.push([field as WritableField, sql`NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} = ${value})`]);
    }
  }
  if (typeof values.customer_number === "string") {
    const visible = visibleTo(consumer) ?? sql`1`;
    const target = id === undefined ? sql`0` : sql`${customers.id} = ${id} AND ${visible}`;
    const holder = db
      .select({ seen: sql`CASE WHEN ${visible} THEN 1 ELSE 2 END` })
      .from(customers)
      .where(and(eq(customers.customer_number, values.customer_number), sql`NOT (${target})`))
      .limit(1);
    checks.push(["customer_number", sql`${holder}`]);
  }
  if (checks.length === 0) return [];

  const found = await db.get<Record<string, number | null>>(
    sql`SELECT ${sql.join(
      checks.map(([field, check]) => sql`${check} AS ${sql.identifier(field)}`),
      sql`, `,
    )}`,
  );
  const problems: StoredDataProblem[] = [];
  for (const [field] of checks) {
    if (!found[field]) continue;
    if (field === "customer_number") problems.push({ field, problem: found[field] === 1 ? "taken" : "unavailable" });
    else problems.push({ field, problem: "missing" });
  }
  return problems;
}

/** The customer, if it exists for this consumer. */
export async function findCustomer(db: Db, id: number, consumer: Consumer): Promise<Customer | undefined> {
  const [customer] = await db.select().from(customers).where(visibleCustomer(id, consumer));
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
