import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { createDb } from "./db/client";
import { recordAudit } from "./domain/audit";
import type { AppEnv } from "./lib/env";
import { ApiError } from "./lib/errors";
import { REDACTED } from "./lib/redact";
import { createRouter } from "./lib/openapi";
import { apiRoutes } from "./routes";

export const API_BASE = "/api/v1";
/** Large enough for a 1 MB Alumio export many times over; anything bigger is refused with a 413. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? null;
}

async function requestSummary(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const url = new URL(c.req.url);
  const summary: Record<string, unknown> = { method: c.req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) };
  if (c.req.header("content-type")?.includes("json")) {
    try {
      const body = await c.req.json();
      for (const field of c.var.operation?.secretFields ?? []) if (body && typeof body === "object" && field in body) body[field] = REDACTED;
      summary.body = body;
    } catch {
      summary.body = null;
    }
  }
  return summary;
}

/**
 * The audit trail: every accepted mutating call, every refused authentication (401) and every
 * refusal (403). Written before the response leaves, so a client reads its own entry at once.
 */
async function audit(c: Context<AppEnv>, next: () => Promise<void>) {
  await next();
  const status = c.res.status;
  const op = c.var.operation;
  const refused = status === 401 || status === 403;
  if (!refused && !(op?.audit && MUTATING.has(c.req.method) && status < 400)) return;
  const user = c.var.principal?.email ?? null;
  await recordAudit(c.var.db, {
    space: c.var.space ?? null,
    user,
    ipAddress: clientIp(c),
    category: status === 401 ? "authentication" : status === 403 ? "authorization" : (op?.tag ?? "api"),
    action: op?.operationId ?? `${c.req.method} ${new URL(c.req.url).pathname}`,
    message: refused
      ? `${status === 401 ? "Authentication" : "Access"} refused: ${c.error?.message ?? c.res.statusText}`
      : `${op?.operationId ?? c.req.method} by ${user ?? "anonymous"} answered ${status}`,
    request: await requestSummary(c),
  });
}

function problem(c: Context<AppEnv>, error: ApiError) {
  return c.body(JSON.stringify(error.toBody()), error.status as 400, { "content-type": "application/problem+json" });
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    const detail = err.status === 400 && /json/i.test(err.message) ? "The request body is not valid JSON." : err.message || "Request refused.";
    return new ApiError(err.status, detail, err.status === 400 ? { violations: [{ propertyPath: "", title: detail }] } : {});
  }
  console.error("unhandled error", err);
  return new ApiError(500, "An unexpected error occurred.");
}

export function createApp() {
  const app = createRouter();

  app.use("*", async (c, next) => {
    c.set("db", createDb(c.env.DB));
    await next();
  });
  app.use(
    `${API_BASE}/*`,
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );
  app.use(`${API_BASE}/*`, audit);

  app.route(API_BASE, apiRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An API token from POST /tokens (or the BOOTSTRAP_TOKEN secret).",
  });
  const document = {
    openapi: "3.1.0",
    info: {
      title: "Open Alumio API",
      version: "1.0.0",
      description: "An open integration platform that speaks Alumio's REST API. Authenticate with `Authorization: Bearer <token>`; pick the space with `?space=`.",
    },
    servers: [{ url: "/" }],
  };
  app.doc31(`${API_BASE}/schema.json`, document);
  app.doc31("/openapi.json", document);
  app.get("/docs", Scalar({ url: `${API_BASE}/schema.json`, pageTitle: "Open Alumio API" }));
  app.get("/", (c) => c.redirect("/docs"));

  app.notFound((c) => problem(c, new ApiError(404, `No route matches ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((err, c) => problem(c, toApiError(err)));
  return app;
}
