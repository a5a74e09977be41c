import type { Context } from "hono";
import type { StoredDataProblem } from "../db/problems";
import type { AuthenticatedEnv } from "../env";
import { details, fieldErrors, MESSAGES } from "../http/errors";
import type { JsonObject } from "../http/json-body";
import { forbiddenMessage, storedDataErrors } from "./body";

/** What a write can meet besides success, whichever the write. */
export type WriteRefusal =
  | { status: "not_found" }
  | { status: "precondition_failed" }
  | { status: "restricted_type_forbidden" }
  | { status: "invalid"; problems: StoredDataProblem[] };

/** The one mapping of a refused write to its answer; `body` is what the client sent, for field errors. */
export function refusalResponse<E extends AuthenticatedEnv>(c: Context<E>, outcome: WriteRefusal, body: JsonObject = {}) {
  switch (outcome.status) {
    case "not_found":
      return details(c, 404, MESSAGES.notFound);
    case "precondition_failed":
      return details(c, 412, MESSAGES.preconditionFailed);
    case "restricted_type_forbidden":
      c.set("securityEvent", "authz_fail");
      return details(c, 403, forbiddenMessage(["restricted_type"]));
    case "invalid":
      return fieldErrors(c, storedDataErrors(outcome.problems, body));
  }
}
