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

describe("accessor prototypes' own test cases", () => {
  for (const prototype of prototypes)
    for (const testCase of prototype.tests)
      it(`${prototype.identifier}: ${testCase.name}`, async () => {
        const result = await runPrototypeTest(registry(), prototype, "accessor", testCase, run);
        expect(result.error).toBeUndefined();
        expect(result.actual).toEqual(testCase.output);
      });
});
