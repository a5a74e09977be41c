/**
 * Counts the round trips a request makes to D1, the time spent waiting on them and the rows D1 read
 * and wrote (what D1 bills), for Server-Timing and the access log: on the edge each round trip is a
 * network hop, the main cost of a request. A round trip that takes longer than `timeoutMs` fails as
 * "D1 timed out" (503 for the client); a batch is atomic, so it was either applied whole or not at all.
 */
export class DbMeter {
  roundTrips = 0;
  durationMs = 0;
  rowsRead = 0;
  rowsWritten = 0;

  constructor(private readonly timeoutMs: number) {}

  /** Waits on one round trip: a statement's result, or a batch's results. */
  async wait<T extends D1Result | D1Result[]>(call: () => Promise<T>): Promise<T> {
    this.roundTrips++;
    const start = performance.now();
    let timer = 0;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("D1 timed out")), this.timeoutMs) as unknown as number;
    });
    try {
      const result = await Promise.race([call(), timeout]);
      for (const { meta } of Array.isArray(result) ? result : [result]) {
        this.rowsRead += meta?.rows_read ?? 0;
        this.rowsWritten += meta?.rows_written ?? 0;
      }
      return result;
    } finally {
      clearTimeout(timer);
      this.durationMs += performance.now() - start;
    }
  }
}
