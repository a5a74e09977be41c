/**
 * D1 itself failed (lost connection, overload, storage reset, time-out, internal error) rather than
 * our SQL: the request may be retried, so the client gets 503 with Retry-After. An SQL error is a
 * bug and stays a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return /network connection lost|overloaded|storage.+reset|timed? ?out|internal error|unavailable|too many requests/i.test(
    messagesOf(error),
  );
}

// Drizzle wraps the D1 error (its own message holds the SQL and parameters: never log it).
function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 4; e = e.cause) messages.push(e.message);
  return messages.join("\n") || String(error);
}
