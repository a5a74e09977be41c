// What the tests' global setup hands to the tests (vitest's provide/inject).
declare module "vitest" {
  export interface ProvidedContext {
    /** The base URL of the webhook receiver on this machine (test/webhook-receiver.ts). */
    receiver: string;
  }
}

export {};
