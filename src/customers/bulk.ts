import { createMiddleware } from "hono/factory";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { updateCustomers } from "../db/update-customers";
import type { AuthenticatedEnv } from "../env";
import { fieldErrors } from "../http/errors";
import { bodyLimit, isObject, type JsonObject, jsonListBody, type ListBodyEnv, notADictionary } from "../http/json-body";
import { createRouter } from "../http/router";
import {
  answer,
  COMMON_PARAMETERS,
  EXAMPLE_CUSTOMER,
  empty,
  errors,
  type Operation,
  ref,
  tooLarge,
  writeOnly,
} from "../openapi/components";
import { type FieldErrors, toFieldErrors } from "../validation/errors";
import { primaryKey } from "../validation/fields";
import { inFieldOrder } from "./body";
import { type BulkItemInput, customerPatch, WRITABLE_FIELDS } from "./fields";
import { forbiddenFields, viewerOf } from "./gdpr";
import { customersResponse, noteSensitiveUpdate } from "./response";
import { CUSTOMER_NUMBER_TAKEN, refusedFields, refusedItems } from "./write-errors";

export const MAX_BULK_ITEMS = 100;
export const MAX_BULK_BODY_BYTES = 1024 * 1024;

/** One item of a bulk PATCH: the customer's id and any writable fields. */
export const bulkItem = z.strictObject({ ...customerPatch.shape, id: primaryKey() });

type BulkEnv = ListBodyEnv & AuthenticatedEnv;

/** Consumers without GDPR access may not write personal data in any item: 403 for the whole request. */
const guardBulkProtectedFields = createMiddleware<BulkEnv>(async function guardBulkProtectedFields(c, next) {
  const forbidden = new Set(c.var.items.filter(isObject).flatMap((body) => forbiddenFields(body, c.var.consumer.gdprAccess)));
  if (forbidden.size)
    return refusedFields(
      c,
      WRITABLE_FIELDS.filter((field) => forbidden.has(field)),
    );
  await next();
});

/**
 * Every item validated as a PATCH body is, plus its id: all errors at once, in DRF's ListSerializer
 * shape (an array in request order, `{}` for good items). An id or a customer number given twice is an
 * error of its later item.
 */
const validBulk = createMiddleware<BulkEnv, string, { in: { json: BulkItemInput[] }; out: { json: z.output<typeof bulkItem>[] } }>(
  async function validBulk(c, next) {
    const seenIds = new Set<number>();
    const seenNumbers = new Set<string>();
    const parsed: z.output<typeof bulkItem>[] = [];
    const errors = c.var.items.map((body): FieldErrors => {
      if (!isObject(body)) return notADictionary(body);
      const result = bulkItem.safeParse(body);
      if (!result.success) return inFieldOrder(toFieldErrors(result.error.issues), ["id"]);
      const { id, customer_number: number } = result.data;
      if (seenIds.has(id)) return { id: ["Duplicate id."] };
      seenIds.add(id);
      if (typeof number === "string" && number !== "") {
        if (seenNumbers.has(number)) return { customer_number: [CUSTOMER_NUMBER_TAKEN] };
        seenNumbers.add(number);
      }
      parsed.push(result.data);
      return {};
    });
    if (errors.some((entry) => Object.keys(entry).length)) return fieldErrors(c, errors);
    c.req.addValidatedData("json", parsed);
    await next();
  },
);

/**
 * PATCH /api/v2/customers/ — bulk partial update (for nightly imports): 1–100 items, each an id and
 * any writable fields, all applied in one atomic D1 batch or none (src/db/update-customers.ts).
 */
export const bulkPatchCustomers = createRouter().patch(
  "/",
  authenticate,
  requireScope("customers:write"),
  bodyLimit(MAX_BULK_BODY_BYTES),
  jsonListBody(MAX_BULK_ITEMS),
  guardBulkProtectedFields,
  validBulk,
  async (c) => {
    const items = c.req.valid("json").map(({ id, modified: _readOnly, ...changes }) => ({ id, changes }));
    const outcome = await updateCustomers(c.var.db, { items, viewer: viewerOf(c.var.consumer), requestId: c.var.requestId });
    switch (outcome.status) {
      case "updated":
        noteSensitiveUpdate(c, outcome.changedFields);
        return customersResponse(c, outcome.customers);
      case "refused": {
        if (outcome.items.some((item) => item.forbidden)) return refusedFields(c, ["restricted_type"]);
        const bodies = c.var.items as JsonObject[];
        const items = outcome.items.map(({ found, problems }, i) => ({ missing: !found, problems, body: bodies[i]! }));
        return refusedItems(c, items, { single: false });
      }
    }
  },
);

/** PATCH /api/v2/customers/ as the OpenAPI document describes it. */
export const bulkPatchOperation = (): Operation => ({
  method: "patch",
  path: "/api/v2/customers/",
  spec: {
    operationId: "bulkUpdateCustomers",
    tags: ["customers"],
    summary: "Update many customers",
    description: `1–${MAX_BULK_ITEMS} items, each the \`id\` of a customer and any writable fields, as a single PATCH takes them; all applied in one atomic D1 batch, or none. Errors come per item, in request order (\`{}\` for a good item); an id that is missing, hidden or repeated is its item's error. A protected field in any item without GDPR access is 403 for the whole request. Body at most 1 MiB. Needs \`customers:write\`.`,
    parameters: COMMON_PARAMETERS,
    requestBody: {
      required: true,
      description: "The items.",
      content: {
        "application/json": {
          schema: { type: "array", minItems: 1, maxItems: MAX_BULK_ITEMS, items: ref("schemas", "BulkItem") },
          example: [
            { id: 7, note: "Meter moved to the cellar" },
            { id: 8, no_sms: true },
          ],
        },
      },
    },
    responses: {
      "200": answer(
        "The customers after the change, in request order.",
        { type: "array", maxItems: MAX_BULK_ITEMS, items: ref("schemas", "Customer") },
        [{ ...EXAMPLE_CUSTOMER, note: "Meter moved to the cellar" }],
      ),
      "204": empty(`Done, ${writeOnly}.`),
      "400": answer(
        "Invalid items (an array of DRF's field errors in request order, `{}` for good items), or a body that is not a list.",
        {
          anyOf: [
            { type: "array", maxItems: MAX_BULK_ITEMS, items: ref("schemas", "FieldErrors") },
            ref("schemas", "FieldErrors"),
            ref("schemas", "Error"),
          ],
        },
        [{}, { email: ["Enter a valid email address."] }],
      ),
      "413": tooLarge(MAX_BULK_BODY_BYTES),
      ...errors("Forbidden", "UnsupportedMediaType"),
    },
  },
});
