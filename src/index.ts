import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { customers } from "./customers";
import { database } from "./db/middleware";
import type { AppEnv } from "./env";
import { health } from "./health";
import { accessLog } from "./http/access-log";
import { notFound, onError } from "./http/errors";
import { apiResponseHeaders } from "./http/response-headers";

// strict: false serves each path with and without its trailing slash, without a redirect.
const app = new Hono<AppEnv>({ strict: false });

app.use(requestId()); // echoes a valid X-Request-Id, else a new UUID
app.use(accessLog);
app.use(secureHeaders()); // X-Content-Type-Options: nosniff and the rest; no CORS headers
app.use(database);
app.use(apiResponseHeaders);

app.route("/", health);
app.route("/api/v2/customers", customers);
app.notFound(notFound);
app.onError(onError);

export default app;
export type App = typeof app;
