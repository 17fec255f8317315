import { z } from "zod";
import { describe, expect, it } from "vitest";
import frequency from "../../spec/prototype-frequency.md?raw";
import { registry } from "../../src/engine";
import { runPrototypeTest } from "../../src/engine/testing";
import { DI_TYPES, type InstanceTypes } from "../../src/engine/types";
import { testRunContext } from "./run-context";

/** Every prototype real Alumio exports use (spec/prototype-frequency.md), plus documented ones the issue names. */
const FROM_EXPORTS = [...frequency.matchAll(/^\|\s*\d+\s*\|\s*`([^`]+)`/gm)].map((m) => m[1]);
const DOCUMENTED = ["string-upper", "string-prepend", "standard", "global-variable-setter", "value-condition"];

const all = DI_TYPES.flatMap((type) => registry().list(type).map((prototype) => ({ type: type as keyof InstanceTypes, prototype })));

describe("prototype registry", () => {
  it("reads the 95 prototypes of the exports from the frequency table", () => {
    expect(FROM_EXPORTS).toHaveLength(95);
  });

  it("registers every prototype the exports use and the documented ones", () => {
    const registered = new Set(all.map((p) => p.prototype.identifier));
    expect([...FROM_EXPORTS, ...DOCUMENTED].filter((id) => !registered.has(id))).toEqual([]);
  });

  it("gives every prototype a name, description, documentation and a JSON Schema of its parameters", () => {
    const problems: string[] = [];
    for (const { type, prototype } of all) {
      if (!prototype.name || !prototype.description) problems.push(`${type}/${prototype.identifier}: name or description missing`);
      if (prototype.documentation.trim().length < 40) problems.push(`${type}/${prototype.identifier}: documentation too thin`);
      try {
        const schema = z.toJSONSchema(prototype.parameters, { unrepresentable: "any", io: "input" });
        if (typeof schema !== "object") problems.push(`${type}/${prototype.identifier}: no schema`);
      } catch (error) {
        problems.push(`${type}/${prototype.identifier}: schema: ${String(error)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("runs every prototype's own test cases, and each has at least one", async () => {
    const failures: string[] = [];
    for (const { type, prototype } of all) {
      if (prototype.tests.length === 0) failures.push(`${type}/${prototype.identifier}: no test case`);
      for (const testCase of prototype.tests) {
        const result = await runPrototypeTest(registry(), prototype, type, testCase, testRunContext());
        if (!result.ok) failures.push(`${type}/${prototype.identifier} "${testCase.name}": ${result.error ?? `expected ${JSON.stringify(result.expected)}, got ${JSON.stringify(result.actual)}`}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
