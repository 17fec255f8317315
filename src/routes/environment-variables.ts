import { z } from "@hono/zod-openapi";
import {
  createEnvironmentVariable,
  deleteEnvironmentVariable,
  environmentVariableCandidates,
  environmentVariableUsages,
  getEnvironmentVariable,
  listEnvironmentVariables,
  MASKED_VALUE,
  updateEnvironmentVariable,
  VARIABLE_NAME_MAX_LENGTH,
  VARIABLE_NAME_PATTERN,
} from "../domain/environment-variables";
import { createRouter, defineRoute } from "../lib/openapi";
import { FilterQuery, json, jsonBody, listEnvelope, MessageSchema, objectEnvelope, SpaceQuery } from "../schemas/common";

const TAG = "EnvironmentVariables";

const EnvironmentVariableName = z
  .string()
  .max(VARIABLE_NAME_MAX_LENGTH)
  .regex(VARIABLE_NAME_PATTERN, "Use letters, digits, underscores and dashes only (^[a-zA-Z0-9_-]+$).")
  .openapi("EnvironmentVariableName", { example: "AKENEO_BASE_URL", description: "Used as `${NAME}` in configurations. `candidates` is reserved." });
const Description = z.string().max(150).openapi({ description: "At most 150 characters." });
const Encrypted = z.boolean().openapi({ description: "Store the value AES-GCM encrypted; it is shown only when created." });

const EnvironmentVariable = z
  .object({
    name: z.string(),
    description: z.string(),
    value: z.string().openapi({ description: `\`${MASKED_VALUE}\` for an encrypted variable, except in the response that creates it.` }),
    encrypted: z.boolean(),
    default: z.boolean().openapi({ description: "Provided by the system (SPACE, SPACE_NAME, SPACE_PURPOSE); a variable of the same name overrides it." }),
  })
  .openapi("EnvironmentVariable");

const CreateBody = z
  .object({ name: EnvironmentVariableName, description: Description.optional(), value: z.string().max(65535), encrypted: Encrypted.optional() })
  .openapi("CreateEnvironmentVariable");
const UpdateBody = z
  .object({
    description: Description.optional(),
    encrypted: Encrypted.optional(),
    value: z
      .string()
      .max(65535)
      .optional()
      .openapi({ description: `For an encrypted variable, blank (absent, empty or \`${MASKED_VALUE}\`) keeps the current value.` }),
  })
  .openapi("UpdateEnvironmentVariable");

const Candidate = z
  .object({
    name: z.string(),
    matches: z.array(
      z.object({
        type: z.string().openapi({ description: "`configuration`" }),
        metadata: z.record(z.string(), z.unknown()).openapi({ description: "The configuration: type, identifier, name." }),
        payload: z.record(z.string(), z.unknown()).openapi({ description: "Where: propertyPath, and the string that holds the reference." }),
      }),
    ),
  })
  .openapi("EnvironmentVariableCandidate");
const Usage = z.object({ type: z.string(), identifier: z.string(), name: z.string() }).openapi("EnvironmentVariableUsage");

const NameParam = z.object({ name: z.string().min(1).openapi({ param: { name: "name", in: "path" }, description: "Environment variable name" }) });
const VariableParam = z.object({
  variable: z.string().min(1).openapi({ param: { name: "variable", in: "path" }, description: "Environment variable" }),
});

const getEnvironmentVariables = defineRoute("user", {
  method: "get",
  path: "/environment-variables",
  operationId: "getEnvironmentVariables",
  tags: [TAG],
  summary: "The space's environment variables, system-provided ones included; encrypted values masked",
  description: 'Filter on `name`, `description`, `encrypted` and `default`, e.g. {"where":{"name":{"like":"AKENEO_%"}},"order":"name asc"}.',
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(listEnvelope(EnvironmentVariable)) },
});
const createEnvironmentVariableRoute = defineRoute("editor", {
  method: "post",
  path: "/environment-variables",
  operationId: "createEnvironmentVariable",
  tags: [TAG],
  summary: "Create a variable; an encrypted value is shown only in this response",
  request: { query: SpaceQuery, body: jsonBody(CreateBody) },
  responses: { 200: json(objectEnvelope(EnvironmentVariable)) },
}, { secretFields: ["value"] });
// Fixed path before /environment-variables/{name}: "candidates" is never read as a name.
const getEnvironmentVariableCandidates = defineRoute("user", {
  method: "get",
  path: "/environment-variables/candidates",
  operationId: "getEnvironmentVariableCandidates",
  tags: [TAG],
  summary: "`${NAME}` references in the space's configurations that no variable defines, with where they are",
  request: { query: SpaceQuery },
  responses: { 200: json(listEnvelope(Candidate)) },
});
const getEnvironmentVariableUsages = defineRoute("user", {
  method: "get",
  path: "/environment-variables/{variable}/usages",
  operationId: "getEnvironmentVariableUsages",
  tags: [TAG],
  summary: "The configurations that reference the variable",
  request: { params: VariableParam, query: SpaceQuery },
  responses: { 200: json(listEnvelope(Usage)) },
});
const getEnvironmentVariableRoute = defineRoute("user", {
  method: "get",
  path: "/environment-variables/{name}",
  operationId: "getEnvironmentVariable",
  tags: [TAG],
  request: { params: NameParam, query: SpaceQuery },
  responses: { 200: json(objectEnvelope(EnvironmentVariable)) },
});
const updateEnvironmentVariableRoute = defineRoute("editor", {
  method: "put",
  path: "/environment-variables/{name}",
  operationId: "updateEnvironmentVariable",
  tags: [TAG],
  summary: "Update description, value or encrypted flag; a blank value keeps an encrypted value",
  request: { params: NameParam, query: SpaceQuery, body: jsonBody(UpdateBody) },
  responses: { 200: json(objectEnvelope(EnvironmentVariable)) },
}, { secretFields: ["value"] });
const deleteEnvironmentVariableRoute = defineRoute("editor", {
  method: "delete",
  path: "/environment-variables/{name}",
  operationId: "deleteEnvironmentVariable",
  tags: [TAG],
  summary: "Delete a variable (a system-provided one it overrode applies again)",
  request: { params: NameParam, query: SpaceQuery },
  responses: { 200: json(MessageSchema) },
});

export const environmentVariablesRouter = createRouter()
  .openapi(getEnvironmentVariables, async (c) => c.json(await listEnvironmentVariables(c.var.db, c.var.space, c.req.valid("query").filter), 200))
  .openapi(createEnvironmentVariableRoute, async (c) =>
    c.json({ object: await createEnvironmentVariable(c.var.db, c.env, c.var.space, c.req.valid("json")) }, 200),
  )
  .openapi(getEnvironmentVariableCandidates, async (c) => c.json(await environmentVariableCandidates(c.var.db, c.var.space), 200))
  .openapi(getEnvironmentVariableUsages, async (c) =>
    c.json(await environmentVariableUsages(c.var.db, c.var.space, c.req.valid("param").variable), 200),
  )
  .openapi(getEnvironmentVariableRoute, async (c) =>
    c.json({ object: await getEnvironmentVariable(c.var.db, c.var.space, c.req.valid("param").name) }, 200),
  )
  .openapi(updateEnvironmentVariableRoute, async (c) =>
    c.json({ object: await updateEnvironmentVariable(c.var.db, c.env, c.var.space, c.req.valid("param").name, c.req.valid("json")) }, 200),
  )
  .openapi(deleteEnvironmentVariableRoute, async (c) =>
    c.json(await deleteEnvironmentVariable(c.var.db, c.var.space, c.req.valid("param").name), 200),
  );
