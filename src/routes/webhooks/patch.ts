import { FEED_ACCESS } from "../../customers/feed-position";
import { updateSubscription } from "../../db/webhooks";
import { errorAnswer, fieldErrors } from "../../http/errors";
import { MAX_BODY_BYTES } from "../../http/json-body";
import { DETAILS } from "../../http/messages";
import { subscriptionAnswer, webhookIdParams, webhookPatch } from "../../webhooks/fields";
import { parseSubscription, subscriptionView } from "../../webhooks/subscriptions";
import { wakeDeliveries } from "../../webhooks/wake";
import { operation } from "../operation";
import { SUBSCRIPTION_PATH, subscriptionNotFound } from "./answers";

/** PATCH /api/v2/webhooks/{id}/ — a new URL or description; `status: "active"` resumes where it stopped. */
export const patchWebhookRoute = operation(
  {
    method: "patch",
    path: SUBSCRIPTION_PATH,
    operationId: "updateWebhook",
    summary: "Change or resume a webhook subscription",
    description:
      'Any of `url`, `description` and `status`. `"active"` resumes a disabled subscription (or retries a failing one now): deliveries go on where they stopped, with the delivery that was not accepted. `"disabled"` pauses it.',
    tag: "webhooks",
    access: FEED_ACCESS,
    params: webhookIdParams,
    body: {
      shape: "object",
      maxBytes: MAX_BODY_BYTES,
      schema: webhookPatch,
      description: "The fields to change.",
      example: { status: "active" },
    },
    answers: {
      200: { description: "The subscription after the change.", body: subscriptionAnswer },
      400: "ValidationError",
      404: subscriptionNotFound,
    },
  },
  async function patchWebhook(c) {
    const parsed = parseSubscription(webhookPatch, c.var.body, c.env);
    if (!parsed.valid) return fieldErrors(c, parsed.errors);
    const { id } = c.req.valid("param");
    const changes = { ...parsed.data, ...(parsed.data.url === undefined ? {} : { origin: new URL(c.req.url).origin }) };
    const row = await updateSubscription(c.var.db, id, c.var.consumer.id, changes);
    if (!row) return errorAnswer(c, 404, DETAILS.notFound);
    if (parsed.data.status === "active") await wakeDeliveries(c.env, id);
    return c.json(subscriptionView(row));
  },
);
