import type * as z from "zod/mini";
import { changeEntry } from "../customers/entries";
import { feedPage } from "../customers/feed-position";
import { customerAnswer } from "../customers/gdpr";
import { errorBody } from "../http/errors";
import { DETAILS } from "../http/messages";
import { customerCursorPage, customerPage } from "../routes/customers/list";
import { changeCursorPage, changePage } from "../routes/customers/trail";
import { fieldErrorsBody } from "../validation/errors";
import { attemptAnswer, createdSubscription, rotatedSecret, subscriptionAnswer, webhookCreate, webhookPatch } from "../webhooks/fields";
import { DELIVERY_TYPE, deliveryBody } from "../webhooks/message";

// Realistic examples, one per shape the document names (demo customer 7 and its trail), checked
// against their schemas by test/openapi.test.ts. An answer gives its own where it says more.

/** A customer of the demo data (customer 7), as a consumer with GDPR access `normal` reads it. */
export const EXAMPLE_CUSTOMER = {
  id: 7,
  customer_number: "C-100007",
  identification: null,
  name: "Niko Korhonen",
  name_ext: null,
  email: "niko.korhonen7@example.fi",
  phone: "+358 40 9437419",
  phone2: null,
  two_sms_numbers: false,
  no_sms: false,
  personal_id: null,
  invoice_name: null,
  invoice_country: null,
  country: "FI",
  note: null,
  editable_by_customer: false,
  cooperative_member: false,
  cooperative_date: null,
  cooperative_reimbursement_date: null,
  cooperative_sum: null,
  address: 42,
  language: 3,
  restricted_type: null,
  status: 1,
  type: 1,
  apartment: null,
  water_database: 1,
  modified: "2026-11-27T08:15:00.123Z",
};

/** An audit entry of the demo customer: its second, an update of two fields. */
const EXAMPLE_ENTRY = {
  id: 2,
  customer: 7,
  consumer: 3,
  request_id: "0b6a6f3e-2d9c-4a57-9c59-6d0f2c1f8e41",
  at: "2026-11-27T08:15:00.123Z",
  action: "update",
  fields: ["phone", "note"],
};

const URL = "https://customers.example.fi/api/v2";
const CURSOR = "d8T1kq0Jm2n4V-b7cXo3sA";
const FEED_URL = `${URL}/changes/?after=${CURSOR}&limit=100`;

const SUBSCRIPTION = {
  id: "5f0c2a9e-7b1d-4c3e-9a8f-2d6e4b1c0a57",
  url: "https://billing.example.fi/hooks/customers",
  description: "Billing sync",
  status: "active",
  disabled_reason: null,
  created: "2026-11-27T08:00:00.000Z",
  failing_since: null,
};
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3oVHOgAh9/k=";
const WEBHOOK_ID = "msg_2f7d3c1a-9e4b-4d8a-b6c2-7a1e5f0d9b3c";

/** The example of each named shape. */
export const WEBHOOK_EXAMPLE_ID = WEBHOOK_ID;

export const EXAMPLES = new Map<z.ZodMiniType, unknown>([
  [customerAnswer, EXAMPLE_CUSTOMER],
  [customerPage, { count: 500, next: `${URL}/customers/?limit=1&offset=1`, previous: null, results: [EXAMPLE_CUSTOMER] }],
  [
    customerCursorPage,
    {
      next: `${URL}/customers/?pagination=cursor&limit=1&cursor=${CURSOR}`,
      previous: null,
      results: [EXAMPLE_CUSTOMER],
      changes: FEED_URL,
    },
  ],
  [changeEntry, EXAMPLE_ENTRY],
  [changePage, { count: 2, next: null, previous: null, results: [EXAMPLE_ENTRY] }],
  [changeCursorPage, { next: null, previous: null, results: [EXAMPLE_ENTRY] }],
  [feedPage, { next: FEED_URL, results: [EXAMPLE_ENTRY] }],
  [subscriptionAnswer, SUBSCRIPTION],
  [createdSubscription, { ...SUBSCRIPTION, secret: SECRET }],
  [webhookCreate, { url: SUBSCRIPTION.url, description: SUBSCRIPTION.description }],
  [webhookPatch, { status: "active" }],
  [rotatedSecret, { secret: SECRET }],
  [
    attemptAnswer,
    { webhook_id: WEBHOOK_ID, attempt: 1, at: "2026-11-27T08:15:01.204Z", status: 200, error: null, duration_ms: 87, entries: 1 },
  ],
  [deliveryBody, { type: DELIVERY_TYPE, timestamp: "2026-11-27T08:15:01.117Z", data: { results: [EXAMPLE_ENTRY], next: FEED_URL } }],
  [errorBody, { details: DETAILS.notFound }],
  [fieldErrorsBody, { email: ["Enter a valid email address."], address: ['Invalid pk "9" - object does not exist.'] }],
]);
