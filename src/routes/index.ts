import { createRouter } from "../lib/openapi";
import { aiRouter } from "./ai";
import { auditTrailRouter } from "./audit-trail";
import { configurationsRouter } from "./configurations";
import { dependenciesRouter } from "./dependencies";
import { environmentVariablesRouter } from "./environment-variables";
import { infoRouter } from "./info";
import { prototypesRouter } from "./prototypes";
import { spacesRouter } from "./spaces";
import { storagesRouter } from "./storages";
import { systemAdministratorsRouter } from "./system-administrators";
import { tokensRouter } from "./tokens";
import { transformersRouter } from "./transformers";
import { usersRouter } from "./users";

/** Every API module, mounted under /api/v1. Fixed path segments register before parameters. */
export const apiRoutes = createRouter()
  .route("/", infoRouter)
  .route("/", aiRouter)
  .route("/", auditTrailRouter)
  .route("/", usersRouter)
  .route("/", spacesRouter)
  .route("/", tokensRouter)
  .route("/", environmentVariablesRouter)
  .route("/", systemAdministratorsRouter)
  .route("/", storagesRouter)
  .route("/", prototypesRouter)
  .route("/", dependenciesRouter)
  .route("/", transformersRouter)
  .route("/", configurationsRouter);
