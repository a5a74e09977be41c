import * as z from "zod/mini";
import { changeEntry } from "../customers/entries";

// A delivery: a page of the consumer's change feed, pushed. Its body is the same on every attempt; the
// headers carry the attempt's time and the signature over it (Standard Webhooks).

/** At most this many entries a delivery. */
export const MAX_DELIVERY_ENTRIES = 100;
export const DELIVERY_TYPE = "customer.changes";

export const deliveryBody = z.strictObject({
  type: z.literal(DELIVERY_TYPE),
  timestamp: z.iso.datetime().register(z.globalRegistry, {
    maxLength: 24,
    description: "When the delivery was made (its first attempt): the same on every retry.",
  }),
  data: z.strictObject({
    results: z
      .array(changeEntry)
      .check(z.minLength(1), z.maxLength(MAX_DELIVERY_ENTRIES))
      .register(z.globalRegistry, { description: "The entries, as the consumer's change feed shows them, oldest first." }),
    next: z.url().register(z.globalRegistry, {
      maxLength: 2048,
      description: "The change feed after the last entry: where to poll from, should deliveries stop.",
    }),
  }),
});
export type DeliveryBody = z.output<typeof deliveryBody>;

/** The headers of a delivery attempt (Standard Webhooks), as the OpenAPI document describes them. */
export const DELIVERY_HEADERS = {
  "webhook-id": "The delivery's id: the same on each retry, so that a receiver can tell a retry it has processed.",
  "webhook-timestamp": "When this attempt was signed, in seconds since the epoch: refuse one too old.",
  "webhook-signature":
    '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` under the secret; during a rotation two, space-separated.',
} as const;
