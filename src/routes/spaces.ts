import { z } from "@hono/zod-openapi";
import { createSpace, getVisibleSpace, listSpaces, syncSpace, toSpace, upsertSpace } from "../domain/spaces";
import { createRouter, defineRoute } from "../lib/openapi";
import { Email, FilterQuery, Identifier, json, jsonBody, listEnvelope, MessageSchema, objectEnvelope } from "../schemas/common";
import { SpaceRoleList } from "./users";

const Purpose = z.enum(["prod", "uat", "test", "dev"]);

export const SpaceSchema = z
  .object({
    identifier: z.string(),
    name: z.string(),
    description: z.string(),
    purpose: Purpose,
    workers: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    isLocked: z.number().int(),
    termsAgreed: z.number().int(),
    createUser: z.string().nullable(),
    expireDate: z.string().nullable(),
    cancelUser: z.string().nullable(),
    cancelDate: z.string().nullable(),
    status: z.enum(["new", "initialized", "active", "cancelled"]),
    syncStatus: z.string().nullable().openapi({ description: "Outcome of the last provisioning sync: succeeded, failed or skipped." }),
    syncMessage: z.string().nullable(),
    syncedAt: z.string().nullable(),
  })
  .openapi("Space");

const SpaceFields = z.object({
  identifier: Identifier,
  name: z.string().min(1).max(255),
  description: z.string().max(64000).default(""),
  purpose: Purpose,
});

const CreateSpaceBody = z
  .object({
    object: SpaceFields.extend({ termsAgreed: z.boolean().default(false) }),
    users: z.array(z.object({ email: Email, roles: SpaceRoleList })),
    dataEngines: z.array(z.object({ spaceIdentifier: z.string(), workers: z.number().int().min(0).max(1000) })),
  })
  .openapi("CreateSpace");

const IdentifierParam = z.object({ identifier: z.string().openapi({ param: { name: "identifier", in: "path" } }) });

const getSpaces = defineRoute("authenticated", {
  method: "get",
  path: "/spaces",
  operationId: "getSpaces",
  tags: ["Spaces"],
  summary: "List the spaces you can access",
  request: { query: FilterQuery },
  responses: { 200: json(listEnvelope(SpaceSchema)) },
});

const createSpaceRoute = defineRoute("system", {
  method: "post",
  path: "/spaces",
  operationId: "createSpace",
  tags: ["Spaces"],
  summary: "Create a space with its users and data engines",
  request: { body: jsonBody(CreateSpaceBody) },
  responses: { 200: json(objectEnvelope(SpaceSchema)) },
});

const upsertSpaceRoute = defineRoute("system", {
  method: "put",
  path: "/spaces",
  operationId: "upsertSpace",
  tags: ["Spaces"],
  summary: "Create or update a space",
  request: { body: jsonBody(SpaceFields) },
  responses: { 200: json(objectEnvelope(SpaceSchema)) },
});

const getSpace = defineRoute("authenticated", {
  method: "get",
  path: "/spaces/{identifier}",
  operationId: "getSpace",
  tags: ["Spaces"],
  summary: "Get a space",
  request: { params: IdentifierParam },
  responses: { 200: json(objectEnvelope(SpaceSchema)) },
});

const retrySpaceSync = defineRoute("system", {
  method: "post",
  path: "/spaces/{identifier}/sync",
  operationId: "retrySpaceSync",
  tags: ["Spaces"],
  summary: "Retry syncing an initialized space to the provisioning webhook",
  request: { params: IdentifierParam },
  responses: { 200: json(MessageSchema.extend({ object: SpaceSchema })) },
});

export const spacesRouter = createRouter()
  .openapi(getSpaces, async (c) => c.json(await listSpaces(c.var.db, c.var.principal!, c.req.valid("query").filter), 200))
  .openapi(createSpaceRoute, async (c) => {
    const body = c.req.valid("json");
    const workers = body.dataEngines.filter((d) => d.spaceIdentifier === body.object.identifier).reduce((n, d) => n + d.workers, 0);
    const row = await createSpace(c.var.db, c.env, c.var.principal!.email, body.object, body.users, workers);
    return c.json({ object: toSpace(row) }, 200);
  })
  .openapi(upsertSpaceRoute, async (c) => {
    const row = await upsertSpace(c.var.db, c.env, c.var.principal!.email, c.req.valid("json"));
    return c.json({ object: toSpace(row) }, 200);
  })
  .openapi(getSpace, async (c) => {
    const row = await getVisibleSpace(c.var.db, c.var.principal!, c.req.valid("param").identifier);
    return c.json({ object: toSpace(row) }, 200);
  })
  .openapi(retrySpaceSync, async (c) => {
    const row = await syncSpace(c.var.db, c.env, c.req.valid("param").identifier);
    const message = row.status === "active" ? `Space '${row.identifier}' is synced and active.` : `Sync of space '${row.identifier}' failed: ${row.syncMessage}`;
    return c.json({ message, object: toSpace(row) }, 200);
  });
