import { env } from "cloudflare:test";
import type { Bindings } from "../src/env";
import { app } from "../src/index";

/** A D1 binding whose sessions are the real ones, seen through `wrap`. */
function wrapSessions(d1: D1Database, wrap: (session: D1DatabaseSession) => D1DatabaseSession): D1Database {
  return { withSession: (bookmark?: string) => wrap(d1.withSession(bookmark)) } as unknown as D1Database;
}

const lost = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
const never = () => new Promise<never>(() => {});

/**
 * D1 that has lost its connection (or, through `hanging`, never answers): for every query, or only for
 * batches (the writes).
 */
export function unavailable(d1: D1Database, only?: "batch", fail: () => Promise<never> = lost): D1Database {
  return wrapSessions(d1, (session) => {
    if (only === "batch")
      return { prepare: (sql: string) => session.prepare(sql), batch: fail, getBookmark: () => null } as unknown as D1DatabaseSession;
    const statement = { bind: () => statement, all: fail, run: fail, raw: fail, first: fail };
    return { prepare: () => statement, batch: fail, getBookmark: () => null } as unknown as D1DatabaseSession;
  });
}

export const hanging = (d1: D1Database, only?: "batch") => unavailable(d1, only, never);

/**
 * Records every call that reaches D1 (each statement run or batch), independently of the Worker's
 * own meter: `calls` holds the SQL of each, or "batch".
 */
export function counting(d1: D1Database) {
  const calls: string[] = [];
  const counted = <T>(call: string, run: () => T): T => {
    calls.push(call);
    return run();
  };
  const statement = (inner: D1PreparedStatement, sql: string): D1PreparedStatement =>
    ({
      inner,
      bind: (...values: unknown[]) => statement(inner.bind(...values), sql),
      all: () => counted(sql, () => inner.all()),
      run: () => counted(sql, () => inner.run()),
      raw: (options?: { columnNames: true }) => counted(sql, () => inner.raw(options as { columnNames: true })),
      first: (column?: string) => counted(sql, () => (column === undefined ? inner.first() : inner.first(column))),
    }) as unknown as D1PreparedStatement;
  const db = wrapSessions(
    d1,
    (session) =>
      ({
        prepare: (sql: string) => statement(session.prepare(sql), sql),
        batch: (statements: { inner: D1PreparedStatement }[]) => counted("batch", () => session.batch(statements.map((s) => s.inner))),
        getBookmark: () => session.getBookmark(),
      }) as unknown as D1DatabaseSession,
  );
  return { db, calls };
}

/**
 * D1 whose every SELECT the Worker runs is also asked for its column names (a SELECT reads, so asking
 * twice changes nothing): D1 answers rows as objects by column name, so a statement that selected two
 * columns of one name would lose one of them silently. `selects` counts them, `duplicated` names each.
 */
export function columnChecking(d1: D1Database) {
  const seen = { selects: 0, duplicated: [] as string[] };
  const check = async (inner: D1PreparedStatement, sql: string) => {
    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) return;
    seen.selects++;
    const [names] = await inner.raw({ columnNames: true });
    const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
    if (duplicates.length) seen.duplicated.push(`${duplicates.join(", ")} in ${sql}`);
  };
  const statement = (inner: D1PreparedStatement, sql: string): D1PreparedStatement =>
    ({
      inner,
      sql,
      bind: (...values: unknown[]) => statement(inner.bind(...values), sql),
      all: async () => {
        await check(inner, sql);
        return inner.all();
      },
    }) as unknown as D1PreparedStatement;
  const db = wrapSessions(
    d1,
    (session) =>
      ({
        prepare: (sql: string) => statement(session.prepare(sql), sql),
        batch: async (statements: { inner: D1PreparedStatement; sql: string }[]) => {
          for (const { inner, sql } of statements) await check(inner, sql);
          return session.batch(statements.map((s) => s.inner));
        },
        getBookmark: () => session.getBookmark(),
      }) as unknown as D1DatabaseSession,
  );
  return { db, seen };
}

/** D1 whose batches (the writes) wait until `release()`: `waiting` says when one is held. */
export function heldBatches(d1: D1Database) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = { waiting: false, release };
  const db = wrapSessions(
    d1,
    (session) =>
      ({
        prepare: (sql: string) => session.prepare(sql),
        batch: async (statements: D1PreparedStatement[]) => {
          state.waiting = true;
          await released;
          return session.batch(statements);
        },
        getBookmark: () => session.getBookmark(),
      }) as unknown as D1DatabaseSession,
  );
  return { db, state };
}

const context = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** The Worker's fetch handler with some bindings of its environment replaced. */
export function fetchWithEnv(bindings: Partial<Bindings>, request: Request) {
  return app.fetch(request, { ...env, ...bindings }, context);
}

/** The Worker's fetch handler with another D1 binding. */
export const fetchWith = (db: D1Database, request: Request) => fetchWithEnv({ DB: db }, request);
