// What the tests' global setup hands to the tests (vitest's provide/inject).
declare module "vitest" {
  export interface ProvidedContext {
    /** The base URL of the webhook receiver on this machine (test/webhook-receiver.ts). */
    receiver: string;
    /** A local database with every migration and the demo data (test/e2e/migrated-database.ts). */
    migratedDatabase: string;
  }
}

export {};
