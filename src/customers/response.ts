import type { Context } from "hono";
import type { Consumer } from "../db/consumers";
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
 * The customer as the consumer may see it, with its ETag (200). A consumer without `customers:read`
 * never receives a customer's data, nor its version: an update is answered 204 without a body or an
 * ETag, whether or not the values it sent were stored already (docs/security.md).
 */
export function customerResponse<E extends AuthenticatedEnv>(c: Context<E>, customer: Customer | undefined) {
  const consumer = c.var.consumer;
  if (!readsCustomers(consumer) || !customer) return c.body(null, 204);
  return c.json(customerView(customer, consumer.gdprAccess), 200, { ETag: etag(versionFor(customer, consumer)) });
}

/** A new customer (201) with its Location and ETag; a consumer without `customers:read` gets only its id, and no ETag. */
export function createdResponse<E extends AuthenticatedEnv>(c: Context<E>, customer: Customer) {
  const consumer = c.var.consumer;
  const location = { Location: new URL(`/api/v2/customers/${customer.id}/`, c.req.url).href };
  if (!readsCustomers(consumer)) return c.json({ id: customer.id }, 201, location);
  return c.json(customerView(customer, consumer.gdprAccess), 201, { ...location, ETag: etag(versionFor(customer, consumer)) });
}
