/** The strong ETag of a customer at `version` (SPEC §4). */
export const etag = (version: number) => `"${version}"`;

/**
 * The versions an If-Match header accepts: "*" for any, a list for `"3", "4"`. Weak and malformed
 * tags never match, as strong comparison requires (RFC 9110 §13.1.1).
 */
export function parseIfMatch(header: string | undefined): "*" | number[] | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "*";
  return header
    .split(",")
    .map((tag) => /^\s*"([1-9]\d{0,15})"\s*$/.exec(tag)?.[1])
    .filter((version) => version !== undefined)
    .map(Number);
}

/** If-None-Match holds `*` or the customer's tag; weak comparison, so `W/"3"` counts (RFC 9110 §13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag(version));
}
