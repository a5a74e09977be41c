// Opaque cursors: a position sealed with AES-GCM under a key derived from the CURSOR_SECRET secret,
// authenticated together with what it is bound to (its kind, its consumer, its query), so that a
// client can neither read a position (no global sequence number shows) nor forge, alter or move one.
// A cursor carries the time it was issued and lasts CURSOR_LIFETIME_DAYS; CURSOR_SECRET_PREVIOUS keeps
// the cursors of the secret before a rotation readable for that long (docs/deploy.md).

import type * as z from "zod/mini";

const CURSOR_LIFETIME_DAYS = 30;
const LIFETIME_MS = CURSOR_LIFETIME_DAYS * 24 * 60 * 60 * 1000;
const IV_BYTES = 12;
/** Plaintexts are padded to a multiple of this, so that a cursor's length tells nothing of its position's digits. */
const BLOCK_BYTES = 64;

export type CursorSecrets = { CURSOR_SECRET: string; CURSOR_SECRET_PREVIOUS?: string | undefined };

const keys = new Map<string, Promise<CryptoKey>>();

/** The AES-GCM key of a secret (HKDF-SHA-256), derived once per isolate. */
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const encoder = new TextEncoder();
    key = crypto.subtle
      .importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: encoder.encode("customer-api cursor"), info: new Uint8Array() },
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

/** Seals `position` into a cursor bound to `binding` (kind, consumer and query, in the caller's words). */
async function sealCursor(secrets: CursorSecrets, binding: string, position: unknown, now = Date.now()): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const json = JSON.stringify({ p: position, t: now });
  const plaintext = new TextEncoder().encode(json.padEnd(Math.ceil((json.length + 1) / BLOCK_BYTES) * BLOCK_BYTES));
  const additionalData = new TextEncoder().encode(binding);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, await keyOf(secrets.CURSOR_SECRET), plaintext);
  const cursor = new Uint8Array(IV_BYTES + sealed.byteLength);
  cursor.set(iv);
  cursor.set(new Uint8Array(sealed), IV_BYTES);
  return base64url(cursor);
}

/**
 * The position of a cursor sealed for `binding` under the current or the previous secret, unless it
 * has expired; undefined for anything else, whatever the reason, so that a refusal says nothing.
 */
async function openCursor(secrets: CursorSecrets, binding: string, cursor: string, now = Date.now()): Promise<unknown> {
  const bytes = fromBase64url(cursor);
  if (!bytes || bytes.length <= IV_BYTES) return undefined;
  const additionalData = new TextEncoder().encode(binding);
  for (const secret of [secrets.CURSOR_SECRET, secrets.CURSOR_SECRET_PREVIOUS]) {
    if (!secret) continue;
    try {
      const plaintext = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData },
        await keyOf(secret),
        bytes.slice(IV_BYTES),
      );
      const { p, t } = JSON.parse(new TextDecoder().decode(plaintext)) as { p: unknown; t: number };
      return typeof t === "number" && now - t < LIFETIME_MS ? p : undefined;
    } catch {}
  }
  return undefined;
}

/**
 * The cursors of one kind, bound to `binding` (kind, consumer, query), sealed with the Worker's
 * secrets; `open` gives the position when it has the kind's shape, else undefined.
 */
export const cursorsFor = <Position>(secrets: CursorSecrets, binding: string, shape: z.ZodMiniType<Position>) => ({
  seal: (position: Position) => sealCursor(secrets, binding, position),
  open: async (cursor: string): Promise<Position | undefined> => {
    const opened = shape.safeParse(await openCursor(secrets, binding, cursor));
    return opened.success ? opened.data : undefined;
  },
});
