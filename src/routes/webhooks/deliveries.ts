import * as z from "zod/mini";
import { FEED_ACCESS } from "../../customers/feed-position";
import { KEPT_ATTEMPTS, latestAttempts } from "../../db/webhooks";
import { errorAnswer } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { attemptAnswer, webhookIdParams } from "../../webhooks/fields";
import { attemptView } from "../../webhooks/subscriptions";
import { operation } from "../operation";
import { subscriptionNotFound } from "./answers";

/** GET /api/v2/webhooks/{id}/deliveries/ — the latest attempts, newest first (no payloads). */
export const webhookDeliveriesRoute = operation(
  {
    method: "get",
    path: "/api/v2/webhooks/{id}/deliveries/",
    operationId: "listWebhookDeliveries",
    summary: "The latest delivery attempts",
    description: `The subscription's latest ${KEPT_ATTEMPTS} attempts, newest first: when, the receiver's HTTP status or why there was none, how long it took, how many entries, which attempt of its delivery. No payload is kept, nor the receiver's answer.`,
    tag: "webhooks",
    access: FEED_ACCESS,
    params: webhookIdParams,
    answers: {
      200: { description: "The attempts.", body: z.array(attemptAnswer).check(z.maxLength(KEPT_ATTEMPTS)) },
      404: subscriptionNotFound,
    },
  },
  async function getWebhookDeliveries(c) {
    const rows = await latestAttempts(c.var.db, c.req.valid("param").id, c.var.consumer.id);
    return rows ? c.json(rows.map(attemptView)) : errorAnswer(c, 404, DETAILS.notFound);
  },
);
