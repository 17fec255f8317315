import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { looseEquals, pcre, phpCompare, strictEquals } from "../../src/engine/prototypes/filters";
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

describe("filter-based-on-transformer", () => {
  const setter = (key: string, value: unknown) => ({ prototype: "value-setter", parameters: { configurations: [{ key, value, mappers: [] }] } });
  const byTransformer = (parameters: Record<string, unknown>) => filter({ prototype: "filter-based-on-transformer", parameters });
  const lookup = setter("response", { items: [{ sku: "a", status: "enabled" }, { sku: "b", status: "disabled" }] });
  const equals = (value: unknown) => ({ prototype: "equals", parameters: { value } });

  it("passes when one looked-up entity matches, fails when none does", async () => {
    const matching = await byTransformer({ transformer: lookup, entityPath: "response.items", searchPattern: "status", comparator: equals("disabled") });
    expect(await matching({ sku: "b" }, run)).toBe(true);
    const none = await byTransformer({ transformer: lookup, entityPath: "response.items", searchPattern: "status", comparator: equals("archived") });
    expect(await none({ sku: "b" }, run)).toBe(false);
  });
  it("an entity path holding no list is one entity; a missing one finds nothing", async () => {
    const one = await byTransformer({ transformer: setter("result", { total: 3 }), entityPath: "result", searchPattern: "total", comparator: equals(3) });
    expect(await one({}, run)).toBe(true);
    const missing = await byTransformer({ transformer: setter("result", { total: 3 }), entityPath: "nope", comparator: { prototype: "type-null" } });
    expect(await missing({}, run)).toBe(false);
  });
  it("search patterns with wildcards; no search pattern tests the entity itself", async () => {
    const deep = await byTransformer({ transformer: setter("r", [{ tags: ["x", "y"] }, { tags: ["z"] }]), entityPath: "r", searchPattern: "tags.*", comparator: equals("z") });
    expect(await deep({}, run)).toBe(true);
    const whole = await byTransformer({ transformer: setter("r", ["a", "b"]), entityPath: "r", comparator: equals("b") });
    expect(await whole({}, run)).toBe(true);
  });
  it("useEntityData: the transformer sees the entity only when set; the entity is left alone", async () => {
    const spec = { transformer: setter("total", "&{qty}"), searchPattern: "total", comparator: { prototype: "number-greater-than", parameters: { value: 5 } } };
    const data = { qty: 10 };
    expect(await (await byTransformer({ ...spec, useEntityData: true }))(data, run)).toBe(true);
    expect(await (await byTransformer({ ...spec, useEntityData: false }))(data, run)).toBe(false);
    expect(await (await byTransformer(spec))(data, run)).toBe(false);
    expect(data).toEqual({ qty: 10 });
  });
  it("without a comparator, finding a value passes", async () => {
    const f = await byTransformer({ transformer: lookup, entityPath: "response.items", searchPattern: "sku" });
    expect(await f({}, run)).toBe(true);
    const g = await byTransformer({ transformer: lookup, entityPath: "response.items", searchPattern: "price", comparator: [] });
    expect(await g({}, run)).toBe(false);
  });
  it("drops entities in a data transformer's filters", async () => {
    const t = await registry().build("list-transformer", {
      prototype: "data",
      parameters: {
        filters: [{ prototype: "filter-based-on-transformer", parameters: { transformer: setter("copy", "&{status}"), useEntityData: true, searchPattern: "copy", comparator: equals("paid") } }],
        transformers: [],
      },
    });
    const out = await t([{ data: { id: 1, status: "paid" } }, { data: { id: 2, status: "open" } }], run);
    expect(out.map((e) => e.data)).toEqual([{ id: 1, status: "paid" }]);
  });
  it("an invalid nested transformer or comparator fails the build", async () => {
    await expect(byTransformer({ transformer: { prototype: "nope" }, comparator: equals(1) })).rejects.toThrow(/nope/);
    await expect(byTransformer({ transformer: lookup, comparator: { prototype: "nope" } })).rejects.toThrow(/nope/);
  });
});

describe("compare-two-values", () => {
  const compare = (value_1: string, value_2: string, operation: string) => filter({ prototype: "compare-two-values", parameters: { value_1, value_2, operation } });

  it("equal / not_equal are strict", async () => {
    const eq = await compare("a", "b", "equal");
    expect(await eq({ a: { x: [1] }, b: { x: [1] } }, run)).toBe(true);
    expect(await eq({ a: 1, b: "1" }, run)).toBe(false);
    expect(await eq({}, run)).toBe(true); // both missing: null === null
    expect(await (await compare("a", "b", "not_equal"))({ a: 1, b: "1" }, run)).toBe(true);
  });
  it("greater / less compare as PHP 8 does", async () => {
    const greater = await compare("new", "old", "greater");
    expect(await greater({ new: "2024-05-02 10:00:00", old: "2024-05-01 23:59:59" }, run)).toBe(true);
    expect(await greater({ new: "10", old: "9" }, run)).toBe(true);
    expect(await greater({ new: 5, old: 5 }, run)).toBe(false);
    const less = await compare("new", "old", "less");
    expect(await less({ new: 1, old: "1.5" }, run)).toBe(true);
    expect(await (await compare("new", "old", "Less"))({ new: 1, old: "1.5" }, run)).toBe(true);
  });
  it("in_array / not_in_array: value 2 in the array at value 1, loosely", async () => {
    const inArray = await compare("ids", "id", "in_array");
    expect(await inArray({ ids: [1, 2], id: "2" }, run)).toBe(true);
    expect(await inArray({ ids: { a: 1 }, id: 1 }, run)).toBe(true);
    expect(await inArray({ ids: "12", id: 1 }, run)).toBe(false);
    expect(await (await compare("ids", "id", "not_in_array"))({ ids: [1, 2], id: 3 }, run)).toBe(true);
  });
  it("a misspelt operation fails the build", async () => {
    await expect(compare("a", "b", "between")).rejects.toThrow(/Invalid parameters/);
  });
  it("left-out parameters: a left-out path is null; without an operation nothing passes", async () => {
    const valueIsNull = await filter({ prototype: "compare-two-values", parameters: { value_1: "a", operation: "equal" } });
    expect(await valueIsNull({ a: null, b: null }, run)).toBe(true);
    expect(await valueIsNull({ a: 1 }, run)).toBe(false);
    const bare = await filter({ prototype: "compare-two-values" });
    expect(await bare({}, run)).toBe(false);
    expect(await bare({ a: 1, b: 1 }, run)).toBe(false);
  });
  it("phpCompare", () => {
    expect(phpCompare("abc", 0)).toBe(1); // PHP 8: 0 is compared as "0"
    expect(phpCompare(null, "")).toBe(0);
    expect(phpCompare(null, "a")).toBe(-1);
    expect(phpCompare(true, 5)).toBe(0);
    expect(phpCompare([1, 2], [1, 3])).toBe(-1);
    expect(phpCompare([1, 2, 3], 99)).toBe(1);
    expect(phpCompare({ a: 1 }, { b: 1 })).toBe(null);
    expect(phpCompare(" 12", "9")).toBe(1);
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
  it("developers' docs (docs.alumio.com/developers/transformers/conditions): documented ids", async () => {
    // logic-not of type-array: ["foo"] => false, "foo" => true
    const notArray = await condition("logic-not", { conditions: [{ prototype: "type-array" }] });
    expect(await check(notArray, ["foo"])).toBe(false);
    expect(await check(notArray, "foo")).toBe(true);
    // logic-or of format-email and format-url
    const emailOrUrl = await condition("logic-or", { conditions: [{ prototype: "format-email" }, { prototype: "format-url" }] });
    expect(await check(emailOrUrl, "example@example.com")).toBe(true);
    expect(await check(emailOrUrl, "https://example.com")).toBe(true);
    expect(await check(emailOrUrl, "foo")).toBe(false);
    // logic-and of format-email and string-length-between {min: 6}
    const longEmail = await condition("logic-and", { conditions: [{ prototype: "format-email" }, { prototype: "string-length-between", parameters: { min: 6 } }] });
    expect(await check(longEmail, "example@example.com")).toBe(true);
    expect(await check(longEmail, "a@b.c")).toBe(false);
    // mapped-condition: string-upper, then equals "POST"
    const post = await condition("mapped-condition", { mappers: [{ prototype: "string-upper" }], conditions: [{ prototype: "equals", parameters: { value: "POST" } }] });
    expect(await check(post, "POST")).toBe(true);
    expect(await check(post, "post")).toBe(true);
    expect(await check(post, "get")).toBe(false);
  });
  it("string-length-between: characters, inclusive bounds, strings only", async () => {
    const between = await condition("string-length-between", { min: 2, max: 3 });
    expect(await check(between, "ab")).toBe(true);
    expect(await check(between, "abc")).toBe(true);
    expect(await check(between, "äöü")).toBe(true);
    expect(await check(between, "a")).toBe(false);
    expect(await check(between, "abcd")).toBe(false);
    expect(await check(between, ["a", "b"])).toBe(false);
    expect(await check(await condition("string-length-between", { min: "2", max: null }), "abcdef")).toBe(true);
  });
  it("type-array strict: PHP cannot tell {} from [], so an empty object is a list", async () => {
    const list = await condition("type-array", { strict: true });
    expect(await check(list, {})).toBe(true);
    expect(await check(list, { "0": "a", "1": "b" })).toBe(true);
    expect(await check(list, { a: 1 })).toBe(false);
  });
  it("one-of with a null list (PHP exports write null for absent) holds for nothing", async () => {
    expect(await check(await condition("one-of", { value: null }), null)).toBe(false);
    expect(await check(await condition("not-one-of", { value: null }), null)).toBe(true);
  });
  it("PCRE: PHP named groups (?P<name>...) and (?P=name)", async () => {
    expect(pcre("/^(?P<sku>[A-Z]+)-(?P=sku)$/").test("AB-AB")).toBe(true);
    expect(await check(await condition("string-matches-pcre", { pattern: "/^(?P<n>\\d+)$/" }), "12")).toBe(true);
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
