import type { Context } from "hono";
import type { Consumer } from "../auth/consumer";
import type { Customer, CustomerField } from "../db/schema";
import type { AuthenticatedEnv } from "../env";
import { etag } from "../http/etag";
import { customerView, PROTECTED_FIELDS, versionFor } from "./gdpr";

/** Only a consumer with `customers:read` receives a customer's data, from any operation. */
export const readsCustomers = (consumer: Consumer) => consumer.scopes.has("customers:read");

/** A write that changed personal data is a security event of the access log. */
export function noteSensitiveUpdate<E extends AuthenticatedEnv>(c: Context<E>, changedFields: readonly CustomerField[]) {
  if (changedFields.some((field) => PROTECTED_FIELDS.has(field))) c.set("securityEvent", "sensitive_update");
}

/** Many customers after a write, in order, as the consumer may see them; 204 for a write-only consumer. */
export function customersResponse<E extends AuthenticatedEnv>(c: Context<E>, customers: Customer[]) {
  const consumer = c.var.consumer;
  if (!readsCustomers(consumer)) return c.body(null, 204);
  return c.json(customers.map((customer) => customerView(customer, consumer.gdprAccess)));
}

/**
 * The customer as the consumer may see it, with its ETag. A consumer without `customers:read` never
 * receives a customer's data: an update is answered 204 without a body, a creation 201 with
 * only the new id (which `Location` holds too).
 */
export function customerResponse<E extends AuthenticatedEnv, S extends 200 | 201 = 200>(
  c: Context<E>,
  customer: Customer,
  status: S = 200 as S,
  headers: Record<string, string> = {},
) {
  const consumer = c.var.consumer;
  const allHeaders = { ETag: etag(versionFor(customer, consumer)), ...headers };
  if (!readsCustomers(consumer)) {
    return status === 201 ? c.json({ id: customer.id }, 201, allHeaders) : c.body(null, 204, allHeaders);
  }
  return c.json(customerView(customer, consumer.gdprAccess), status, allHeaders);
}
