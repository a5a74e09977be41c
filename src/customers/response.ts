import type { Context } from "hono";
import type { Customer } from "../db/schema";
import type { AppEnv } from "../env";
import { etag } from "../http/etag";
import { customerView } from "./gdpr";

/**
 * The customer as the consumer may see it, with its ETag. A consumer without `customers:read` never
 * receives a customer's data (SPEC §2): its writes are answered 204 (201 on create) without a body.
 */
export function customerResponse<E extends AppEnv, S extends 200 | 201 = 200>(
  c: Context<E>,
  customer: Customer,
  status: S = 200 as S,
  headers: Record<string, string> = {},
) {
  const consumer = c.var.consumer!;
  const allHeaders = { ETag: etag(customer.version), ...headers };
  if (!consumer.scopes.has("customers:read")) return c.body(null, status === 201 ? 201 : 204, allHeaders);
  return c.json(customerView(customer, consumer.gdprAccess), status, allHeaders);
}
