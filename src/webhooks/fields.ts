import * as z from "zod/mini";
import { WEBHOOK_STATUSES } from "../db/schema";
import { charField, choice, url } from "../validation/fields";

// The fields of a webhook subscription: the one place their rules are written, for request validation,
// the answers and the OpenAPI document alike.

const webhookFields = {
  url: url(
    2048,
    "Where deliveries go: `https://`, with no user name or password; `http://localhost` and `http://127.0.0.1` only where the deployment allows them (local development).",
  ),
  description: charField(200),
  status: choice(WEBHOOK_STATUSES).register(z.globalRegistry, {
    description: "`active` to resume a disabled subscription (it goes on where it stopped), `disabled` to pause it.",
  }),
};

/** POST /api/v2/webhooks/: the URL, and a description of the consumer's own. */
export const webhookCreate = z.strictObject({ url: webhookFields.url, description: z.optional(webhookFields.description) });

/** PATCH /api/v2/webhooks/{id}/: any of the URL, the description and the status. */
export const webhookPatch = z.strictObject(z.partial(z.object(webhookFields)).shape);

/** `{id}` of a subscription's path: a UUID (anything else names none: 404). */
export const webhookIdParams = z.object({
  id: z
    .string()
    .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/))
    .register(z.globalRegistry, {
      format: "uuid",
      maxLength: 36,
      description: "The subscription's id.",
    }),
});

const time = () => z.iso.datetime().register(z.globalRegistry, { maxLength: 24 });
/** A string of an answer; its metadata is given once (registering again would replace it). */
const text = (maxLength: number, description?: string) => z.string().register(z.globalRegistry, { maxLength, description });

/** A subscription as its consumer reads it (never its secret). */
export const subscriptionAnswer = z.strictObject({
  id: webhookIdParams.shape.id,
  url: text(2048),
  description: text(200),
  status: z.enum(WEBHOOK_STATUSES),
  disabled_reason: z
    .nullable(text(200))
    .register(z.globalRegistry, { description: "Why it is disabled: by its consumer, after 3 days of failures, or for want of access." }),
  created: time(),
  failing_since: z
    .nullable(time())
    .register(z.globalRegistry, { description: "Since when deliveries fail (retried with backoff); null while they are accepted." }),
});

/** The secret, shown only in the answer that makes it. */
const secret = text(100, "The signing secret (`whsec_…`), for a Standard Webhooks library: shown in this answer only.");

export const createdSubscription = z.strictObject({ ...subscriptionAnswer.shape, secret });
export const rotatedSecret = z.strictObject({ secret });

/** One delivery attempt, as GET …/deliveries/ lists it: no payload, nor the receiver's answer. */
export const attemptAnswer = z.strictObject({
  webhook_id: text(40, "The delivery's `webhook-id`: the same on each retry."),
  attempt: z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int32" }),
  at: time(),
  status: z.nullable(z.int().register(z.globalRegistry, { format: "int32", minimum: 100, maximum: 599 })),
  error: z.nullable(text(100)).register(z.globalRegistry, {
    description: "Why there was no 2xx answer when there was no HTTP status: a time-out, a refused connection.",
  }),
  duration_ms: z.int().check(z.gte(0)).register(z.globalRegistry, { format: "int32" }),
  entries: z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int32" }),
});
