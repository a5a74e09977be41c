import { getTableColumns, sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { DIMENSIONS, type Dimension, FAMILIES, familyIndex } from "./filters";

/** ISO 8601 UTC with milliseconds, e.g. 2026-11-27T08:15:00.123Z. */
const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** GDPR access levels, in order: none < normal < extended. */
export const GDPR_LEVELS = ["none", "normal", "extended"] as const;
export type GdprLevel = (typeof GDPR_LEVELS)[number];

/** Rate-limit tiers of API consumers (docs/rate-limits.md); `unlimited` is for bulk sync jobs. */
export const RATE_TIERS = ["standard", "high", "unlimited"] as const;
export type RateTier = (typeof RATE_TIERS)[number];

const count = () => integer().notNull();

// Reference data (fixed ids ship in a migration; see the README).

export const restrictedTypes = sqliteTable(
  "restricted_types",
  {
    id: integer().primaryKey(),
    name: text().notNull(),
    protection_level: text({ enum: ["normal", "extended"] }).notNull(),
  },
  (t) => [check("restricted_types_level", sql`${t.protection_level} IN ('normal', 'extended')`)],
);

export const languages = sqliteTable("languages", {
  id: integer().primaryKey(),
  code: text().notNull().unique(),
});

export const customerStatuses = sqliteTable("customer_statuses", {
  id: integer().primaryKey(),
  name: text().notNull(),
});

export const customerTypes = sqliteTable("customer_types", {
  id: integer().primaryKey(),
  name: text().notNull(),
});

export const waterDatabases = sqliteTable("water_databases", {
  id: integer().primaryKey(),
  name: text().notNull(),
});

export const addresses = sqliteTable("addresses", {
  id: integer().primaryKey(),
  street: text().notNull(),
  postal_code: text(),
  city: text(),
});

export const apartments = sqliteTable("apartments", {
  id: integer().primaryKey(),
  address: integer().references(() => addresses.id),
  label: text().notNull(),
});

// Column names are the API's field names, so a row needs no renaming on its way out.
export const customers = sqliteTable(
  "customers",
  {
    // AUTOINCREMENT: an id is never reused, an erased customer's included, so its audit entries stay
    // its own. A new customer's id also skips a random number of ids (src/db/create-customer.ts).
    id: integer().primaryKey({ autoIncrement: true }),
    customer_number: text().unique(),
    identification: text(),
    name: text().notNull(),
    name_ext: text(),
    email: text(),
    phone: text(),
    phone2: text(),
    two_sms_numbers: integer({ mode: "boolean" }).notNull().default(false),
    no_sms: integer({ mode: "boolean" }).notNull().default(false),
    personal_id: text(),
    invoice_name: text(),
    invoice_country: text(),
    country: text(),
    note: text(),
    editable_by_customer: integer({ mode: "boolean" }).notNull().default(false),
    cooperative_member: integer({ mode: "boolean" }).notNull().default(false),
    cooperative_date: text(),
    cooperative_reimbursement_date: text(),
    // Exact decimal kept as its canonical two-decimal string ("1250.00").
    cooperative_sum: text(),
    address: integer().references(() => addresses.id),
    language: integer().references(() => languages.id),
    restricted_type: integer().references(() => restrictedTypes.id),
    status: integer().references(() => customerStatuses.id),
    type: integer().references(() => customerTypes.id),
    apartment: integer().references(() => apartments.id),
    water_database: integer().references(() => waterDatabases.id),
    modified: text().notNull().default(nowIso),
    // Bumped by every write; the ETag of a consumer that sees hidden customers is "<version>".
    version: integer().notNull().default(1),
    // The version as consumers that do not see hidden customers count it: writes made while the
    // customer was hidden from them are not counted, so neither its ETag nor its trail numbers them.
    shown_version: integer().notNull().default(1),
  },
  (t) => [
    check(
      "customers_cooperative_dates",
      sql`${t.cooperative_reimbursement_date} IS NULL OR ${t.cooperative_date} IS NULL OR ${t.cooperative_reimbursement_date} >= ${t.cooperative_date}`,
    ),
    // No dimension filtered: ordered by date (the id breaks ties), or a date range in any ordering.
    // It covers the sort keys and the GDPR test, so a range reads no table row but the page's.
    index("customers_modified_covering").on(t.modified, t.id, t.customer_number, t.restricted_type),
    // Any combination of dimensions, in each sort order (src/db/filters.ts).
    ...FAMILIES.flatMap((family) =>
      (["id", "modified", "customer_number"] as const).map((sort) => {
        const { name, columns } = familyIndex(family, sort);
        const [first, ...rest] = columns.map((column) => t[column]);
        return index(name).on(first!, ...rest);
      }),
    ),
  ],
);

/**
 * How many customers there are per combination of the list's dimensions (a null dimension counts
 * under 0) and per view of the GDPR policy (`hidden`: at level `extended`). Kept by triggers on
 * customers (src/db/triggers.ts) in the same statement as each write, so a list's count reads at most
 * one row per combination instead of the table.
 */
export const customerCounts = sqliteTable(
  "customer_counts",
  {
    ...(Object.fromEntries(DIMENSIONS.map((name) => [name, count()])) as Record<Dimension, ReturnType<typeof count>>),
    hidden: integer({ mode: "boolean" }).notNull(),
    n: integer().notNull(),
  },
  (t) => {
    const [first, ...rest] = [...DIMENSIONS.map((name) => t[name]), t.hidden];
    return [primaryKey({ columns: [first!, ...rest] })];
  },
);

/**
 * Customer numbers that a customer held and gave up (changed, or erased with it): a number is never
 * given again, so that to a consumer that cannot see a hidden customer its number answers exactly as
 * an erased customer's (docs/security.md). Kept by triggers on customers (src/db/triggers.ts).
 */
export const releasedCustomerNumbers = sqliteTable("released_customer_numbers", {
  customer_number: text().primaryKey(),
});

/**
 * How many audit entries each customer's trail has: all of them, and those its trail shows consumers
 * that do not see hidden customers. Kept by triggers on customer_changes (src/db/triggers.ts).
 */
export const changeCounts = sqliteTable("change_counts", {
  customer_id: integer().primaryKey(),
  n: integer().notNull(),
  shown: integer().notNull().default(0),
});

export const apiConsumers = sqliteTable(
  "api_consumers",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull(),
    // Space-separated, e.g. "customers:read customers:write".
    scopes: text().notNull(),
    gdpr_access: text({ enum: GDPR_LEVELS }).notNull(),
    // SHA-256 of the key, hex. The key itself is never stored.
    key_hash: text().notNull().unique(),
    created_at: text().notNull().default(nowIso),
    expires_at: text(),
    revoked_at: text(),
    rate_tier: text({ enum: RATE_TIERS }).notNull().default("standard"),
  },
  (t) => [check("api_consumers_gdpr_access", sql`${t.gdpr_access} IN ('none', 'normal', 'extended')`)],
);

// The audit trail. customer_id has no foreign key: entries outlive an erased customer.
export const customerChanges = sqliteTable(
  "customer_changes",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    customer_id: integer().notNull(),
    consumer_id: integer()
      .notNull()
      .references(() => apiConsumers.id),
    request_id: text().notNull(),
    at: text().notNull(),
    action: text({ enum: ["create", "update", "delete"] }).notNull(),
    // JSON array of the names of the fields that changed; never their values.
    fields: text().notNull(),
    // Whether the customer was at protection level `extended` before and after the write: the change
    // feed shows a customer that becomes hidden as an erasure, and one that reappears as a creation.
    hidden_before: integer({ mode: "boolean" }).notNull().default(false),
    hidden_after: integer({ mode: "boolean" }).notNull().default(false),
    // The customer's version and shown version after the write: the entry's number in its trail, as
    // each view of the GDPR policy numbers it (never the global id, which counts other customers' writes).
    version: integer().notNull().default(0),
    shown_version: integer().notNull().default(0),
  },
  (t) => [
    check("customer_changes_action", sql`${t.action} IN ('create', 'update', 'delete')`),
    index("customer_changes_customer").on(t.customer_id, t.id),
  ],
);

/**
 * Idempotency-Key of a POST: which customer a consumer's key created, the SHA-256 of the key (a
 * client's text is never kept), and, sealed under the Worker's sealing key (src/customers/
 * idempotency.ts), the created customer and the SHA-256 of the request body, for a replay of the first
 * result: a copy of the database alone holds no personal data of it. Erasing the customer overwrites
 * and clears the copy; the scheduled purge deletes records after 24 hours.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    consumer_id: integer()
      .notNull()
      .references(() => apiConsumers.id),
    key_hash: text().notNull(),
    customer_id: integer().notNull(),
    created_at: text().notNull(),
    copy: text(),
  },
  (t) => [
    primaryKey({ columns: [t.consumer_id, t.key_hash] }),
    index("idempotency_keys_created").on(t.created_at),
    index("idempotency_keys_customer").on(t.customer_id),
  ],
);

/** A subscription is `active` (delivered to) or `disabled` (by its consumer, or after 3 days of failures). */
export const WEBHOOK_STATUSES = ["active", "disabled"] as const;

/**
 * Webhook subscriptions: a consumer's change feed, delivered to a URL (src/webhooks/). The id is random,
 * so that it counts nothing. `position` is the feed position after the last entry the receiver
 * accepted; the delivery in progress is its `message_*` (its webhook-id, how many entries, since when),
 * retried as it is until it is accepted. The signing secrets are sealed under the Worker's sealing key
 * (`sealed_with` names the slot), so that a copy of the database alone cannot sign.
 */
export const webhookSubscriptions = sqliteTable(
  "webhook_subscriptions",
  {
    id: text().primaryKey(),
    consumer_id: integer()
      .notNull()
      .references(() => apiConsumers.id),
    url: text().notNull(),
    description: text().notNull().default(""),
    status: text({ enum: WEBHOOK_STATUSES }).notNull().default("active"),
    disabled_reason: text(),
    created: text().notNull(),
    // The API's origin as the consumer called it: the deliveries' feed links are built on it.
    origin: text().notNull(),
    position: integer().notNull(),
    secret: text().notNull(),
    previous_secret: text(),
    previous_secret_until: text(),
    sealed_with: text().notNull(),
    message_id: text(),
    message_entries: integer(),
    message_created: text(),
    failures: integer().notNull().default(0),
    failing_since: text(),
  },
  (t) => [
    check("webhook_subscriptions_status", sql`${t.status} IN ('active', 'disabled')`),
    index("webhook_subscriptions_consumer").on(t.consumer_id),
  ],
);

/** The latest delivery attempts of each subscription (no payloads, nor the receiver's answer). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    subscription_id: text().notNull(),
    message_id: text().notNull(),
    attempt: integer().notNull(),
    at: text().notNull(),
    // The receiver's HTTP status, or why there was none.
    status: integer(),
    error: text(),
    duration_ms: integer().notNull(),
    entries: integer().notNull(),
  },
  (t) => [index("webhook_deliveries_subscription").on(t.subscription_id, t.id)],
);

export type Customer = typeof customers.$inferSelect;
/** Columns the database keeps for itself: the versions travel as the ETag. */
const BOOKKEEPING = ["version", "shown_version"] as const;
/** A customer's fields as the API shows them. */
export type CustomerField = Exclude<keyof Customer, (typeof BOOKKEEPING)[number]>;
/** The fields a client may write. */
export type WritableField = Exclude<CustomerField, "id" | "modified">;
export type CustomerChanges = Partial<Pick<Customer, WritableField>>;
/** The writable fields in table order, which is the order of the API's field table. */
export const WRITABLE_FIELDS = Object.keys(getTableColumns(customers)).filter(
  (name) => !["id", "modified", ...BOOKKEEPING].includes(name),
) as WritableField[];
export type CustomerChange = typeof customerChanges.$inferSelect;
export type ApiConsumer = typeof apiConsumers.$inferSelect;
export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
