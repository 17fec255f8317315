/**
 * A registry and helpers for the data-transformer tests. The registry is the real one, plus minimal stand-ins for the few
 * mappers and entity transformers these tests use when their own module is not registered (yet).
 * A stand-in is only added when the real prototype is missing, so the tests use the real ones
 * whenever they exist.
 */
import { z } from "zod";
import { registry } from "../../src/engine";
import { prototypes as accessors } from "../../src/engine/prototypes/accessors";
import { prototypes as filters } from "../../src/engine/prototypes/filters";
import { Registry } from "../../src/engine/registry";
import type { DiType, Entity, Prototype, PrototypeSpec, RunContext } from "../../src/engine/types";
import { testRunContext } from "./run-context";

/** A parameterless prototype that exists only in tests. */
export const testPrototype = (type: DiType, identifier: string, create: Prototype["create"], description = "test only"): Prototype => ({
  type,
  identifier,
  name: identifier,
  description,
  parameters: z.looseObject({}),
  documentation: description,
  tests: [],
  create,
});
const stub = (type: "mapper" | "list-transformer", identifier: string, create: Prototype["create"]) => testPrototype(type, identifier, create, "test stand-in");

const toList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : []);

const STAND_INS: Prototype[] = [
  stub("mapper", "cast-int", () => (v: unknown) => Math.trunc(Number(v)) || 0),
  stub("mapper", "serialize-json", () => (v: unknown) => JSON.stringify(v)),
  stub("mapper", "list-values", () => (v: unknown) => toList(v)),
  stub("mapper", "dictionary-map", (p: { map: [unknown, unknown][] }) => (v: unknown) => p.map.find(([from]) => from === v)?.[1] ?? v),
  stub("mapper", "list-intersect-keys", (p: { array: Record<string, unknown> }) => (v: unknown) =>
    Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => k in p.array)),
  ),
  stub("mapper", "list-extend-with", (p: { array: Record<string, unknown> }) => (v: unknown) => ({ ...p.array, ...(v as object) })),
  stub("mapper", "operator", (p: { operator: string }) => (v: unknown) => {
    const [a, b] = v as [unknown, unknown];
    switch (p.operator) {
      case "addition":
        return Number(a) + Number(b);
      case "division":
        return Number(a) / Number(b);
      case "array-merge":
        return [...toList(a), ...toList(b)];
      default:
        throw new Error(`stand-in operator has no ${p.operator}`);
    }
  }),
  stub("list-transformer", "data", async (p: { transformers?: unknown[] }, builder) => {
    const steps = await Promise.all((p.transformers ?? []).map((t, i) => builder.build("data-transformer", t, ["transformers", i])));
    return async (entities: Entity[], run: RunContext) => {
      const out: Entity[] = [];
      for (const entity of entities) {
        let data = entity.data;
        for (const step of steps) data = await step(data, run);
        out.push({ ...entity, data });
      }
      return out;
    };
  }),
];

let shared: Registry | undefined;

export function testRegistry(): Registry {
  if (shared) return shared;
  const real = registry();
  const reg = (shared = new Registry());
  for (const type of real.types()) for (const p of real.list(type)) if (!reg.get(type, p.identifier)) reg.register(p);
  // Modules written alongside (accessors, filters and conditions) until they are in MODULES.
  for (const p of [...accessors, ...filters]) {
    const types = Array.isArray(p.type) ? p.type : [p.type];
    if (types.every((t) => !reg.get(t, p.identifier))) reg.register(p);
  }
  for (const p of STAND_INS) if (!reg.get(p.type as string, p.identifier)) reg.register(p);
  return reg;
}

/** A run context over the test registry, resolving `configurations` by identifier. */
export function context(configurations: { type: string; identifier: string; object: PrototypeSpec }[] = []): RunContext {
  return { ...testRunContext({ configurations }), registry: testRegistry() };
}

/** Builds one data transformer and runs it on `input` (which is frozen: transformers must not mutate it). */
export async function transform(prototype: string, parameters: unknown, input: unknown, run: RunContext = context()) {
  const transformer = await testRegistry().build("data-transformer", { prototype, parameters }, { configurations: run.configurations });
  return transformer(deepFreeze(structuredClone(input)), run);
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
