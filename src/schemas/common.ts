import { z } from "@hono/zod-openapi";

export const ViolationSchema = z
  .object({ propertyPath: z.string(), title: z.string(), type: z.string() })
  .openapi("Violation");

export const ErrorSchema = z
  .object({
    status: z.string().openapi({ example: "400" }),
    type: z.string(),
    title: z.string(),
    detail: z.string(),
    violations: z.array(ViolationSchema),
    context: z.record(z.string(), z.unknown()),
  })
  .openapi("Error");

export const MessageSchema = z.object({ message: z.string() }).openapi("Message");

/** `{object: T}`, Alumio's single-object envelope. */
export const objectEnvelope = <T extends z.ZodType>(schema: T) => z.object({ object: schema });

/** `{metadata: {totalCount}, results: T[]}`, Alumio's list envelope. */
export const listEnvelope = <T extends z.ZodType>(schema: T) =>
  z.object({ metadata: z.object({ totalCount: z.number().int() }), results: z.array(schema) });

export const Email = z.email().max(255).openapi({ example: "user@example.com" });
export const Identifier = z
  .string()
  .max(255)
  .regex(/^[a-z0-9-]+$/, "Use lower-case letters, digits and dashes only.")
  .openapi({ example: "my-identifier" });

export const FilterQuery = z.object({
  filter: z
    .string()
    .optional()
    .openapi({
      description:
        'Search criteria as JSON: {"where":{...},"order":"field desc","limit":50,"skip":0}. Operators: eq, neq, gt, gte, lt, lte, inq, nin, like, nlike, between, and, or.',
      example: '{"where":{"createdAt":{"gte":"2026-01-01T00:00:00Z"}},"order":"createdAt desc","limit":50}',
    }),
});

export const SpaceQuery = z.object({
  space: z.string().optional().openapi({ description: "Space (tenant) to work in; `default` when absent." }),
});

export const json = <T extends z.ZodType>(schema: T, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
