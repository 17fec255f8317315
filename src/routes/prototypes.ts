import { z } from "@hono/zod-openapi";
import { assertKnownType, listPlatforms, prototypeDocumentation, testPrototypes, typeOverview } from "../domain/prototypes";
import { platformRunContext } from "../domain/run-context";
import { createRouter, defineRoute } from "../lib/openapi";
import { FilterQuery, json, SpaceQuery } from "../schemas/common";

const PrototypeSchema = z
  .object({
    identifier: z.string(),
    name: z.string(),
    description: z.string(),
    schema: z.unknown().openapi({ description: "JSON Schema of the parameters" }),
    test: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()),
    $defs: z.record(z.string(), z.unknown()),
  })
  .openapi("Prototype");
const TypePrototypes = z
  .object({
    type: z.string(),
    configurations: z.array(z.unknown()),
    prototypes: z.array(PrototypeSchema),
    defaultPrototype: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("TypePrototypes");
const Documentation = z.object({ documentation: z.string() }).openapi("PrototypeDocumentation");
const TestResult = z.object({
  succeeded: z.array(z.object({ type: z.string(), identifier: z.string(), object: z.string(), parameters: z.unknown() })),
  failed: z.array(z.object({ type: z.string(), identifier: z.string(), exception: z.string(), parameters: z.unknown() })),
  totalSucceeded: z.number().int(),
  totalFailed: z.number().int(),
});

const param = (name: string) => z.string().openapi({ param: { name, in: "path" } });

const getTypePrototypes = defineRoute("user", {
  method: "get",
  path: "/di/{type}/prototypes",
  operationId: "getTypePrototypes",
  tags: ["Prototypes"],
  summary: "The prototypes of a DI type, each with its parameters' JSON Schema",
  request: { params: z.object({ type: param("type") }), query: FilterQuery.merge(SpaceQuery).extend({ search: z.string().optional() }) },
  responses: { 200: json(TypePrototypes) },
});
const getPrototypeDocumentation = defineRoute("user", {
  method: "get",
  path: "/di/{type}/prototypes/{identifier}/documentation",
  operationId: "getPrototypeDocumentation",
  tags: ["Prototypes"],
  request: { params: z.object({ type: param("type"), identifier: param("identifier") }) },
  responses: { 200: json(Documentation) },
});
const getDefaultPrototypeDocumentation = defineRoute("user", {
  method: "get",
  path: "/di/{type}/documentation",
  operationId: "getDefaultPrototypeDocumentation",
  tags: ["Prototypes"],
  request: { params: z.object({ type: param("type") }) },
  responses: { 200: json(Documentation) },
});
const getPlatforms = defineRoute("user", {
  method: "get",
  path: "/platforms",
  operationId: "getPlatforms",
  tags: ["Prototypes"],
  summary: "The platforms the vendor HTTP clients connect to",
  request: { query: FilterQuery },
  responses: { 200: json(z.object({ metadata: z.object({ totalCount: z.number() }), results: z.array(z.record(z.string(), z.unknown())) })) },
});
const testPrototypesRoute = defineRoute("user", {
  method: "get",
  path: "/di/prototypes/test",
  operationId: "testPrototypes",
  tags: ["Dependencies"],
  summary: "Run the prototypes' own test cases; 500 when any fails",
  request: {
    query: SpaceQuery.extend({
      type: z.string().default("*"),
      identifier: z.string().default("*"),
      "show-succeeded": z.enum(["true", "false", "1", "0"]).default("false"),
      "max-tests": z.coerce.number().int().min(-1).default(3),
    }),
  },
  responses: { 200: json(TestResult), 500: json(TestResult, "Some tests failed") },
});

export const prototypesRouter = createRouter()
  // Fixed segments (/di/prototypes/test) before /di/{type}/...
  .openapi(testPrototypesRoute, async (c) => {
    const q = c.req.valid("query");
    const { succeeded, failed } = await testPrototypes(platformRunContext(c.env, c.var.db, c.var.space), { type: q.type, identifier: q.identifier, maxTests: q["max-tests"] });
    const showSucceeded = q["show-succeeded"] === "true" || q["show-succeeded"] === "1";
    const body = {
      succeeded: showSucceeded ? succeeded.map((r) => ({ type: r.type, identifier: r.identifier, object: r.name, parameters: r.parameters })) : [],
      failed: failed.map((r) => ({
        type: r.type,
        identifier: r.identifier,
        exception: r.error ?? `${r.name}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(r.actual)}`,
        parameters: r.parameters,
      })),
      totalSucceeded: succeeded.length,
      totalFailed: failed.length,
    };
    return failed.length ? c.json(body, 500) : c.json(body, 200);
  })
  .openapi(getTypePrototypes, async (c) => {
    // Stored configurations of the same name (list-transformer, http-client) come along, as in Alumio.
    return c.json(await typeOverview(c.var.db, c.var.space, c.req.valid("param").type, c.req.valid("query")), 200);
  })
  .openapi(getPrototypeDocumentation, (c) => {
    const { type, identifier } = c.req.valid("param");
    assertKnownType(type);
    return c.json(prototypeDocumentation(type, identifier), 200);
  })
  .openapi(getDefaultPrototypeDocumentation, (c) => {
    const { type } = c.req.valid("param");
    assertKnownType(type);
    return c.json(prototypeDocumentation(type), 200);
  })
  .openapi(getPlatforms, (c) => c.json(listPlatforms(c.req.valid("query").filter), 200));
