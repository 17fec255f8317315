import { describe, expect, it } from "vitest";
import { deletePath, formatPath, getPath, hasPath, parsePath, setPath } from "../../src/engine/paths";

describe("parsePath", () => {
  it("splits on dots, keeps quoted segments literal", () => {
    expect(parsePath("a.b.c")).toEqual(["a", "b", "c"]);
    expect(parsePath('product."product.sku"')).toEqual(["product", "product.sku"]);
    expect(parsePath('values."locale:|scope:".x')).toEqual(["values", "locale:|scope:", "x"]);
    expect(parsePath("value.1")).toEqual(["value", "1"]);
    expect(parsePath("")).toEqual([]);
    expect(parsePath('"a\\"b"')).toEqual(['a"b']);
  });
  it("formatPath round-trips", () => {
    for (const p of [["a", "b"], ["product", "product.sku"], ['x"y', "0"]]) expect(parsePath(formatPath(p))).toEqual(p);
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

describe("deletePath", () => {
  it("removes a key without mutating", () => {
    const data = { product: { name: "x", price: 10 } };
    expect(deletePath(data, parsePath("product.price"))).toEqual({ product: { name: "x" } });
    expect(data.product.price).toBe(10);
  });
  it("returns the data itself when the path is absent", () => {
    const data = { a: 1 };
    expect(deletePath(data, ["b", "c"])).toBe(data);
  });
  it("PHP unset semantics on lists", () => {
    expect(deletePath([1, 2, 3], ["2"])).toEqual([1, 2]);
    expect(deletePath([1, 2, 3], ["0"])).toEqual({ "1": 2, "2": 3 });
    // reverse order keeps a list
    expect(deletePath(deletePath([1, 2], ["1"]), ["0"])).toEqual([]);
  });
});
