import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { R2StorageStore } from "../../src/domain/storages";
import { registry } from "../../src/engine";
import { ConfigurationError } from "../../src/engine/errors";
import { MemoryStorages } from "../../src/engine/memory";
import { entityStorageKey, jsonEquals, looseEquals, prototypes } from "../../src/engine/prototypes/storage";
import { runPrototypeTest } from "../../src/engine/testing";
import type { Entity, RunContext, StorageStore } from "../../src/engine/types";
import { unique } from "../helpers/api";
import { testRunContext } from "./run-context";

const stores: [string, () => StorageStore][] = [
  ["MemoryStorages", () => new MemoryStorages()],
  ["R2StorageStore", () => new R2StorageStore(env.FILES, unique("space"))],
];

const runWith = (storages: StorageStore): RunContext => ({ ...testRunContext(), storages });
const data = (spec: unknown) => registry().build("data-transformer", spec);
const list = (spec: unknown) => registry().build("list-transformer", spec);
const filter = (spec: unknown) => registry().build("filter", spec);

describe.each(stores)("storage prototypes over %s", (_name, makeStore) => {
  it("save then get: a later step of the same run sees the write", async () => {
    const run = runWith(makeStore());
    const save = await data({
      prototype: "storage-save-entity-in-storage",
      parameters: { storage: "price-fk-to-id", storageKey: "&{fk_price_product}|&{fk_currency}", source: "id_price_product_store" },
    });
    const get = await data({
      prototype: "storage-get-entity-from-storage",
      parameters: { storage: "price-fk-to-id", storageKey: "&{fk_price_product}|&{fk_currency}", destination: "found.id" },
    });
    const input = { fk_price_product: 7, fk_currency: "EUR", id_price_product_store: 99 };
    expect(await save(input, run)).toEqual(input);
    expect((await run.storages.get("price-fk-to-id", "7|EUR"))?.value).toBe(99);
    expect(await get({ fk_price_product: 7, fk_currency: "EUR" }, run)).toEqual({ fk_price_product: 7, fk_currency: "EUR", found: { id: 99 } });
    // Another key: nothing found, the destination is not set at all.
    expect(await get({ fk_price_product: 8, fk_currency: "EUR" }, run)).toEqual({ fk_price_product: 8, fk_currency: "EUR" });
  });

  it("a stored false is found and set (the export's isSuper flag, JMESPath index in the key)", async () => {
    // As exported (akeneo-family-variants-axes): save `isSuper` under `&{axes[0]}`, get it back under `&{code}`;
    // "return nothing (not null, nothing)" applies only when nothing is stored (happyhorizon /storages "Get By ID").
    const run = runWith(makeStore());
    const save = await data({ prototype: "storage-save-entity-in-storage", parameters: { source: "isSuper", storage: "axes", storageKey: "&{axes[0]}" } });
    const get = await data({ prototype: "storage-get-entity-from-storage", parameters: { storage: "axes", storageKey: "&{code}", destination: "isSuper" } });
    await save({ axes: ["color", "size"], isSuper: false }, run);
    expect(await get({ code: "color" }, run)).toEqual({ code: "color", isSuper: false });
    expect(await get({ code: "size" }, run)).toEqual({ code: "size" });
  });

  it("save without source stores the whole data; a missing source stores nothing", async () => {
    const run = runWith(makeStore());
    const whole = await data({ prototype: "storage-save-entity-in-storage", parameters: { storage: "s", storageKey: "&{code}" } });
    await whole({ code: "p1", name: "One" }, run);
    expect((await run.storages.get("s", "p1"))?.value).toEqual({ code: "p1", name: "One" });
    const partial = await data({ prototype: "storage-save-entity-in-storage", parameters: { storage: "s", storageKey: "&{code}", source: "id" } });
    await partial({ code: "p2" }, run);
    expect(await run.storages.get("s", "p2")).toBeNull();
  });

  it("storage-entity-filter as the Spryker templates use it: passes for a stored key, sees a write of the same run", async () => {
    // spryker-set-id-abstract-product: conditional(storage-entity-filter + does-not-exists) -> get the id from the
    // same storage and key; only stored keys can have an id to fetch
    const run = runWith(makeStore());
    const stored = await filter({
      prototype: "storage-entity-filter",
      parameters: {
        store: { addEntityToStorage: false },
        storage: "spryker-concrete-product-sku-to-id",
        condition: { prototype: "storage-entity-does-not-exists", parameters: [] },
        storageKey: "&{sku}",
      },
    });
    const save = await data({
      prototype: "storage-save-entity-in-storage",
      parameters: { source: "id_product", storage: "spryker-concrete-product-sku-to-id", storageKey: "&{sku}" },
    });
    expect(await stored({ sku: "A" }, run)).toBe(false);
    await save({ sku: "A", id_product: 1 }, run);
    expect(await stored({ sku: "A" }, run)).toBe(true);
    expect(await stored({ sku: "B" }, run)).toBe(false);
  });

  it("the template's conditional sets the id only for a SKU stored before", async () => {
    const run = runWith(makeStore());
    await run.storages.put("spryker-abstract-product-sku-to-id", "known", 42);
    const setId = await data({
      prototype: "conditional",
      parameters: {
        filters: [
          {
            prototype: "storage-entity-filter",
            parameters: { store: { addEntityToStorage: false }, storage: "spryker-abstract-product-sku-to-id", condition: { prototype: "storage-entity-does-not-exists", parameters: [] }, storageKey: "&{sku}" },
          },
        ],
        elseCases: [],
        transformers: [{ prototype: "storage-get-entity-from-storage", parameters: { storage: "spryker-abstract-product-sku-to-id", storageKey: "&{sku}", destination: "id_product_abstract" } }],
        elseTransformers: [],
      },
    });
    expect(await setId({ sku: "known" }, run)).toEqual({ sku: "known", id_product_abstract: 42 });
    expect(await setId({ sku: "new" }, run)).toEqual({ sku: "new" });
  });

  it("storage-entity-filter with storage-entity-exists and addEntityToStorage passes each entity once", async () => {
    const run = runWith(makeStore());
    const once = await filter({ prototype: "storage-entity-filter", parameters: { storage: "seen", storageKey: "&{id}", condition: "storage-entity-exists", store: { addEntityToStorage: true } } });
    expect(await once({ id: 1 }, run)).toBe(true);
    expect(await once({ id: 1 }, run)).toBe(false);
    expect((await run.storages.get("seen", "1"))?.value).toEqual({ id: 1 });
    const known = await filter({ prototype: "storage-entity-filter", parameters: { storage: "seen", storageKey: "&{id}" } });
    expect(await known({ id: 1 }, run)).toBe(true);
    expect(await known({ id: 2 }, run)).toBe(false);
  });

  it("storage-filter-stored-entity drops an unchanged entity on the second pass", async () => {
    const run = runWith(makeStore());
    const delta = await list({ prototype: "storage-filter-stored-entity", parameters: { storage: "akeneo-filter-attributes", addEntityToStorage: true } });
    const batch = (b: unknown): Entity[] => [
      { data: { code: "a", label: "A" }, identifier: "a", type: "base-attribute" },
      { data: { code: "b", label: b }, identifier: "b", type: "base-attribute" },
    ];
    expect((await delta(batch("B"), run)).map((e) => e.identifier)).toEqual(["a", "b"]);
    expect((await run.storages.get("akeneo-filter-attributes", "a"))?.value).toEqual({ code: "a", label: "A" });
    // Second pass: "a" unchanged (dropped), "b" changed (passes and is stored again).
    expect((await delta(batch("B2"), run)).map((e) => e.identifier)).toEqual(["b"]);
    expect((await run.storages.get("akeneo-filter-attributes", "b"))?.value).toEqual({ code: "b", label: "B2" });
    expect(await delta(batch("B2"), run)).toEqual([]);
  });

  it("storage-filter-stored-entity: key order does not matter; equals-adaptive compares loosely", async () => {
    const run = runWith(makeStore());
    const strict = await list({ prototype: "storage-filter-stored-entity", parameters: { storage: "strict" } });
    await strict([{ data: { a: 1, b: [1, 2] }, identifier: "x" }], run);
    expect(await strict([{ data: { b: [1, 2], a: 1 }, identifier: "x" }], run)).toEqual([]);
    expect(await strict([{ data: { a: "1", b: [1, 2] }, identifier: "x" }], run)).toHaveLength(1);

    const adaptive = await list({
      prototype: "storage-filter-stored-entity",
      parameters: { storage: "shopify-published-products", comparator: "equals-adaptive", addEntityToStorage: true },
    });
    await adaptive([{ data: { id: 1, price: "10.0" }, identifier: "p" }], run);
    expect(await adaptive([{ data: { id: "1", price: 10 }, identifier: "p" }], run)).toEqual([]);
  });

  it("storage-filter-stored-entity without addEntityToStorage only reads", async () => {
    const run = runWith(makeStore());
    const readOnly = await list({ prototype: "storage-filter-stored-entity", parameters: { storage: "s", addEntityToStorage: false } });
    const entities = [{ data: { a: 1 }, identifier: "k" }];
    expect(await readOnly(entities, run)).toHaveLength(1);
    expect(await readOnly(entities, run)).toHaveLength(1);
    await run.storages.put("s", "k", { a: 1 });
    expect(await readOnly(entities, run)).toEqual([]);
  });

  it("entities without an identifier are keyed by their content", async () => {
    const run = runWith(makeStore());
    const delta = await list({ prototype: "storage-filter-stored-entity", parameters: { storage: "s" } });
    const out = await delta([{ data: { c: 1 } }, { data: { c: 2 } }, { data: { c: 1 } }], run);
    expect(out.map((e) => e.data)).toEqual([{ c: 1 }, { c: 2 }]);
    const key = await entityStorageKey({ data: { c: 1 } });
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await run.storages.get("s", key))?.value).toEqual({ c: 1 });
  });
});

describe("storage prototypes: definitions", () => {
  it("pass their own documented test cases", async () => {
    const run = testRunContext();
    for (const prototype of prototypes) {
      for (const type of Array.isArray(prototype.type) ? prototype.type : [prototype.type]) {
        expect(prototype.tests.length).toBeGreaterThan(0);
        expect(prototype.documentation).toContain("[INF]");
        for (const testCase of prototype.tests) {
          const result = await runPrototypeTest(registry(), prototype, type, testCase, run);
          expect(result, `${prototype.identifier}: ${testCase.name}`).toMatchObject({ ok: true });
        }
      }
    }
  });

  it("are registered with their DI types", () => {
    expect(registry().get("data-transformer", "storage-get-entity-from-storage")).toBeDefined();
    expect(registry().get("data-transformer", "storage-save-entity-in-storage")).toBeDefined();
    expect(registry().get("list-transformer", "storage-filter-stored-entity")).toBeDefined();
    expect(registry().get("filter", "storage-entity-filter")).toBeDefined();
    expect(registry().get("storage-condition", "storage-entity-does-not-exists")).toBeDefined();
  });

  it("refuse invalid parameters with violations at their place", async () => {
    await expect(data({ prototype: "storage-get-entity-from-storage", parameters: { storageKey: "&{x}" } })).rejects.toBeInstanceOf(ConfigurationError);
    const error = await filter({
      prototype: "storage-entity-filter",
      parameters: { storage: "s", storageKey: "&{x}", condition: { prototype: "no-such-condition" } },
    }).catch((e: ConfigurationError) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).violations[0].propertyPath).toBe("parameters.condition.prototype");
  });

  it("compare like Alumio's equals / equals-adaptive", () => {
    expect(jsonEquals({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEquals([1, 2], [2, 1])).toBe(false);
    expect(looseEquals("1", 1)).toBe(true);
    expect(looseEquals("1.0", 1)).toBe(true);
    expect(looseEquals(null, "")).toBe(true);
    expect(looseEquals(null, "0")).toBe(false);
    expect(looseEquals(true, "yes")).toBe(true);
    expect(looseEquals("abc", 0)).toBe(false);
    expect(looseEquals([1, "2"], { 0: "1", 1: 2 })).toBe(true);
    expect(looseEquals([], null)).toBe(true);
    expect(looseEquals({ a: 1 }, "x")).toBe(false);
  });
});
