import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { prototypes } from "../../src/engine/prototypes/accessors";
import { runPrototypeTest } from "../../src/engine/testing";
import type { Accessor } from "../../src/engine/types";
import { testRunContext } from "./run-context";

const run = testRunContext();
const build = (prototype: string, parameters: unknown) => registry().build("accessor", { prototype, parameters });
const asObject = (pairs: { key: string; value: unknown }[]) => Object.fromEntries(pairs.map((p) => [p.key, p.value]));

/** Removes the pairs with these keys, as read from the same data. */
const removeKeys = (a: Accessor, data: unknown, keys: string[]) => a.remove(data, a.read(data, run).filter((p) => keys.includes(p.key)), run);

describe("key accessor", () => {
  it("docs: children of root", async () => {
    const a = await build("key", { root: "attributes" });
    expect(asObject(a.read({ sku: "tnt", attributes: { color: "red", "fuse-length": "12cm" } }, run))).toEqual({ color: "red", "fuse-length": "12cm" });
  });
  it("accepts PHP [] parameters and keys filter", async () => {
    const a = await build("key", []);
    expect(asObject(a.read({ a: 1, b: 2 }, run))).toEqual({ a: 1, b: 2 });
    const b = await build("key", { keys: ["b"], root: [] });
    expect(asObject(b.read({ a: 1, b: 2 }, run))).toEqual({ b: 2 });
  });
  it("quotes keys holding dots and writes them back literally", async () => {
    const a = await build("key", { keys: [] });
    const data = { "a.b": 1 };
    const pairs = a.read(data, run);
    expect(pairs[0].key).toBe('"a.b"');
    expect(a.write({}, pairs, run)).toEqual({ "a.b": 1 });
  });
  it("quotes keys as Alumio does: only keys holding a dot, quotes inside doubled", async () => {
    // mediact/data-container KeyQuoterTrait(Test): 'fo"o' -> 'fo"o', 'fo"o.bar.baz' -> '"fo""o.bar.baz"'
    const a = await build("key", { root: "m", keys: [] });
    const data = { m: { 'fo"o': 1, 'a"b.c': 2, "x\\y": 3 } };
    const pairs = a.read(data, run);
    expect(pairs.map((p) => p.key)).toEqual(['fo"o', '"a""b.c"', "x\\y"]);
    expect(a.write({}, pairs, run)).toEqual(data);
    expect(removeKeys(a, structuredClone(data), ['"a""b.c"'])).toEqual({ m: { 'fo"o': 1, "x\\y": 3 } });
  });
  it("writes and removes under root, in place", async () => {
    const a = await build("key", { root: "labels", keys: [] });
    const data = { labels: { en: "A" } };
    expect(a.write(data, [{ key: "de", value: "B" }], run)).toBe(data);
    expect(data).toEqual({ labels: { en: "A", de: "B" } });
    expect(a.write({}, [{ key: "de", value: "B" }], run)).toEqual({ labels: { de: "B" } });
    expect(removeKeys(a, data, ["en", "de"])).toEqual({ labels: {} });
    expect(a.write("scalar", [{ key: "de", value: "B" }], run)).toEqual({ labels: { de: "B" } });
  });
  it("list roots: pairs by index, removing every element keeps []", async () => {
    const a = await build("key", { root: "l" });
    const data = { l: ["x", "y", "z"] };
    expect(a.read(data, run).map((p) => p.path)).toEqual([["l", 0], ["l", 1], ["l", 2]]);
    expect(removeKeys(a, structuredClone(data), ["0", "1", "2"])).toEqual({ l: [] });
    expect(removeKeys(a, structuredClone(data), ["0"])).toEqual({ l: { "1": "y", "2": "z" } });
  });
  it("missing or scalar root has no pairs", async () => {
    const a = await build("key", { root: "nope" });
    expect(a.read({ nope: 5 }, run)).toEqual([]);
    expect(a.read({}, run)).toEqual([]);
  });
});

describe("pattern accessor", () => {
  it("docs: every file", async () => {
    const a = await build("pattern", { pattern: "media_gallery_entries.*.file", keys: [] });
    const data = { media_gallery_entries: [{ file: "foo.jpg" }, { file: "bar.png" }] };
    expect(a.read(data, run).map((p) => p.value)).toEqual(["foo.jpg", "bar.png"]);
  });
  it("write back mapped values and remove", async () => {
    const a = await build("pattern", { pattern: "products.*.sku" });
    const data = { products: [{ sku: "a" }, { sku: "b" }] };
    const pairs = a.read(data, run).map((p) => ({ key: p.key, value: String(p.value).toUpperCase() }));
    expect(a.write(data, pairs, run)).toEqual({ products: [{ sku: "A" }, { sku: "B" }] });
    expect(a.remove(data, a.read(data, run), run)).toEqual({ products: [{}, {}] });
  });
  it("no pattern: top-level keys (list-mapper on the whole entity)", async () => {
    const a = await build("pattern", { keys: [] });
    const data = { a: 1, b: 2 };
    expect(asObject(a.read(data, run))).toEqual({ a: 1, b: 2 });
    expect(a.write(removeKeys(a, data, ["b"]), [{ key: "c", value: 3 }], run)).toEqual({ a: 1, c: 3 });
  });
  it("removing every element of a list keeps a list", async () => {
    const a = await build("pattern", { pattern: "l.*" });
    const data = { l: [1, 2, 3] };
    expect(a.remove(data, a.read(data, run), run)).toEqual({ l: [] });
  });
  it("quoted segments", async () => {
    const a = await build("pattern", { pattern: 'values."locale:|scope:".*' });
    expect(asObject(a.read({ values: { "locale:|scope:": { name: "x" } } }, run))).toEqual({ "values.locale:|scope:.name": "x" });
    const b = await build("pattern", { pattern: '"a.b".*' });
    expect(asObject(b.read({ "a.b": { c: 1 } }, run))).toEqual({ '"a.b".c': 1 });
  });
});

describe("structure accessor", () => {
  it("docs: list of records as a map", async () => {
    const a = await build("structure", { root: "attributes", key: "name", value: "value" });
    expect(asObject(a.read({ attributes: [{ name: "color", value: "red" }, { name: "fuse-length", value: "12cm" }] }, run))).toEqual({
      color: "red",
      "fuse-length": "12cm",
    });
  });
  it("writes a map into records (accessor-move destination)", async () => {
    const a = await build("structure", { root: "newData", key: "index", value: "value", keys: [] });
    expect(a.write({ newData: {} }, [{ key: "0", value: "a" }, { key: "1", value: "b" }], run)).toEqual({
      newData: [{ index: "0", value: "a" }, { index: "1", value: "b" }],
    });
  });
  it("updates existing records, appends new ones, removes by key", async () => {
    const a = await build("structure", { root: "l", key: "k", value: "v" });
    const data = { l: [{ k: "a", v: 1, extra: true }] };
    expect(a.write(structuredClone(data), [{ key: "a", value: 2 }, { key: "b", value: 3 }], run)).toEqual({ l: [{ k: "a", v: 2, extra: true }, { k: "b", v: 3 }] });
    expect(removeKeys(a, structuredClone(data), ["a"])).toEqual({ l: [] });
  });
  it('value "" is the whole record', async () => {
    const a = await build("structure", { key: "combinedKey", value: '""', keys: [] });
    const data = [{ combinedKey: "locale:|scope:", x: 1 }];
    expect(asObject(a.read(data, run))).toEqual({ "locale:|scope:": { combinedKey: "locale:|scope:", x: 1 } });
    const b = await build("structure", { root: "out", key: "code", value: '""' });
    expect(b.write({}, [{ key: "a", value: { n: 1 } }], run)).toEqual({ out: [{ n: 1, code: "a" }] });
  });
});

describe("children accessor", () => {
  const children = (...accessors: unknown[]) => build("children", { accessors });
  const keyAt = (root: string, keys: string[] = []) => ({ prototype: "key", parameters: { root, keys } });
  const transform = (prototype: string, parameters: unknown) => registry().build("data-transformer", { prototype, parameters });

  it("reads the pairs of every accessor, in order; duplicate keys stay", async () => {
    const a = await children(keyAt("b"), { prototype: "pattern", parameters: { pattern: "a.*" } }, keyAt("c"));
    const pairs = a.read({ a: { x: 1 }, b: { y: 2, x: 3 }, c: { x: 4 } }, run);
    expect(pairs.map((p) => [p.key, p.value, p.path])).toEqual([
      ["y", 2, ["b", "y"]],
      ["x", 3, ["b", "x"]],
      ["a.x", 1, ["a", "x"]],
      ["x", 4, ["c", "x"]],
    ]);
  });
  it("accepts PHP's [] and an absent list: accesses nothing, writes nothing", async () => {
    for (const parameters of [[], { accessors: [] }, { accessors: null }]) {
      const a = await build("children", parameters);
      const data = { a: 1 };
      expect(a.read(data, run)).toEqual([]);
      expect(a.write(data, [{ key: "b", value: 2 }], run)).toBe(data);
      expect(data).toEqual({ a: 1 });
    }
  });
  it("writes each pair through the accessor that reads its key, new keys through the first, in place", async () => {
    const a = await children(keyAt("a"), keyAt("b"));
    const data = { a: { x: 1 }, b: { y: 2 } };
    const a0 = data.a;
    expect(a.write(data, [{ key: "y", value: 3 }, { key: "x", value: 4 }, { key: "z", value: 5 }], run)).toBe(data);
    expect(data).toEqual({ a: { x: 4, z: 5 }, b: { y: 3 } });
    expect(data.a).toBe(a0);
  });
  it("a key read by several accessors: the n-th pair written with it goes to the n-th of them", async () => {
    const a = await children(keyAt("billing"), keyAt("shipping"));
    const data = { billing: { name: "p" }, shipping: { name: "q" } };
    const mapped = a.read(data, run).map((p) => ({ key: p.key, value: String(p.value).toUpperCase() }));
    a.write(data, mapped, run);
    expect(data).toEqual({ billing: { name: "P" }, shipping: { name: "Q" } });
  });
  it("removes each pair through the accessor that read it, in place", async () => {
    const a = await children(keyAt("billing"), keyAt("shipping"));
    const data = { billing: { name: "p", city: "x" }, shipping: { name: "q", city: "y" } };
    const pairs = a.read(data, run);
    // only shipping's name: billing's pair with the same key stays
    expect(a.remove(data, [pairs[2]], run)).toBe(data);
    expect(data).toEqual({ billing: { name: "p", city: "x" }, shipping: { city: "y" } });
  });
  it("structure and pattern together: records updated, list removals keep a list", async () => {
    const a = await children({ prototype: "structure", parameters: { root: "attributes", key: "name", value: "value" } }, { prototype: "pattern", parameters: { pattern: "tags.*" } });
    const data = { attributes: [{ name: "color", value: "red" }], tags: ["x", "y"] };
    expect(asObject(a.read(data, run))).toEqual({ color: "red", "tags.0": "x", "tags.1": "y" });
    a.write(data, [{ key: "color", value: "blue" }, { key: "tags.1", value: "z" }], run);
    expect(data).toEqual({ attributes: [{ name: "color", value: "blue" }], tags: ["x", "z"] });
    expect(a.remove(data, a.read(data, run), run)).toEqual({ attributes: [], tags: [] });
  });
  it("nested children accessors route through both levels", async () => {
    const a = await children(keyAt("a"), { prototype: "children", parameters: { accessors: [keyAt("b"), keyAt("c")] } });
    const data = { a: { k: 1 }, b: { k: 2 }, c: { k: 3 } };
    a.write(data, a.read(data, run).map((p) => ({ key: p.key, value: (p.value as number) * 10 })), run);
    expect(data).toEqual({ a: { k: 10 }, b: { k: 20 }, c: { k: 30 } });
    a.remove(data, a.read(data, run).slice(2), run);
    expect(data).toEqual({ a: { k: 10 }, b: { k: 20 }, c: {} });
  });
  it("an invalid inner accessor fails the build at its place", async () => {
    await expect(children(keyAt("a"), { prototype: "nope" })).rejects.toMatchObject({ violations: [{ propertyPath: expect.stringContaining("accessors[1]") }] });
  });
  it("value-mapper through the registry: each value mapped where it was read", async () => {
    const t = await transform("value-mapper", {
      accessor: { prototype: "children", parameters: { accessors: [{ prototype: "key", parameters: { keys: ["sku"] } }, { prototype: "pattern", parameters: { pattern: "attributes.*" } }, keyAt("shipping")] } },
      mappers: [{ prototype: "string-upper" }],
    });
    const input = { sku: "tnt", name: "tnt", attributes: { color: "red" }, shipping: { name: "q" }, billing: { name: "p" } };
    const output = await t(input, run);
    expect(output).toEqual({ sku: "TNT", name: "tnt", attributes: { color: "RED" }, shipping: { name: "Q" }, billing: { name: "p" } });
    expect(input.sku).toBe("tnt");
    // the in-place form changes the data it is given
    const owned = structuredClone(input);
    expect(await t.inPlace!(owned, run)).toBe(owned);
    expect(owned).toEqual(output);
  });
  it("key-filter through the registry: removes the accessed keys of every accessor", async () => {
    const t = await transform("key-filter", {
      accessor: { prototype: "children", parameters: { accessors: [{ prototype: "key", parameters: { keys: ["tmp"] } }, keyAt("attributes", ["internal"])] } },
      conditions: [],
    });
    expect(await t({ sku: "a", tmp: 1, attributes: { internal: true, color: "red" } }, run)).toEqual({ sku: "a", attributes: { color: "red" } });
  });
  it("key-mapper through the registry: old keys removed where read, renamed (new) keys written through the first accessor", async () => {
    const t = await transform("key-mapper", {
      accessor: { prototype: "children", parameters: { accessors: [keyAt("a"), keyAt("b")] } },
      mappers: [{ prototype: "string-upper" }],
      stripEnclosures: true,
    });
    // renamed keys are new keys: they go through the first accessor
    expect(await t({ a: { x: 1 }, b: { y: 2 } }, run)).toEqual({ a: { X: 1, Y: 2 }, b: {} });
  });
});

describe("accessor prototypes' own test cases", () => {
  for (const prototype of prototypes)
    for (const testCase of prototype.tests)
      it(`${prototype.identifier}: ${testCase.name}`, async () => {
        const result = await runPrototypeTest(registry(), prototype, "accessor", testCase, run);
        expect(result.error).toBeUndefined();
        expect(result.actual).toEqual(testCase.output);
      });
});
