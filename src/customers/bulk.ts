import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import * as z from "zod/mini";
import { authenticate } from "../auth/authenticate";
import { requireScope } from "../auth/require-scope";
import { bulkUpdate } from "../db/bulk-update";
import type { AppEnv, AuthenticatedEnv } from "../env";
import { details } from "../http/errors";
import { bodyLimit, isObject, jsonListBody, type ListBodyEnv, notADictionary } from "../http/json-body";
import { type FieldErrors, toFieldErrors } from "../validation/errors";
import { doesNotExist, primaryKey } from "../validation/fields";
import { CUSTOMER_NUMBER_TAKEN, forbiddenMessage, inFieldOrder, storedDataErrors } from "./body";
import { type CustomerPatch, customerPatch, WRITABLE_FIELDS } from "./fields";
import { forbiddenFields, PROTECTED_FIELDS, viewerOf } from "./gdpr";
import { refusalResponse } from "./outcome";
import { customersResponse } from "./response";

export const MAX_BULK_ITEMS = 100;
export const MAX_BULK_BODY_BYTES = 1024 * 1024;

/** One item of a bulk PATCH: the customer's id and any writable fields. */
export const bulkItem = z.strictObject({ ...customerPatch.shape, id: primaryKey() });
export type BulkItemInput = CustomerPatch & { id: number };

type BulkEnv = ListBodyEnv & AuthenticatedEnv;

/** Consumers without GDPR access may not write personal data in any item: 403 for the whole request. */
const guardBulkProtectedFields = createMiddleware<BulkEnv>(async function guardBulkProtectedFields(c, next) {
  const forbidden = new Set(c.var.items.filter(isObject).flatMap((body) => forbiddenFields(body, c.var.consumer.gdprAccess)));
  if (forbidden.size) {
    c.set("securityEvent", "authz_fail");
    return details(c, 403, forbiddenMessage(WRITABLE_FIELDS.filter((field) => forbidden.has(field))));
  }
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
    if (errors.some((entry) => Object.keys(entry).length)) {
      c.set("securityEvent", "input_validation_fail");
      return c.json(errors, 400);
    }
    c.req.addValidatedData("json", parsed);
    await next();
  },
);

/**
 * PATCH /api/v2/customers/ — bulk partial update (for nightly imports): 1–100 items, each an id and
 * any writable fields, all applied in one atomic D1 batch or none (src/db/bulk-update.ts).
 */
export const bulkPatchCustomers = new Hono<AppEnv>().patch(
  "/",
  authenticate,
  requireScope("customers:write"),
  bodyLimit(MAX_BULK_BODY_BYTES),
  jsonListBody(MAX_BULK_ITEMS),
  guardBulkProtectedFields,
  validBulk,
  async (c) => {
    const items = c.req.valid("json").map(({ id, modified: _readOnly, ...changes }) => ({ id, changes }));
    const outcome = await bulkUpdate(c.var.db, { items, viewer: viewerOf(c.var.consumer), requestId: c.var.requestId });
    switch (outcome.status) {
      case "updated": {
        if (outcome.changedFields.some((field) => PROTECTED_FIELDS.has(field))) c.set("securityEvent", "sensitive_update");
        return customersResponse(c, outcome.customers);
      }
      case "restricted_type_forbidden":
        return refusalResponse(c, outcome);
      case "invalid": {
        const bodies = c.var.items as Record<string, unknown>[];
        const errors = outcome.items.map(({ missing, problems }, index) =>
          missing ? { id: [doesNotExist(bodies[index]!.id)] } : storedDataErrors(problems, bodies[index]!),
        );
        c.set("securityEvent", "input_validation_fail");
        return c.json(errors, 400);
      }
    }
  },
);
