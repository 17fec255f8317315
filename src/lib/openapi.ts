import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { ErrorSchema } from "../schemas/common";
import { authenticate, hasLevel, rolesInSpace, type Access } from "./auth";
import type { AppEnv } from "./env";
import { ApiError, violationsFromIssues } from "./errors";

/** Every router shares the hook that turns zod issues into Alumio's 400 with violations. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === "json" || result.target === "form" ? "request body" : `request ${result.target}`;
        throw new ApiError(400, `The ${where} is invalid.`, { violations: violationsFromIssues(result.error.issues) });
      }
    },
  });
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ErrorSchema } },
});

const ERROR_RESPONSES = {
  400: problem("Invalid input: see violations"),
  401: problem("Missing, invalid, expired or revoked bearer token"),
  403: problem("The caller's role does not allow this"),
  404: problem("Not found"),
  409: problem("Conflict with the current state"),
} as const;

const PUBLIC_ERRORS = { 400: ERROR_RESPONSES[400], 404: ERROR_RESPONSES[404] } as const;

/** The space a request works in: a `{space}` path segment, `?space=`, or `default`. */
export function requestedSpace(c: { req: { param(name: string): string | undefined; query(name: string): string | undefined } }): string {
  return c.req.param("space") || c.req.query("space") || "default";
}

/** Authenticates and checks the route's access level; sets principal, space and roles. */
function authorize(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const space = requestedSpace(c);
    c.set("space", space);
    c.set("roles", []);
    if (access === "public") return next();

    const principal = await authenticate(c.var.db, c.env, c.req.header("authorization"), (p) =>
      c.executionCtx.waitUntil(p),
    );
    c.set("principal", principal);
    if (access === "authenticated") return next();
    if (access === "system") {
      if (!principal.systemAdministrator) throw ApiError.forbidden("Only a system administrator may do this.");
      return next();
    }
    const roles = await rolesInSpace(c.var.db, principal, space);
    if (!roles) {
      if (principal.systemAdministrator) throw ApiError.notFound(`Space '${space}'`);
      throw ApiError.forbidden(`You have no access to space '${space}'.`);
    }
    c.set("roles", roles);
    if (!hasLevel(roles, access)) {
      throw ApiError.forbidden(`This needs ROLE_${access.toUpperCase()} in space '${space}'.`);
    }
    return next();
  };
}

type Defined<R> = R & { operationId: string; tags: [string] };

/**
 * createRoute plus what every operation has here: bearer security (unless public), the shared
 * error responses, the access check, and the operation info the audit trail reads.
 */
export function defineRoute<P extends string, R extends Omit<RouteConfig, "path" | "middleware" | "security"> & { path: P }>(
  access: Access,
  config: Defined<R>,
  options: { audit?: boolean; secretFields?: string[] } = {},
) {
  const operation = { operationId: config.operationId, tag: config.tags[0], audit: options.audit ?? true, secretFields: options.secretFields ?? [] };
  const describe: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set("operation", operation);
    await next();
  };
  return createRoute({
    ...config,
    security: access === "public" ? [] : [{ bearerAuth: [] }],
    middleware: [describe, authorize(access)] as const,
    responses: { ...(access === "public" ? PUBLIC_ERRORS : ERROR_RESPONSES), ...config.responses },
    "x-access": access,
  });
}
