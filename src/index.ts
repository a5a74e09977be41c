import { customers } from "./customers";
import { changes } from "./customers/feed";
import { docs } from "./docs";
import { health } from "./health";
import { accessLog } from "./http/access-log";
import { requireConfiguration } from "./http/configuration";
import { corsForAllowedOrigins } from "./http/cors";
import { database } from "./http/database-session";
import { notFound, onError } from "./http/errors";
import { requestId } from "./http/request-id";
import { responseHeaders } from "./http/response-headers";
import { createRouter } from "./http/router";
import { scheduled } from "./scheduled";

// Chained, so that `App` carries every route's types for Hono's typed client (hc<App>).
export const app = createRouter()
  .use(requestId)
  .use(accessLog)
  .use(corsForAllowedOrigins)
  .use(requireConfiguration)
  .use(database)
  .use(responseHeaders)
  .route("/", health)
  .route("/", docs)
  .route("/api/v2/customers", customers)
  .route("/api/v2/changes", changes);

app.notFound(notFound);
app.onError(onError);

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
export type App = typeof app;
