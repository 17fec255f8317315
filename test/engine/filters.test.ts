import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { looseEquals, pcre, strictEquals } from "../../src/engine/prototypes/filters";
import { prototypes } from "../../src/engine/prototypes/filters";
import { runPrototypeTest } from "../../src/engine/testing";
import type { InstanceTypes } from "../../src/engine/types";
import { testRunContext } from "./run-context";

const run = testRunContext();
const filter = (spec: unknown) => registry().build("filter", spec);
const condition = (prototype: string, parameters: unknown = []) => registry().build("condition", { prototype, parameters });
const keyExists = (path: string, prototype = "key-exists-condition") => ({ prototype: "key-condition", parameters: { filter: { prototype, parameters: { path } } } });
const valueCondition = (pattern: string, conditions: unknown[]) => ({
  prototype: "value-condition-v2",
  parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern } }, conditions },
});

describe("key-condition", () => {
  it("exists / not exists, null counts as present, numeric segments", async () => {
    const exists = await filter(keyExists("result.data.productUpdate.product.id"));
    expect(await exists({ result: { data: { productUpdate: { product: { id: null } } } } }, run)).toBe(true);
    expect(await exists({ result: {} }, run)).toBe(false);
    const notExists = await filter(keyExists("value.1", "key-not-exists-condition"));
    expect(await notExists({ value: ["a"] }, run)).toBe(true);
    expect(await notExists({ value: ["a", "b"] }, run)).toBe(false);
  });
  it("an unknown key filter fails the build", async () => {
    await expect(filter({ prototype: "key-condition", parameters: { filter: { prototype: "nope" } } })).rejects.toThrow(/nope/);
  });
});

describe("value-condition-v2", () => {
  it("docs: keep paid orders; a missing key fails", async () => {
    const f = await filter(valueCondition("status", [{ prototype: "equals", parameters: { value: "paid" } }]));
    expect(await f({ status: "paid" }, run)).toBe(true);
    expect(await f({ status: "open" }, run)).toBe(false);
    expect(await f({}, run)).toBe(false);
  });
  it("docs (v1): id between 9 and 11 with logic-and", async () => {
    const f = await filter({
      prototype: "value-condition",
      parameters: {
        accessor: { prototype: "key", parameters: { keys: ["id"] } },
        conditions: [{ prototype: "logic-and", parameters: { conditions: [{ prototype: "number-greater-than", parameters: { value: 9 } }, { prototype: "number-less-than", parameters: { value: 11 } }] } }],
      },
    });
    expect(await f({ id: 10 }, run)).toBe(true);
    expect(await f({ id: 11 }, run)).toBe(false);
  });
  it("all accessed values must pass", async () => {
    const f = await filter(valueCondition("l.*", [{ prototype: "type-string" }]));
    expect(await f({ l: ["a", "b"] }, run)).toBe(true);
    expect(await f({ l: ["a", 1] }, run)).toBe(false);
  });
  it("template: variants not null and not []", async () => {
    const f = await filter(
      valueCondition("variants", [
        { prototype: "logic-and", parameters: { conditions: [{ prototype: "not-equals", parameters: { value: null } }, { prototype: "not-equals", parameters: { value: [] } }] } },
      ]),
    );
    expect(await f({ variants: [1] }, run)).toBe(true);
    expect(await f({ variants: [] }, run)).toBe(false);
    expect(await f({ variants: null }, run)).toBe(false);
  });
});

describe("and-condition / or-condition", () => {
  it("template: unit and amount exist", async () => {
    const f = await filter({ prototype: "and-condition", parameters: { filters: [keyExists("value.unit"), keyExists("value.amount")] } });
    expect(await f({ value: { unit: "KG", amount: 1 } }, run)).toBe(true);
    expect(await f({ value: ["a"] }, run)).toBe(false);
  });
  it("template: or of not-exists and empty", async () => {
    const f = await filter({
      prototype: "or-condition",
      parameters: { filters: [keyExists("variants", "key-not-exists-condition"), valueCondition("variants", [{ prototype: "equals", parameters: { value: [] } }])] },
    });
    expect(await f({}, run)).toBe(true);
    expect(await f({ variants: [] }, run)).toBe(true);
    expect(await f({ variants: [1] }, run)).toBe(false);
  });
  it("empty lists", async () => {
    expect(await (await filter({ prototype: "and-condition", parameters: { filters: [] } }))({}, run)).toBe(true);
    expect(await (await filter({ prototype: "or-condition", parameters: [] }))({}, run)).toBe(false);
  });
});

describe("conditions", () => {
  const check = async (c: InstanceTypes["condition"], value: unknown) => c(value, run);
  it("equals is strict; {} equals [] (PHP arrays)", async () => {
    const one = await condition("equals", { value: 1 });
    expect(await check(one, 1)).toBe(true);
    expect(await check(one, true)).toBe(false);
    expect(await check(one, "1")).toBe(false);
    const empty = await condition("equals", { value: [] });
    expect(await check(empty, {})).toBe(true);
    expect(await check(empty, [0])).toBe(false);
    expect(strictEquals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(strictEquals({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
  it("loose equality follows PHP 8", () => {
    expect(looseEquals("1", 1)).toBe(true);
    expect(looseEquals("abc", 0)).toBe(false);
    expect(looseEquals(null, false)).toBe(true);
    expect(looseEquals(null, [])).toBe(true);
    expect(looseEquals(null, "0")).toBe(false);
    expect(looseEquals(true, "x")).toBe(true);
    expect(looseEquals("1e1", "10")).toBe(true);
    expect(looseEquals({ a: 1, b: "2" }, { b: 2, a: "1" })).toBe(true);
  });
  it("one-of / not-one-of are strict", async () => {
    expect(await check(await condition("one-of", { value: [true, false] }), true)).toBe(true);
    expect(await check(await condition("one-of", { value: [true, false] }), 0)).toBe(false);
    expect(await check(await condition("not-one-of", { value: ["identifier", "code"] }), "name")).toBe(true);
  });
  it("logic-or: template equals [] or null", async () => {
    const c = await condition("logic-or", { conditions: [{ prototype: "equals", parameters: { value: [] } }, { prototype: "equals", parameters: { value: null } }] });
    expect(await check(c, [])).toBe(true);
    expect(await check(c, null)).toBe(true);
    expect(await check(c, "")).toBe(false);
  });
  it("logic-not and logic-xor", async () => {
    expect(await check(await condition("logic-not", { conditions: [{ prototype: "empty" }] }), "a")).toBe(true);
    expect(await check(await condition("logic-not", { condition: { prototype: "empty" } }), "")).toBe(false);
    const xor = await condition("logic-xor", { conditions: [{ prototype: "type-string" }, { prototype: "empty" }] });
    expect(await check(xor, "a")).toBe(true);
    expect(await check(xor, "")).toBe(false);
  });
  it("empty / not-empty (PHP empty())", async () => {
    const empty = await condition("empty");
    for (const v of [null, false, 0, "", "0", [], {}]) expect(await check(empty, v)).toBe(true);
    for (const v of ["a", 1, [0], { a: 0 }, true]) expect(await check(empty, v)).toBe(false);
    expect(await check(await condition("not-empty", []), [1])).toBe(true);
  });
  it("type checks", async () => {
    expect(await check(await condition("type-array", { strict: true }), { a: 1 })).toBe(false);
    expect(await check(await condition("type-array", { strict: false }), { a: 1 })).toBe(true);
    expect(await check(await condition("type-array", []), [1])).toBe(true);
    expect(await check(await condition("type-object"), { a: 1 })).toBe(true);
    expect(await check(await condition("type-object"), null)).toBe(false);
    expect(await check(await condition("type-numeric"), " 12")).toBe(true);
    expect(await check(await condition("type-numeric"), "12a")).toBe(false);
    expect(await check(await condition("type-boolean"), true)).toBe(true);
  });
  it("number comparisons accept numeric strings, never hold for text", async () => {
    expect(await check(await condition("number-greater-than", { value: 0 }), "3")).toBe(true);
    expect(await check(await condition("number-greater-than", { value: 0 }), "abc")).toBe(false);
    expect(await check(await condition("number-less-than-or-equal", { value: "5" }), 5)).toBe(true);
  });
  it("PCRE", async () => {
    expect(pcre("/^a.c$/i").test("ABC")).toBe(true);
    expect(pcre("#^\\d+$#").test("123")).toBe(true);
    expect(pcre("{^x}").test("xy")).toBe(true);
    expect(await check(await condition("string-matches-pcre", { pattern: "/^SKU-\\d+$/" }), "SKU-1")).toBe(true);
    expect(await check(await condition("string-does-not-match-pcre", { pattern: "/^SKU-\\d+$/" }), "SKU-1")).toBe(false);
  });
});

describe("filter and condition prototypes' own test cases", () => {
  for (const prototype of prototypes)
    for (const type of [prototype.type].flat())
      for (const testCase of prototype.tests)
        it(`${type}/${prototype.identifier}: ${testCase.name}`, async () => {
          const result = await runPrototypeTest(registry(), prototype, type, testCase, run);
          expect(result.error).toBeUndefined();
          expect(result.actual).toEqual(testCase.output);
        });
});

describe("documentation of this engineer's prototypes", () => {
  it("every accessor, filter, condition, mapper and entity transformer has an example and test cases", async () => {
    const modules = await Promise.all([
      import("../../src/engine/prototypes/accessors"),
      import("../../src/engine/prototypes/filters"),
      import("../../src/engine/prototypes/mappers"),
      import("../../src/engine/prototypes/entity-transformers"),
    ]);
    const missing: string[] = [];
    for (const { prototypes: list } of modules)
      for (const p of list) {
        if (!/Example/.test(p.documentation)) missing.push(`${p.identifier}: no example`);
        if (p.tests.length === 0) missing.push(`${p.identifier}: no test case`);
      }
    expect(missing).toEqual([]);
  });
});
