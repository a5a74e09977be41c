import * as z from "zod/mini";
import type { WebhookSubscription } from "../db/schema";
import { type SealingKeys, sealsFor } from "../http/seal";

// A subscription's signing secrets, as the Standard Webhooks specification has them: `whsec_` and the
// base64 of 32 random bytes, shown to the consumer once. The database keeps them sealed under the
// Worker's sealing key, bound to their subscription, so that a copy of it alone cannot sign.

const PREFIX = "whsec_";
/** How long a rotated secret keeps signing beside its successor. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export const newSecret = () => `${PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;

/** The sealed secrets of a subscription (they never expire: the scheduled job seals them again after a rotation of the key). */
const sealedSecrets = (sealing: SealingKeys, subscriptionId: string) =>
  sealsFor(sealing, `webhook-secret:${subscriptionId}`, z.string().check(z.startsWith(PREFIX)), Number.POSITIVE_INFINITY);

export const sealSecret = (sealing: SealingKeys, subscriptionId: string, secret: string) =>
  sealedSecrets(sealing, subscriptionId).seal(secret);

/** The secrets that sign a delivery now: the current one, and the previous one during its overlap. */
export async function signingSecrets(sealing: SealingKeys, subscription: WebhookSubscription, now: number): Promise<string[]> {
  const { open } = sealedSecrets(sealing, subscription.id);
  const overlapping =
    subscription.previous_secret && subscription.previous_secret_until && Date.parse(subscription.previous_secret_until) > now;
  const sealed = [subscription.secret, ...(overlapping ? [subscription.previous_secret!] : [])];
  const secrets = await Promise.all(sealed.map(open));
  return secrets.filter((secret): secret is string => secret !== undefined);
}

/** The secrets sealed again under the slot that seals now, for a subscription the other slot sealed. */
export async function resealedSecrets(sealing: SealingKeys, subscription: WebhookSubscription) {
  const { open, seal } = sealedSecrets(sealing, subscription.id);
  const again = async (sealed: string | null) => {
    const secret = sealed === null ? undefined : await open(sealed);
    return secret === undefined ? null : seal(secret);
  };
  const secret = await again(subscription.secret);
  return secret === null
    ? undefined
    : { secret, previous_secret: await again(subscription.previous_secret), sealed_with: sealing.SEALING_KEY_IN_USE };
}

/**
 * `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` under each secret,
 * space-separated (Standard Webhooks).
 */
export async function signature(secrets: string[], id: string, timestamp: number, body: string): Promise<string> {
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", fromBase64(secret.slice(PREFIX.length)), { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
      ]);
      return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, signed)))}`;
    }),
  );
  return signatures.join(" ");
}
