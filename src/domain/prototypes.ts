import { z } from "zod";
import { compileMatcher, type FieldType, type Row } from "../db/filter-match";
import { registry } from "../engine";
import { platforms, type Platform } from "../engine/http/platforms";
import { globMatches, runPrototypeTest, type PrototypeTestResult } from "../engine/testing";
import { DI_TYPES, type InstanceTypes, type Prototype, type RunContext } from "../engine/types";
import { ApiError } from "../lib/errors";
import { isConfigurationType } from "./configuration-types";
import { listConfigurations, slugify } from "./configurations";
import type { Database } from "../db/client";

export type DiTypeName = keyof InstanceTypes;

export function assertDiType(type: string): asserts type is DiTypeName {
  if (!(DI_TYPES as readonly string[]).includes(type)) {
    throw ApiError.notFound(`DI type '${type}' (known: ${DI_TYPES.join(", ")})`);
  }
}

/**
 * `/di/{type}/...` also answers for the configuration types (incoming-configuration, storage...),
 * as `/di/{type}` does: they have configurations and no prototypes.
 */
export function assertKnownType(type: string): void {
  if (!(DI_TYPES as readonly string[]).includes(type) && !isConfigurationType(type)) assertDiType(type);
}

/**
 * The `filter` of `/di/{type}/prototypes` narrows the prototypes as well as the configurations:
 * the configuration fields, with the ones a prototype lacks (owner, dates, labels) null.
 */
const PROTOTYPE_FIELDS: Record<string, FieldType> = {
  type: "text", identifier: "text", name: "text", description: "text", owner: "text", disabled: "number",
  editor: "text", createdAt: "text", updatedAt: "text", label: "text", tag: "text",
};

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
export function typePrototypes(type: string, search?: string, filter?: string) {
  let all = registry().list(type);
  if (search) all = all.filter((p) => `${p.identifier} ${p.name} ${p.description}`.toLowerCase().includes(search.toLowerCase()));
  if (filter !== undefined) {
    const matcher = compileMatcher(filter, PROTOTYPE_FIELDS, { key: "identifier" });
    const row = (p: Prototype): Row => ({ type, identifier: p.identifier, name: p.name, description: p.description, disabled: 0 });
    all = all.filter((p) => matcher.matches(row(p)));
    // Registry order unless the filter orders or pages.
    if (matcher.given.order) all.sort((a, b) => matcher.compare(row(a), row(b)));
    if (matcher.given.limit || matcher.given.skip) all = all.slice(matcher.offset, matcher.offset + matcher.limit);
  }
  const prototypes = all.map((p) => describePrototype(p, type));
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

export function prototypeDocumentation(type: string, identifier?: string) {
  const id = identifier ?? registry().defaultPrototype(type);
  const prototype = id ? registry().get(type, id) : undefined;
  if (!prototype) throw ApiError.notFound(identifier ? `Prototype '${identifier}' of type '${type}'` : `A default prototype for type '${type}'`);
  return { documentation: prototype.documentation };
}

const PLATFORM_FIELDS: Record<string, FieldType> = { identifier: "text", name: "text", vendor: "text", logo: "text" };

/**
 * `GET /platforms`: filtered and paged like any list. The reference gives `editions`, `extensions`
 * and `apis` as objects: editions and extensions keyed by a slug of their name, apis by identifier.
 */
export function listPlatforms(filter?: string) {
  const matcher = compileMatcher(filter, PLATFORM_FIELDS, { key: "identifier" });
  const row = (p: Platform): Row => ({ identifier: p.identifier, name: p.name, vendor: p.vendor, logo: p.logo });
  const all = platforms()
    .filter((p) => matcher.matches(row(p)))
    .sort((a, b) => matcher.compare(row(a), row(b)));
  const named = (names: string[]) => Object.fromEntries(names.map((name) => [slugify(name), { name }]));
  const results = all.slice(matcher.offset, matcher.offset + matcher.limit).map((p) => ({
    ...p,
    editions: named(p.editions),
    extensions: named(p.extensions),
    apis: Object.fromEntries(p.apis.map((api) => [api.identifier, api])),
  }));
  return { metadata: { totalCount: all.length }, results };
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

/**
 * `/di/{type}`, `/di/{type}/configurations` and `/di/{type}/prototypes`: the space's stored
 * configurations of `type` with the prototypes of the DI type of the same name (none for a
 * configuration type). The filter narrows the configurations, and the prototypes too unless only
 * the configurations are asked for (`/configurations`).
 */
export async function typeOverview(db: Database, space: string, type: string, query: { filter?: string; search?: string; narrowPrototypes?: boolean }) {
  assertKnownType(type);
  const stored = await listConfigurations(db, space, query.filter, undefined, type);
  const configurations = stored.results.map((r) => ({ identifier: r.identifier, name: r.name, description: r.description, disabled: r.disabled, context: r.context, $defs: {} }));
  return { ...typePrototypes(type, query.search, query.narrowPrototypes === false ? undefined : query.filter), configurations };
}
