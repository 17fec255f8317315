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
  it("? and [abc] are captures too, numbered with * from left to right", () => {
    // Alumio's mediact/data-container README: expand('categories.?a?', 'cat.$1a$2') -> 'cat.bar';
    // ReplaceByPatternTraitTest: ('foo.ba?', 'qux.$1') -> 'qux.r', ('foo.ba[!ad]', 'qux.$1') -> 'qux.r'
    expect(matchPattern({ categories: { bar: 1 } }, "categories.?a?")[0].captures).toEqual(["b", "r"]);
    expect(matchPattern({ foo: { bar: 1 } }, "foo.ba[!ad]")[0].captures).toEqual(["r"]);
    expect(matchPattern({ x: { status: { ok: 1 } } }, "*.status.[ao]?")[0].captures).toEqual(["x", "o", "k"]);
  });
  it("quoted segments read as Alumio parses paths: quotes doubled inside, literal mid-segment", () => {
    // mediact/data-container PathParserTraitTest: '"fo""o".*."baz.a"' -> ['fo"o', '*', 'baz.a']
    const data = { 'fo"o': { x: { "baz.a": 1, baz: 2 } } };
    expect(matchPattern(data, '"fo""o".*."baz.a"').map(plain)).toEqual([{ path: ['fo"o', "x", "baz.a"], key: 'fo"o.x."baz.a"', value: 1, captures: ["x"] }]);
    expect(matchPattern({ 'a"b': 1 }, 'a"b').map((x) => x.value)).toEqual([1]);
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
  it("a class with an empty range matches nothing rather than failing (fnmatch)", () => {
    expect(matchPattern({ a: 1, z: 2 }, "[z-a]")).toEqual([]);
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
  it("as Alumio: $0 is the whole matched path, $12 is one reference (left as written without 12 captures)", () => {
    // mediact/data-container ReplaceByPatternTrait: preg_replace_callback('/\$(\d+)/'), $matches[0] = the match
    expect(fillCaptures("qux.$0", ["bar"], "foo.bar")).toBe("qux.foo.bar");
    expect(fillCaptures("$0", ["bar"], "foo.bar")).toBe("foo.bar");
    expect(fillCaptures("a.$12", ["x"])).toBe("a.$12");
    expect(fillCaptures("a.$01", ["x"])).toBe("a.$01");
    const twelve = Array.from({ length: 12 }, (_, i) => `c${i + 1}`);
    expect(fillCaptures("a.$12.$1", twelve)).toBe("a.c12.c1");
  });
});
