import { z } from "@hono/zod-openapi";
import { dependants, loadGraph, resolveRelations, usagesOf, assertExists } from "../domain/configuration-graph";
import { typeOverview } from "../domain/prototypes";
import { createRouter, defineRoute } from "../lib/openapi";
import { FilterQuery, json, jsonBody, SpaceQuery } from "../schemas/common";

const Usage = z.object({ propertyPath: z.string(), type: z.string(), specification: z.record(z.string(), z.unknown()) }).openapi("Usage");
const RelationNode = z
  .object({
    type: z.string(),
    identifier: z.string(),
    name: z.string(),
    relationships: z.array(z.object({ relation: z.string(), node: z.object({ identifier: z.string(), type: z.string() }), paths: z.array(z.string()) })),
  })
  .openapi("RelationNode");
const Direction = z.enum(["down", "up", "both", "recursive"]).default("both");
const p = (name: string) => z.string().openapi({ param: { name, in: "path" } });
const TypeOverview = z.object({ type: z.string(), configurations: z.array(z.unknown()), prototypes: z.array(z.unknown()), defaultPrototype: z.unknown() });

const usages = defineRoute("user", {
  method: "get",
  path: "/di/{type}/{identifier}/usages",
  operationId: "getConfigurationUsages",
  tags: ["Dependencies"],
  request: { query: SpaceQuery, params: z.object({ type: p("type"), identifier: p("identifier") }) },
  responses: { 200: json(z.object({ usages: z.array(Usage) })) },
});
const relationsBulk = defineRoute("user", {
  method: "post",
  path: "/di/relations",
  operationId: "resolveRelations",
  tags: ["Dependencies"],
  request: { query: SpaceQuery.extend({ direction: Direction }), body: jsonBody(z.object({ objects: z.array(z.object({ type: z.string(), identifier: z.string() })).min(1) })) },
  responses: { 200: json(z.object({ nodes: z.array(RelationNode) })) },
});
const relationsOne = defineRoute("user", {
  method: "get",
  path: "/di/{type}/{identifier}/relations",
  operationId: "resolveConfigurationRelations",
  tags: ["Dependencies"],
  request: { query: SpaceQuery.extend({ direction: Direction }), params: z.object({ type: p("type"), identifier: p("identifier") }) },
  responses: { 200: json(z.object({ nodes: z.array(RelationNode) })) },
});
const dependantsRoute = defineRoute("user", {
  method: "get",
  path: "/di/dependants",
  operationId: "getDependants",
  tags: ["Dependencies"],
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(z.object({ dependants: z.array(z.object({ type: z.string(), identifier: z.string(), usages: z.array(Usage) })) })) },
});
const overview = defineRoute("user", {
  method: "get",
  path: "/di/{type}",
  operationId: "getTypeOverview",
  tags: ["Prototypes"],
  request: { query: FilterQuery.merge(SpaceQuery), params: z.object({ type: p("type") }) },
  responses: { 200: json(TypeOverview) },
});
const typeConfigurations = defineRoute("user", {
  method: "get",
  path: "/di/{type}/configurations",
  operationId: "getTypeConfigurations",
  tags: ["Prototypes"],
  request: { query: FilterQuery.merge(SpaceQuery), params: z.object({ type: p("type") }) },
  responses: { 200: json(TypeOverview) },
});

export const dependenciesRouter = createRouter()
  .openapi(dependantsRoute, async (c) => c.json({ dependants: dependants(await loadGraph(c.var.db, c.var.space), c.req.valid("query").filter) }, 200))
  .openapi(relationsBulk, async (c) => c.json(resolveRelations(await loadGraph(c.var.db, c.var.space), c.req.valid("json").objects, c.req.valid("query").direction), 200))
  .openapi(usages, async (c) => {
    const { type, identifier } = c.req.valid("param");
    await assertExists(c.var.db, c.var.space, type, identifier);
    return c.json({ usages: usagesOf(await loadGraph(c.var.db, c.var.space), type, identifier) }, 200);
  })
  .openapi(relationsOne, async (c) => {
    const { type, identifier } = c.req.valid("param");
    return c.json(resolveRelations(await loadGraph(c.var.db, c.var.space), [{ type, identifier }], c.req.valid("query").direction), 200);
  })
  .openapi(typeConfigurations, async (c) =>
    c.json(await typeOverview(c.var.db, c.var.space, c.req.valid("param").type, { filter: c.req.valid("query").filter, narrowPrototypes: false }), 200),
  )
  .openapi(overview, async (c) => c.json(await typeOverview(c.var.db, c.var.space, c.req.valid("param").type, { filter: c.req.valid("query").filter }), 200));
