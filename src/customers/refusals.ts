import type { Context } from "hono";
import type { Consumer } from "../db/consumers";
import { checkItems, type ItemFacts, type StoredDataProblem } from "../db/problems";
import type { AuthenticatedEnv } from "../env";
import { errorAnswer, fieldErrors } from "../http/errors";
import type { JsonObject, ObjectBodyEnv } from "../http/json-body";
import { DETAILS } from "../http/messages";
import { type FieldErrors, mergeFieldErrors, NON_FIELD_ERRORS } from "../validation/errors";
import { doesNotExist } from "../validation/fields";
import { type CustomerChanges, customerFields, inFieldOrder } from "./fields";
import { viewerOf } from "./gdpr";
import { COOPERATIVE_DATES, CUSTOMER_NUMBER_TAKEN, CUSTOMER_NUMBER_UNAVAILABLE, STORED_DATA_REFUSED } from "./messages";
import { readsCustomers } from "./response";

// Every DRF answer of a refused write, and who may learn what from it (docs/security.md).

/** DRF's messages for what the database found wrong with the values of `body`. */
function storedDataErrors(problems: StoredDataProblem[], body: JsonObject): FieldErrors {
  const errors: FieldErrors = Object.create(null);
  for (const { field, problem } of problems) {
    if (problem === "reimbursed_before_joining") errors[NON_FIELD_ERRORS] = [COOPERATIVE_DATES];
    else if (problem === "missing") errors[field] = [doesNotExist(body[field])];
    else errors[field] = [problem === "taken" ? CUSTOMER_NUMBER_TAKEN : CUSTOMER_NUMBER_UNAVAILABLE];
  }
  return errors;
}

/**
 * How many checks on stored customer data a write of `body` puts at stake: the uniqueness of a
 * customer number it gives, and the dates rule when only one of the two dates comes from the body.
 * (References point to public reference data, and two dates in the body decide the rule alone.)
 */
function storedChecks(body: JsonObject): number {
  const givesDate = (field: string) => body[field] !== undefined && body[field] !== null;
  const datesFromStore = givesDate("cooperative_date") !== givesDate("cooperative_reimbursement_date");
  return Number(typeof body.customer_number === "string") + Number(datesFromStore);
}

/** A refused problem that depends on stored customer data (not on public reference data). */
const onStoredData = ({ problem }: StoredDataProblem) => problem !== "missing";

/** With field errors (or the body's own problems) in the answer, what else it may say: no stored customer data for a write-only consumer. */
const besideOtherErrors = (consumer: Consumer, problems: StoredDataProblem[]) =>
  readsCustomers(consumer) ? problems : problems.filter((problem) => !onStoredData(problem));

/** The body gives both dates of the dates rule, the reimbursement first: refused by its own values, no stored data needed. */
function ownDatesRefused(body: JsonObject): boolean {
  const joined = customerFields.cooperative_date.safeParse(body.cooperative_date);
  const reimbursed = customerFields.cooperative_reimbursement_date.safeParse(body.cooperative_reimbursement_date);
  return joined.success && reimbursed.success && joined.data !== null && reimbursed.data !== null && reimbursed.data < joined.data;
}

/**
 * What a write-only consumer may be told of an item: what needs no stored customer data, whether or
 * not its id exists. DRF's order holds: references that do not exist (public data), else the dates rule
 * when the body's own dates refuse it (DRF's validate() runs once every field passes).
 */
function refusalsOfItsOwn(consumer: Consumer, { problems, body }: ItemRefusal): StoredDataProblem[] {
  const references = besideOtherErrors(consumer, problems);
  return references.length || !ownDatesRefused(body) ? references : [{ field: "cooperative_dates", problem: "reimbursed_before_joining" }];
}

/** 403: the write gives fields, or a protection level, that this consumer may not write. */
export function refusedFields<E extends AuthenticatedEnv>(c: Context<E>, fields: string[]) {
  c.set("securityEvent", "authz_fail");
  return errorAnswer(c, 403, DETAILS.forbiddenFields(fields));
}

/**
 * 400 with a body's field errors and, as DRF reports every failing field at once, the stored-data
 * errors of the fields that passed (one more round trip, only when such a field was given).
 */
export async function invalidBody<E extends AuthenticatedEnv & ObjectBodyEnv>(
  c: Context<E>,
  parsed: { errors: FieldErrors; unchecked: CustomerChanges },
  target?: number,
) {
  const { errors, unchecked } = parsed;
  if (Object.keys(unchecked).length) {
    const [facts] = await checkItems(c.var.db, [{ id: target, changes: unchecked }], viewerOf(c.var.consumer));
    mergeFieldErrors(errors, storedDataErrors(besideOtherErrors(c.var.consumer, facts!.problems), c.var.body));
  }
  return fieldErrors(c, inFieldOrder(errors));
}

/** One item of a refused write: whether its customer is missing, its problems, and its body. */
type ItemRefusal = { missing: boolean; problems: StoredDataProblem[]; body: JsonObject };

/**
 * The errors of each item of a refused write, in DRF's words, or "refused" for one answer to it all.
 * A consumer with `customers:read` gets DRF's answers unchanged. One without learns a stored value
 * only at the price of a write it may make anyway: a check on stored data (a customer number's
 * uniqueness, the dates rule against a stored date, and in a bulk the existence of each id) is
 * reported only when it is the one such check at stake and nothing else is refused; with more at
 * stake, every such refusal gets the same answer, whichever check refused. A refusal that needs no
 * stored data (a reference that does not exist, both dates of the dates rule in the body) is something
 * else refused: then only such refusals are told.
 */
function refusalErrors(consumer: Consumer, items: ItemRefusal[]): FieldErrors[] | "refused" {
  const errorsOf = ({ missing, problems, body }: ItemRefusal) =>
    missing ? { id: [doesNotExist(body.id)] } : storedDataErrors(problems, body);
  if (readsCustomers(consumer)) return items.map(errorsOf);
  // A refusal that needs no stored data is "something else refused": then nothing stored is told.
  const plain = items.map((item) => refusalsOfItsOwn(consumer, item));
  if (plain.some((problems) => problems.length)) return items.map(({ body }, i) => storedDataErrors(plain[i]!, body));
  // One id alone is the write's own target, whose existence a write may tell (404).
  const atStake = items.reduce((sum, { body }) => sum + storedChecks(body), items.length > 1 ? items.length : 0);
  const refused = items.some(({ missing, problems }) => missing || problems.length);
  return atStake > 1 && refused ? "refused" : items.map(errorsOf);
}

/**
 * 400 with the errors of a refused write's items in DRF's words: a bulk update's list in request
 * order, or one customer's errors alone (`single`). A write-only consumer may get one answer to it all.
 */
export function refusedItems<E extends AuthenticatedEnv>(c: Context<E>, items: ItemRefusal[], { single }: { single: boolean }) {
  const errors = refusalErrors(c.var.consumer, items);
  if (errors === "refused") return fieldErrors(c, { [NON_FIELD_ERRORS]: [STORED_DATA_REFUSED] });
  return fieldErrors(c, single ? errors[0]! : errors);
}

/** The answer to a refused write of one customer: an update (`target`: its customer's id) or a creation. */
export function refusedWrite<E extends AuthenticatedEnv>(c: Context<E>, facts: ItemFacts, body: JsonObject, target?: number) {
  if (target !== undefined && !facts.found) return errorAnswer(c, 404, DETAILS.notFound);
  if (facts.forbidden) return refusedFields(c, ["restricted_type"]);
  if (facts.stale) return errorAnswer(c, 412, DETAILS.preconditionFailed);
  return refusedItems(c, [{ missing: false, problems: facts.problems, body }], { single: true });
}
