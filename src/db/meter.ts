/**
 * Counts the round trips a request makes to D1 and the time spent waiting on them, for the
 * Server-Timing header: on the edge each round trip is a network hop, the main cost of a request.
 * A round trip that takes longer than `timeoutMs` fails as "D1 timed out" (503 for the client); a
 * batch is atomic, so it was either applied whole or not at all.
 */
export class DbMeter {
  roundTrips = 0;
  durationMs = 0;
  /** D1's own count of the rows read and written (what D1 bills), where its answer carries `meta`. */
  rowsRead = 0;
  rowsWritten = 0;

  constructor(private readonly timeoutMs: number) {}

  async wait<T>(query: () => Promise<T>): Promise<T> {
    this.roundTrips++;
    const start = performance.now();
    let timer = 0;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("D1 timed out")), this.timeoutMs) as unknown as number;
    });
    try {
      const result = await Promise.race([query(), timeout]);
      for (const part of Array.isArray(result) ? result : [result]) this.count(part);
      return result;
    } finally {
      clearTimeout(timer);
      this.durationMs += performance.now() - start;
    }
  }

  private count(result: unknown) {
    const meta = (result as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
    this.rowsRead += meta?.rows_read ?? 0;
    this.rowsWritten += meta?.rows_written ?? 0;
  }
}

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly meter: DbMeter,
  ) {}

  bind(...values: unknown[]) {
    return new MeteredStatement(this.inner.bind(...values), this.meter);
  }
  first(column?: string) {
    return this.meter.wait(() => (column === undefined ? this.inner.first() : this.inner.first(column)));
  }
  run() {
    return this.meter.wait(() => this.inner.run());
  }
  all() {
    return this.meter.wait(() => this.inner.all());
  }
  /**
   * D1's raw() answers no `meta`, so rows are read with all() and turned into arrays here, as Drizzle
   * turns a batch's rows (the statements of this project name each column once).
   */
  async raw(options?: { columnNames?: boolean }) {
    const { results } = await this.meter.wait(() => this.inner.all<Record<string, unknown>>());
    const rows = results.map((row) => Object.values(row));
    return options?.columnNames ? [Object.keys(results[0] ?? {}), ...rows] : rows;
  }
}

/** A D1 session whose every statement execution and batch counts as one round trip on `meter`, with its rows. */
export function meteredD1(d1: D1DatabaseSession, meter: DbMeter): D1Database {
  return {
    prepare: (query: string) => new MeteredStatement(d1.prepare(query), meter),
    batch: (statements: MeteredStatement[]) => meter.wait(() => d1.batch(statements.map((s) => s.inner))),
  } as unknown as D1Database;
}
