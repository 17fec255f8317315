import { describe, expect, it } from "vitest";
import { prototypes } from "../../src/engine/prototypes/data-transformers";
import { runPrototypeTest } from "../../src/engine/testing";
import { context, testRegistry, transform } from "./data-transformer-fakes";

describe("data transformers: their own test cases", () => {
  for (const prototype of prototypes) {
    for (const testCase of prototype.tests) {
      it(`${prototype.identifier}: ${testCase.name}`, async () => {
        const result = await runPrototypeTest(testRegistry(), prototype, "data-transformer", testCase, context());
        expect(result.error).toBeUndefined();
        expect(result.actual).toEqual(testCase.output);
      });
    }
  }

  it("every prototype has documentation and at least one test case", () => {
    for (const p of prototypes) {
      expect(p.tests.length, p.identifier).toBeGreaterThan(0);
      expect(p.documentation.length, p.identifier).toBeGreaterThan(80);
    }
  });
});

describe("pattern-move / pattern-copy", () => {
  it("wraps every top-level key", async () => {
    expect(await transform("pattern-move", { pattern: "*", replacement: "products.$1", conditions: [] }, { a: 1, b: { c: 2 } })).toEqual({ products: { a: 1, b: { c: 2 } } });
  });

  it("swaps two levels", async () => {
    const input = { values: { name: { "locale:en|scope:": { data: "x" } }, color: { "locale:|scope:": { data: "red" } } } };
    expect(await transform("pattern-move", { pattern: "values.*.*", replacement: "values.$2.$1", conditions: [] }, input)).toEqual({
      values: { "locale:en|scope:": { name: { data: "x" } }, "locale:|scope:": { color: { data: "red" } } },
    });
  });

  it("concatenates captures into one key", async () => {
    const input = { products: [{ prices: [{ stores: ["a", "b"] }] }] };
    expect(
      await transform("pattern-move", { pattern: "products.*.prices.*.stores.*", replacement: "products.$1.prices.0.stores.$1$2$3", conditions: [] }, input),
    ).toEqual({ products: [{ prices: [{ stores: { "000": "a", "001": "b" } }] }] });
  });

  it("turns list elements into objects in place", async () => {
    const input = { _config: { locales: ["en_US", "de_DE"] } };
    expect(await transform("pattern-move", { pattern: "_config.locales.*", replacement: "_config.locales.$1.key", conditions: [] }, input)).toEqual({
      _config: { locales: [{ key: "en_US" }, { key: "de_DE" }] },
    });
  });

  it("reads quoted segments literally", async () => {
    const input = { values: { "locale:|scope:": { customAttributes: { a: 1 } } }, other: 1 };
    expect(await transform("pattern-move", { pattern: 'values."locale:|scope:".customAttributes', replacement: "customAttributes", conditions: [] }, input)).toEqual({
      other: 1,
      customAttributes: { a: 1 },
    });
  });

  it("does nothing without a match", async () => {
    const input = { a: 1 };
    expect(await transform("pattern-move", { pattern: "b", replacement: "c", conditions: [] }, input)).toEqual({ a: 1 });
  });

  it("moves only matches passing the conditions", async () => {
    const input = { items: [{ q: 1 }, { q: 0 }] };
    const out = await transform("pattern-move", { pattern: "items.*.q", replacement: "nonZero.$1", conditions: [{ prototype: "not-equals", parameters: { value: 0 } }] }, input);
    // items.0 is left empty and pruned; PHP leaves the hole (an object keyed by the remaining index).
    expect(out).toEqual({ items: { "1": { q: 0 } }, nonZero: [1] });
  });

  it("copies a list element into a new list", async () => {
    const input = { variant: { sku: "v" }, code: "p" };
    const out = await transform("pattern-copy", { pattern: "variant", replacement: "variants.0", conditions: [] }, input);
    expect(out).toEqual({ variant: { sku: "v" }, code: "p", variants: [{ sku: "v" }] });
  });

  it("moving the root (an empty pattern) nests the data instead of making it circular", async () => {
    // [INF] an empty pattern addresses the root (DataContainer::glob('') === ['']); the result must be plain JSON
    const out = await transform("pattern-move", { pattern: "", replacement: "x", conditions: [] }, { a: 1 });
    expect(JSON.stringify(out)).toBe('{"x":{"a":1}}');
    expect(await transform("pattern-move", { pattern: "", replacement: "x.0", conditions: [{ prototype: "not-equals", parameters: { value: null } }] }, { a: 1 })).toEqual({ x: [{ a: 1 }] });
  });

  it("$0 is the whole matched path and ? captures too (mediact/data-container ReplaceByPatternTrait)", async () => {
    expect(await transform("pattern-copy", { pattern: "foo.*", replacement: "qux.$0", conditions: [] }, { foo: { bar: 1 } })).toEqual({ foo: { bar: 1 }, qux: { foo: { bar: 1 } } });
    expect(await transform("pattern-move", { pattern: "foo.ba?", replacement: "qux.$1", conditions: [] }, { foo: { bar: 1 } })).toEqual({ qux: { r: 1 } });
  });

  it("copies the same capture twice", async () => {
    const out = await transform("pattern-copy", { pattern: "product.collectionsToJoin.*", replacement: "collectionsTemp.$1.$1", conditions: [] }, { product: { collectionsToJoin: ["x"] } });
    expect(out).toEqual({ product: { collectionsToJoin: ["x"] }, collectionsTemp: [["x"]] });
  });
});

describe("value-remover", () => {
  it("removes every element of a list, leaving a list", async () => {
    expect(await transform("value-remover", { patterns: [{ key: "a.*" }] }, { a: [1, 2, 3], b: 1 })).toEqual({ a: [], b: 1 });
  });

  it("removes several patterns in turn", async () => {
    const input = { uuid: "u", _links: {}, created: "c", updated: "d", code: "x", metadata: { m: 1 } };
    expect(await transform("value-remover", { patterns: [{ key: "uuid" }, { key: "_links" }, { key: "created" }, { key: "updated" }, { key: "metadata" }] }, input)).toEqual({ code: "x" });
  });
});

describe("value-setter", () => {
  it("keeps types of whole-string placeholders and expands nested templates", async () => {
    const input = { code: "shoes", store: ["DE", "AT"] };
    const out = await transform(
      "value-setter",
      { configurations: [{ key: "data", value: { id: "&{code}", type: "categories", attributes: { stores: "&{store}", isActive: true, categoryKey: "&{code}" } }, mappers: [] }] },
      input,
    );
    expect(out).toEqual({ ...input, data: { id: "shoes", type: "categories", attributes: { stores: ["DE", "AT"], isActive: true, categoryKey: "shoes" } } });
  });

  it("applies mappers in order (total pages)", async () => {
    const out = await transform(
      "value-setter",
      {
        configurations: [
          { key: "total_page", value: ["&{total}", "&{limit}"], mappers: [{ prototype: "operator", parameters: { operator: "division" } }, { prototype: "cast-int", parameters: [] }] },
        ],
      },
      { total: 250, limit: 100 },
    );
    expect(out).toEqual({ total: 250, limit: 100, total_page: 2 });
  });

  it("serializes with a mapper", async () => {
    const out = await transform("value-setter", { configurations: [{ key: "search", value: { parent: [{ operator: "EMPTY" }] }, mappers: [{ prototype: "serialize-json", parameters: [] }] }] }, {});
    expect(out).toEqual({ search: '{"parent":[{"operator":"EMPTY"}]}' });
  });

  it("writes numeric keys as PHP would", async () => {
    expect(await transform("value-setter", { configurations: [{ key: "testParent.1", value: 1, mappers: [] }] }, { testParent: [5] })).toEqual({ testParent: [5, 1] });
    expect(await transform("value-setter", { configurations: [{ key: "x.1", value: 1, mappers: [] }] }, {})).toEqual({ x: { "1": 1 } });
  });

  it("renders optional placeholders as empty inside strings", async () => {
    const out = await transform("value-setter", { configurations: [{ key: "combinedKey", value: "locale:?{locale}|scope:?{scope}", mappers: [] }] }, { locale: null, scope: null });
    expect(out).toEqual({ locale: null, scope: null, combinedKey: "locale:|scope:" });
  });

  it("reads environment variables and null values", async () => {
    const run = { ...context(), variables: { get: (name: string) => (name === "BASE" ? "https://x.test" : undefined) } };
    expect(await transform("value-setter", { configurations: [{ key: "u", value: "${BASE}/a", mappers: [] }, { key: "check", value: null, mappers: [] }] }, {}, run)).toEqual({
      u: "https://x.test/a",
      check: null,
    });
  });
});

describe("global-variable-setter", () => {
  it("sets run globals read by @{globals.*}", async () => {
    const run = context();
    const out = await transform("global-variable-setter", { key: "sync.last", value: "&{updated}" }, { updated: "2024-01-01" }, run);
    expect(out).toEqual({ updated: "2024-01-01" });
    expect(run.globals).toEqual({ sync: { last: "2024-01-01" } });
    expect(await transform("value-setter", { configurations: [{ key: "since", value: "@{globals.sync.last}", mappers: [] }] }, {}, run)).toEqual({ since: "2024-01-01" });
  });
});

describe("accessor transformers", () => {
  it("pivots a map into records and back (structure)", async () => {
    const input = { newData: { "0": "a", "1": "b" } };
    const out = await transform(
      "accessor-move",
      { source: { prototype: "key", parameters: { keys: [], root: "newData" } }, destination: { prototype: "structure", parameters: { key: "index", keys: [], root: "newData", value: "value" } }, stripEnclosures: true },
      input,
    );
    expect(out).toEqual({ newData: [{ index: "0", value: "a" }, { index: "1", value: "b" }] });
  });

  it("keys records by a field (whole-record structure source)", async () => {
    const input = [{ combinedKey: "k1", data: 1 }, { combinedKey: "k2", data: 2 }];
    const out = await transform(
      "accessor-move",
      { source: { prototype: "structure", parameters: { key: "combinedKey", keys: [], value: '""' } }, destination: { prototype: "key", parameters: { keys: [] } }, stripEnclosures: true },
      input,
    );
    expect(out).toEqual({ k1: { combinedKey: "k1", data: 1 }, k2: { combinedKey: "k2", data: 2 } });
  });

  it("moves a group of keys under a root", async () => {
    const out = await transform(
      "accessor-move",
      { source: { prototype: "key", parameters: { keys: ["locales", "tax"] } }, destination: { prototype: "key", parameters: { keys: [], root: "_config" } }, stripEnclosures: true },
      { locales: ["en"], tax: 1, sku: "a" },
    );
    expect(out).toEqual({ sku: "a", _config: { locales: ["en"], tax: 1 } });
  });

  it("copies the whole entity under a key", async () => {
    const out = await transform(
      "accessor-copy",
      { source: { prototype: "key", parameters: { keys: [] } }, destination: { prototype: "key", parameters: { keys: [], root: "Update" } }, stripEnclosures: false },
      { id: 1 },
    );
    expect(out).toEqual({ id: 1, Update: { id: 1 } });
  });

  it("stripEnclosures decides whether a dotted key is a path", async () => {
    const params = (strip: boolean) => ({
      source: { prototype: "key", parameters: { keys: [], root: "in" } },
      destination: { prototype: "key", parameters: { keys: [], root: "out" } },
      stripEnclosures: strip,
    });
    const input = { in: { "a.b": 1 } };
    expect(await transform("accessor-copy", params(true), input)).toEqual({ in: { "a.b": 1 }, out: { a: { b: 1 } } });
    expect(await transform("accessor-copy", params(false), input)).toEqual({ in: { "a.b": 1 }, out: { "a.b": 1 } });
  });

  it("value-mapper maps each matched value", async () => {
    const out = await transform(
      "value-mapper",
      { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "items.*.qty" } }, mappers: [{ prototype: "cast-int", parameters: [] }] },
      { items: [{ qty: "1" }, { qty: "2" }] },
    );
    expect(out).toEqual({ items: [{ qty: 1 }, { qty: 2 }] });
  });

  it("value-mapper re-indexes a list with holes (list-values)", async () => {
    const out = await transform("value-mapper", { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "l" } }, mappers: [{ prototype: "list-values", parameters: [] }] }, { l: { "0": "a", "2": "c" } });
    expect(out).toEqual({ l: ["a", "c"] });
  });

  it("key-mapper renames with a dictionary", async () => {
    const out = await transform(
      "key-mapper",
      {
        accessor: { prototype: "key", parameters: { keys: [] } },
        mappers: [{ prototype: "dictionary-map", parameters: { map: [["parent", "parentCode"], ["enabled", "statusCode"], ["family", "attributeSetCode"]], comparator: "equals" } }],
        stripEnclosures: true,
      },
      { code: "a", parent: "p", enabled: true, family: "f" },
    );
    expect(out).toEqual({ code: "a", parentCode: "p", statusCode: true, attributeSetCode: "f" });
  });

  it("key-filter keeps only listed keys", async () => {
    const out = await transform(
      "key-filter",
      { accessor: { prototype: "key", parameters: { keys: [] } }, conditions: [{ prototype: "not-one-of", parameters: { value: ["identifier", "code", "localizations"] } }] },
      { identifier: 1, code: "c", localizations: [], junk: 2, more: 3 },
    );
    expect(out).toEqual({ identifier: 1, code: "c", localizations: [] });
  });

  it("key-filter drops the keys of a root", async () => {
    const out = await transform("key-filter", { accessor: { prototype: "key", parameters: { keys: ["name", "description"], root: "customAttributes" } }, conditions: [] }, { customAttributes: { name: "n", description: "d", color: "r" } });
    expect(out).toEqual({ customAttributes: { color: "r" } });
  });

  it("value-filter drops empty values (logic-or of equals)", async () => {
    const conditions = [{ prototype: "logic-or", parameters: { conditions: [{ prototype: "equals", parameters: { value: [] } }, { prototype: "equals", parameters: { value: null } }] } }];
    const out = await transform("value-filter", { accessor: { prototype: "key", parameters: { keys: [], root: "values" } }, conditions }, { values: { a: [], b: null, c: "x", d: [1] } });
    expect(out).toEqual({ values: { c: "x", d: [1] } });
  });

  it("list-mapper extends and intersects the entity's keys", async () => {
    const out = await transform(
      "list-mapper",
      {
        accessor: { prototype: "pattern", parameters: { keys: [] } },
        mappers: [
          { prototype: "list-extend-with", parameters: { array: { product_order: 0 } } },
          { prototype: "list-intersect-keys", parameters: { array: { fk_category: true, product_order: true } } },
        ],
      },
      { fk_category: 3, junk: 1 },
    );
    expect(out).toEqual({ fk_category: 3, product_order: 0 });
  });

  it("list-mapper with list-values turns an object root into a list", async () => {
    const out = await transform("list-mapper", { accessor: { prototype: "key", parameters: { keys: [], root: "Create" } }, mappers: [{ prototype: "list-values", parameters: [] }] }, { Create: { a: { x: 1 }, b: { x: 2 } } });
    expect(out).toEqual({ Create: [{ x: 1 }, { x: 2 }] });
  });
});

describe("merger", () => {
  it("merges deeply and replaces lists", async () => {
    const out = await transform(
      "merger",
      {
        template: { meta: { count: "&{total}" }, list: "&{items}" },
        transformer: { prototype: "value-setter", parameters: { configurations: [{ key: "total", value: 2, mappers: [] }, { key: "items", value: [9], mappers: [] }] } },
      },
      { meta: { page: 1 }, list: [1, 2, 3] },
    );
    expect(out).toEqual({ meta: { page: 1, count: 2 }, list: [9] });
  });
});

describe("recursively-copy-values-to-children", () => {
  it("renders against the first level for deep patterns", async () => {
    const input = { _config: { stores: ["DE"] }, products: [{ prices: [{ p: 1 }, { p: 2 }] }] };
    const out = await transform("recursively-copy-values-to-children", { mergeTemplate: { stores: "&{_config.stores || `[]`}" }, childrenPattern: "products.*.prices.*" }, input);
    expect(out).toEqual({ _config: { stores: ["DE"] }, products: [{ prices: [{ p: 1, stores: ["DE"] }, { p: 2, stores: ["DE"] }] }] });
  });

  it("static templates and empty-list children", async () => {
    const out = await transform("recursively-copy-values-to-children", { mergeTemplate: { fk_price_type: 1 }, childrenPattern: "l.*" }, { l: [[], { a: 1 }, "s"] });
    expect(out).toEqual({ l: [{ fk_price_type: 1 }, { a: 1, fk_price_type: 1 }, "s"] });
  });

  it("uses the nearest parent unless keepFirstLevelContext", async () => {
    const input = { name: "root", children: [{ name: "c1", children: [{ name: "c2" }] }] };
    const near = await transform("recursively-copy-values-to-children", { mergeTemplate: { parent: "&{name}" }, childrenPattern: "children.*" }, input);
    expect(near).toEqual({ name: "root", children: [{ name: "c1", parent: "root", children: [{ name: "c2", parent: "c1" }] }] });
    const first = await transform("recursively-copy-values-to-children", { mergeTemplate: { parent: "&{name}" }, childrenPattern: "children.*", keepFirstLevelContext: true }, input);
    expect(first).toEqual({ name: "root", children: [{ name: "c1", parent: "root", children: [{ name: "c2", parent: "root" }] }] });
  });
});

describe("group-by, convert-to-array, operator", () => {
  it("groups by a path into another destination", async () => {
    const input = { temp: [{ name: "Color", value: "red" }, { name: "Size", value: "S" }, { name: "Color", value: "blue" }] };
    const out = await transform("group-by", { path: "name", pattern: "temp.*", destination: "productOptions" }, input);
    expect(out).toEqual({ ...input, productOptions: { Color: [input.temp[0], input.temp[2]], Size: [input.temp[1]] } });
  });

  it("group keys follow PHP array keys: booleans become 1/0, keys 0..n-1 in order make a list", async () => {
    // PHP casts array keys (true -> 1, false -> 0, 1.5 -> 1) and json_encode writes keys 0..n-1 in order as a list
    const input = { values: [{ n: true }, { n: false }, { n: 1.5 }] };
    const out = await transform("group-by", { pattern: "values.*", path: "n", destination: "g" }, input);
    expect(out).toEqual({ ...input, g: { "1": [{ n: true }, { n: 1.5 }], "0": [{ n: false }] } });
    const ordered = { values: [{ n: 0 }, { n: "1" }, { n: 0 }] };
    expect(await transform("group-by", { pattern: "values.*", path: "n", destination: "g" }, ordered)).toEqual({ ...ordered, g: [[{ n: 0 }, { n: 0 }], [{ n: "1" }]] });
  });

  it("convert-to-array recursive continues inside the converted objects (forum /t/convert-to-array-transformer/1375)", async () => {
    const input = { category: { code: "a", children: { code: "b", children: { code: "c" } } } };
    const flat = await transform("convert-to-array", { pattern: "category", recursive: false }, input);
    expect(flat).toEqual({ category: [{ code: "a", children: { code: "b", children: { code: "c" } } }] });
    const deep = await transform("convert-to-array", { pattern: "category", recursive: true, recursivePattern: "children" }, input);
    expect(deep).toEqual({ category: [{ code: "a", children: [{ code: "b", children: [{ code: "c" }] }] }] });
  });

  it("the template's product + children chain", async () => {
    let data: unknown = { product: { sku: "p", children: [{ sku: "c1" }, { sku: "c2" }] } };
    data = await transform("pattern-move", { pattern: "product.children", conditions: [], replacement: "children" }, data);
    data = await transform("convert-to-array", { pattern: "product", recursive: false }, data);
    data = await transform("operator", { left: "product", right: "children", operator: "array-merge" }, data);
    data = await transform("key-filter", { accessor: { prototype: "key", parameters: { keys: ["children"] } }, conditions: [] }, data);
    expect(data).toEqual({ product: [{ sku: "p" }, { sku: "c1" }, { sku: "c2" }] });
  });
});

describe("exception and list-transformer-wrapper", () => {
  it("exception fails with the expanded message", async () => {
    await expect(transform("exception", { message: "Category id not found for parent &{parent}" }, { parent: "x" })).rejects.toThrow("Category id not found for parent x");
  });

  it("runs list-transformers referenced by identifier", async () => {
    const run = context([
      {
        type: "list-transformer",
        identifier: "mark",
        object: { prototype: "data", parameters: { transformers: [{ prototype: "value-setter", parameters: { configurations: [{ key: "marked", value: "&{code}", mappers: [] }] } }] } },
      },
    ]);
    expect(await transform("list-transformer-wrapper", { transformers: ["mark"] }, { code: "a" }, run)).toEqual({ code: "a", marked: "a" });
  });

  it("refuses a result that is not exactly one entity", async () => {
    const dropAll = { prototype: "drop-all-test", parameters: {} };
    const reg = testRegistry();
    if (!reg.get("list-transformer", "drop-all-test")) {
      reg.register({ type: "list-transformer", identifier: "drop-all-test", name: "", description: "", parameters: (await import("zod")).z.looseObject({}), documentation: "", tests: [], create: () => async () => [] });
    }
    await expect(transform("list-transformer-wrapper", { transformers: [dropAll] }, { a: 1 })).rejects.toThrow("exactly one");
  });
});

describe("parameters from real exports validate", () => {
  it("accepts PHP empty objects and meta keys", async () => {
    const reg = testRegistry();
    await reg.build("data-transformer", { meta: [], prototype: "merger", parameters: { template: [], transformer: { meta: [], prototype: "value-setter", parameters: { configurations: [] } } } });
    await reg.build("data-transformer", { prototype: "value-remover", parameters: [] });
  });

  it("points violations at the nested parameter", async () => {
    const reg = testRegistry();
    await expect(
      reg.build("data-transformer", { prototype: "value-mapper", parameters: { accessor: { prototype: "nope" }, mappers: [] } }, { path: "object" }),
    ).rejects.toMatchObject({ violations: [{ propertyPath: "object.parameters.accessor.prototype" }] });
  });
});
