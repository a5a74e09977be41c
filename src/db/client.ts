import { drizzle } from "drizzle-orm/d1";
import { type DbMeter, meteredD1 } from "./meter";

export function createDb(d1: D1Database, meter: DbMeter) {
  return drizzle(meteredD1(d1, meter));
}

export type Db = ReturnType<typeof createDb>;
