import { describe, expect, it } from "vitest";
import { fillCaptures, hasWildcard, matchPattern, type PatternMatch } from "../../src/engine/patterns";

const plain = (m: PatternMatch) => ({ path: m.path, key: m.key, value: m.value, captures: m.captures });

describe("matchPattern", () => {
  it("docs: media_gallery_entries.*.file", () => {
    const data = { media_gallery_entries: [{ file: "foo.jpg", id: 1 }, { file: "bar.png", id: 2 }] };
    const m = matchPattern(data, "media_gallery_entries.*.file");
    expect(m.map((x) => x.value)).toEqual(["foo.jpg", "bar.png"]);
    expect(m.map((x) => x.key)).toEqual(["media_gallery_entries.0.file", "media_gallery_entries.1.file"]);
    expect(m[1].path).toEqual(["media_gallery_entries", 1, "file"]);
    expect(m[1].captures).toEqual(["1"]);
  });
  it("? and [abc] globs", () => {
    expect(matchPattern({ product: { id: 1, ad: 2, abc: 3 } }, "product.?d").map((x) => x.key)).toEqual(["product.id", "product.ad"]);
    expect(matchPattern({ status: { ok: 1, ak: 2, uk: 3 } }, "status.[ao]k").map((x) => x.value)).toEqual([1, 2]);
  });
  it("quoted segments are literal", () => {
    const data = { product: { "product.sku": "ABC-123" }, values: { "locale:|scope:": { customAttributes: [1] } } };
    expect(matchPattern(data, 'product."product.sku"').map(plain)).toEqual([
      { path: ["product", "product.sku"], key: 'product."product.sku"', value: "ABC-123", captures: [] },
    ]);
    expect(matchPattern(data, 'values."locale:|scope:".customAttributes')[0].value).toEqual([1]);
    expect(matchPattern({ "a*": 1, ab: 2 }, '"a*"').map((x) => x.value)).toEqual([1]);
  });
  it("leading * and nested captures", () => {
    const data = { values: { name: { en: "N", de: "M" }, desc: { en: "D" } } };
    expect(matchPattern(data, "values.*.*").map((x) => x.captures)).toEqual([["name", "en"], ["name", "de"], ["desc", "en"]]);
    expect(matchPattern({ a: { data: 1 }, b: { data: 2 }, c: 3 }, "*.data").map((x) => [x.key, x.value])).toEqual([["a.data", 1], ["b.data", 2]]);
  });
  it("partial-segment * captures only its part", () => {
    expect(matchPattern({ attr_color: 1, attr_size: 2, other: 3 }, "attr_*").map((x) => x.captures[0])).toEqual(["color", "size"]);
  });
  it("null values match; missing paths do not; empty pattern is the root", () => {
    expect(matchPattern({ a: null }, "a")).toHaveLength(1);
    expect(matchPattern({ a: null }, "b")).toHaveLength(0);
    expect(matchPattern({ a: 1 }, "").map(plain)).toEqual([{ path: [], key: "", value: { a: 1 }, captures: [] }]);
    expect(matchPattern({ l: [5] }, "l.0")[0].path).toEqual(["l", 0]);
  });
  it("hasWildcard", () => {
    expect(hasWildcard("products.*")).toBe(true);
    expect(hasWildcard("data.products")).toBe(false);
  });
});

describe("fillCaptures", () => {
  it("replaces $n, concatenated and repeated", () => {
    expect(fillCaptures("product_names.$1", ["0"])).toBe("product_names.0");
    expect(fillCaptures("values.$2.$1", ["name", "en"])).toBe("values.en.name");
    expect(fillCaptures("values.$1$2$3", ["a", "b", "c"])).toBe("values.abc");
    expect(fillCaptures("customAttributes.$1.$1", ["x"])).toBe("customAttributes.x.x");
    expect(fillCaptures("a.$3", ["x"])).toBe("a.$3");
    expect(fillCaptures("plain", [])).toBe("plain");
  });
});
