// API keys: 40 lowercase hex characters (160 random bits), stored only as their SHA-256 hash.
// Shared by the Worker and the consumer command.

export const KEY_PATTERN = /^[0-9a-f]{40}$/;

export function newKey(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(20)));
}

export async function hashKey(key: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key))));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
