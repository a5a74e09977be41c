import { and, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { failedCheck, isConstraintError } from "./errors";
import { type CustomerChanges, customers, type WritableField } from "./schema";
import { type Viewer, visibleTo } from "./visibility";

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

/**
 * What is wrong with values that only the database can tell : a reference to a row that does
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
export type Target = { id: number | undefined; viewer: Viewer };

/**
 * The problems that only the database can tell, in one query whatever the number of fields. The
 * target keeps its own customer number only if the consumer may see it: for anyone else a hidden
 * customer is an id like one that never existed.
 */
export async function findStoredDataProblems(db: Db, { id, viewer }: Target, values: CustomerChanges): Promise<StoredDataProblem[]> {
  const checks: [WritableField, SQL][] = [];
  for (const [field, table] of REFERENCES) {
    const value = values[field as WritableField];
    if (typeof value === "number") {
      const { id: key } = getTableColumns(table) as { id: SQLiteColumn };
      checks.push([field as WritableField, sql`NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} = ${value})`]);
    }
  }
  if (typeof values.customer_number === "string") {
    const visible = visibleTo(viewer);
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
