import { createRouter } from "../lib/openapi";
import { auditTrailRouter } from "./audit-trail";
import { infoRouter } from "./info";
import { spacesRouter } from "./spaces";
import { systemAdministratorsRouter } from "./system-administrators";
import { tokensRouter } from "./tokens";
import { usersRouter } from "./users";

/** Every API module, mounted under /api/v1. Fixed path segments register before parameters. */
export const apiRoutes = createRouter()
  .route("/", infoRouter)
  .route("/", auditTrailRouter)
  .route("/", usersRouter)
  .route("/", spacesRouter)
  .route("/", tokensRouter)
  .route("/", systemAdministratorsRouter);
