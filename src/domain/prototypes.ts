import { z } from "zod";
import { registry } from "../engine";
import { globMatches, runPrototypeTest, type PrototypeTestResult } from "../engine/testing";
import { DI_TYPES, type InstanceTypes, type Prototype, type RunContext } from "../engine/types";
import { ApiError } from "../lib/errors";

export type DiTypeName = keyof InstanceTypes;

export function assertDiType(type: string): asserts type is DiTypeName {
  if (!(DI_TYPES as readonly string[]).includes(type)) {
    throw ApiError.notFound(`DI type '${type}' (known: ${DI_TYPES.join(", ")})`);
  }
}

// JSON Schema of a prototype's parameters, computed once per prototype.
const schemas = new WeakMap<Prototype, unknown>();
export function parameterSchema(prototype: Prototype): unknown {
  let schema = schemas.get(prototype);
  if (!schema) {
    schema = z.toJSONSchema(prototype.parameters, { unrepresentable: "any", io: "input" });
    schemas.set(prototype, schema);
  }
  return schema;
}

export function describePrototype(prototype: Prototype, type: string) {
  return {
    identifier: prototype.identifier,
    name: prototype.name,
    description: prototype.description,
    schema: parameterSchema(prototype),
    test: { cases: prototype.tests.length },
    context: { type, types: Array.isArray(prototype.type) ? prototype.type : [prototype.type] },
    $defs: {},
  };
}

/** `GET /di/{type}/prototypes` without the stored configurations (the route adds them). */
export function typePrototypes(type: DiTypeName, search?: string) {
  const all = registry().list(type);
  const prototypes = (search ? all.filter((p) => `${p.identifier} ${p.name} ${p.description}`.toLowerCase().includes(search.toLowerCase())) : all).map((p) =>
    describePrototype(p, type),
  );
  const defaultId = registry().defaultPrototype(type);
  const fallback = defaultId ? registry().get(type, defaultId) : undefined;
  return {
    type,
    configurations: [] as unknown[],
    prototypes,
    defaultPrototype: fallback
      ? { type, schema: parameterSchema(fallback), description: fallback.description, context: { identifier: fallback.identifier }, test: { cases: fallback.tests.length }, $defs: {} }
      : null,
  };
}

export function prototypeDocumentation(type: DiTypeName, identifier?: string) {
  const id = identifier ?? registry().defaultPrototype(type);
  const prototype = id ? registry().get(type, id) : undefined;
  if (!prototype) throw ApiError.notFound(identifier ? `Prototype '${identifier}' of type '${type}'` : `A default prototype for type '${type}'`);
  return { documentation: prototype.documentation };
}

/** `GET /di/prototypes/test`: runs the registered test cases of the matching prototypes. */
export async function testPrototypes(run: RunContext, options: { type: string; identifier: string; maxTests: number }) {
  const succeeded: PrototypeTestResult[] = [];
  const failed: PrototypeTestResult[] = [];
  for (const type of DI_TYPES) {
    if (!globMatches(options.type, type)) continue;
    for (const prototype of registry().list(type)) {
      if (!globMatches(options.identifier, prototype.identifier)) continue;
      const cases = options.maxTests < 0 ? prototype.tests : prototype.tests.slice(0, options.maxTests);
      for (const testCase of cases) {
        const result = await runPrototypeTest(registry(), prototype, type, testCase, run);
        (result.ok ? succeeded : failed).push(result);
      }
    }
  }
  return { succeeded, failed };
}
