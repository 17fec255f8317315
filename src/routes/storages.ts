import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  clearStorage,
  copyStorage,
  createStorageEntity,
  deleteStorageEntities,
  deleteStorageEntity,
  exportStorageEntities,
  getStorageEntity,
  listStorageEntities,
  pruneStorages,
  putStorageEntity,
  R2StorageStore,
  storageMetadata,
  storageTtls,
} from "../domain/storages";
import type { AppEnv } from "../lib/env";
import { ApiError, VIOLATION_TYPE } from "../lib/errors";
import { createRouter, defineRoute } from "../lib/openapi";
import { FilterQuery, json, jsonBody, listEnvelope, MessageSchema, SpaceQuery } from "../schemas/common";

const TAG = "Storages";

const StorageId = z.string().min(1).max(255);
const pathParam = (name: string, description: string) => StorageId.openapi({ param: { name, in: "path" }, description });
const IdentifierParam = z.object({ identifier: pathParam("identifier", "Storage identifier.") });
const EntityParams = IdentifierParam.extend({
  entity: z.string().min(1).openapi({ param: { name: "entity", in: "path" }, description: "Entity identifier (URL-encoded)." }),
});
const EntityQuery = SpaceQuery.extend({
  entity: z.string().min(1).openapi({ description: "Entity identifier: any string, URL-encoded in the query." }),
});
const CopyParams = z.object({
  source: pathParam("source", "The storage that needs to be copied."),
  target: pathParam("target", "The target storage where data will be stored."),
});

const StorageEntity = z
  .object({
    value: z.unknown().openapi({ description: "The stored JSON value." }),
    updatedAt: z.string().openapi({ description: "When the value was last written (ISO 8601)." }),
  })
  .openapi("StorageEntity");
const StorageEntityItem = z.object({ identifier: z.string(), updatedAt: z.string() }).openapi("StorageEntityItem");
const StorageEntityList = listEnvelope(StorageEntityItem)
  .extend({
    next: z.array(z.string()).openapi({
      description:
        'Cursor: pass it back as `filter.next` (with the same where/order) for the page after this one; `[]` when this is the last page. Example: {"next":["sku-100"],"limit":100}.',
    }),
  })
  .openapi("StorageEntityList");
const StorageMetadataItem = z.object({ identifier: z.string(), sizeInBytes: z.number().int() }).openapi("StorageMetadata");
const CountMessage = MessageSchema.extend({ count: z.number().int().openapi({ description: "How many entities were affected." }) });

const EntityValueBody = {
  ...jsonBody(z.unknown().openapi({ description: "The entity's value: any JSON document, stored as sent." })),
  description: "The value to store (the request body is the value itself, not wrapped).",
};
const FilterValue = z.union([z.string(), z.record(z.string(), z.unknown())]).openapi({
  description: 'Search criteria as JSON (a string, or the object itself) on `identifier` and `updatedAt`: {"where":{...},"order":"updatedAt desc","limit":50,"skip":0}.',
});
const DeleteBody = z.object({ filter: FilterValue }).openapi("DeleteStorageEntities");
const ExportBody = z
  .object({
    filter: FilterValue.optional(),
    clientTime: z.string().regex(/^\d+$/, "Expected a number of milliseconds (digits only).").optional().openapi({
      description: "The client's clock (epoch milliseconds); names the exported file.",
    }),
  })
  .openapi("ExportStorageEntities");
const ExportForm = z.object({ filter: z.string().optional(), clientTime: z.string().regex(/^\d+$/).optional() });

// Fixed paths first: /storages/metadata must never be read as a storage called "metadata".
const getStorageMetadata = defineRoute("user", {
  method: "get",
  path: "/storages/metadata",
  operationId: "getStorageMetadata",
  tags: [TAG],
  summary: "Every storage of the space that holds entities, with the bytes it uses",
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(listEnvelope(StorageMetadataItem)) },
});
const PruneResult = z
  .object({
    identifier: z.string(),
    ttl: z.number().nullable().openapi({ description: "The TTL in seconds (null: the storage has none)." }),
    olderThan: z.string().nullable().openapi({ description: "Entities last written before this time were removed." }),
    pruned: z.number().int(),
    skipped: z.string().optional().openapi({ description: "Why the storage was not pruned." }),
  })
  .openapi("StoragePruneResult");
const pruneStoragesRoute = defineRoute("editor", {
  method: "post",
  path: "/storages/prune",
  operationId: "pruneStorages",
  tags: [TAG],
  summary: "Remove the entities older than their storage's TTL",
  description:
    'The TTL is the `storage` configuration\'s `object.parameters.ttl`: `{"parameters":"30 days"}` as exports write it, or the duration itself: ' +
    '"30 days", "12 hours", "1 day 6 hours", "90 min", "2w", an ISO-8601 duration ("P30D", "PT12H") or a number of seconds (months count 30 days, years 365). ' +
    "`enablePruning: false` skips a storage. Without `identifier` every storage configuration of the space with a TTL is pruned. " +
    "A TTL that cannot be read is a 400 and nothing is pruned.",
  request: { query: SpaceQuery.extend({ identifier: StorageId.optional().openapi({ description: "Storage identifier: prune only this storage." }) }) },
  responses: { 200: json(CountMessage.extend({ results: z.array(PruneResult) })) },
});
const copyStorageRoute = defineRoute("editor", {
  method: "post",
  path: "/storages/{source}/copy/{target}",
  operationId: "copyStorage",
  tags: [TAG],
  summary: "Copy every entity of one storage into another (same keys, overwriting)",
  request: { params: CopyParams, query: SpaceQuery },
  responses: { 200: json(CountMessage) },
});
const getStorageEntities = defineRoute("user", {
  method: "get",
  path: "/storages/{identifier}/entities",
  operationId: "getStorageEntities",
  tags: [TAG],
  summary: "The entities of a storage (identifier and updatedAt), filtered, with a cursor",
  description:
    "Filterable and sortable on `identifier` and `updatedAt`; default order `identifier asc`. `totalCount` counts every match; `next` continues after this page when passed back as `filter.next`.",
  request: { params: IdentifierParam, query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(StorageEntityList) },
});
const deleteStorageEntitiesRoute = defineRoute("editor", {
  method: "post",
  path: "/storages/{identifier}/entities/delete",
  operationId: "deleteStorageEntities",
  tags: [TAG],
  summary: "Delete the entities matching a filter",
  description: "Every entity matching `filter.where` is deleted (`{}` deletes all; a missing or blank filter is a 400); `order`, `limit` and `skip` narrow that only when given.",
  request: { params: IdentifierParam, query: SpaceQuery, body: jsonBody(DeleteBody) },
  responses: { 200: json(CountMessage) },
});
const clearStorageRoute = defineRoute("editor", {
  method: "delete",
  path: "/storages/{identifier}/entities",
  operationId: "clearStorage",
  tags: [TAG],
  summary: "Remove every entity of a storage",
  request: { params: IdentifierParam, query: SpaceQuery },
  responses: { 200: json(CountMessage) },
});
const getStorageEntityRoute = defineRoute("user", {
  method: "get",
  path: "/storages/{identifier}/entity",
  operationId: "getStorageEntity",
  tags: [TAG],
  request: { params: IdentifierParam, query: EntityQuery },
  responses: { 200: json(StorageEntity) },
});
const updateStorageEntityRoute = defineRoute("editor", {
  method: "put",
  path: "/storages/{identifier}/entity",
  operationId: "updateStorageEntity",
  tags: [TAG],
  summary: "Store a value under the key (created or replaced)",
  request: { params: IdentifierParam, query: EntityQuery, body: EntityValueBody },
  responses: { 200: json(StorageEntity) },
});
const createStorageEntityRoute = defineRoute("editor", {
  method: "post",
  path: "/storages/{identifier}/entity",
  operationId: "createStorageEntity",
  tags: [TAG],
  summary: "Store a value under a key that is not used yet (409 when it is)",
  request: { params: IdentifierParam, query: EntityQuery, body: EntityValueBody },
  responses: { 200: json(StorageEntity) },
});
const deleteStorageEntityRoute = defineRoute("editor", {
  method: "delete",
  path: "/storages/{identifier}/entity",
  operationId: "deleteStorageEntity",
  tags: [TAG],
  request: { params: IdentifierParam, query: EntityQuery },
  responses: { 200: json(MessageSchema) },
});
const exportStorageEntitiesRoute = defineRoute(
  "user",
  {
    method: "post",
    path: "/storages/{identifier}/export",
    operationId: "exportStorageEntities",
    tags: [TAG],
    summary: "Stream the matching entities as NDJSON",
    description:
      'One `{"identifier","value","updatedAt"}` per line, streamed. The body (JSON, form or multipart) may hold `filter` and `clientTime`; without order/limit/skip every match is exported.',
    request: {
      params: IdentifierParam,
      query: SpaceQuery,
      body: {
        required: false,
        content: {
          "application/json": { schema: ExportBody },
          "application/x-www-form-urlencoded": { schema: ExportForm },
          "multipart/form-data": { schema: ExportForm },
        },
      },
    },
    responses: { 200: { description: "NDJSON stream", content: { "application/x-ndjson": { schema: z.string() } } } },
  },
  { audit: false },
);
const getStorageEntityDeprecated = defineRoute("user", {
  method: "get",
  path: "/storages/{identifier}/entities/{entity}",
  operationId: "getStorageEntityDeprecated",
  tags: [TAG],
  deprecated: true,
  summary: "Use GET /storages/{identifier}/entity?entity=",
  request: { params: EntityParams, query: SpaceQuery },
  responses: { 200: json(StorageEntity) },
});
const updateStorageEntityDeprecated = defineRoute("editor", {
  method: "put",
  path: "/storages/{identifier}/entities/{entity}",
  operationId: "updateStorageEntityDeprecated",
  tags: [TAG],
  deprecated: true,
  summary: "Use PUT /storages/{identifier}/entity?entity=",
  request: { params: EntityParams, query: SpaceQuery, body: EntityValueBody },
  responses: { 200: json(StorageEntity) },
});
const deleteStorageEntityDeprecated = defineRoute("editor", {
  method: "delete",
  path: "/storages/{identifier}/entities/{entity}",
  operationId: "deleteStorageEntityDeprecated",
  tags: [TAG],
  deprecated: true,
  summary: "Use DELETE /storages/{identifier}/entity?entity=",
  request: { params: EntityParams, query: SpaceQuery },
  responses: { 200: json(MessageSchema) },
});

const storeOf = (c: Context<AppEnv>) => new R2StorageStore(c.env.FILES, c.var.space);

/**
 * The entity value of a PUT/POST: the JSON body. A request without any body passes hono's JSON
 * validator as `{}`; it is refused, not stored as a value nobody sent.
 */
function entityValue(c: Context<AppEnv>, value: unknown): unknown {
  if (!c.req.header("content-type")) throw ApiError.invalid("", "The request body is required: the entity's value as JSON (application/json).");
  return value;
}

/** The export's body: JSON, form or multipart (or none); checked by the route's schemas. */
async function exportRequest(c: Context<AppEnv>): Promise<{ filter?: string | Record<string, unknown>; clientTime?: string }> {
  const type = c.req.header("content-type") ?? "";
  if (!type) return {};
  if (type.includes("json")) return (await c.req.json()) ?? {};
  if (type.includes("form")) {
    const form = await c.req.parseBody();
    return { filter: typeof form.filter === "string" ? form.filter : undefined, clientTime: typeof form.clientTime === "string" ? form.clientTime : undefined };
  }
  throw new ApiError(415, `Send the export request as JSON or a form, not ${type}.`, {
    violations: [{ propertyPath: "", title: "Unsupported content type.", type: VIOLATION_TYPE }],
  });
}

/** The export as an NDJSON attachment; the filter is checked before the stream starts. */
async function exportAttachment(c: Context<AppEnv>, identifier: string) {
  const { filter, clientTime } = await exportRequest(c);
  const stream = exportStorageEntities(storeOf(c), identifier, filter);
  const name = `storage-${identifier}-${clientTime ?? Date.now()}.ndjson`.replace(/[^A-Za-z0-9._-]/g, "_");
  return c.body(stream, 200, {
    "content-type": "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="${name}"`,
  });
}

export const storagesRouter = createRouter()
  .openapi(pruneStoragesRoute, async (c) => {
    const { identifier } = c.req.valid("query");
    return c.json(await pruneStorages(storeOf(c), await storageTtls(c.var.db, c.var.space, identifier), { only: identifier }), 200);
  })
  .openapi(getStorageMetadata, async (c) => c.json(await storageMetadata(c.env.FILES, c.var.space, c.req.valid("query").filter), 200))
  .openapi(copyStorageRoute, async (c) => {
    const { source, target } = c.req.valid("param");
    return c.json(await copyStorage(storeOf(c), source, target), 200);
  })
  .openapi(getStorageEntities, async (c) =>
    c.json(await listStorageEntities(storeOf(c), c.req.valid("param").identifier, c.req.valid("query").filter), 200),
  )
  .openapi(deleteStorageEntitiesRoute, async (c) =>
    c.json(await deleteStorageEntities(storeOf(c), c.req.valid("param").identifier, c.req.valid("json").filter), 200),
  )
  .openapi(clearStorageRoute, async (c) => c.json(await clearStorage(storeOf(c), c.req.valid("param").identifier), 200))
  .openapi(getStorageEntityRoute, async (c) =>
    c.json(await getStorageEntity(storeOf(c), c.req.valid("param").identifier, c.req.valid("query").entity), 200),
  )
  .openapi(updateStorageEntityRoute, async (c) =>
    c.json(await putStorageEntity(storeOf(c), c.req.valid("param").identifier, c.req.valid("query").entity, entityValue(c, c.req.valid("json"))), 200),
  )
  .openapi(createStorageEntityRoute, async (c) =>
    c.json(await createStorageEntity(storeOf(c), c.req.valid("param").identifier, c.req.valid("query").entity, entityValue(c, c.req.valid("json"))), 200),
  )
  .openapi(deleteStorageEntityRoute, async (c) =>
    c.json(await deleteStorageEntity(storeOf(c), c.req.valid("param").identifier, c.req.valid("query").entity), 200),
  )
  // hono types any `application/*json*` media type (x-ndjson too) as a JSON body: the stream is a plain Response.
  .openapi(exportStorageEntitiesRoute, (c) => exportAttachment(c, c.req.valid("param").identifier) as never)
  .openapi(getStorageEntityDeprecated, async (c) => {
    const { identifier, entity } = c.req.valid("param");
    return c.json(await getStorageEntity(storeOf(c), identifier, entity), 200);
  })
  .openapi(updateStorageEntityDeprecated, async (c) => {
    const { identifier, entity } = c.req.valid("param");
    return c.json(await putStorageEntity(storeOf(c), identifier, entity, entityValue(c, c.req.valid("json"))), 200);
  })
  .openapi(deleteStorageEntityDeprecated, async (c) => {
    const { identifier, entity } = c.req.valid("param");
    return c.json(await deleteStorageEntity(storeOf(c), identifier, entity), 200);
  });
