import { z } from "@hono/zod-openapi";
import { ownerTypeOf, testStoredConfiguration, testUnsavedConfiguration, validateStored } from "../domain/configuration-tests";
import { exportConfigurations, importConfigurations, parseConfigurations } from "../domain/configuration-transfer";
import { undefinedVariablesChecker } from "../domain/environment-variables";
import { platformRunContext } from "../domain/run-context";
import {
  createConfiguration,
  deleteByFilter,
  deleteConfiguration,
  getConfiguration,
  inSpace,
  listConfigurations,
  listHistory,
  restoreConfiguration,
  setLabels,
  setStatus,
  slugify,
  isStored,
  toConfiguration,
  toggleFavourite,
  updateConfiguration,
} from "../domain/configurations";
import { and, eq } from "drizzle-orm";
import type { HonoRequest } from "hono";
import { configurations } from "../db/schema";
import { ApiError, VIOLATION_TYPE } from "../lib/errors";
import { createRouter, defineRoute } from "../lib/openapi";
import { FilterQuery, Identifier, json, jsonBody, listEnvelope, MessageSchema, objectEnvelope, SpaceQuery } from "../schemas/common";

const Configuration = z
  .object({
    type: z.string(),
    identifier: z.string(),
    name: z.string(),
    description: z.string(),
    object: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()),
    owner: z.string().nullable(),
    removable: z.boolean(),
    resettable: z.boolean(),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    editor: z.string(),
    label: z.array(z.string()),
    tag: z.array(z.string()),
  })
  .openapi("Configuration");

const ConfigurationInput = z
  .object({
    type: z.string().min(1),
    identifier: Identifier.optional(),
    name: z.string().min(1).max(255),
    description: z.string().max(64000).nullish(),
    object: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()).optional(),
    owner: z.string().nullish(),
    removable: z.boolean().optional().openapi({ description: "Default true: configurations made through the API can be deleted." }),
    resettable: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .openapi("ConfigurationInput");
const ReplaceInput = ConfigurationInput.extend({ identifier: Identifier });
const PatchInput = ConfigurationInput.partial().extend({ type: z.string().min(1), identifier: Identifier });

const HistoryItem = z
  .object({
    type: z.string(),
    identifier: z.string(),
    ulid: z.string(),
    action: z.string(),
    name: z.string(),
    editor: z.string(),
    description: z.string(),
    object: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    disabled: z.boolean(),
    label: z.array(z.string()),
  })
  .openapi("ConfigurationHistoryItem");

const Violation = z.object({ propertyPath: z.string(), title: z.string(), type: z.string().optional() });
const ImportResult = z
  .object({
    valid: z.boolean(),
    title: z.string(),
    detail: z.string(),
    results: z.array(
      z.object({
        type: z.string(),
        identifier: z.string(),
        decision: z.enum(["create", "update", "unchanged", "invalid"]),
        action: z.string(),
        relationships: z.array(z.object({ relation: z.string(), node: z.object({ identifier: z.string(), type: z.string() }), paths: z.array(z.string()) })),
        violations: z.array(Violation),
      }),
    ),
  })
  .openapi("ImportResult");

const p = (name: string) => z.string().openapi({ param: { name, in: "path" } });
const TypeIdParams = z.object({ type: p("type"), identifier: p("identifier") });
const Flag = z.enum(["true", "false", "1", "0"]).default("false");
const ndjson = { description: "NDJSON: one configuration per line", content: { "application/x-ndjson": { schema: z.string() } } };
const TAGS: ["Configurations"] = ["Configurations"];

const getStored = defineRoute("user", {
  method: "get",
  path: "/configurations/stored",
  operationId: "getStoredConfigurations",
  tags: TAGS,
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(listEnvelope(Configuration)) },
});
const getAll = defineRoute("user", {
  method: "get",
  path: "/configurations",
  operationId: "getConfigurations",
  tags: TAGS,
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(listEnvelope(Configuration)) },
});
const create = defineRoute("editor", {
  method: "post",
  path: "/configurations",
  operationId: "createConfiguration",
  tags: TAGS,
  request: { query: SpaceQuery, body: jsonBody(ConfigurationInput) },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const replace = defineRoute("editor", {
  method: "put",
  path: "/configurations",
  operationId: "replaceConfiguration",
  tags: TAGS,
  request: { query: SpaceQuery, body: jsonBody(ReplaceInput) },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const patch = defineRoute("editor", {
  method: "patch",
  path: "/configurations",
  operationId: "patchConfiguration",
  tags: TAGS,
  request: { query: SpaceQuery, body: jsonBody(PatchInput) },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const favourite = defineRoute("user", {
  method: "post",
  path: "/configurations/favourites",
  operationId: "toggleFavourite",
  tags: TAGS,
  request: { query: SpaceQuery, body: jsonBody(z.object({ type: z.string(), identifier: Identifier })) },
  responses: { 200: json(z.record(z.string(), z.unknown())) },
});
const exportSelected = defineRoute(
  "user",
  {
    method: "post",
    path: "/configurations/export",
    operationId: "bulkExportObjectConfigurations",
    tags: TAGS,
    request: {
      query: SpaceQuery,
      body: jsonBody(z.object({ objects: z.array(z.object({ type: z.string(), identifier: z.string() })).min(1), clientTime: z.string().regex(/^\d+$/).optional() })),
    },
    responses: { 200: ndjson },
  },
  { audit: false },
);
const importRoute = defineRoute("editor", {
  method: "post",
  path: "/configurations/import",
  operationId: "importObjectConfigurations",
  tags: TAGS,
  summary: "Import an Alumio export: JSON array, NDJSON or multipart files; all or nothing",
  request: {
    query: SpaceQuery.extend({ "dry-run": Flag, "validate-variables": Flag }),
    body: {
      required: true,
      // Documented, not validated here: the body is parsed per content type by importItems.
      content: {
        "application/json": { schema: z.unknown().openapi({ type: "array", items: { type: "object" } }) },
        "application/x-ndjson": { schema: z.unknown().openapi({ type: "string" }) },
        "multipart/form-data": { schema: z.unknown().openapi({ type: "object", properties: { files: { type: "array", items: { type: "string", format: "binary" } } } }) },
      },
    },
  },
  responses: { 200: json(ImportResult) },
});
const exportType = defineRoute(
  "user",
  {
    method: "post",
    path: "/configurations/{type}/export",
    operationId: "bulkExportAllObjectConfigurations",
    tags: TAGS,
    request: {
      query: SpaceQuery,
      params: z.object({ type: p("type") }),
      body: { required: false, content: { "application/json": { schema: z.object({ identifiers: z.array(z.string()).optional(), clientTime: z.string().regex(/^\d+$/).optional() }) } } },
    },
    responses: { 200: ndjson },
  },
  { audit: false },
);
const deleteFiltered = defineRoute("editor", {
  method: "post",
  path: "/configurations/{type}/delete",
  operationId: "deleteConfigurationsByFilter",
  tags: TAGS,
  request: { query: SpaceQuery, params: z.object({ type: p("type") }), body: jsonBody(z.object({ filter: z.union([z.string(), z.record(z.string(), z.unknown())]) })) },
  responses: { 200: json(z.object({ deleted: z.number().int() })) },
});
const getOne = defineRoute("user", {
  method: "get",
  path: "/configurations/{type}/{identifier}",
  operationId: "getConfiguration",
  tags: TAGS,
  request: { query: SpaceQuery, params: TypeIdParams },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const remove = defineRoute("editor", {
  method: "delete",
  path: "/configurations/{type}/{identifier}",
  operationId: "deleteConfiguration",
  tags: TAGS,
  request: { query: SpaceQuery, params: TypeIdParams },
  responses: { 200: json(MessageSchema) },
});
const status = defineRoute("editor", {
  method: "put",
  path: "/configurations/{type}/{identifier}/status",
  operationId: "setConfigurationStatus",
  tags: TAGS,
  request: { query: SpaceQuery, params: TypeIdParams, body: jsonBody(z.object({ disabled: z.boolean() })) },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const labels = defineRoute("editor", {
  method: "put",
  path: "/configurations/{type}/{identifier}/labels",
  operationId: "setConfigurationLabels",
  tags: TAGS,
  request: { query: SpaceQuery, params: TypeIdParams, body: jsonBody(z.object({ labels: z.array(z.string().min(1).max(100)) })) },
  responses: { 200: json(listEnvelope(z.object({ name: z.string() }))) },
});
const history = defineRoute("user", {
  method: "get",
  path: "/configurations/{type}/{identifier}/history",
  operationId: "getConfigurationHistory",
  tags: TAGS,
  request: { query: FilterQuery.merge(SpaceQuery), params: TypeIdParams },
  responses: { 200: json(listEnvelope(HistoryItem)) },
});
const restore = defineRoute("editor", {
  method: "post",
  path: "/configurations/{type}/{identifier}/restore",
  operationId: "restoreConfiguration",
  tags: TAGS,
  request: { query: SpaceQuery, params: TypeIdParams, body: jsonBody(z.object({ ulid: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "Not a ULID.") })) },
  responses: { 200: json(objectEnvelope(HistoryItem)) },
});

const ValidationResult = z
  .object({ results: z.array(z.object({ type: z.string(), identifier: z.string(), error: z.string(), violations: z.array(Violation) })) })
  .openapi("DiValidationResult");
const validateAll = defineRoute("user", {
  method: "get",
  path: "/configurations/validate",
  operationId: "validateConfigurations",
  tags: TAGS,
  summary: "Validate the stored configurations (always 200; invalid ones are listed)",
  request: { query: SpaceQuery.extend({ type: z.string().optional() }) },
  responses: { 200: json(ValidationResult) },
});
const validateRegistered = defineRoute("user", {
  method: "get",
  path: "/configurations/validate/registered",
  operationId: "validateRegisteredConfigurations",
  tags: TAGS,
  summary: "Validate the registered configurations; 400 when any is invalid",
  request: { query: SpaceQuery.extend({ type: z.string().optional() }) },
  responses: { 200: json(ValidationResult), 400: json(ValidationResult, "Invalid configurations found") },
});
const TestResult = z
  .object({ type: z.string(), specification: z.string(), object: z.string(), tester: z.string(), response: z.record(z.string(), z.unknown()) })
  .openapi("ConfigurationTestResult");
const testUnsaved = defineRoute(
  "user",
  {
    method: "post",
    path: "/configurations/{type}/test",
    operationId: "testConfiguration",
    tags: TAGS,
    summary: "Run an unsaved configuration on test data: entities for transformers and incomings, requests for HTTP clients",
    request: {
      query: SpaceQuery,
      params: z.object({ type: p("type") }),
      body: jsonBody(z.object({ object: z.record(z.string(), z.unknown()), tests: z.array(z.record(z.string(), z.unknown())).min(1).max(100) })),
    },
    responses: { 200: json(TestResult) },
  },
  { audit: false },
);
const testStored = defineRoute(
  "user",
  {
    method: "post",
    path: "/configurations/{type}/{identifier}/test",
    operationId: "testStoredConfiguration",
    tags: TAGS,
    summary: "Run a stored configuration on the data of the tests it owns",
    request: { query: SpaceQuery, params: TypeIdParams },
    responses: { 200: json(TestResult) },
  },
  { audit: false },
);
const RelationParams = z.object({ type: p("type"), owner: p("owner") });
const RelationItemParams = RelationParams.extend({ identifier: p("identifier") });
const RelationInput = ConfigurationInput.omit({ type: true, owner: true });
const listRelations = defineRoute("user", {
  method: "get",
  path: "/configurations/{type}/{owner}/relations",
  operationId: "getObjectRelations",
  tags: TAGS,
  summary: "The configurations of {type} owned by {owner} (e.g. the tests of a transformer)",
  request: { query: FilterQuery.merge(SpaceQuery), params: RelationParams },
  responses: { 200: json(listEnvelope(Configuration)) },
});
const createRelation = defineRoute("editor", {
  method: "post",
  path: "/configurations/{type}/{owner}/relations",
  operationId: "createObjectRelation",
  tags: TAGS,
  request: { query: SpaceQuery, params: RelationParams, body: jsonBody(RelationInput) },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const getRelation = defineRoute("user", {
  method: "get",
  path: "/configurations/{type}/{owner}/relations/{identifier}",
  operationId: "getObjectRelation",
  tags: TAGS,
  request: { query: SpaceQuery, params: RelationItemParams },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const updateRelation = defineRoute("editor", {
  method: "put",
  path: "/configurations/{type}/{owner}/relations/{identifier}",
  operationId: "updateObjectRelation",
  tags: TAGS,
  request: { query: SpaceQuery, params: RelationItemParams, body: jsonBody(RelationInput) },
  responses: { 200: json(objectEnvelope(Configuration)) },
});
const deleteRelation = defineRoute("editor", {
  method: "delete",
  path: "/configurations/{type}/{owner}/relations/{identifier}",
  operationId: "deleteObjectRelation",
  tags: TAGS,
  request: { query: SpaceQuery, params: RelationItemParams },
  responses: { 200: json(MessageSchema) },
});

/**
 * The owner in the path must exist: as the configuration type a test type belongs to
 * (`transformer-test` -> `list-transformer`), else as a configuration of any type.
 */
async function assertOwner(db: Parameters<typeof getConfiguration>[0], space: string, type: string, owner: string) {
  const ownerType = ownerTypeOf(type);
  if (ownerType) return void (await getConfiguration(db, space, ownerType, owner));
  const [row] = await db.select({ identifier: configurations.identifier }).from(configurations).where(and(inSpace(space), eq(configurations.identifier, owner))).limit(1);
  if (!row) throw ApiError.notFound(`Owner configuration '${owner}'`);
}

/** An owned configuration must belong to the owner in the path. */
async function ownedBy(db: Parameters<typeof getConfiguration>[0], space: string, type: string, owner: string, identifier: string) {
  const row = await getConfiguration(db, space, type, identifier);
  if (row.owner !== owner) throw ApiError.notFound(`${type} '${identifier}' owned by '${owner}'`);
  return row;
}

/** Reads an import body: JSON, NDJSON or every file of a multipart upload. */
async function importItems(request: HonoRequest): Promise<unknown[]> {
  const type = request.header("content-type") ?? "";
  const texts: string[] = [];
  if (type.includes("multipart/form-data")) {
    const form = await request.formData();
    for (const value of form.values()) texts.push(typeof value === "string" ? value : await (value as unknown as Blob).text());
  } else texts.push(await request.text());
  const items: unknown[] = [];
  for (const text of texts) {
    const { items: parsed, violations } = parseConfigurations(text);
    if (violations.length) throw new ApiError(400, "The import is not valid JSON or NDJSON.", { violations });
    items.push(...parsed);
  }
  if (items.length === 0) throw new ApiError(400, "Nothing to import.", { violations: [{ propertyPath: "", title: "No configurations found.", type: VIOLATION_TYPE }] });
  return items;
}

const ndjsonHeaders = (name: string) => ({ "content-type": "application/x-ndjson", "content-disposition": `attachment; filename="${name}.ndjson"` });

export const configurationsRouter = createRouter()
  .openapi(validateRegistered, async (c) => {
    const result = await validateStored(c.var.db, c.var.space, c.req.valid("query").type);
    if (!result.results.length) return c.json(result, 200);
    // Alumio's DiValidationResult (`results`) and, around it, the API's error shape (`violations`).
    const error = new ApiError(400, `${result.results.length} configuration(s) are invalid.`, {
      violations: result.results.flatMap((r) => r.violations.map((v) => ({ ...v, propertyPath: `${r.type}/${r.identifier}.${v.propertyPath}` }))),
    });
    return c.body(JSON.stringify({ ...error.toBody(), results: result.results }), 400, { "content-type": "application/problem+json" }) as never;
  })
  .openapi(validateAll, async (c) => c.json(await validateStored(c.var.db, c.var.space, c.req.valid("query").type), 200))
  // Fixed segments first: /configurations/stored|favourites|export|import beat /configurations/{type}/...
  .openapi(getStored, async (c) => c.json(await listConfigurations(c.var.db, c.var.space, c.req.valid("query").filter, isStored), 200))
  .openapi(getAll, async (c) => c.json(await listConfigurations(c.var.db, c.var.space, c.req.valid("query").filter), 200))
  .openapi(create, async (c) => c.json({ object: toConfiguration(await createConfiguration(c.var.db, c.var.space, c.var.principal!.email, c.req.valid("json"))) }, 200))
  .openapi(replace, async (c) =>
    c.json({ object: toConfiguration(await updateConfiguration(c.var.db, c.var.space, c.var.principal!.email, c.req.valid("json"), "replace")) }, 200),
  )
  .openapi(patch, async (c) =>
    c.json({ object: toConfiguration(await updateConfiguration(c.var.db, c.var.space, c.var.principal!.email, c.req.valid("json"), "patch")) }, 200),
  )
  .openapi(favourite, async (c) => {
    const body = c.req.valid("json");
    return c.json(await toggleFavourite(c.var.db, c.var.space, c.var.principal!.email, body.type, body.identifier), 200);
  })
  // hono types every `application/*json*` media type (x-ndjson too) as a JSON body: the NDJSON answers are plain bodies.
  .openapi(exportSelected, async (c) =>
    c.body(await exportConfigurations(c.var.db, c.var.space, c.req.valid("json").objects), 200, ndjsonHeaders(`configurations-${c.var.space}`)) as never,
  )
  .openapi(importRoute, async (c) => {
    const query = c.req.valid("query");
    const items = await importItems(c.req);
    const dryRun = query["dry-run"] === "true" || query["dry-run"] === "1";
    const checkVariables = query["validate-variables"] === "true" || query["validate-variables"] === "1";
    const validateVariables = checkVariables ? await undefinedVariablesChecker(c.var.db, c.var.space) : undefined;
    return c.json(await importConfigurations(c.var.db, c.var.space, c.var.principal!.email, items, { dryRun, validateVariables }), 200);
  })
  .openapi(exportType, async (c) => {
    const { type } = c.req.valid("param");
    const body = (c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {}) as { identifiers?: string[] };
    return c.body(await exportConfigurations(c.var.db, c.var.space, { type, identifiers: body.identifiers }), 200, ndjsonHeaders(`${type}-${c.var.space}`)) as never;
  })
  .openapi(deleteFiltered, async (c) =>
    c.json(await deleteByFilter(c.var.db, c.var.space, c.var.principal!.email, c.req.valid("param").type, c.req.valid("json").filter), 200),
  )
  .openapi(testUnsaved, async (c) =>
    c.json(await testUnsavedConfiguration(c.var.db, c.var.space, c.req.valid("param").type, c.req.valid("json"), platformRunContext(c.env, c.var.db, c.var.space)), 200),
  )
  .openapi(testStored, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json(await testStoredConfiguration(c.var.db, c.var.space, type, identifier, platformRunContext(c.env, c.var.db, c.var.space)), 200);
  })
  .openapi(listRelations, async (c) => {
    const { type, owner } = c.req.valid("param");
    return c.json(await listConfigurations(c.var.db, c.var.space, c.req.valid("query").filter, eq(configurations.owner, owner), type), 200);
  })
  .openapi(createRelation, async (c) => {
    const { type, owner } = c.req.valid("param");
    const body = c.req.valid("json");
    await assertOwner(c.var.db, c.var.space, type, owner);
    // Alumio names owned configurations `<owner>--<name>` (e.g. `my-transformer--new-product`).
    const identifier = body.identifier ?? (slugify(body.name) ? `${owner}--${slugify(body.name)}`.slice(0, 255) : undefined);
    return c.json({ object: toConfiguration(await createConfiguration(c.var.db, c.var.space, c.var.principal!.email, { ...body, identifier, type, owner })) }, 200);
  })
  .openapi(getRelation, async (c) => {
    const { type, owner, identifier } = c.req.valid("param");
    return c.json({ object: toConfiguration(await ownedBy(c.var.db, c.var.space, type, owner, identifier)) }, 200);
  })
  .openapi(updateRelation, async (c) => {
    const { type, owner, identifier } = c.req.valid("param");
    const body = c.req.valid("json");
    await ownedBy(c.var.db, c.var.space, type, owner, identifier);
    if (body.identifier !== undefined && body.identifier !== identifier) throw ApiError.invalid("identifier", `The identifier is '${identifier}' (the path's); it cannot be changed.`);
    const row = await updateConfiguration(c.var.db, c.var.space, c.var.principal!.email, { ...body, type, identifier, owner }, "replace");
    return c.json({ object: toConfiguration(row) }, 200);
  })
  .openapi(deleteRelation, async (c) => {
    const { type, owner, identifier } = c.req.valid("param");
    await ownedBy(c.var.db, c.var.space, type, owner, identifier);
    return c.json(await deleteConfiguration(c.var.db, c.var.space, c.var.principal!.email, type, identifier), 200);
  })
  .openapi(getOne, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json({ object: toConfiguration(await getConfiguration(c.var.db, c.var.space, type, identifier)) }, 200);
  })
  .openapi(remove, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json(await deleteConfiguration(c.var.db, c.var.space, c.var.principal!.email, type, identifier), 200);
  })
  .openapi(status, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json({ object: toConfiguration(await setStatus(c.var.db, c.var.space, c.var.principal!.email, type, identifier, c.req.valid("json").disabled)) }, 200);
  })
  .openapi(labels, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json(await setLabels(c.var.db, c.var.space, c.var.principal!.email, type, identifier, c.req.valid("json").labels), 200);
  })
  .openapi(history, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json(await listHistory(c.var.db, c.var.space, type, identifier, c.req.valid("query").filter), 200);
  })
  .openapi(restore, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json({ object: await restoreConfiguration(c.var.db, c.var.space, c.var.principal!.email, type, identifier, c.req.valid("json").ulid) }, 200);
  });
