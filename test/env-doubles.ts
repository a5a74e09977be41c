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

const context = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** The Worker's fetch handler with some bindings of its environment replaced. */
export function fetchWithEnv(bindings: Partial<Bindings>, request: Request) {
  return app.fetch(request, { ...env, ...bindings }, context);
}

/** The Worker's fetch handler with another D1 binding. */
export const fetchWith = (db: D1Database, request: Request) => fetchWithEnv({ DB: db }, request);
