import * as z from "zod/mini";
import { guardProtectedFields, parseBody } from "../../customers/body";
import { changesOf, customerCreate } from "../../customers/fields";
import { customerAnswer, viewerOf } from "../../customers/gdpr";
import { idempotencyOf, replayed } from "../../customers/idempotency";
import { invalidBody, refusedWrite } from "../../customers/refusals";
import { createdResponse } from "../../customers/response";
import { createCustomer } from "../../db/create-customer";
import { errorBody } from "../../http/errors";
import { MAX_BODY_BYTES } from "../../http/json-body";
import { DETAILS } from "../../http/messages";
import { operation } from "../operation";

/**
 * POST /api/v2/customers/ — 201 with Location and ETag. With `Idempotency-Key`, a retry with the same
 * body (byte for byte) within 24 hours answers the first result again.
 */
export const createCustomerRoute = operation(
  {
    method: "post",
    path: "/api/v2/customers/",
    operationId: "createCustomer",
    summary: "Create a customer",
    description: "Personal data needs GDPR access. With Idempotency-Key a retry is safe.",
    access: { scope: "customers:write" },
    headers: ["Idempotency-Key"],
    body: {
      shape: "object",
      maxBytes: MAX_BODY_BYTES,
      schema: customerCreate,
      description: "The new customer: `name` and any other writable fields.",
      example: { name: "Aino Virtanen", email: "aino@example.fi", country: "FI" },
    },
    answers: {
      201: {
        description:
          "Created (or, for a retry with the same Idempotency-Key, the first result again): the customer and its ETag; for a consumer without `customers:read`, which never receives a customer's data, only its id.",
        body: z.union([customerAnswer, z.strictObject({ id: z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int64" }) })]),
        headers: ["ETag", "Location"],
      },
      400: "ValidationError",
      404: "NotFound",
      409: { description: "The Idempotency-Key was used with another body.", body: errorBody, example: { details: DETAILS.keyReused } },
    },
  },
  guardProtectedFields,
  async function postCustomer(c) {
    const parsed = parseBody(customerCreate, c.var.body);
    if (!parsed.valid) return invalidBody(c, parsed);
    const values = changesOf(parsed.data);
    const now = new Date().toISOString();
    const idempotency = await idempotencyOf(c, values, now);
    if (idempotency instanceof Response) return idempotency;
    const outcome = await createCustomer(c.var.db, {
      values,
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      now,
      idempotency,
    });
    switch (outcome.status) {
      case "created":
        return createdResponse(c, outcome.customer);
      case "earlier":
        return replayed(c, outcome, idempotency!.keyHash);
      case "refused":
        return refusedWrite(c, outcome.facts, c.var.body);
    }
  },
);
