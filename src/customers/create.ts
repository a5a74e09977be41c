import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { sha256Hex } from "../crypto/sha256";
import { createCustomer as create } from "../db/create-customer";
import type { Customer } from "../db/schema";
import { details, MESSAGES } from "../http/errors";
import { bodyLimit, jsonObjectBody, MAX_BODY_BYTES } from "../http/json-body";
import { createRouter } from "../http/router";
import {
  answer,
  body,
  COMMON_PARAMETERS,
  EXAMPLE_CUSTOMER,
  errors,
  id,
  type Operation,
  ref,
  tooLarge,
  writeOnly,
} from "../openapi/components";
import { guardProtectedFields, validCreate } from "./body";
import { viewerOf } from "./gdpr";
import { customerResponse } from "./response";
import { refusedWrite } from "./write-errors";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * POST /api/v2/customers/ — 201 with Location and ETag. With `Idempotency-Key`, a retry
 * with the same body (byte for byte) within 24 hours answers the first result again.
 */
export const createCustomer = createRouter().post(
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
        return outcome.customer ? created(outcome.customer) : details(c, 404, MESSAGES.notFound);
      case "key_reused":
        return details(c, 409, "This Idempotency-Key was already used with another request body.");
      case "refused":
        return refusedWrite(c, outcome.facts, c.var.body);
    }
  },
);

/** POST /api/v2/customers/ as the OpenAPI document describes it. */
export const createCustomerOperation = (): Operation => ({
  method: "post",
  path: "/api/v2/customers/",
  spec: {
    operationId: "createCustomer",
    tags: ["customers"],
    summary: "Create a customer",
    description: "Needs `customers:write`; personal data needs GDPR access. With Idempotency-Key a retry is safe.",
    parameters: [ref("parameters", "IdempotencyKey"), ...COMMON_PARAMETERS],
    requestBody: body("CustomerCreate", "The new customer: `name` and any other writable fields.", {
      name: "Aino Virtanen",
      email: "aino@example.fi",
      country: "FI",
    }),
    responses: {
      "201": answer(
        `Created (or, for a retry with the same Idempotency-Key, the first result again): the customer; ${writeOnly}, only its id.`,
        {
          anyOf: [ref("schemas", "Customer"), { type: "object", properties: { id: id() }, required: ["id"], additionalProperties: false }],
        },
        {
          ...EXAMPLE_CUSTOMER,
          id: 1207,
          customer_number: null,
          name: "Aino Virtanen",
          email: "aino@example.fi",
          phone: null,
          address: null,
          language: null,
          status: null,
          type: null,
          water_database: null,
        },
        "ETag",
        "Location",
      ),
      "409": answer("The Idempotency-Key was used with another body.", ref("schemas", "Error"), {
        details: "This Idempotency-Key was already used with another request body.",
      }),
      "413": tooLarge(MAX_BODY_BYTES),
      ...errors("ValidationError", "Forbidden", "NotFound", "UnsupportedMediaType"),
    },
  },
});
