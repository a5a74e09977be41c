import type { CustomerChange } from "../db/schema";
import type { Viewer } from "../db/visibility";

/**
 * An audit entry as a viewer is shown it, in the trail and in the change feed alike: ids, time,
 * action and field names, never values, and never the entry's global id. Its `id` is its number in
 * the customer's trail as the viewer counts the entries (1 = the creation). For a viewer that does not
 * see hidden customers, a customer that becomes hidden appears exactly as an erasure and one that
 * reappears as a creation; an erasure carries ids only.
 */
export function entryView(change: CustomerChange, { seesHidden }: Pick<Viewer, "seesHidden">) {
  const becameHidden = !seesHidden && change.hidden_after && !change.hidden_before;
  const reappeared = !seesHidden && change.hidden_before && !change.hidden_after;
  const action = becameHidden ? "delete" : reappeared ? "create" : change.action;
  const entry = {
    id: seesHidden ? change.version : change.shown_version,
    customer: change.customer_id,
    consumer: change.consumer_id as number | null,
    request_id: change.request_id as string | null,
    at: change.at,
    action,
    fields: JSON.parse(change.fields) as string[],
  };
  return action === "delete" ? { ...entry, consumer: null, request_id: null, fields: [] } : entry;
}
