import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { configurations } from "../db/schema";
import type { Entity, PrototypeSpec, RunContext } from "../engine/types";
import { ApiError } from "../lib/errors";
import { CONFIGURATION_TYPES, validateObject } from "./configuration-types";
import { getConfiguration, inSpace, StoreConfigurations } from "./configurations";

/** Which owned configurations hold the test data of a configuration type. */
const TEST_TYPE: Record<string, string> = {
  "list-transformer": "transformer-test",
  "incoming-configuration": "incoming-transformer-test",
  "http-client": "http-client-test",
};

/** The type of the configuration a test type belongs to (`transformer-test` -> `list-transformer`). */
export function ownerTypeOf(testType: string): string | undefined {
  return Object.entries(TEST_TYPE).find(([, test]) => test === testType)?.[0];
}

function testTypeOf(type: string): string {
  const testType = TEST_TYPE[type];
  if (!testType) throw ApiError.invalid("type", `Configurations of type '${type}' have no tests; testable: ${Object.keys(TEST_TYPE).join(", ")}.`);
  return testType;
}

export interface TestOutcome {
  identifier: string;
  name: string;
  input: unknown;
  output?: unknown;
  error?: string;
}

/** Runs one configuration object on one test's data. */
async function runOne(type: string, object: Record<string, unknown>, data: Record<string, unknown>, run: RunContext): Promise<unknown> {
  const engine = run.registry;
  if (type === "list-transformer") {
    const transform = await engine.build("list-transformer", object as PrototypeSpec, { configurations: run.configurations, path: "object" });
    return (await transform([{ data: data.entity }], run)).map((e) => e.data);
  }
  if (type === "incoming-configuration") {
    const parameters = (object.parameters ?? {}) as { transformers?: PrototypeSpec[] };
    let entities: Entity[] = [{ data: data.entity }];
    for (const [i, spec] of (parameters.transformers ?? []).entries()) {
      const transform = await engine.build("list-transformer", spec, { configurations: run.configurations, path: `object.parameters.transformers[${i}]` });
      entities = await transform(entities, run);
    }
    return entities.map((e) => e.data);
  }
  if (type === "http-client") {
    const client = await engine.build("http-client", object as PrototypeSpec, { configurations: run.configurations, path: "object" });
    const request = {
      uri: String(data.uri ?? "/"),
      method: String(data.method ?? "GET"),
      headers: data.headers as Record<string, string> | undefined,
      query: data.query as Record<string, unknown> | undefined,
      payload: data.payload,
    };
    const response = await client.request(request, run);
    let body: unknown = response.body;
    try {
      body = JSON.parse(response.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  }
  throw ApiError.invalid("type", `Configurations of type '${type}' have no tests; testable: ${Object.keys(TEST_TYPE).join(", ")}.`);
}

async function runAll(type: string, object: Record<string, unknown>, tests: { identifier: string; name: string; data: Record<string, unknown> }[], run: RunContext) {
  const results: TestOutcome[] = [];
  for (const test of tests) {
    const input = type === "http-client" ? test.data : test.data.entity;
    try {
      results.push({ identifier: test.identifier, name: test.name, input, output: await runOne(type, object, test.data, run) });
    } catch (error) {
      results.push({ identifier: test.identifier, name: test.name, input, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** `POST /configurations/{type}/{identifier}/test`: the stored configuration on the data of the tests it owns. */
export async function testStoredConfiguration(db: Database, space: string, type: string, identifier: string, run: RunContext) {
  const testType = testTypeOf(type);
  const config = await getConfiguration(db, space, type, identifier);
  const owned = await db
    .select({ identifier: configurations.identifier, name: configurations.name, object: configurations.object })
    .from(configurations)
    .where(and(inSpace(space), eq(configurations.type, testType), eq(configurations.owner, identifier)))
    .orderBy(configurations.identifier);
  const tests = owned.map((t) => ({ identifier: t.identifier, name: t.name, data: ((t.object.parameters ?? {}) as Record<string, unknown>) }));
  const results = await runAll(type, config.object, tests, run);
  return { type, specification: identifier, object: config.name, tester: testType, response: { tests: results } };
}

/** `POST /configurations/{type}/test`: an unsaved configuration on the test data in the body. */
export async function testUnsavedConfiguration(db: Database, space: string, type: string, body: { object: Record<string, unknown>; tests: Record<string, unknown>[] }, run: RunContext) {
  if (!CONFIGURATION_TYPES[type]) throw ApiError.invalid("type", `Unknown configuration type '${type}'.`);
  const testType = testTypeOf(type);
  const resolver = new StoreConfigurations(db, space);
  const violations = await validateObject(type, body.object, resolver);
  // Each test's data has the shape of a stored test's `object.parameters` (e.g. `{uri, method}` for a client).
  for (const [i, data] of body.tests.entries()) {
    for (const v of await validateObject(testType, { parameters: data }, resolver)) {
      violations.push({ ...v, propertyPath: v.propertyPath.replace(/^object\.parameters/, `tests[${i}]`) });
    }
  }
  if (violations.length) throw new ApiError(400, `The ${type} configuration or its test data is invalid.`, { violations });
  const tests = body.tests.map((data, i) => ({ identifier: `test-${i + 1}`, name: `Test ${i + 1}`, data }));
  const results = await runAll(type, body.object, tests, run);
  return { type, specification: "unsaved", object: type, tester: testType, response: { tests: results } };
}

/** Validates every stored configuration (of one type); lists the invalid ones. */
export async function validateStored(db: Database, space: string, type?: string) {
  const rows = await db
    .select({ type: configurations.type, identifier: configurations.identifier, object: configurations.object })
    .from(configurations)
    .where(type ? and(inSpace(space), eq(configurations.type, type)) : inSpace(space))
    .orderBy(configurations.type, configurations.identifier);
  const resolver = new StoreConfigurations(db, space);
  const results = [];
  for (const row of rows) {
    const violations = await validateObject(row.type, row.object, resolver);
    if (violations.length) results.push({ type: row.type, identifier: row.identifier, error: `${violations.length} violation(s)`, violations });
  }
  return { results };
}
