import { Cron } from "croner";
import { z } from "zod";
import { registry } from "../engine";
import { ConfigurationError } from "../engine/errors";
import type { ConfigurationResolver, InstanceTypes } from "../engine/types";
import { propertyPath, VIOLATION_TYPE, type Violation } from "../lib/errors";

/**
 * The configuration types the store knows and how each one's `object` is checked. A type is
 * either "one prototype of a DI type" (list-transformer, http-client) or a fixed parameter shape
 * whose prototype-valued fields are built through the engine's registry, so a bad nested prototype
 * is a violation pointing at it (`object.parameters.subscriber.parameters.pagination...`).
 */
interface TypeDefinition {
  name: string;
  /** `object` is a prototype spec of this DI type. */
  diType?: keyof InstanceTypes;
  /** `object.parameters` shape; prototype-valued fields are listed in `prototypes`. */
  parameters?: z.ZodType;
  /** field -> DI type of a prototype spec (or a list of them) under `object.parameters`. */
  prototypes?: Record<string, { diType: keyof InstanceTypes; list?: boolean; optional?: boolean }>;
  /** field -> configuration type referenced by identifier (string or list of strings). */
  references?: Record<string, string>;
  /**
   * References that may point at nothing: Alumio's own entity schemas (`base-product-model-1`)
   * are referenced by exports that do not carry them, and a missing schema only means no validation.
   */
  optionalReferences?: string[];
}

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const transformerList = z.array(z.union([z.string(), z.record(z.string(), z.unknown())]));

export const CONFIGURATION_TYPES: Record<string, TypeDefinition> = {
  "incoming-configuration": {
    name: "Incoming",
    parameters: loose({ subscriber: z.unknown(), transformers: transformerList.default([]), entityType: z.string().nullish() }),
    prototypes: { subscriber: { diType: "subscriber" } },
    references: { transformers: "list-transformer", entityType: "entity" },
    optionalReferences: ["entityType"],
  },
  "outgoing-configuration": {
    name: "Outgoing",
    parameters: loose({ publisher: z.unknown(), transformers: transformerList.default([]) }),
    prototypes: { publisher: { diType: "publisher" } },
    references: { transformers: "list-transformer" },
  },
  "route-configuration": {
    name: "Route",
    parameters: loose({
      incoming: z.string().min(1),
      outgoing: z.string().min(1),
      transformers: transformerList.default([]),
      realtime: z.boolean().default(false),
      waitingStatus: z.boolean().default(false),
      parallelExecution: z.union([z.array(z.never()).length(0), loose({ enabled: z.boolean(), maximumProcesses: z.number().int().min(1).max(100).optional() })]).optional(),
      retry: loose({ attempts: z.number().int().min(0).max(10).optional(), interval: z.number().int().min(0).max(360).optional() }).optional(),
    }),
    references: { incoming: "incoming-configuration", outgoing: "outgoing-configuration", transformers: "list-transformer" },
  },
  "list-transformer": { name: "Entity transformer", diType: "list-transformer" },
  "http-client": { name: "HTTP client", diType: "http-client" },
  storage: {
    name: "Storage",
    parameters: loose({ path: z.string().optional(), logger: z.unknown().optional(), enablePruning: z.boolean().optional(), ttl: z.unknown().optional() }),
  },
  "scheduler-entry": {
    name: "Scheduler entry",
    parameters: loose({
      job: z.array(z.unknown()).min(1),
      expression: z.string().refine((e) => isCron(e), "Not a valid 5-field cron expression."),
      priority: z.number().int().min(0).max(10).optional(),
      handlers: z.array(z.unknown()).optional(),
    }),
    prototypes: { job: { diType: "scheduler-job", list: true } },
  },
  entity: {
    name: "Entity type",
    parameters: loose({ schema: z.unknown().optional(), identifierPath: z.array(z.string()).optional(), link: z.string().nullish() }),
  },
  "transformer-test": { name: "Transformer test", parameters: loose({ entity: z.unknown(), expected: z.unknown().optional() }) },
  "incoming-transformer-test": { name: "Incoming transformer test", parameters: loose({ entity: z.unknown(), expected: z.unknown().optional() }) },
  "http-client-test": { name: "HTTP client test", parameters: loose({ uri: z.string(), method: z.string().optional(), payload: z.unknown().optional() }) },
  webhook: {
    name: "Webhook",
    parameters: loose({ incomings: z.array(z.string()).optional(), requestProcessors: z.array(z.unknown()).optional() }),
    references: { incomings: "incoming-configuration" },
  },
  "http-proxy": {
    name: "HTTP proxy",
    parameters: loose({ client: z.string().optional(), requestProcessors: z.array(z.unknown()).optional() }),
    references: { client: "http-client" },
  },
};

function isCron(expression: string): boolean {
  if (expression.trim().split(/\s+/).length !== 5) return false;
  try {
    new Cron(expression, { paused: true });
    return true;
  } catch {
    return false;
  }
}

export const CONFIGURATION_TYPE_NAMES = Object.keys(CONFIGURATION_TYPES);

export function isConfigurationType(type: string): boolean {
  return Object.hasOwn(CONFIGURATION_TYPES, type);
}

const violation = (path: string, title: string): Violation => ({ propertyPath: path, title, type: VIOLATION_TYPE });

/** Checks a configuration's `object`; every violation's propertyPath starts at `object`. */
export async function validateObject(type: string, object: unknown, resolver: ConfigurationResolver, built?: Map<string, unknown>): Promise<Violation[]> {
  const definition = CONFIGURATION_TYPES[type];
  if (!definition) return [violation("type", `Unknown configuration type '${type}'. Known: ${CONFIGURATION_TYPE_NAMES.join(", ")}.`)];
  const violations: Violation[] = [];
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      if (error instanceof ConfigurationError) violations.push(...error.violations);
      else violations.push(violation("object", error instanceof Error ? error.message : String(error)));
    }
  };

  const diType = definition.diType;
  if (diType) {
    await attempt(() => registry().build(diType, object, { configurations: resolver, path: "object", built }));
    return violations;
  }

  if (typeof object !== "object" || object === null || Array.isArray(object)) return [violation("object", "Expected an object {parameters: {...}}.")];
  const rawParameters = (object as { parameters?: unknown }).parameters;
  const parameters = Array.isArray(rawParameters) && rawParameters.length === 0 ? {} : rawParameters ?? {};
  const parsed = definition.parameters!.safeParse(parameters);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => violation(propertyPath(issue.path, "object.parameters"), issue.message));
  }
  const values = parsed.data as Record<string, unknown>;
  for (const [field, spec] of Object.entries(definition.prototypes ?? {})) {
    const value = values[field];
    if (value === undefined || value === null) {
      if (!spec.optional) violations.push(violation(`object.parameters.${field}`, `A ${spec.diType} is required.`));
      continue;
    }
    const items = spec.list ? (Array.isArray(value) ? value : [value]) : [value];
    for (const [i, item] of items.entries()) {
      const path = spec.list ? `object.parameters.${field}[${i}]` : `object.parameters.${field}`;
      await attempt(() => registry().build(spec.diType, item, { configurations: resolver, path, built }));
    }
  }
  for (const [field, targetType] of Object.entries(definition.references ?? {})) {
    const value = values[field];
    const refs = Array.isArray(value) ? value.map((v, i) => [v, `object.parameters.${field}[${i}]`] as const) : [[value, `object.parameters.${field}`] as const];
    for (const [ref, path] of refs) {
      if (typeof ref === "string" && ref !== "") {
        if (definition.optionalReferences?.includes(field)) continue;
        if (!(await resolver.get(targetType, ref))) violations.push(violation(path, `No ${targetType} configuration '${ref}' exists.`));
      } else if (ref && typeof ref === "object" && targetType === "list-transformer") {
        await attempt(() => registry().build("list-transformer", ref, { configurations: resolver, path, built }));
      }
    }
  }
  return violations;
}

/**
 * Configurations every space has from the start (Alumio's "registered" ones): listed as available,
 * not as stored, until a user changes them. `context.registered` marks an untouched one.
 */
export const REGISTERED_CONFIGURATIONS = [
  {
    type: "http-client",
    identifier: "default",
    name: "Default HTTP client",
    description: "Used by HTTP subscribers, publishers and transformers that name no client.",
    object: { parameters: { plugins: [], authentications: [] } },
  },
] as const;

/** A user's write makes a registered configuration a stored one. */
export function asStoredContext(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!context || !("registered" in context)) return context ?? {};
  const { registered: _registered, ...rest } = context;
  return rest;
}
