import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { hashKey, newKey } from "../src/auth/keys";
import type { GdprLevel, RateTier } from "../src/db/schema";

export const BASE = "http://api.test/api/v2";

type ConsumerOptions = {
  scopes?: string;
  gdpr?: GdprLevel;
  revoked?: boolean;
  expiresAt?: string;
  /** `unlimited` unless a test is about rate limits: limiter state outlives a test file's D1. */
  tier?: RateTier;
};

/** Issues a key the way the consumer command does: only its SHA-256 hash is stored. */
export async function createConsumer(options: ConsumerOptions = {}) {
  const { scopes = "customers:read customers:write", gdpr = "normal", revoked = false, expiresAt = null, tier = "unlimited" } = options;
  const key = newKey();
  const row = await env.DB.prepare(
    `INSERT INTO api_consumers (name, scopes, gdpr_access, key_hash, expires_at, revoked_at, rate_tier)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
    .bind(`test ${gdpr}`, scopes, gdpr, await hashKey(key), expiresAt, revoked ? new Date().toISOString() : null, tier)
    .first<{ id: number }>();
  return { key, id: row!.id };
}

export async function createCustomer(fields: Record<string, unknown> = {}): Promise<number> {
  const values = { name: "Maija Meikäläinen", ...fields };
  const names = Object.keys(values);
  const row = await env.DB.prepare(`INSERT INTO customers (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING id`)
    .bind(...Object.values(values))
    .first<{ id: number }>();
  return row!.id;
}

export async function readCustomer(id: number) {
  return env.DB.prepare("SELECT * FROM customers WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

export async function auditOf(id: number) {
  const { results } = await env.DB.prepare("SELECT * FROM customer_changes WHERE customer_id = ? ORDER BY id")
    .bind(id)
    .all<{ consumer_id: number; request_id: string; action: string; fields: string; at: string }>();
  return results;
}

/** A client address of its own for each request, unless the test names one (see rate-limit.test.ts). */
const randomAddress = () => `198.51.100.${Math.floor(Math.random() * 250)}:${crypto.randomUUID()}`;

export function request(path: string, init: RequestInit & { key?: string } = {}) {
  const { key, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key && !headers.has("Authorization")) headers.set("Authorization", `Token ${key}`);
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", randomAddress());
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...rest, headers }));
}

export function patch(id: number | string, body: unknown, key: string, headers: Record<string, string> = {}) {
  return request(`/customers/${id}/`, {
    method: "PATCH",
    key,
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function roundTrips(response: Response): number {
  const match = /^db;desc="round-trips=(\d+)";dur=[\d.]+$/.exec(response.headers.get("Server-Timing") ?? "");
  if (!match) throw new Error(`bad Server-Timing: ${response.headers.get("Server-Timing")}`);
  return Number(match[1]);
}

/** The demo data of `npm run dev`: customers 1–500 with their addresses, apartments and water databases. */
export async function loadDemoData() {
  await env.DB.batch(env.TEST_DEMO_DATA.map((statement) => env.DB.prepare(statement)));
}

/** SHA-256 as hex, computed here rather than by the code under test. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function get(path: string, key: string, headers: Record<string, string> = {}) {
  return request(path, { key, headers });
}

/** A value for every writable field (references to the reference data only): the largest PATCH body. */
export function everyField(customerNumber: string, note: string) {
  return {
    customer_number: customerNumber,
    identification: "x",
    name: "N",
    name_ext: "x",
    email: "a@b.fi",
    phone: "1",
    phone2: "2",
    two_sms_numbers: true,
    no_sms: true,
    personal_id: "p",
    invoice_name: "i",
    invoice_country: "FI",
    country: "SE",
    note,
    editable_by_customer: true,
    cooperative_member: true,
    cooperative_date: "2026-01-01",
    cooperative_reimbursement_date: "2026-02-01",
    cooperative_sum: "1.00",
    address: null,
    language: 1,
    restricted_type: 1,
    status: 1,
    type: 1,
    apartment: null,
    water_database: null,
  };
}
