import { describe, expect, it } from "vitest";
import { z } from "zod";
import { registry, Registry } from "../../src/engine";
import { MemoryConfigurations } from "../../src/engine/memory";
import { prototypes as accessors } from "../../src/engine/prototypes/accessors";
import { entityIdentifier, prototypes } from "../../src/engine/prototypes/entity-transformers";
import { prototypes as filters } from "../../src/engine/prototypes/filters";
import { prototypes as mappers } from "../../src/engine/prototypes/mappers";
import { expand } from "../../src/engine/placeholders";
import { setPath, parsePath } from "../../src/engine/paths";
import { runPrototypeTest } from "../../src/engine/testing";
import type { Entity, Prototype, RunContext } from "../../src/engine/types";
import { testPrototype } from "./data-transformer-fakes";
import { testRunContext } from "./run-context";

/** A test-only data transformer: sets `key` to `value` (placeholders against the data). */
const testSet: Prototype = {
  type: "data-transformer",
  identifier: "test-set",
  name: "test set",
  description: "test only",
  parameters: z.object({ key: z.string(), value: z.unknown() }),
  documentation: "test only",
  tests: [],
  create: (p: { key: string; value: unknown }) => async (data: unknown, run: RunContext) => setPath(data, parsePath(p.key), await expand(p.value, data, run)),
};
/** A test-only entity transformer that doubles every entity. */
const testDouble = testPrototype("list-transformer", "test-double", () => async (entities: Entity[]) => entities.flatMap((e) => [e, e]));

const local = new Registry().register(...accessors, ...filters, ...mappers, ...prototypes, testSet, testDouble);
const configurations = new MemoryConfigurations([
  { type: "list-transformer", identifier: "mark", object: { prototype: "data", parameters: { transformers: [{ prototype: "test-set", parameters: { key: "marked", value: true } }] } } },
  { type: "entity", identifier: "base-attribute", object: { parameters: { identifierPath: ["code"], schema: {} } } },
  { type: "entity", identifier: "shopify-products", object: { parameters: { identifierPath: ["products[].code"] } } },
]);
const run = { ...testRunContext(), configurations, registry: local };
const set = (key: string, value: unknown) => ({ prototype: "test-set", parameters: { key, value } });
const keyExists = (path: string) => ({ prototype: "key-condition", parameters: { filter: { prototype: "key-exists-condition", parameters: { path } } } });
const build = (spec: unknown) => local.build("list-transformer", spec, { configurations });
const entities = (...data: unknown[]): Entity[] => data.map((d) => ({ data: d }));
const datas = (list: Entity[]) => list.map((e) => e.data);

describe("chain", () => {
  it("runs steps in order, resolving configuration references", async () => {
    const t = await build({ prototype: "chain", parameters: { transformers: [{ prototype: "test-double" }, "mark", { prototype: "data", parameters: { transformers: [set("n", "&{marked}")] } }] } });
    expect(datas(await t(entities({ a: 1 }), run))).toEqual([
      { a: 1, marked: true, n: true },
      { a: 1, marked: true, n: true },
    ]);
  });
  it("an unknown reference is a configuration error at build time", async () => {
    await expect(build({ prototype: "chain", parameters: { transformers: ["nope"] } })).rejects.toThrow(/nope/);
  });
  it("a list PHP exported as an object (an array with gaps) runs its steps in key order", async () => {
    const t = await build({ prototype: "chain", parameters: { transformers: { "0": { prototype: "test-double" }, "2": "mark" } } });
    expect(datas(await t(entities({ a: 1 }), run))).toEqual([
      { a: 1, marked: true },
      { a: 1, marked: true },
    ]);
  });
});

describe("data", () => {
  it("filters first, then transforms; failing entities are dropped", async () => {
    const t = await build({ prototype: "data", parameters: { filters: [keyExists("id")], transformers: [set("label", "#&{id}")] } });
    expect(datas(await t(entities({ id: 1 }, { other: 1 }, { id: 2 }), run))).toEqual([
      { id: 1, label: "#1" },
      { id: 2, label: "#2" },
    ]);
  });
  it("docs: value-mapper with a standard mapper (full registry)", async () => {
    if (!registry().get("data-transformer", "value-mapper")) return;
    const t = await registry().build("list-transformer", {
      prototype: "data",
      parameters: {
        transformers: [
          {
            prototype: "value-mapper",
            parameters: { accessor: { prototype: "key", parameters: { keys: ["tax_rate"] } }, mappers: [{ prototype: "standard", parameters: { from: "high", to: 20 } }] },
          },
        ],
      },
    });
    expect(datas(await t(entities({ tax_rate: "high" }), testRunContext()))).toEqual([{ tax_rate: 20 }]);
  });
});

describe("node", () => {
  it("transforms each node with placeholders against the node", async () => {
    const t = await build({
      prototype: "node",
      parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "variants.*" } }, nodeFilters: [], nodeTransformers: [set("key", "&{code}-&{size}")] },
    });
    expect(datas(await t(entities({ code: "parent", variants: [{ code: "a", size: "S" }, { code: "b", size: "M" }] }), run))).toEqual([
      { code: "parent", variants: [{ code: "a", size: "S", key: "a-S" }, { code: "b", size: "M", key: "b-M" }] },
    ]);
  });
  it("template: keep localizations of channel ecommerce, then re-index with list-values", async () => {
    const t = await build({
      prototype: "chain",
      parameters: {
        transformers: [
          {
            prototype: "node",
            parameters: {
              accessor: { prototype: "pattern", parameters: { keys: [], pattern: "localizations.*" } },
              nodeFilters: [
                {
                  prototype: "value-condition-v2",
                  parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "channelCode" } }, conditions: [{ prototype: "one-of", parameters: { value: ["ecommerce"] } }] },
                },
              ],
              nodeTransformers: [],
            },
          },
        ],
      },
    });
    const [out] = datas(await t(entities({ localizations: [{ channelCode: "print" }, { channelCode: "ecommerce", t: 1 }, { channelCode: "print" }] }), run));
    expect(out).toEqual({ localizations: { "1": { channelCode: "ecommerce", t: 1 } } });
    const listValues = await local.build("mapper", { prototype: "list-values" });
    expect(await listValues((out as { localizations: unknown }).localizations, run)).toEqual([{ channelCode: "ecommerce", t: 1 }]);
  });
  it("docs: items.* with a dictionary-map value-mapper (full registry)", async () => {
    if (!registry().get("data-transformer", "value-mapper")) return;
    const t = await registry().build("list-transformer", {
      prototype: "node",
      parameters: {
        accessor: { prototype: "pattern", parameters: { pattern: "items.*" } },
        nodeTransformers: [
          {
            prototype: "value-mapper",
            parameters: {
              accessor: { prototype: "key", parameters: { keys: ["status"] } },
              mappers: [{ prototype: "dictionary-map", parameters: { map: [["open", "new"], ["done", "finished"]], comparator: "equals" } }],
            },
          },
        ],
      },
    });
    expect(datas(await t(entities({ items: [{ status: "open" }, { status: "done" }, { status: "other" }] }), testRunContext()))).toEqual([
      { items: [{ status: "new" }, { status: "finished" }, { status: "other" }] },
    ]);
  });
  it("key accessor nodes: every child of a root", async () => {
    const t = await build({ prototype: "node", parameters: { accessor: { prototype: "key", parameters: { keys: [], root: "prices" } }, nodeTransformers: [set("currency", "EUR")] } });
    expect(datas(await t(entities({ prices: { a: { amount: 1 } } }), run))).toEqual([{ prices: { a: { amount: 1, currency: "EUR" } } }]);
  });
});

describe("conditional", () => {
  const params = {
    filters: [keyExists("id")],
    transformers: [{ prototype: "data", parameters: { transformers: [set("action", "update")] } }],
    elseCases: [{ filter: keyExists("sku"), transformer: { prototype: "data", parameters: { transformers: [set("action", "create")] } } }],
    elseTransformers: [{ prototype: "data", parameters: { filters: [keyExists("never")] } }],
  };
  it("entity level: then / else-if / else (else drops here)", async () => {
    const t = await build({ prototype: "conditional", parameters: params });
    expect(datas(await t(entities({ id: 1 }, { sku: "s" }, { x: 1 }), run))).toEqual([
      { id: 1, action: "update" },
      { sku: "s", action: "create" },
    ]);
  });
  it("entity level: branches may be configuration references; no branch = unchanged", async () => {
    const t = await build({ prototype: "conditional", parameters: { filters: [keyExists("id")], transformers: ["mark"] } });
    expect(datas(await t(entities({ id: 1 }, { x: 1 }), run))).toEqual([{ id: 1, marked: true }, { x: 1 }]);
  });
  it("data level: inside data and node", async () => {
    const t = await build({
      prototype: "data",
      parameters: {
        transformers: [
          {
            prototype: "conditional",
            parameters: { filters: [keyExists("id")], transformers: [set("action", "update")], elseCases: [{ filter: keyExists("sku"), transformer: set("action", "create") }], elseTransformers: [set("action", "none")] },
          },
        ],
      },
    });
    expect(datas(await t(entities({ id: 1 }, { sku: "s" }, {}), run))).toEqual([{ id: 1, action: "update" }, { sku: "s", action: "create" }, { action: "none" }]);
  });
  it("accepts PHP [] for elseCases and elseTransformers", async () => {
    const t = await local.build("data-transformer", { prototype: "conditional", parameters: { filters: [], transformers: [set("a", 1)], elseCases: [], elseTransformers: [] } });
    expect(await t({}, run)).toEqual({ a: 1 });
  });
});

describe("type-setter and brancher", () => {
  it("type-setter sets the type and the identifier from the entity configuration", async () => {
    const t = await build({ prototype: "type-setter", parameters: { entityType: "base-attribute" } });
    const [e] = await t([{ data: { code: "color" }, identifier: "old" }], run);
    expect(e).toEqual({ data: { code: "color" }, type: "base-attribute", identifier: "color" });
    const unknown = await build({ prototype: "type-setter", parameters: { entityType: "unconfigured" } });
    expect((await unknown([{ data: {}, identifier: "keep" }], run))[0]).toEqual({ data: {}, type: "unconfigured", identifier: "keep" });
  });
  it("docs: brancher products.* gives one entity per product", async () => {
    const t = await build({ prototype: "brancher", parameters: { pattern: "products.*", entityType: "base-attribute" } });
    const out = await t(entities({ products: [{ code: "a" }, { code: "b" }] }), run);
    expect(out).toEqual([
      { data: { code: "a" }, type: "base-attribute", identifier: "a" },
      { data: { code: "b" }, type: "base-attribute", identifier: "b" },
    ]);
  });
  // prototypes.md §5 type-setter/brancher: an entity's identifier comes from its type's identifierPath;
  // branches without an `entityType` keep the entity's type, so their identifier comes from that type
  it("brancher without entityType: branches keep the type and take their identifier from it", async () => {
    const t = await build({ prototype: "brancher", parameters: { pattern: "items.*", entityType: "" } });
    expect(await t([{ data: { items: [{ code: "a" }, { code: "b" }] }, type: "base-attribute", identifier: "whole" }], run)).toEqual([
      { data: { code: "a" }, type: "base-attribute", identifier: "a" },
      { data: { code: "b" }, type: "base-attribute", identifier: "b" },
    ]);
  });
  it("brancher requires a wildcard", async () => {
    await expect(build({ prototype: "brancher", parameters: { pattern: "products" } })).rejects.toThrow();
  });
  it("entityIdentifier flattens list paths", () => {
    expect(entityIdentifier({ products: [{ code: "a" }, { code: "b" }] }, ["products[].code"])).toBe("a,b");
    expect(entityIdentifier({}, ["code"])).toBeNull();
  });
});

describe("entity transformer prototypes' own test cases (full registry)", () => {
  for (const prototype of prototypes)
    for (const type of [prototype.type].flat())
      for (const testCase of prototype.tests)
        it(`${type}/${prototype.identifier}: ${testCase.name}`, async () => {
          const result = await runPrototypeTest(registry(), prototype, type, testCase, testRunContext());
          expect(result.error).toBeUndefined();
          expect(result.actual).toEqual(testCase.output);
        });
});
