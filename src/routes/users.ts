import { z } from "@hono/zod-openapi";
import {
  acceptTerms,
  addMember,
  assignMembers,
  createTableFilter,
  currentUser,
  deleteTableFilter,
  getMember,
  listMembers,
  listTableFilters,
  mergeSpacePreferences,
  mergeUserPreferences,
  removeMember,
  toMember,
  updateMember,
  updateTableFilter,
} from "../domain/users";
import type { Context } from "hono";
import { rolesInSpace } from "../lib/auth";
import type { AppEnv } from "../lib/env";
import { createRouter, defineRoute } from "../lib/openapi";
import { Email, FilterQuery, json, jsonBody, listEnvelope, MessageSchema, objectEnvelope, SpaceQuery } from "../schemas/common";

export const SpaceRoleList = z
  .array(z.enum(["ROLE_USER", "ROLE_EDITOR", "ROLE_ADMINISTRATOR"]))
  .min(1)
  .refine((roles) => new Set(roles).size === roles.length, "Roles must be unique.");

const UserInput = z.object({ email: Email, roles: SpaceRoleList }).openapi("UserInput");
const SpaceUser = z.object({ email: z.string(), space: z.string(), roles: z.array(z.string()) }).openapi("SpaceUser");
const User = z.object({ email: z.string(), roles: z.array(z.string()) }).openapi("User");
const CurrentUser = z
  .object({
    email: z.string(),
    roles: z.array(z.string()),
    preferences: z.record(z.string(), z.unknown()),
    spacePreferences: z.record(z.string(), z.unknown()),
    termsAcceptedAt: z.string().nullable(),
  })
  .openapi("CurrentUser");
const PreferencesBody = z.object({ updatedPreferences: z.record(z.string(), z.unknown()) });
const TableFilterInput = z.object({
  tableKey: z.string().min(1).max(255),
  name: z.string().min(1).max(255),
  filter: z.record(z.string(), z.unknown()),
});
const TableFilter = TableFilterInput.extend({ identifier: z.string(), user: z.string() }).openapi("TableFilter");

const pathParam = (name: string) => z.string().openapi({ param: { name, in: "path" } });
const SpaceParam = z.object({ space: pathParam("space") });
const SpaceEmailParams = z.object({ space: pathParam("space"), email: pathParam("email") });
const EmailParam = z.object({ email: pathParam("email") });
const IdentifierParam = z.object({ identifier: pathParam("identifier") });

// ---- users of a named space (/spaces/{space}/users) -------------------------------------------

const assignSpaceUsers = defineRoute("administrator", {
  method: "put",
  path: "/spaces/{space}/users",
  operationId: "assignSpaceUsers",
  tags: ["SpaceUsers"],
  summary: "Add users to a space or update their roles, in one operation",
  request: { params: SpaceParam, body: jsonBody(z.object({ users: z.array(UserInput) })) },
  responses: { 200: json(z.object({})) },
});
const getSpaceUsers = defineRoute("administrator", {
  method: "get",
  path: "/spaces/{space}/users",
  operationId: "getSpaceUsers",
  tags: ["SpaceUsers"],
  request: { params: SpaceParam, query: FilterQuery },
  responses: { 200: json(listEnvelope(SpaceUser)) },
});
const createSpaceUser = defineRoute("administrator", {
  method: "post",
  path: "/spaces/{space}/users",
  operationId: "createSpaceUser",
  tags: ["SpaceUsers"],
  request: { params: SpaceParam, body: jsonBody(UserInput) },
  responses: { 200: json(objectEnvelope(SpaceUser)) },
});
const getSpaceUser = defineRoute("administrator", {
  method: "get",
  path: "/spaces/{space}/users/{email}",
  operationId: "getSpaceUser",
  tags: ["SpaceUsers"],
  request: { params: SpaceEmailParams },
  responses: { 200: json(objectEnvelope(SpaceUser)) },
});
const updateSpaceUser = defineRoute("administrator", {
  method: "put",
  path: "/spaces/{space}/users/{email}",
  operationId: "updateSpaceUser",
  tags: ["SpaceUsers"],
  request: { params: SpaceEmailParams, body: jsonBody(UserInput) },
  responses: { 200: json(objectEnvelope(SpaceUser)) },
});
const deleteSpaceUser = defineRoute("administrator", {
  method: "delete",
  path: "/spaces/{space}/users/{email}",
  operationId: "deleteSpaceUser",
  tags: ["SpaceUsers"],
  request: { params: SpaceEmailParams },
  responses: { 200: json(MessageSchema) },
});

// ---- the current user (/users/me) ---------------------------------------------------------------

const getCurrentUser = defineRoute("authenticated", {
  method: "get",
  path: "/users/me",
  operationId: "getCurrentUser",
  tags: ["Users"],
  summary: "Who am I: email, roles in the current space, preferences",
  request: { query: SpaceQuery },
  responses: { 200: json(MessageSchema.extend({ object: CurrentUser })) },
});
const updateCurrentSpaceUserPreferences = defineRoute("user", {
  method: "put",
  path: "/users/me/space-preferences",
  operationId: "updateCurrentSpaceUserPreferences",
  tags: ["Users"],
  summary: "Merge preferences for the current space (JSON Merge Patch: null removes a key)",
  request: { query: SpaceQuery, body: jsonBody(PreferencesBody) },
  responses: { 200: json(objectEnvelope(CurrentUser)) },
});
const updateCurrentUserPreferences = defineRoute("authenticated", {
  method: "patch",
  path: "/users/me/preferences",
  operationId: "updateCurrentUserPreferences",
  tags: ["Users"],
  summary: "Merge preferences (JSON Merge Patch: null removes a key)",
  request: { query: SpaceQuery, body: jsonBody(PreferencesBody) },
  responses: { 200: json(MessageSchema.extend({ object: CurrentUser })) },
});
const acceptTermsRoute = defineRoute("authenticated", {
  method: "post",
  path: "/users/me/terms",
  operationId: "acceptTerms",
  tags: ["Users"],
  request: { query: SpaceQuery },
  responses: { 200: json(MessageSchema.extend({ object: CurrentUser })) },
});
const getTableFilters = defineRoute("authenticated", {
  method: "get",
  path: "/users/me/table-filters",
  operationId: "getTableFilters",
  tags: ["Users"],
  request: { query: FilterQuery },
  responses: { 200: json(listEnvelope(TableFilter)) },
});
const createTableFilterRoute = defineRoute("authenticated", {
  method: "post",
  path: "/users/me/table-filters",
  operationId: "createTableFilter",
  tags: ["Users"],
  request: { body: jsonBody(TableFilterInput) },
  responses: { 200: json(objectEnvelope(TableFilter)) },
});
const updateTableFilterRoute = defineRoute("authenticated", {
  method: "put",
  path: "/users/me/table-filters/{identifier}",
  operationId: "updateTableFilter",
  tags: ["Users"],
  request: { params: IdentifierParam, body: jsonBody(TableFilterInput) },
  responses: { 200: json(objectEnvelope(TableFilter)) },
});
const deleteTableFilterRoute = defineRoute("authenticated", {
  method: "delete",
  path: "/users/me/table-filters/{identifier}",
  operationId: "deleteTableFilter",
  tags: ["Users"],
  request: { params: IdentifierParam },
  responses: { 200: json(MessageSchema) },
});

// ---- users of the current space (/users) ------------------------------------------------------

const getUsers = defineRoute("administrator", {
  method: "get",
  path: "/users",
  operationId: "getUsers",
  tags: ["Users"],
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(listEnvelope(User)) },
});
const createUser = defineRoute("administrator", {
  method: "post",
  path: "/users",
  operationId: "createUser",
  tags: ["Users"],
  request: { query: SpaceQuery, body: jsonBody(UserInput) },
  responses: { 200: json(objectEnvelope(User)) },
});
const getUser = defineRoute("administrator", {
  method: "get",
  path: "/users/{email}",
  operationId: "getUser",
  tags: ["Users"],
  request: { query: SpaceQuery, params: EmailParam },
  responses: { 200: json(objectEnvelope(User)) },
});
const updateUser = defineRoute("administrator", {
  method: "put",
  path: "/users/{email}",
  operationId: "updateUser",
  tags: ["Users"],
  request: { query: SpaceQuery, params: EmailParam, body: jsonBody(UserInput) },
  responses: { 200: json(objectEnvelope(User)) },
});
const deleteUser = defineRoute("administrator", {
  method: "delete",
  path: "/users/{email}",
  operationId: "deleteUser",
  tags: ["Users"],
  summary: "Remove a user from the current space",
  request: { query: SpaceQuery, params: EmailParam },
  responses: { 200: json(MessageSchema) },
});

const asUser = (m: { email: string; roles: string[] }) => ({ email: m.email, roles: m.roles });

export const usersRouter = createRouter()
  .openapi(assignSpaceUsers, async (c) => {
    await assignMembers(c.var.db, c.var.space, c.req.valid("json").users);
    return c.json({}, 200);
  })
  .openapi(getSpaceUsers, async (c) => c.json(await listMembers(c.var.db, c.var.space, c.req.valid("query").filter), 200))
  .openapi(createSpaceUser, async (c) => c.json({ object: toMember(await addMember(c.var.db, c.var.space, c.req.valid("json"))) }, 200))
  .openapi(getSpaceUser, async (c) => c.json({ object: toMember(await getMember(c.var.db, c.var.space, c.req.valid("param").email)) }, 200))
  .openapi(updateSpaceUser, async (c) =>
    c.json({ object: toMember(await updateMember(c.var.db, c.var.space, c.req.valid("param").email, c.req.valid("json"))) }, 200),
  )
  .openapi(deleteSpaceUser, async (c) => c.json(await removeMember(c.var.db, c.var.space, c.req.valid("param").email), 200))
  // /users/me/* before /users/{email}: the fixed segment wins.
  .openapi(getCurrentUser, async (c) => {
    const roles = await rolesOrNone(c);
    return c.json({ message: "OK", object: await currentUser(c.var.db, c.var.principal!, c.var.space, roles) }, 200);
  })
  .openapi(updateCurrentSpaceUserPreferences, async (c) => {
    await mergeSpacePreferences(c.var.db, c.var.space, c.var.principal!.email, c.req.valid("json").updatedPreferences);
    return c.json({ object: await currentUser(c.var.db, c.var.principal!, c.var.space, c.var.roles) }, 200);
  })
  .openapi(updateCurrentUserPreferences, async (c) => {
    await mergeUserPreferences(c.var.db, c.var.principal!.email, c.req.valid("json").updatedPreferences);
    return c.json({ message: "Preferences updated.", object: await currentUser(c.var.db, c.var.principal!, c.var.space, await rolesOrNone(c)) }, 200);
  })
  .openapi(acceptTermsRoute, async (c) => {
    await acceptTerms(c.var.db, c.var.principal!.email);
    return c.json({ message: "Terms accepted.", object: await currentUser(c.var.db, c.var.principal!, c.var.space, await rolesOrNone(c)) }, 200);
  })
  .openapi(getTableFilters, async (c) => c.json(await listTableFilters(c.var.db, c.var.principal!.email, c.req.valid("query").filter), 200))
  .openapi(createTableFilterRoute, async (c) => c.json({ object: await createTableFilter(c.var.db, c.var.principal!.email, c.req.valid("json")) }, 200))
  .openapi(updateTableFilterRoute, async (c) =>
    c.json({ object: await updateTableFilter(c.var.db, c.var.principal!.email, c.req.valid("param").identifier, c.req.valid("json")) }, 200),
  )
  .openapi(deleteTableFilterRoute, async (c) =>
    c.json(await deleteTableFilter(c.var.db, c.var.principal!.email, c.req.valid("param").identifier), 200),
  )
  .openapi(getUsers, async (c) => {
    const list = await listMembers(c.var.db, c.var.space, c.req.valid("query").filter);
    return c.json({ metadata: list.metadata, results: list.results.map(asUser) }, 200);
  })
  .openapi(createUser, async (c) => c.json({ object: asUser(await addMember(c.var.db, c.var.space, c.req.valid("json"))) }, 200))
  .openapi(getUser, async (c) => c.json({ object: asUser(await getMember(c.var.db, c.var.space, c.req.valid("param").email)) }, 200))
  .openapi(updateUser, async (c) =>
    c.json({ object: asUser(await updateMember(c.var.db, c.var.space, c.req.valid("param").email, c.req.valid("json"))) }, 200),
  )
  .openapi(deleteUser, async (c) => c.json(await removeMember(c.var.db, c.var.space, c.req.valid("param").email), 200));

/** Roles in the current space for `authenticated` routes, where membership is not required. */
async function rolesOrNone(c: Context<AppEnv, string, object>): Promise<string[]> {
  return (await rolesInSpace(c.var.db, c.var.principal!, c.var.space)) ?? [];
}
