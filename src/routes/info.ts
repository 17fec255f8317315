import { z } from "@hono/zod-openapi";
import { environmentInfo, serverUrls, setUpdateCycle, subscription } from "../domain/info";
import { listSpaces } from "../domain/spaces";
import { createRouter, defineRoute } from "../lib/openapi";
import { json, jsonBody, listEnvelope, SpaceQuery } from "../schemas/common";

const ServerInfo = z.object({ ipAddress: z.string(), oauth2RedirectUrl: z.string(), apiUrl: z.string() }).openapi("ServerInfo");
const Subscription = z
  .object({
    environmentId: z.string(),
    subscriptionId: z.string(),
    queueEnabled: z.boolean(),
    edition: z.string(),
    version: z.string(),
    lastUpdate: z.string(),
    ipAddress: z.string(),
    oauth2RedirectUrl: z.string(),
    oauth1CallbackUrl: z.string(),
    openApiSchema: z.string(),
    webHookUrl: z.string(),
    httpProxyUrl: z.string(),
    swaggerDocsUrl: z.string(),
    supportEmail: z.string(),
    supportPortal: z.string(),
    slaUrl: z.string(),
    environments: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi("Subscription");
const EnvironmentInfo = z
  .object({
    dataEngines: z.object({ memoryLimitMegaBytes: z.number(), numberOfWorkers: z.number() }),
    usage: z.object({ filesystemSizeBytes: z.number(), databaseSizeBytes: z.number() }),
  })
  .openapi("EnvironmentInfo");
const UpdateCycle = z.object({ updateCycle: z.enum(["latest", "lts"]) });
const Environment = z
  .object({ environment: z.object({ identifier: z.string(), name: z.string(), code: z.string(), type: z.string(), prototype: z.string() }) })
  .openapi("Environment");

const health = defineRoute("public", {
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Application"],
  summary: "Liveness: answers without touching storage",
  responses: { 200: json(z.object({ status: z.literal("ok") })) },
});
const getServerInfo = defineRoute("user", {
  method: "get",
  path: "/info/server",
  operationId: "getServerInfo",
  tags: ["Info"],
  request: { query: SpaceQuery },
  responses: { 200: json(ServerInfo) },
});
const getSubscription = defineRoute("user", {
  method: "get",
  path: "/info/subscription",
  operationId: "getSubscription",
  tags: ["Info"],
  request: { query: SpaceQuery },
  responses: { 200: json(Subscription) },
});
const getEnvironmentInfo = defineRoute("user", {
  method: "get",
  path: "/info/environment",
  operationId: "getEnvironmentInfo",
  tags: ["Info"],
  request: { query: SpaceQuery },
  responses: { 200: json(EnvironmentInfo) },
});
const setUpdateCycleRoute = defineRoute("system", {
  method: "put",
  path: "/settings/update-cycle",
  operationId: "setUpdateCycle",
  tags: ["Settings"],
  request: { body: jsonBody(UpdateCycle) },
  responses: { 200: json(UpdateCycle) },
});
const getEnvironments = defineRoute("authenticated", {
  method: "get",
  path: "/environments",
  operationId: "getEnvironments",
  tags: ["Environments"],
  summary: "The spaces you can work in, as environments",
  responses: { 200: json(listEnvelope(Environment)) },
});
const getCapabilities = defineRoute("authenticated", {
  method: "get",
  path: "/application/capabilities",
  operationId: "getCapabilities",
  tags: ["Application"],
  summary: "Which optional features this installation has",
  responses: { 200: json(z.object({ capabilities: z.record(z.string(), z.boolean()) })) },
});

const OUTBOUND_IP = "";

export const infoRouter = createRouter()
  .openapi(health, (c) => c.json({ status: "ok" as const }, 200))
  .openapi(getServerInfo, (c) => {
    const urls = serverUrls(new URL(c.req.url).origin);
    return c.json({ ipAddress: OUTBOUND_IP, oauth2RedirectUrl: urls.oauth2RedirectUrl, apiUrl: urls.apiUrl }, 200);
  })
  .openapi(getSubscription, async (c) => {
    const result = subscription(new URL(c.req.url).origin, c.var.space, OUTBOUND_IP);
    return c.json(result, 200);
  })
  .openapi(getEnvironmentInfo, async (c) => c.json(await environmentInfo(c.var.db, c.env.DB, c.env.FILES, c.var.space), 200))
  .openapi(setUpdateCycleRoute, async (c) => c.json(await setUpdateCycle(c.var.db, c.req.valid("json").updateCycle), 200))
  .openapi(getEnvironments, async (c) => {
    const spaces = await listSpaces(c.var.db, c.var.principal!, JSON.stringify({ limit: 1000 }));
    const results = spaces.results.map((s) => ({
      environment: { identifier: s.identifier, name: s.name, code: s.identifier, type: s.purpose, prototype: "space" },
    }));
    return c.json({ metadata: spaces.metadata, results }, 200);
  })
  .openapi(getCapabilities, (c) => {
    const env = c.env;
    return c.json(
      {
        capabilities: {
          queue: true,
          scheduler: true,
          codeTransformer: true,
          ai: Boolean(env.AI),
          elasticsearch: Boolean(env.ELASTICSEARCH_URL),
          spaceProvisioning: Boolean(env.PROVISIONING_WEBHOOK_URL),
        },
      },
      200,
    );
  });
