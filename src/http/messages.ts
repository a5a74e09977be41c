// The contract's words for answers about the request as a whole (`{"details": …}`): the handlers answer
// with them and the OpenAPI document's examples read them from here.

export const DETAILS = {
  notAuthenticated: "Authentication credentials were not provided",
  invalidToken: "Invalid token.",
  forbidden: "You do not have permission to perform this action.",
  notFound: "Not found.",
  preconditionFailed: "Precondition failed: the customer has changed since it was read.",
  tooLarge: "Request body is too large.",
  throttled: "Request was throttled.",
  serverError: "A server error occurred.",
  unavailable: "Service temporarily unavailable.",
  /** Any cursor that cannot be used, whatever the reason (src/http/seal.ts). */
  invalidCursor: "Invalid cursor",
  keyReused: "This Idempotency-Key was already used with another request body.",
  badIdempotencyKey: "Idempotency-Key must be 1 to 255 visible ASCII characters.",
  malformedIfMatch: 'If-Match must be "*" or a list of entity tags, such as "3".',
  tooManyIfMatchTags: (max: number) => `If-Match may list at most ${max} entity tags.`,
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  unsupportedMediaType: (mediaType: string) => `Unsupported media type "${mediaType}" in request.`,
  forbiddenFields: (fields: readonly string[]) => `You do not have permission to change these fields: ${fields.join(", ")}.`,
  jsonParseError: (what: string) => `JSON parse error - ${what}`,
} as const;
