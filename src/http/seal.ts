// Sealed values: a value encrypted and authenticated (AES-GCM, a fresh nonce each time) under the
// service's sealing key, together with what it is bound to (its kind, its consumer, its query), so that
// a client can neither read it nor forge, alter or move it, and two seals of one value cannot be
// compared. Cursors, bookmarks and the copies an idempotency record keeps are sealed.
//
// The key is one of two slots, SEALING_KEY_1 and SEALING_KEY_2 (Worker secrets of at least 32 bytes);
// SEALING_KEY_IN_USE names the one that seals, and both open. Rotation writes a new value into the
// slot not in use, then switches to it: no one ever needs to know an old value (docs/deploy.md).

import type * as z from "zod/mini";

export type SealingKeys = { SEALING_KEY_1: string; SEALING_KEY_2: string; SEALING_KEY_IN_USE: string };

/** The shortest sealing key accepted: 32 bytes, as many as the AES key it derives. */
export const MIN_KEY_BYTES = 32;
const IV_BYTES = 12;
/** Plaintexts are padded to a multiple of this, so that a seal's length tells little of what it holds. */
const BLOCK_BYTES = 64;

const keys = new Map<string, Promise<CryptoKey>>();

/** The AES-GCM key of a sealing key (HKDF-SHA-256), derived once per isolate. */
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const encoder = new TextEncoder();
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: encoder.encode("customer-api seal"), info: new Uint8Array() },
          material,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");

function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[\w-]*$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The slot that seals, then the other: both open. */
const slots = (sealing: SealingKeys) =>
  sealing.SEALING_KEY_IN_USE === "2" ? [sealing.SEALING_KEY_2, sealing.SEALING_KEY_1] : [sealing.SEALING_KEY_1, sealing.SEALING_KEY_2];

async function seal(sealing: SealingKeys, binding: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const json = JSON.stringify({ v: value, t: Date.now() });
  const plaintext = new TextEncoder().encode(json.padEnd(Math.ceil((json.length + 1) / BLOCK_BYTES) * BLOCK_BYTES));
  const additionalData = new TextEncoder().encode(binding);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, await keyOf(slots(sealing)[0]!), plaintext);
  const token = new Uint8Array(IV_BYTES + sealed.byteLength);
  token.set(iv);
  token.set(new Uint8Array(sealed), IV_BYTES);
  return base64url(token);
}

/** What a token sealed for `binding` holds, if it opens under either slot and is younger than `lifetimeMs`. */
async function open(sealing: SealingKeys, binding: string, token: string, lifetimeMs: number): Promise<unknown> {
  const bytes = fromBase64url(token);
  if (!bytes || bytes.length <= IV_BYTES) return undefined;
  const additionalData = new TextEncoder().encode(binding);
  for (const secret of slots(sealing)) {
    try {
      const plaintext = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData },
        await keyOf(secret),
        bytes.slice(IV_BYTES),
      );
      const { v, t } = JSON.parse(new TextDecoder().decode(plaintext)) as { v: unknown; t: number };
      return typeof t === "number" && Date.now() - t < lifetimeMs ? v : undefined;
    } catch {}
  }
  return undefined;
}

/**
 * The sealed values of one kind, bound to `binding` (kind, consumer, query, in the caller's words) and
 * valid for `lifetimeMs`: `open` gives the value when it has the kind's shape, else undefined, whatever
 * the reason, so that a refusal says nothing.
 */
export const sealsFor = <Value>(sealing: SealingKeys, binding: string, shape: z.ZodMiniType<Value>, lifetimeMs: number) => ({
  seal: (value: Value) => seal(sealing, binding, value),
  open: async (token: string): Promise<Value | undefined> => {
    const opened = shape.safeParse(await open(sealing, binding, token, lifetimeMs));
    return opened.success ? opened.data : undefined;
  },
});

/** Cursors (of lists, trails and the feed) last 30 days. */
export const CURSOR_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** The cursors of one kind, bound to `binding`: each names a position. */
export const cursorsFor = <Position>(sealing: SealingKeys, binding: string, shape: z.ZodMiniType<Position>) =>
  sealsFor(sealing, binding, shape, CURSOR_LIFETIME_MS);
