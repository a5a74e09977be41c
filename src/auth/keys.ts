// API keys: 40 lowercase hex characters (160 random bits), stored only as their SHA-256 hash.
// Shared by the Worker and the consumer command.
import { sha256Hex } from "../crypto/sha256";

export function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const hashKey = sha256Hex;
