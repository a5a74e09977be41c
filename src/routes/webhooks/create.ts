import { FEED_ACCESS } from "../../customers/feed-position";
import { createSubscription } from "../../db/webhooks";
import { fieldErrors } from "../../http/errors";
import { MAX_BODY_BYTES } from "../../http/json-body";
import { NON_FIELD_ERRORS } from "../../validation/errors";
import { createdSubscription, webhookCreate } from "../../webhooks/fields";
import { newSecret, sealSecret } from "../../webhooks/secrets";
import { MESSAGES, parseSubscription, subscriptionView } from "../../webhooks/subscriptions";
import { wakeDeliveries } from "../../webhooks/wake";
import { operation } from "../operation";

/**
 * POST /api/v2/webhooks/ — a subscription to this consumer's change feed, delivered to a URL from the
 * changes after it; its secret is in this answer only.
 */
export const createWebhookRoute = operation(
  {
    method: "post",
    path: "/api/v2/webhooks/",
    operationId: "createWebhook",
    summary: "Subscribe to the change feed",
    description:
      "Deliveries (the `customer.changes` webhook) start with the changes after this request: each a page of this consumer's change feed, signed per Standard Webhooks with the secret, which this answer alone shows. At most 10 subscriptions a consumer.",
    tag: "webhooks",
    access: FEED_ACCESS,
    body: {
      shape: "object",
      maxBytes: MAX_BODY_BYTES,
      schema: webhookCreate,
      description: "Where to deliver, and a description of your own.",
      example: { url: "https://billing.example.fi/hooks/customers", description: "Billing sync" },
    },
    answers: {
      201: { description: "Subscribed: the subscription and its secret.", body: createdSubscription },
      400: "ValidationError",
    },
  },
  async function postWebhook(c) {
    const parsed = parseSubscription(webhookCreate, c.var.body, c.env);
    if (!parsed.valid) return fieldErrors(c, parsed.errors);
    const id = crypto.randomUUID();
    const secret = newSecret();
    const created = await createSubscription(c.var.db, {
      id,
      consumer_id: c.var.consumer.id,
      url: parsed.data.url,
      description: parsed.data.description ?? "",
      created: new Date().toISOString(),
      origin: new URL(c.req.url).origin,
      secret: await sealSecret(c.env, id, secret),
      sealed_with: c.env.SEALING_KEY_IN_USE,
    });
    if (!created) return fieldErrors(c, { [NON_FIELD_ERRORS]: [MESSAGES.tooMany] });
    await wakeDeliveries(c.env, id);
    return c.json({ ...subscriptionView(created), secret }, 201);
  },
);
