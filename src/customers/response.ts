import type { Context } from "hono";
import type { Customer } from "../db/schema";
import type { AppEnv } from "../env";
import { etag } from "../http/etag";
import { customerView } from "./gdpr";

/** The customer as the consumer may see it, with its ETag. */
export const customerResponse = <S extends 200 | 201 = 200>(
  c: Context<AppEnv>,
  customer: Customer,
  status: S = 200 as S,
  headers: Record<string, string> = {},
) => c.json(customerView(customer, c.var.consumer!.gdprAccess), status, { ETag: etag(customer.version), ...headers });
