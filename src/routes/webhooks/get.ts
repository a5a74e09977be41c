import { FEED_ACCESS } from "../../customers/feed-position";
import { findSubscription } from "../../db/webhooks";
import { errorAnswer } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { subscriptionAnswer, webhookIdParams } from "../../webhooks/fields";
import { subscriptionView } from "../../webhooks/subscriptions";
import { operation } from "../operation";
import { SUBSCRIPTION_PATH, subscriptionNotFound } from "./answers";

/** GET /api/v2/webhooks/{id}/ — one of the consumer's subscriptions. */
export const getWebhookRoute = operation(
  {
    method: "get",
    path: SUBSCRIPTION_PATH,
    operationId: "getWebhook",
    summary: "Read a webhook subscription",
    description: "Its URL, status (and why it is disabled) and whether deliveries are failing; never its secret.",
    tag: "webhooks",
    access: FEED_ACCESS,
    params: webhookIdParams,
    answers: { 200: { description: "The subscription.", body: subscriptionAnswer }, 404: subscriptionNotFound },
  },
  async function getWebhook(c) {
    const row = await findSubscription(c.var.db, c.req.valid("param").id, c.var.consumer.id);
    return row ? c.json(subscriptionView(row)) : errorAnswer(c, 404, DETAILS.notFound);
  },
);
