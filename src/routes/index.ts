import { bulkPatchCustomersRoute } from "./customers/bulk-patch";
import { createCustomerRoute } from "./customers/create";
import { deleteCustomerRoute } from "./customers/delete";
import { getCustomerRoute } from "./customers/get";
import { listCustomersRoute } from "./customers/list";
import { patchCustomerRoute } from "./customers/patch";
import { customerTrailRoute } from "./customers/trail";
import { changeFeedRoute } from "./feed";
import type { Route } from "./operation";
import { docsPageRoute, openApiDocumentRoute } from "./service/docs";
import { healthRoute } from "./service/health";
import { createWebhookRoute } from "./webhooks/create";
import { deleteWebhookRoute } from "./webhooks/delete";
import { webhookDeliveriesRoute } from "./webhooks/deliveries";
import { getWebhookRoute } from "./webhooks/get";
import { listWebhooksRoute } from "./webhooks/list";
import { patchWebhookRoute } from "./webhooks/patch";
import { rotateWebhookSecretRoute } from "./webhooks/rotate-secret";

/** Every operation of the API: the app serves them (src/index.ts) and the OpenAPI document describes them. */
export const ROUTES: readonly Route[] = [
  listCustomersRoute,
  bulkPatchCustomersRoute,
  createCustomerRoute,
  getCustomerRoute,
  patchCustomerRoute,
  deleteCustomerRoute,
  customerTrailRoute,
  changeFeedRoute,
  listWebhooksRoute,
  createWebhookRoute,
  getWebhookRoute,
  patchWebhookRoute,
  deleteWebhookRoute,
  rotateWebhookSecretRoute,
  webhookDeliveriesRoute,
  healthRoute,
  openApiDocumentRoute,
  docsPageRoute,
];
