import { createMiddleware } from "hono/factory";
import type { IfMatch } from "../db/engine/items";
import type { AppEnv } from "../env";
import { errorAnswer } from "./errors";
import { DETAILS } from "./messages";

/** The strong ETag of a customer at `version`. */
export const etag = (version: number) => `"${version}"`;

/** More entity tags than any client needs; a longer list is refused rather than sent to D1. */
const MAX_IF_MATCH_TAGS = 32;

// One element of an entity-tag list (RFC 9110 §8.8.3): optional W/, a quoted opaque tag, then a comma or the end.
const LIST_ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(?:,|$)/y;
const VERSION = /^[1-9]\d{0,15}$/;

/**
 * The versions an If-Match header accepts: "*" for any, a list for `"3", "4"`. Weak tags and tags that
 * are no version of ours never match, as strong comparison requires (RFC 9110 §13.1.1); a header
 * that is not an entity-tag list is malformed.
 */
export function parseIfMatch(header: string | undefined): IfMatch | "malformed" | "too_many" {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "*";
  const versions: number[] = [];
  let tags = 0;
  LIST_ELEMENT.lastIndex = 0;
  while (LIST_ELEMENT.lastIndex < header.length) {
    const start = LIST_ELEMENT.lastIndex;
    const element = LIST_ELEMENT.exec(header);
    if (!element || LIST_ELEMENT.lastIndex === start) return "malformed";
    const [, weak, opaque] = element;
    if (opaque === undefined) continue;
    if (++tags > MAX_IF_MATCH_TAGS) return "too_many";
    if (!weak && VERSION.test(opaque)) versions.push(Number(opaque));
  }
  return tags ? versions : "malformed";
}

/** If-Match of a write: 400 when it is not an entity-tag list or lists too many tags. */
export const ifMatchHeader = createMiddleware<AppEnv & { Variables: { ifMatch: IfMatch } }>(async function ifMatchHeader(c, next) {
  const ifMatch = parseIfMatch(c.req.header("If-Match"));
  if (ifMatch === "malformed" || ifMatch === "too_many") {
    c.set("securityEvent", "input_validation_fail");
    return errorAnswer(c, 400, ifMatch === "malformed" ? DETAILS.malformedIfMatch : DETAILS.tooManyIfMatchTags(MAX_IF_MATCH_TAGS));
  }
  c.set("ifMatch", ifMatch);
  return next();
});

/** If-None-Match holds `*` or the customer's tag; weak comparison, so `W/"3"` counts (RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag(version));
}
