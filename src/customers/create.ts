import { Hono } from "hono";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { sha256Hex } from "../crypto/sha256";
import { createCustomer as create } from "../db/create-customer";
import type { Customer } from "../db/schema";
import type { AppEnv } from "../env";
import { details } from "../http/errors";
import { bodyLimit, jsonObjectBody, MAX_BODY_BYTES } from "../http/json-body";
import { guardProtectedFields, validCreate } from "./body";
import { viewerOf } from "./gdpr";
import { refusalResponse } from "./outcome";
import { customerResponse } from "./response";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * POST /api/v2/customers/ — 201 with Location and ETag. With `Idempotency-Key`, a retry
 * with the same body (byte for byte) within 24 hours answers the first result again.
 */
export const createCustomer = new Hono<AppEnv>().post(
  "/",
  authenticate,
  requireScope("customers:write"),
  bodyLimit(MAX_BODY_BYTES),
  jsonObjectBody,
  guardProtectedFields,
  validCreate,
  async (c) => {
    const { id: _readOnly, modified: _alsoReadOnly, ...values } = c.req.valid("json");
    const key = c.req.header("Idempotency-Key");
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      return details(c, 400, "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }
    const outcome = await create(c.var.db, {
      values,
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      idempotency: key === undefined ? undefined : { keyHash: await sha256Hex(key), requestHash: await sha256Hex(c.var.bytes) },
    });
    const created = (customer: Customer) =>
      customerResponse(c, customer, 201, { Location: new URL(`/api/v2/customers/${customer.id}/`, c.req.url).href });
    switch (outcome.status) {
      case "created":
        return created(outcome.customer);
      case "replayed":
        // The customer was erased since, or is hidden from this consumer: there is nothing to answer with.
        return outcome.customer ? created(outcome.customer) : refusalResponse(c, { status: "not_found" });
      case "key_reused":
        return details(c, 409, "This Idempotency-Key was already used with another request body.");
      default:
        return refusalResponse(c, outcome, c.var.body);
    }
  },
);
