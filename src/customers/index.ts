import { authenticate } from "../auth/authenticate";
import { methodNotAllowed } from "../http/method-not-allowed";
import { createRouter } from "../http/router";
import { bulkPatchCustomers } from "./bulk";
import { customerChanges } from "./changes";
import { createCustomer } from "./create";
import { deleteCustomer } from "./delete";
import { getCustomer } from "./get";
import { listCustomers } from "./list";
import { patchCustomer } from "./patch";

/** /api/v2/customers: each operation in its own file; any other method is 405, after authentication as in DRF. */
export const customers = createRouter()
  .route("/", listCustomers)
  .route("/", bulkPatchCustomers)
  .route("/", createCustomer)
  .route("/", getCustomer)
  .route("/", patchCustomer)
  .route("/", deleteCustomer)
  .route("/", customerChanges)
  .all("/", authenticate, methodNotAllowed(["GET", "HEAD", "POST", "PATCH"]))
  .all("/:id", authenticate, methodNotAllowed(["GET", "HEAD", "PATCH", "DELETE"]))
  .all("/:id/changes", authenticate, methodNotAllowed(["GET", "HEAD"]));
