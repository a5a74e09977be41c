import { drizzle } from "drizzle-orm/d1";
import { type DbMeter, meteredD1 } from "./meter";

export function createDb(session: D1DatabaseSession, meter: DbMeter) {
  return drizzle(meteredD1(session, meter));
}

export type Db = ReturnType<typeof createDb>;
