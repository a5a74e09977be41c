import type { Context } from "hono";
import * as z from "zod/mini";
import { sha256Hex } from "../crypto/sha256";
import { type EarlierCreation, rowAsCreated } from "../db/create-customer";
import { decodeCustomer } from "../db/engine/rows";
import { IDEMPOTENCY_WINDOW_MS } from "../db/retention";
import type { AuthenticatedEnv } from "../env";
import { errorAnswer } from "../http/errors";
import type { ObjectBodyEnv } from "../http/json-body";
import { DETAILS } from "../http/messages";
import { sealsFor } from "../http/seal";
import type { CustomerChanges } from "./fields";
import { createdResponse } from "./response";

// An Idempotency-Key makes a retried POST answer the first result. The key's record keeps a copy of
// the creation for it, sealed under the Worker's sealing key (src/http/seal.ts): the created customer
// and the SHA-256 of the request body. The database (a copy of it, its Time Travel, the free space of
// its pages) then holds no personal data of it that can be read without the Worker's secret.

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const copyShape = z.object({ customer: z.record(z.string(), z.unknown()), request: z.string() });

type CopyContext = Context<AuthenticatedEnv & ObjectBodyEnv>;

const copies = (c: CopyContext, keyHash: string) =>
  sealsFor(c.env, `idempotency:${c.var.consumer.id}:${keyHash}`, copyShape, 2 * IDEMPOTENCY_WINDOW_MS);

/**
 * The request's Idempotency-Key: its SHA-256 and the sealed copy its record would keep of the
 * creation of `values` at `now`; undefined without one, or the answer to a malformed one.
 */
export async function idempotencyOf(c: CopyContext, values: CustomerChanges & { name: string }, now: string) {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) return errorAnswer(c, 400, DETAILS.badIdempotencyKey);
  const keyHash = await sha256Hex(key);
  const copy = await copies(c, keyHash).seal({ customer: rowAsCreated(values, now), request: await sha256Hex(c.var.bytes) });
  return { keyHash, copy };
}

/**
 * The answer to a retry with the key of an earlier creation: its first result; 404 when the customer
 * has been erased since or is hidden from this consumer (there is nothing to answer with), 409 when
 * the key came with another body.
 */
export async function replayed(c: CopyContext, earlier: EarlierCreation, keyHash: string) {
  const copy = earlier.visible && earlier.copy ? await copies(c, keyHash).open(earlier.copy) : undefined;
  if (!copy) return errorAnswer(c, 404, DETAILS.notFound);
  if (copy.request !== (await sha256Hex(c.var.bytes))) return errorAnswer(c, 409, DETAILS.keyReused);
  return createdResponse(c, decodeCustomer({ ...copy.customer, id: earlier.customerId, version: 1, shown_version: 1 }));
}
