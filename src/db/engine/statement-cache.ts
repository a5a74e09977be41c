/**
 * SQL compiled once per shape and isolate: Drizzle builds the text of a statement in the Worker, and a
 * request that only binds new values to a known shape skips that work (about 40% of a PATCH's CPU).
 * The key is the shape itself, so what the SQL depends on and what the cache tells apart cannot drift.
 */
export class StatementCache<Shape, Compiled> {
  private readonly compiled = new Map<string, Compiled>();

  constructor(
    private readonly compile: (shape: Shape) => Compiled,
    private readonly maxEntries = 512,
  ) {}

  get(shape: Shape): Compiled {
    const key = JSON.stringify(shape);
    let statements = this.compiled.get(key);
    if (!statements) {
      if (this.compiled.size >= this.maxEntries) this.compiled.clear();
      statements = this.compile(shape);
      this.compiled.set(key, statements);
    }
    return statements;
  }
}
