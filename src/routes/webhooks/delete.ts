import { FEED_ACCESS } from "../../customers/feed-position";
import { deleteSubscription } from "../../db/webhooks";
import { errorAnswer } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { webhookIdParams } from "../../webhooks/fields";
import { senderOf } from "../../webhooks/wake";
import { operation } from "../operation";
import { SUBSCRIPTION_PATH, subscriptionNotFound } from "./answers";

/** DELETE /api/v2/webhooks/{id}/ — no more deliveries; its attempts are deleted with it. */
export const deleteWebhookRoute = operation(
  {
    method: "delete",
    path: SUBSCRIPTION_PATH,
    operationId: "deleteWebhook",
    summary: "Delete a webhook subscription",
    description: "No delivery is made after this answer; the subscription's attempts are deleted with it.",
    tag: "webhooks",
    access: FEED_ACCESS,
    params: webhookIdParams,
    answers: { 204: { description: "Deleted." }, 404: subscriptionNotFound },
  },
  async function deleteWebhook(c) {
    const { id } = c.req.valid("param");
    if (!(await deleteSubscription(c.var.db, id, c.var.consumer.id))) return errorAnswer(c, 404, DETAILS.notFound);
    await senderOf(c.env, id).forget();
    return c.body(null, 204);
  },
);
