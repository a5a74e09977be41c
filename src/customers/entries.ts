import * as z from "zod/mini";
import type { CustomerChange } from "../db/schema";
import { entrySeenBy, type Viewer } from "../db/visibility";
import { customerFields } from "./fields";

const id = () => z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int64" });

/** An audit entry as the trail and the change feed answer it (and the OpenAPI document describes it). */
export const changeEntry = z.strictObject({
  id: id().register(z.globalRegistry, {
    format: "int64",
    description: "The entry's number in its customer's trail (1 = the creation), as this consumer counts the entries.",
  }),
  customer: id(),
  consumer: z
    .nullable(id())
    .register(z.globalRegistry, { description: "The consumer that made the change; null for an erasure (ids only)." }),
  request_id: z
    .nullable(z.string().register(z.globalRegistry, { maxLength: 255 }))
    .register(z.globalRegistry, { description: "The service's id of the request; null for an erasure." }),
  at: z.iso.datetime().register(z.globalRegistry, { maxLength: 24 }),
  action: z.enum(["create", "update", "delete"]),
  fields: z
    .array(z.enum(Object.keys(customerFields) as [keyof typeof customerFields]))
    .check(z.maxLength(Object.keys(customerFields).length)),
});
type ChangeEntry = z.output<typeof changeEntry>;

/**
 * An audit entry as a viewer is shown it, in the trail and in the change feed alike (numbered and
 * masked by src/db/visibility.ts): ids, time, action and field names, never values. An erasure carries
 * ids only, so that an erasure and a hiding look alike; a reappearance names no writer.
 */
export function entryView(change: CustomerChange, viewer: Viewer): ChangeEntry {
  const { number, action, namesWriter } = entrySeenBy(change, viewer);
  const entry = {
    id: number,
    customer: change.customer_id,
    consumer: namesWriter ? change.consumer_id : null,
    request_id: namesWriter ? change.request_id : null,
    at: change.at,
    action,
    fields: JSON.parse(change.fields) as ChangeEntry["fields"],
  };
  return action === "delete" ? { ...entry, consumer: null, request_id: null, fields: [] } : entry;
}
