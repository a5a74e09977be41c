import { accessLog } from "./http/access-log";
import { requireConfiguration } from "./http/configuration";
import { corsForAllowedOrigins } from "./http/cors";
import { database } from "./http/database-session";
import { notFound, onError } from "./http/errors";
import { requestId } from "./http/request-id";
import { responseHeaders } from "./http/response-headers";
import { createRouter } from "./http/router";
import { ROUTES } from "./routes";
import { routerOf } from "./routes/operation";
import { docsFiles } from "./routes/service/docs";
import { scheduled } from "./scheduled";

/** The app: the middleware every request passes, in order, then every operation (src/routes/). */
export const app = createRouter()
  .use(requestId)
  .use(accessLog)
  .use(corsForAllowedOrigins)
  .use(requireConfiguration)
  .use(database)
  .use(responseHeaders)
  .route("/", routerOf(ROUTES))
  .route("/", docsFiles);

app.notFound(notFound);
app.onError(onError);

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
export { WebhookDispatcher } from "./webhooks/dispatcher";
export { WebhookSender } from "./webhooks/sender";
