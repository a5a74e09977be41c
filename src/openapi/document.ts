/**
 * The OpenAPI 3.1 document, put together from the description each operation keeps beside its route
 * and the shared components; its schemas come from the zod schemas that validate requests. Built by
 * `npm run build:assets` (scripts/build-openapi.ts), never in the Worker.
 */
import * as z from "zod/mini";
import { bulkPatchOperation } from "../customers/bulk";
import { customerChangesOperation } from "../customers/changes";
import { createCustomerOperation } from "../customers/create";
import { deleteCustomerOperation } from "../customers/delete";
import { changesOperation } from "../customers/feed";
import { customerFields, customerResource } from "../customers/fields";
import { PROTECTED_FIELDS } from "../customers/gdpr";
import { getCustomerOperation } from "../customers/get";
import { listCustomersOperation } from "../customers/list";
import { patchCustomerOperation } from "../customers/patch";
import { docsOperations } from "../docs";
import { healthOperation } from "../health";
import { primaryKey } from "../validation/fields";
import {
  COMMON_HEADERS,
  cursorPageOf,
  ERROR_SCHEMA,
  FIELD_ERRORS_SCHEMA,
  headers,
  type Json,
  jsonSchema,
  type Operation,
  pageOf,
  parameters,
  ref,
  responses,
  text,
} from "./components";

const OPERATIONS = (): Operation[] => [
  listCustomersOperation(),
  bulkPatchOperation(),
  createCustomerOperation(),
  getCustomerOperation(),
  patchCustomerOperation(),
  deleteCustomerOperation(),
  customerChangesOperation(),
  changesOperation(),
  ...docsOperations(),
  healthOperation(),
];

/** A customer as answered: the protected fields are there only for consumers with GDPR access. */
function customerSchema(): Json {
  const schema = jsonSchema(customerResource) as Json & { required: string[]; properties: Record<string, Json> };
  for (const field of PROTECTED_FIELDS) {
    schema.properties[field] = {
      ...schema.properties[field],
      description: "Personal data: only for consumers with GDPR access `normal` or `extended`.",
    };
  }
  return { ...schema, required: schema.required.filter((field) => !PROTECTED_FIELDS.has(field as never)) };
}

/** The body of a PATCH: any writable field; unknown fields are refused. A decimal may come as a number too. */
function patchSchema(): Json {
  const schema = jsonSchema(z.partial(z.strictObject(customerFields))) as Json & { properties: Record<string, Json> };
  const [decimal, nothing] = schema.properties.cooperative_sum!.anyOf as Json[];
  schema.properties.cooperative_sum = {
    description:
      'A decimal with at most 12 digits and 2 decimals, not negative: a string (`"1250.00"`) or a number (`1250`); answered as a string.',
    anyOf: [decimal, { type: "number", minimum: 0, maximum: 9_999_999_999.99 }, nothing],
  };
  return schema;
}

const changeSchema = () => ({
  type: "object",
  properties: {
    id: {
      type: "integer",
      format: "int64",
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "The entry's number in its customer's trail (1 = the creation), as this consumer counts the entries.",
    },
    customer: { type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    consumer: {
      description: "The consumer that made the change; null for an erasure (ids only).",
      anyOf: [{ type: "integer", format: "int64", minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, { type: "null" }],
    },
    request_id: { description: "The service's id of the request; null for an erasure.", anyOf: [text(255), { type: "null" }] },
    at: text(24, { format: "date-time" }),
    action: { type: "string", enum: ["create", "update", "delete"] },
    fields: { type: "array", maxItems: Object.keys(customerFields).length, items: { type: "string", enum: Object.keys(customerFields) } },
  },
  required: ["id", "customer", "consumer", "request_id", "at", "action", "fields"],
  additionalProperties: false,
});

export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const { method, path, spec } of OPERATIONS()) {
    // Every path answers the methods it does not serve with 405: said once here for every operation.
    paths[path] = {
      ...paths[path],
      [method]: { ...spec, responses: { ...(spec.responses as Json), "405": ref("responses", "MethodNotAllowed") } },
    };
  }
  const patch = patchSchema();
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer API",
      version: "2.0.0",
      description: `Customer records of a water utility, for its integrations (billing, customer portals, field apps). Names, e-mails, phones and ids are personal data under GDPR: every consumer has a GDPR access level. Errors are \`{"details": …}\` or DRF's field errors. ${COMMON_HEADERS}`,
      contact: { name: "Customer API team", email: "customer-api@example.fi" },
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "This deployment: production, staging or local development alike.", "x-internal": false }],
    security: [{ key: [] }],
    tags: [
      { name: "customers", description: "Customer records and their audit trail." },
      { name: "service", description: "The service itself." },
    ],
    paths,
    components: {
      securitySchemes: {
        key: {
          type: "http",
          scheme: "bearer",
          description:
            "Your integration's key alone, 40 hexadecimal characters (`Authorization: Bearer <key>`; the service takes `Token <key>` too). In /docs, paste the key into Authorize.",
        },
      },
      schemas: {
        Customer: customerSchema(),
        CustomerPatch: patch,
        CustomerCreate: { ...patch, required: ["name"] },
        BulkItem: { ...patch, properties: { ...(patch.properties as Json), id: jsonSchema(primaryKey()) }, required: ["id"] },
        CustomerPage: pageOf(ref("schemas", "Customer"), "A page of customers."),
        CustomerCursorPage: cursorPageOf(ref("schemas", "Customer"), "A page of customers in cursor mode.", {
          changes: {
            ...text(4096, { format: "uri" }),
            description: "On the first page: the change feed from just before the pages were read (docs: keep a copy in sync).",
          },
        }),
        Change: changeSchema(),
        ChangePage: pageOf(ref("schemas", "Change"), "A page of the audit trail."),
        ChangeCursorPage: cursorPageOf(ref("schemas", "Change"), "A page of the audit trail in cursor mode."),
        Error: ERROR_SCHEMA,
        FieldErrors: FIELD_ERRORS_SCHEMA,
      },
      parameters: parameters(),
      headers: headers(),
      responses: responses(),
    },
  };
}
