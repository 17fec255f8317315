import { describe, expect, it } from "vitest";
import { arrayIndex, deleteIn, formatPath, getPath, hasPath, parsePath, setIn, setPath } from "../../src/engine/paths";

describe("parsePath", () => {
  it("splits on dots, keeps quoted segments literal", () => {
    expect(parsePath("a.b.c")).toEqual(["a", "b", "c"]);
    expect(parsePath('product."product.sku"')).toEqual(["product", "product.sku"]);
    expect(parsePath('values."locale:|scope:".x')).toEqual(["values", "locale:|scope:", "x"]);
    expect(parsePath("value.1")).toEqual(["value", "1"]);
    expect(parsePath("")).toEqual([]);
  });
  it("quotes as Alumio reads them (str_getcsv): doubled inside a quoted segment, literal elsewhere", () => {
    // mediact/data-container PathParserTraitTest: '"fo""o".0."baz.a"' -> ['fo"o', 0, 'baz.a']
    expect(parsePath('"fo""o".0."baz.a"')).toEqual(['fo"o', "0", "baz.a"]);
    expect(parsePath('fo"o.bar')).toEqual(['fo"o', "bar"]);
    expect(parsePath('"a\\"b"')).toEqual(['a\\"b']);
  });
  it("formatSegment quotes keys holding a dot, doubling their quotes (KeyQuoterTrait)", () => {
    // mediact/data-container KeyQuoterTraitTest: 'fo"o' -> 'fo"o', 'fo"o.bar.baz' -> '"fo""o.bar.baz"'
    expect(["foo", "foo.bar.baz", 'fo"o', 'fo"o.bar.baz', "a\\b"].map((k) => formatPath([k]))).toEqual(["foo", '"foo.bar.baz"', 'fo"o', '"fo""o.bar.baz"', "a\\b"]);
  });
  it("formatPath round-trips", () => {
    for (const p of [["a", "b"], ["product", "product.sku"], ['x"y', "0"], ['"q', "r.s"], ['a\\".b', ""], ["", "c"]]) expect(parsePath(formatPath(p))).toEqual(p);
  });
});

describe("getPath / hasPath", () => {
  const data = { product: { "product.sku": "ABC-123", price: null }, value: [{ amount: 1 }, "two"] };
  it("reads objects and list indexes", () => {
    expect(getPath(data, parsePath('product."product.sku"'))).toBe("ABC-123");
    expect(getPath(data, parsePath("value.1"))).toBe("two");
    expect(getPath(data, parsePath("value.0.amount"))).toBe(1);
    expect(getPath(data, parsePath("value.2"))).toBeUndefined();
    expect(getPath(data, parsePath("missing.x"))).toBeUndefined();
    expect(getPath(data, [])).toBe(data);
  });
  it("a key holding null exists", () => {
    expect(hasPath(data, parsePath("product.price"))).toBe(true);
    expect(hasPath(data, parsePath("product.cost"))).toBe(false);
    expect(hasPath(data, parsePath("value.1"))).toBe(true);
    expect(hasPath(data, parsePath("value.x"))).toBe(false);
  });
});

describe("setPath", () => {
  it("creates nested objects and does not mutate", () => {
    const data = { a: 1 };
    expect(setPath(data, parsePath("path.to.target"), 5)).toEqual({ a: 1, path: { to: { target: 5 } } });
    expect(data).toEqual({ a: 1 });
  });
  it("writes list indexes, appending at the end", () => {
    expect(setPath({ l: [1, 2] }, ["l", "1"], 9)).toEqual({ l: [1, 9] });
    expect(setPath({ l: [1, 2] }, ["l", "2"], 3)).toEqual({ l: [1, 2, 3] });
    expect(setPath({}, ["names", "0"], "a")).toEqual({ names: ["a"] });
  });
  it("turns a list into an object for a string key (PHP array)", () => {
    expect(setPath({ l: ["x"] }, ["l", "k"], 1)).toEqual({ l: { "0": "x", k: 1 } });
    expect(setPath({ l: [] }, ["l", "k"], 1)).toEqual({ l: { k: 1 } });
  });
  it("an empty path replaces the data", () => {
    expect(setPath({ a: 1 }, [], 2)).toBe(2);
  });
});

describe("arrayIndex", () => {
  it("reads canonical non-negative integers only", () => {
    expect(["0", "7", "12", "999999999999999"].map(arrayIndex)).toEqual([0, 7, 12, 999999999999999]);
    expect(["", "01", "-1", "1.5", "1e3", "a", " 1", "1234567890123456"].map(arrayIndex)).toEqual(Array(8).fill(null));
    expect([3, -1, 1.5].map(arrayIndex)).toEqual([3, null, null]);
  });
});

describe("setIn / deleteIn (in place)", () => {
  it("set changes the data itself and creates containers as setPath does", () => {
    const data: Record<string, unknown> = { a: { b: 1 } };
    expect(setIn(data, parsePath("a.c.0"), 2)).toBe(data);
    expect(data).toEqual({ a: { b: 1, c: [2] } });
    for (const [start, path, expected] of [
      [{ l: [1] }, "l.1", { l: [1, 5] }],
      [{ l: [1] }, "l.3", { l: { "0": 1, "3": 5 } }],
      [{ l: [1] }, "l.x", { l: { "0": 1, x: 5 } }],
      [{ s: "scalar" }, "s.k", { s: { k: 5 } }],
    ] as const) {
      expect(setIn(structuredClone(start), parsePath(path), 5)).toEqual(setPath(start, parsePath(path), 5));
    }
    expect(setIn("scalar", ["0"], 5)).toEqual([5]);
  });
  it("set keeps a `__proto__` key as data", () => {
    const out = setIn({}, ["__proto__", "x"], 1) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1}}');
  });
  it("delete follows PHP unset: a list losing its last element stays a list, another element leaves an object", () => {
    expect(deleteIn({ a: { b: 1, c: 2 } }, parsePath("a.b"))).toEqual({ a: { c: 2 } });
    expect(deleteIn({ l: [1, 2, 3] }, parsePath("l.2"))).toEqual({ l: [1, 2] });
    expect(deleteIn({ l: [1, 2, 3] }, parsePath("l.0"))).toEqual({ l: { "1": 2, "2": 3 } });
    expect(deleteIn([1, 2, 3], ["0"])).toEqual({ "1": 2, "2": 3 });
    // reverse order keeps a list
    expect(deleteIn(deleteIn([1, 2], ["1"]), ["0"])).toEqual([]);
    const data = { a: 1 };
    expect(deleteIn(data, parsePath("missing.x"))).toBe(data);
  });
  it("delete with prune removes the objects it empties, keeps a list emptied of its own elements and the root", () => {
    expect(deleteIn({ product: { name: "x" }, k: 1 }, parsePath("product.name"), true)).toEqual({ k: 1 });
    expect(deleteIn({ a: { b: { c: 1 } } }, parsePath("a.b.c"), true)).toEqual({});
    expect(deleteIn({ p: [{ name: "x" }] }, parsePath("p.0.name"), true)).toEqual({});
    expect(deleteIn({ p: { c: [1] } }, parsePath("p.c.0"), true)).toEqual({ p: { c: [] } });
    expect(deleteIn({ a: { b: 1, c: 2 } }, parsePath("a.b"), true)).toEqual({ a: { c: 2 } });
  });
});
