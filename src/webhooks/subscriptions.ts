import type * as z from "zod/mini";
import type { WebhookDelivery, WebhookSubscription } from "../db/schema";
import { type DisabledReason, MAX_SUBSCRIPTIONS } from "../db/webhooks";
import type { Bindings } from "../env";
import type { JsonObject } from "../http/json-body";
import { type FieldErrors, toFieldErrors } from "../validation/errors";
import type { attemptAnswer, subscriptionAnswer, webhookCreate, webhookPatch } from "./fields";

// The rules of subscriptions that need more than a field's own: where a delivery may go, how many a
// consumer may have, and what a subscription and its attempts look like to their consumer.

export const MESSAGES = {
  tooMany: `A consumer may have at most ${MAX_SUBSCRIPTIONS} webhook subscriptions.`,
  httpsOnly: "Enter a URL that starts with https://.",
  noCredentials: "Enter a URL without a user name or password.",
} as const;

const DISABLED: Record<DisabledReason, string> = {
  by_consumer: "Disabled by its consumer.",
  receiver_failing: "The receiver accepted no delivery for 3 days.",
  no_access: "Its consumer may no longer read the change feed.",
};

/** Hosts that name this machine, where a deployment that allows them (local development) may deliver over http. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

/**
 * Why a subscription may not deliver to this (syntactically valid) URL, or undefined: only https, never
 * with credentials, and http only to this machine where the deployment allows it (WEBHOOKS_ALLOW_LOCALHOST).
 */
export function urlRefusal(url: string, allowLocalhost: boolean): string | undefined {
  const { protocol, username, password, hostname } = new URL(url);
  if (username || password) return MESSAGES.noCredentials;
  if (protocol === "https:" || (protocol === "http:" && allowLocalhost && LOCAL_HOSTS.has(hostname))) return undefined;
  return MESSAGES.httpsOnly;
}

type SubscriptionSchema = typeof webhookCreate | typeof webhookPatch;

/**
 * A body validated by `schema`, the URL by the deployment's rules too: its values, or every failing
 * field with its messages, in the fields' order (DRF reports them all at once).
 */
export function parseSubscription<S extends SubscriptionSchema>(
  schema: S,
  body: JsonObject,
  env: Pick<Bindings, "WEBHOOKS_ALLOW_LOCALHOST">,
): { valid: true; data: z.output<S> } | { valid: false; errors: FieldErrors } {
  const result = schema.safeParse(body);
  const errors = result.success ? {} : toFieldErrors(result.error.issues);
  const url = Object.hasOwn(body, "url") && !errors.url ? schema.shape.url.safeParse(body.url) : undefined;
  const refusal = url?.success ? urlRefusal(url.data!, env.WEBHOOKS_ALLOW_LOCALHOST === "true") : undefined;
  if (refusal) errors.url = [refusal];
  if (result.success && !refusal) return { valid: true, data: result.data as z.output<S> };
  // The fields' order, unknown fields last (the URL's refusal is added after zod's issues).
  const fields = new Set([...Object.keys(schema.shape), ...Object.keys(errors)]);
  return { valid: false, errors: Object.fromEntries([...fields].filter((field) => errors[field]).map((field) => [field, errors[field]!])) };
}

/** A subscription as its consumer reads it. */
export const subscriptionView = (row: WebhookSubscription): z.output<typeof subscriptionAnswer> => ({
  id: row.id,
  url: row.url,
  description: row.description,
  status: row.status,
  disabled_reason: row.disabled_reason === null ? null : DISABLED[row.disabled_reason as DisabledReason],
  created: row.created,
  failing_since: row.failing_since,
});

export const attemptView = (row: WebhookDelivery): z.output<typeof attemptAnswer> => ({
  webhook_id: row.message_id,
  attempt: row.attempt,
  at: row.at,
  status: row.status,
  error: row.error,
  duration_ms: row.duration_ms,
  entries: row.entries,
});
