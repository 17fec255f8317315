import { z } from "@hono/zod-openapi";
import { createToken, getToken, listTokens, revokeToken, toToken, updateToken } from "../domain/tokens";
import { createRouter, defineRoute } from "../lib/openapi";
import { Email, FilterQuery, json, jsonBody, listEnvelope, MessageSchema, SpaceQuery } from "../schemas/common";

const Token = z
  .object({
    identifier: z.string(),
    name: z.string(),
    description: z.string(),
    user: z.string().openapi({ description: "The user the token acts for." }),
    createdAt: z.string(),
    createdBy: z.string(),
    expiresAt: z.string().nullable(),
    lastUsed: z.string().nullable().openapi({ description: "Updated at most once a minute." }),
  })
  .openapi("Token");

const CreateTokenBody = z
  .object({
    name: z.string().min(1).max(45),
    description: z.string().max(64000).optional(),
    user: Email.optional().openapi({
      description:
        "Extension: issue the token for this user (a service user) instead of the caller. Needs a system administrator, or an administrator of the current space where the user is a member.",
    }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "Extension: the token stops working at this time. Without it the token lives until revoked." }),
  })
  .openapi("CreateToken");

const UpdateTokenBody = z.object({ name: z.string().min(1).max(45).optional(), description: z.string().max(64000).optional() });
const IdentifierParam = z.object({ identifier: z.string().openapi({ param: { name: "identifier", in: "path" } }) });

const getTokens = defineRoute("authenticated", {
  method: "get",
  path: "/tokens",
  operationId: "getTokens",
  tags: ["Tokens"],
  summary: "Your tokens and the ones you issued (all for a system administrator)",
  request: { query: FilterQuery },
  responses: { 200: json(listEnvelope(Token)) },
});
const createTokenRoute = defineRoute("authenticated", {
  method: "post",
  path: "/tokens",
  operationId: "createToken",
  tags: ["Tokens"],
  summary: "Issue an API token; the access_token is shown only in this response",
  request: { query: SpaceQuery, body: jsonBody(CreateTokenBody) },
  responses: { 200: json(z.object({ access_token: z.string(), identifier: z.string() })) },
});
const getTokenRoute = defineRoute("authenticated", {
  method: "get",
  path: "/tokens/{identifier}",
  operationId: "getToken",
  tags: ["Tokens"],
  request: { params: IdentifierParam },
  responses: { 200: json(MessageSchema.extend({ object: Token })) },
});
const updateTokenRoute = defineRoute("authenticated", {
  method: "put",
  path: "/tokens/{identifier}",
  operationId: "updateToken",
  tags: ["Tokens"],
  request: { params: IdentifierParam, body: jsonBody(UpdateTokenBody) },
  responses: { 200: json(MessageSchema.extend({ object: Token })) },
});
const deleteToken = defineRoute("authenticated", {
  method: "delete",
  path: "/tokens/{identifier}",
  operationId: "deleteToken",
  tags: ["Tokens"],
  summary: "Revoke a token: it stops working at once",
  request: { params: IdentifierParam },
  responses: { 200: json(MessageSchema) },
});

export const tokensRouter = createRouter()
  .openapi(getTokens, async (c) => c.json(await listTokens(c.var.db, c.var.principal!, c.req.valid("query").filter), 200))
  .openapi(createTokenRoute, async (c) =>
    c.json(await createToken(c.var.db, c.env.JWT_SECRET, c.var.principal!, c.var.space, c.req.valid("json")), 200),
  )
  .openapi(getTokenRoute, async (c) =>
    c.json({ message: "OK", object: toToken(await getToken(c.var.db, c.var.principal!, c.req.valid("param").identifier)) }, 200),
  )
  .openapi(updateTokenRoute, async (c) => {
    const row = await updateToken(c.var.db, c.var.principal!, c.req.valid("param").identifier, c.req.valid("json"));
    return c.json({ message: "Token updated.", object: toToken(row) }, 200);
  })
  .openapi(deleteToken, async (c) => c.json(await revokeToken(c.var.db, c.var.principal!, c.req.valid("param").identifier), 200));
