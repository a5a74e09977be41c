import * as z from "zod/mini";
import { FEED_ACCESS } from "../../customers/feed-position";
import { listSubscriptions } from "../../db/webhooks";
import { subscriptionAnswer } from "../../webhooks/fields";
import { subscriptionView } from "../../webhooks/subscriptions";
import { operation } from "../operation";

/** GET /api/v2/webhooks/ — the consumer's subscriptions (never a secret). */
export const listWebhooksRoute = operation(
  {
    method: "get",
    path: "/api/v2/webhooks/",
    operationId: "listWebhooks",
    summary: "List webhook subscriptions",
    description: "This consumer's subscriptions, oldest first; never their secrets.",
    tag: "webhooks",
    access: FEED_ACCESS,
    answers: { 200: { description: "The subscriptions.", body: z.array(subscriptionAnswer).check(z.maxLength(10)) } },
  },
  async function getWebhooks(c) {
    const rows = await listSubscriptions(c.var.db, c.var.consumer.id);
    return c.json(rows.map(subscriptionView));
  },
);
