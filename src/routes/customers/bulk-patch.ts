import * as z from "zod/mini";
import { guardBulkProtectedFields, parseBulk } from "../../customers/body";
import { bulkItem, changesOf } from "../../customers/fields";
import { customerAnswer, viewerOf } from "../../customers/gdpr";
import { refusedFields, refusedItems } from "../../customers/refusals";
import { customersResponse, noteSensitiveUpdate } from "../../customers/response";
import { updateCustomers } from "../../db/update-customers";
import { errorBody, fieldErrors } from "../../http/errors";
import type { JsonObject } from "../../http/json-body";
import { fieldErrorsBody } from "../../validation/errors";
import { operation } from "../operation";

const MAX_BULK_ITEMS = 100;
const MAX_BULK_BODY_BYTES = 1024 * 1024;

/**
 * PATCH /api/v2/customers/ — bulk partial update (for nightly imports): 1–100 items, each an id and
 * any writable fields, all applied in one atomic D1 batch or none (src/db/update-customers.ts).
 */
export const bulkPatchCustomersRoute = operation(
  {
    method: "patch",
    path: "/api/v2/customers/",
    operationId: "bulkUpdateCustomers",
    summary: "Update many customers",
    description: `1–${MAX_BULK_ITEMS} items, each the \`id\` of a customer and any writable fields, as a single PATCH takes them; all applied in one atomic D1 batch, or none. Errors come per item, in request order (\`{}\` for a good item); an id that is missing, hidden or repeated is its item's error. A protected field in any item without GDPR access is 403 for the whole request.`,
    access: { scope: "customers:write" },
    body: {
      shape: "list",
      maxItems: MAX_BULK_ITEMS,
      maxBytes: MAX_BULK_BODY_BYTES,
      schema: z.array(bulkItem).check(z.minLength(1), z.maxLength(MAX_BULK_ITEMS)),
      description: "The items.",
      example: [
        { id: 7, note: "Meter moved to the cellar" },
        { id: 8, no_sms: true },
      ],
    },
    answers: {
      200: {
        description: "The customers after the change, in request order.",
        body: z.array(customerAnswer).check(z.maxLength(MAX_BULK_ITEMS)),
      },
      204: { description: "Done, for a consumer without `customers:read`, which never receives a customer's data." },
      400: {
        description: "Invalid items (an array of DRF's field errors in request order, `{}` for good items), or a body that is not a list.",
        body: z.union([z.array(fieldErrorsBody).check(z.maxLength(MAX_BULK_ITEMS)), fieldErrorsBody, errorBody]),
        example: [{}, { email: ["Enter a valid email address."] }],
      },
    },
  },
  guardBulkProtectedFields,
  async function patchCustomers(c) {
    const parsed = parseBulk(c.var.items);
    if (!parsed.valid) return fieldErrors(c, parsed.errors);
    const items = parsed.items.map((item) => ({ id: item.id, changes: changesOf(item) }));
    const outcome = await updateCustomers(c.var.db, { items, viewer: viewerOf(c.var.consumer), requestId: c.var.requestId });
    switch (outcome.status) {
      case "updated":
        noteSensitiveUpdate(c, outcome.changedFields);
        return customersResponse(c, outcome.customers);
      case "refused": {
        if (outcome.items.some((item) => item.forbidden)) return refusedFields(c, ["restricted_type"]);
        const bodies = c.var.items as JsonObject[];
        return refusedItems(
          c,
          outcome.items.map(({ found, problems }, i) => ({ missing: !found, problems, body: bodies[i]! })),
          { single: false },
        );
      }
    }
  },
);
