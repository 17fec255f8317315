import { z } from "@hono/zod-openapi";
import { executeTransformer } from "../domain/execute";
import { platformRunContext } from "../domain/run-context";
import { createRouter, defineRoute } from "../lib/openapi";
import { ErrorSchema, json, jsonBody, SpaceQuery } from "../schemas/common";

// `prototype` is checked by the registry, so a wrong one is a violation at `specification.prototype`.
const Specification = z
  .object({ prototype: z.unknown().optional().openapi({ type: "string" }), parameters: z.unknown().optional() })
  .passthrough()
  .openapi({ description: "A transformer as in a configuration: {prototype, parameters}" });

const ExecuteBody = z
  .object({
    entities: z.array(z.unknown()).openapi({ description: "Entity data, in order" }),
    specification: z.union([Specification, z.string()], {
      error: (issue) =>
        issue.input === undefined
          ? "A specification is required."
          : 'Expected a transformer specification {"prototype": ..., "parameters": {...}} or the identifier of a list-transformer configuration.',
    }),
  })
  .openapi("ExecuteTransformer");

const ExecuteResult = z
  .object({
    entities: z.array(z.unknown()),
    breakpoints: z.array(z.object({ instanceId: z.string(), prototype: z.string(), input: z.unknown(), output: z.unknown() })).optional(),
  })
  .openapi("ExecuteTransformerResult");

const executeTransformerRoute = defineRoute(
  "user",
  {
    method: "post",
    path: "/transformers/execute",
    operationId: "executeTransformer",
    tags: ["Transformer"],
    summary: "Run a transformer on entities: a list-transformer on the stream, a data-transformer on each",
    request: {
      query: SpaceQuery.extend({
        type: z.enum(["list-transformer", "data-transformer"]).default("list-transformer"),
        breakpoints: z.enum(["true", "false", "1", "0"]).default("false"),
        "stop-exec-at": z.string().optional().openapi({ description: "instanceId of the step to stop after (from breakpoints)" }),
      }),
      body: jsonBody(ExecuteBody),
    },
    responses: {
      201: json(ExecuteResult, "The transformed entities"),
      500: { description: "A step failed; context names it", content: { "application/problem+json": { schema: ErrorSchema } } },
    },
  },
  { audit: false },
);

export const transformersRouter = createRouter().openapi(executeTransformerRoute, async (c) => {
  const query = c.req.valid("query");
  const body = c.req.valid("json");
  const result = await executeTransformer(platformRunContext(c.env, c.var.db, c.var.space), body.entities, body.specification, {
    type: query.type,
    breakpoints: query.breakpoints === "true" || query.breakpoints === "1",
    stopExecAt: query["stop-exec-at"],
  });
  return c.json(result, 201);
});
