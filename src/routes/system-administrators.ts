import { z } from "@hono/zod-openapi";
import {
  createSystemAdministrator,
  deleteSystemAdministrator,
  getSystemAdministrator,
  listSystemAdministrators,
  updateSystemAdministrator,
} from "../domain/users";
import { createRouter, defineRoute } from "../lib/openapi";
import { Email, FilterQuery, json, jsonBody, listEnvelope, MessageSchema, objectEnvelope } from "../schemas/common";

const SystemRoles = z
  .array(z.literal("ROLE_SYSTEM_ADMINISTRATOR"))
  .min(1)
  .refine((roles) => new Set(roles).size === roles.length, "Roles must be unique.");
const SystemAdministrator = z.object({ email: z.string(), roles: z.array(z.string()) }).openapi("SystemAdministrator");
const SystemAdministratorInput = z.object({ email: Email, roles: SystemRoles });
const EmailParam = z.object({ email: z.string().openapi({ param: { name: "email", in: "path" } }) });
const TAGS: ["SystemAdministrators"] = ["SystemAdministrators"];

const list = defineRoute("system", {
  method: "get",
  path: "/system-administrators",
  operationId: "getSystemAdministrators",
  tags: TAGS,
  request: { query: FilterQuery },
  responses: { 200: json(listEnvelope(SystemAdministrator)) },
});
const create = defineRoute("system", {
  method: "post",
  path: "/system-administrators",
  operationId: "createSystemAdministrator",
  tags: TAGS,
  request: { body: jsonBody(SystemAdministratorInput) },
  responses: { 200: json(objectEnvelope(SystemAdministrator)) },
});
const get = defineRoute("system", {
  method: "get",
  path: "/system-administrators/{email}",
  operationId: "getSystemAdministrator",
  tags: TAGS,
  request: { params: EmailParam },
  responses: { 200: json(objectEnvelope(SystemAdministrator)) },
});
const update = defineRoute("system", {
  method: "put",
  path: "/system-administrators/{email}",
  operationId: "updateSystemAdministrator",
  tags: TAGS,
  request: { params: EmailParam, body: jsonBody(SystemAdministratorInput) },
  responses: { 200: json(objectEnvelope(SystemAdministrator)) },
});
const remove = defineRoute("system", {
  method: "delete",
  path: "/system-administrators/{email}",
  operationId: "deleteSystemAdministrator",
  tags: TAGS,
  request: { params: EmailParam },
  responses: { 200: json(MessageSchema) },
});

export const systemAdministratorsRouter = createRouter()
  .openapi(list, async (c) => c.json(await listSystemAdministrators(c.var.db, c.req.valid("query").filter), 200))
  .openapi(create, async (c) => c.json({ object: await createSystemAdministrator(c.var.db, c.req.valid("json")) }, 200))
  .openapi(get, async (c) => c.json({ object: await getSystemAdministrator(c.var.db, c.req.valid("param").email) }, 200))
  .openapi(update, async (c) =>
    c.json({ object: await updateSystemAdministrator(c.var.db, c.req.valid("param").email, c.req.valid("json")) }, 200),
  )
  .openapi(remove, async (c) => c.json(await deleteSystemAdministrator(c.var.db, c.var.principal!, c.req.valid("param").email), 200));
