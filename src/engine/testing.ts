import { isDeepStrictEqual } from "node:util";
import { MemoryStorages } from "./memory";
import type { Registry } from "./registry";
import { cloneData } from "./steps";
import type { Entity, InstanceTypes, Prototype, PrototypeTestCase, RunContext } from "./types";

export interface PrototypeTestResult {
  type: string;
  identifier: string;
  name: string;
  parameters: unknown;
  ok: boolean;
  actual?: unknown;
  expected: unknown;
  error?: string;
}

/** How a test case's input becomes an output, per DI type; prototypes of other types bring `runTest`. */
const GENERIC_RUNNERS: Partial<{ [T in keyof InstanceTypes]: (instance: InstanceTypes[T], input: unknown, run: RunContext) => Promise<unknown> }> = {
  "list-transformer": async (transform, input, run) => {
    const pristine = cloneData(input);
    const entities: Entity[] = (Array.isArray(input) ? input : [input]).map((data) => ({ data }));
    const output = (await transform(entities, run)).map((e) => e.data);
    leftAlone(input, pristine);
    return output;
  },
  // Both forms of a data transformer run: the plain one must leave its input alone, the in-place
  // one (steps.ts) must agree with it.
  "data-transformer": async (transform, input, run) => {
    const pristine = cloneData(input);
    const output = await transform(input, run);
    leftAlone(input, pristine);
    const inPlace = await transform.inPlace!(cloneData(input), run);
    if (!isDeepStrictEqual(inPlace, output)) throw new Error(`the in-place form gave ${JSON.stringify(inPlace)}, the plain form ${JSON.stringify(output)}`);
    return output;
  },
  filter: async (filter, input, run) => filter(input, run),
  "storage-condition": async (filter, input, run) => filter(input, run),
  condition: async (condition, input, run) => condition(input, run),
  mapper: async (mapper, input, run) => mapper(input, run),
  accessor: async (accessor, input, run) => Object.fromEntries(accessor.read(input, run).map((p) => [p.key, p.value])),
  deserializer: async (deserializer, input, run) => deserializer.deserialize(input, run),
  serializer: async (serializer, input, run) => serializer.serialize(input, run),
};

function leftAlone(input: unknown, pristine: unknown): void {
  if (!isDeepStrictEqual(input, pristine)) throw new Error(`the input was changed: ${JSON.stringify(input)}`);
}

/** Builds the prototype with the case's parameters, runs the input through it and compares. */
export async function runPrototypeTest(
  registry: Registry,
  prototype: Prototype,
  type: keyof InstanceTypes,
  testCase: PrototypeTestCase,
  run: RunContext,
): Promise<PrototypeTestResult> {
  const base = { type, identifier: prototype.identifier, name: testCase.name, parameters: testCase.parameters, expected: testCase.output };
  try {
    const instance = await registry.build(type, { prototype: prototype.identifier, parameters: testCase.parameters }, { configurations: run.configurations });
    const runner = prototype.runTest ?? (GENERIC_RUNNERS[type] as ((i: unknown, input: unknown, run: RunContext) => Promise<unknown>) | undefined);
    if (!runner) return { ...base, ok: false, error: `No test runner for DI type ${type}: the prototype must define runTest.` };
    // Each case runs on its own empty storages and globals: tests never touch a space's data.
    const isolated: RunContext = { ...run, storages: new MemoryStorages(), globals: {}, scope: { ...run.scope } };
    const actual = await runner(instance, structuredClone(testCase.input), isolated);
    const ok = isDeepStrictEqual(JSON.parse(JSON.stringify(actual ?? null)), JSON.parse(JSON.stringify(testCase.output ?? null)));
    return { ...base, ok, actual };
  } catch (error) {
    return { ...base, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `*` and `?` globs, as `/di/prototypes/test` takes for type and identifier. */
export function globMatches(glob: string, value: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(value);
}
