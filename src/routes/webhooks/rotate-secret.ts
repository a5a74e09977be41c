import { FEED_ACCESS } from "../../customers/feed-position";
import { findSubscription, rotateSecret } from "../../db/webhooks";
import { errorAnswer } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import { rotatedSecret, webhookIdParams } from "../../webhooks/fields";
import { newSecret, ROTATION_OVERLAP_MS, sealSecret, signingSecrets } from "../../webhooks/secrets";
import { operation } from "../operation";
import { subscriptionNotFound } from "./answers";

/** POST /api/v2/webhooks/{id}/rotate-secret/ — a new secret; the one it replaces signs beside it for 24 hours. */
export const rotateWebhookSecretRoute = operation(
  {
    method: "post",
    path: "/api/v2/webhooks/{id}/rotate-secret/",
    operationId: "rotateWebhookSecret",
    summary: "Rotate a webhook subscription's secret",
    description:
      "A new secret, shown in this answer only. For 24 hours deliveries carry two signatures, under the new secret and the one it replaces, so that the receiver can switch without missing one.",
    tag: "webhooks",
    access: FEED_ACCESS,
    params: webhookIdParams,
    answers: { 200: { description: "The new secret.", body: rotatedSecret }, 404: subscriptionNotFound },
  },
  async function postRotateSecret(c) {
    const { id } = c.req.valid("param");
    const subscription = await findSubscription(c.var.db, id, c.var.consumer.id);
    if (!subscription) return errorAnswer(c, 404, DETAILS.notFound);
    const now = Date.now();
    // The secret that signs now becomes the previous one (sealed again, with the slot that seals now).
    const [current] = await signingSecrets(c.env, subscription, now);
    const secret = newSecret();
    const rotated = await rotateSecret(c.var.db, id, c.var.consumer.id, {
      secret: await sealSecret(c.env, id, secret),
      previous_secret: current === undefined ? null : await sealSecret(c.env, id, current),
      previous_secret_until: new Date(now + ROTATION_OVERLAP_MS).toISOString(),
      sealed_with: c.env.SEALING_KEY_IN_USE,
    });
    if (!rotated) return errorAnswer(c, 404, DETAILS.notFound);
    return c.json({ secret });
  },
);
