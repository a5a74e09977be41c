/**
 * Counts the round trips a request makes to D1 and the time spent waiting on them, for the
 * Server-Timing header: on the edge each round trip is a network hop, the main cost of a request.
 */
export class DbMeter {
  roundTrips = 0;
  durationMs = 0;

  async wait<T>(query: () => Promise<T>): Promise<T> {
    this.roundTrips++;
    const start = performance.now();
    try {
      return await query();
    } finally {
      this.durationMs += performance.now() - start;
    }
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
  raw(options?: { columnNames?: boolean }) {
    return this.meter.wait(() => this.inner.raw(options as { columnNames: true }));
  }
}

/** A D1 session whose every statement execution and batch counts as one round trip on `meter`. */
export function meteredD1(d1: D1DatabaseSession, meter: DbMeter): D1Database {
  return {
    prepare: (query: string) => new MeteredStatement(d1.prepare(query), meter),
    batch: (statements: MeteredStatement[]) => meter.wait(() => d1.batch(statements.map((s) => s.inner))),
  } as unknown as D1Database;
}
