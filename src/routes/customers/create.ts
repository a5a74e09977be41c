import * as z from "zod/mini";
import { sha256Hex } from "../../crypto/sha256";
import { guardProtectedFields, parseBody } from "../../customers/body";
import { changesOf, customerCreate } from "../../customers/fields";
import { customerAnswer, viewerOf } from "../../customers/gdpr";
import { invalidBody, refusedWrite } from "../../customers/refusals";
import { createdResponse } from "../../customers/response";
import { createCustomer } from "../../db/create-customer";
import { errorAnswer, errorBody } from "../../http/errors";
import { MAX_BODY_BYTES } from "../../http/json-body";
import { DETAILS } from "../../http/messages";
import { operation } from "../operation";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

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
          "Created (or, for a retry with the same Idempotency-Key, the first result again): the customer; for a consumer without `customers:read`, which never receives a customer's data, only its id.",
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
    const key = c.req.header("Idempotency-Key");
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return errorAnswer(c, 400, DETAILS.badIdempotencyKey);
    const outcome = await createCustomer(c.var.db, {
      values: changesOf(parsed.data),
      viewer: viewerOf(c.var.consumer),
      requestId: c.var.requestId,
      idempotency: key === undefined ? undefined : { keyHash: await sha256Hex(key), requestHash: await sha256Hex(c.var.bytes) },
    });
    switch (outcome.status) {
      case "created":
        return createdResponse(c, outcome.customer);
      case "replayed":
        // The customer was erased since, or is hidden from this consumer: there is nothing to answer with.
        return outcome.customer ? createdResponse(c, outcome.customer) : errorAnswer(c, 404, DETAILS.notFound);
      case "key_reused":
        return errorAnswer(c, 409, DETAILS.keyReused);
      case "refused":
        return refusedWrite(c, outcome.facts, c.var.body);
    }
  },
);
