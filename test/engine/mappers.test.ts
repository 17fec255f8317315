import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { applyOperator, formatPhpDate, numberFormat, parsePhpDate, phpInt, phpString, prototypes } from "../../src/engine/prototypes/mappers";
import { runPrototypeTest } from "../../src/engine/testing";
import { testRunContext } from "./run-context";

const run = testRunContext();
const map = async (prototype: string, parameters: unknown, value: unknown) => (await registry().build("mapper", { prototype, parameters }))(value, run);

describe("list mappers", () => {
  it("list-values re-indexes", async () => {
    expect(await map("list-values", [], { "1": "b", "3": "d" })).toEqual(["b", "d"]);
    expect(await map("list-values", [], { a: 1 })).toEqual([1]);
  });
  it("list-keys, list-reverse, list-count", async () => {
    expect(await map("list-keys", [], { a: 1, "2": 2 })).toEqual([2, "a"]);
    expect(await map("list-reverse", [], [1, 2, 3])).toEqual([3, 2, 1]);
    expect(await map("list-reverse", [], { a: 1, b: 2 })).toEqual({ b: 2, a: 1 });
    expect(await map("list-count", [], { a: 1, b: 2 })).toBe(2);
  });
  it("list-implode and list-concat", async () => {
    expect(await map("list-implode", { glue: ", " }, ["a", 1, true, null])).toBe("a, 1, 1, ");
    expect(await map("list-concat", { glue: " / " }, { "0": "Red", "1": "XL" })).toBe("Red / XL");
  });
  it("docs: list-intersect-keys keeps only entered properties", async () => {
    expect(await map("list-intersect-keys", { array: { name: true, value: true } }, { name: "a", value: 1, other: 2 })).toEqual({ name: "a", value: 1 });
    expect(await map("list-intersect-keys", { array: { "1": 1 } }, ["a", "b"])).toEqual({ "1": "b" });
  });
  it("list-extend-with overrides, with placeholders against the value", async () => {
    const params = { array: { sku: "&{code || ``}", attributes: "&{attributeSetCode || ``}", color_code: "#000000" } };
    expect(await map("list-extend-with", params, { code: "c1" })).toEqual({ code: "c1", sku: "c1", attributes: "", color_code: "#000000" });
    expect(await map("list-extend-with", { array: { product_order: 0 } }, [])).toEqual({ product_order: 0 });
  });
  it("list-fill: page list from a count", async () => {
    expect(await map("list-fill", { start: 0, length: "&{@}" }, 2)).toEqual([2, 2]);
    expect(await map("list-fill", { start: 0, length: "&{@}" }, 0)).toEqual([]);
  });
});

describe("casts and JSON", () => {
  it("docs: cast-int", async () => {
    expect(await map("cast-int", [], "10")).toBe(10);
    expect(await map("cast-int", [], "10.5")).toBe(10);
    expect(phpInt("foo")).toBe(0);
    expect(phpInt(-2.7)).toBe(-2);
    expect(phpInt(true)).toBe(1);
  });
  it("cast-float and cast-string", async () => {
    expect(await map("cast-float", [], "1e3")).toBe(1000);
    expect(await map("cast-string", [], 1.5)).toBe("1.5");
    expect(phpString(false)).toBe("");
    expect(phpString(0.1 + 0.2)).toBe("0.3");
  });
  it("serialize-json (template: Akeneo search)", async () => {
    expect(await map("serialize-json", [], { parent: [{ operator: "NOT EMPTY" }] })).toBe('{"parent":[{"operator":"NOT EMPTY"}]}');
    expect(await map("unserialize-json", [], "[1]")).toEqual([1]);
  });
});

describe("deserialize mapper", () => {
  it("plain text: the text under the configured key (forum 759)", async () => {
    expect(await map("deserialize", { deserializer: { prototype: "plain-text", parameters: { key: "auth.token" } } }, "abc123")).toEqual({ auth: { token: "abc123" } });
    expect(await map("deserialize", { deserializer: "plain-text" }, "abc123")).toBe("abc123");
  });

  it("json: one item is returned as it is, several or none as the list", async () => {
    const params = { deserializer: { prototype: "json", parameters: { pattern: "data" } } };
    expect(await map("deserialize", params, '{"data":{"id":1}}')).toEqual({ id: 1 });
    expect(await map("deserialize", params, '{"data":[{"id":1},{"id":2}]}')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await map("deserialize", params, '{"other":1}')).toEqual([]);
    expect(await map("deserialize", { deserializer: {} }, '{"a":1}')).toEqual({ a: 1 });
  });

  it("yaml and csv deserializers", async () => {
    expect(await map("deserialize", { deserializer: { prototype: "yaml", parameters: { pattern: "rows" } } }, "rows:\n  - 1\n  - 2\n")).toEqual([1, 2]);
    expect(await map("deserialize", { deserializer: "csv" }, "sku,qty\na,1\nb,2")).toEqual([{ sku: "a", qty: "1" }, { sku: "b", qty: "2" }]);
  });

  it("leaves values that are not strings alone and fails on text it cannot decode", async () => {
    expect(await map("deserialize", { deserializer: "json" }, null)).toBeNull();
    expect(await map("deserialize", { deserializer: "json" }, [1, 2])).toEqual([1, 2]);
    await expect(map("deserialize", { deserializer: "json" }, "{nope")).rejects.toThrow();
    await expect(map("deserialize", { deserializer: "yaml" }, "a: [1")).rejects.toThrow(/Invalid YAML/);
  });

  it("points violations at the nested deserializer", async () => {
    await expect(map("deserialize", {}, "x")).rejects.toMatchObject({ violations: [{ propertyPath: "parameters.deserializer" }] });
    await expect(map("deserialize", { deserializer: { prototype: "nope" } }, "x")).rejects.toMatchObject({ violations: [{ propertyPath: "parameters.deserializer.prototype" }] });
    await expect(map("deserialize", { deserializer: { prototype: "json", parameters: { readMethod: "stream" } } }, "x")).rejects.toMatchObject({
      violations: [{ propertyPath: "parameters.deserializer.parameters.readMethod" }],
    });
  });
});

describe("dictionary and standard maps", () => {
  it("dictionary-map: first match, unchanged otherwise", async () => {
    const params = { comparator: "equals", map: [["parent", "parentCode"], ["enabled", "statusCode"], ["family", "attributeSetCode"]] };
    expect(await map("dictionary-map", params, "enabled")).toBe("statusCode");
    expect(await map("dictionary-map", params, "code")).toBe("code");
    expect(await map("dictionary-map", { map: [["1", "one"]] }, 1)).toBe(1);
    expect(await map("dictionary-map", { map: { a: "b" } }, "a")).toBe("b");
  });
  it("docs: standard high -> 20", async () => {
    expect(await map("standard", { from: "high", to: 20 }, "high")).toBe(20);
  });
  it("docs: chain mapper with transformers runs them on the value (docs.alumio.com/developers/transformers/mappers)", async () => {
    const params = {
      transformers: [
        {
          prototype: "value-mapper",
          parameters: {
            mappers: [{ prototype: "string-prepend", parameters: { prepend: "EXPLOSIVE-" } }, { prototype: "string-upper" }],
            accessor: { prototype: "key", parameters: { keys: ["sku"] } },
          },
        },
      ],
    };
    expect(await map("chain", params, { sku: "tnt" })).toEqual({ sku: "EXPLOSIVE-TNT" });
    // mappers listed under `transformers` keep working
    expect(await map("chain", { transformers: [{ prototype: "string-upper" }] }, "tnt")).toBe("TNT");
  });
  it("docs: conditional mapper casts only numeric values (docs.alumio.com/developers/transformers/mappers)", async () => {
    const params = {
      filters: [{ prototype: "value-condition", parameters: { accessor: { prototype: "key", parameters: { keys: ["number"] } }, conditions: [{ prototype: "type-numeric" }] } }],
      transformers: [{ prototype: "value-mapper", parameters: { accessor: { prototype: "key", parameters: { keys: ["number"] } }, mappers: [{ prototype: "cast-int" }] } }],
    };
    expect(await map("conditional", params, { number: "10" })).toEqual({ number: 10 });
    expect(await map("conditional", params, { number: "10.5" })).toEqual({ number: 10 });
    expect(await map("conditional", params, { number: "foo" })).toEqual({ number: "foo" });
  });
  it("docs: chain prepend then upper", async () => {
    expect(await map("chain", { mappers: [{ prototype: "string-prepend", parameters: { prepend: "EXPLOSIVE-" } }, { prototype: "string-upper" }] }, "tnt")).toBe("EXPLOSIVE-TNT");
  });
});

describe("operators", () => {
  it("template: total / limit then cast-int", async () => {
    const pages = await map("operator", { operator: "division" }, [25, 10]);
    expect(pages).toBe(2.5);
    expect(await map("cast-int", [], pages)).toBe(2);
  });
  it("template: amount * 100, format-number, cast-int", async () => {
    const cents = await map("operator", { operator: "multiplication" }, ["19.99", 100]);
    const text = await map("format-number", { decimals: 0, decimalPoint: "," }, cents);
    expect(text).toBe("1999");
    expect(await map("cast-int", [], text)).toBe(1999);
  });
  it("template: prepared-operator +2", async () => {
    expect(await map("prepared-operator", { left: null, operator: "addition", right: [2] }, "3")).toBe(5);
  });
  it("array operators follow PHP", () => {
    expect(applyOperator("array-merge", [[1, 2], [3]])).toEqual([1, 2, 3]);
    expect(applyOperator("array-merge", [{ a: 1, "5": "x" }, { a: 2, b: 3 }, ["y"]])).toEqual({ a: 2, "0": "x", b: 3, "1": "y" });
    expect(applyOperator("array-union", [{ a: 1 }, { a: 2, b: 3 }])).toEqual({ a: 1, b: 3 });
    expect(applyOperator("array-diff", [["a", "b", "c"], ["b"]])).toEqual({ "0": "a", "2": "c" });
    expect(applyOperator("array-intersect-key", [{ a: 1, b: 2 }, { b: 0 }])).toEqual({ b: 2 });
    expect(applyOperator("subtraction", [10, 3, 2])).toBe(5);
    expect(applyOperator("concatenation", ["a", 1, true])).toBe("a11");
    expect(() => applyOperator("division", [1, 0])).toThrow(/zero/);
  });
  it("docs: operator codes and examples (docs.alumio.com/developers/transformers/operators)", async () => {
    expect(await map("operator", { operator: "addition" }, [10, 15, 2])).toBe(27);
    expect(await map("operator", { operator: "subtraction" }, [10, 2, 4])).toBe(4);
    expect(await map("operator", { operator: "multiplication" }, [3, 4, 10])).toBe(120);
    expect(await map("operator", { operator: "division" }, [120, 10, 4])).toBe(3);
    expect(await map("operator", { operator: "max" }, [12, 7, 14])).toBe(14);
    expect(await map("operator", { operator: "min" }, [12, 7, 14])).toBe(7);
    expect(await map("operator", { operator: "mod" }, [11, 2])).toBe(1);
    expect(await map("operator", { operator: "pow" }, [2, 3])).toBe(8);
    expect(await map("operator", { operator: "concat" }, ["foo", "bar"])).toBe("foobar");
    expect(await map("operator", { operator: "logical-and" }, [true, true])).toBe(true);
    expect(await map("operator", { operator: "logical-and" }, [true, false])).toBe(false);
    expect(await map("operator", { operator: "logical-or" }, [false, true])).toBe(true);
  });
  it("docs: price times tax rate after list-values", async () => {
    const incl = await map("chain", { mappers: [{ prototype: "list-values" }, { prototype: "operator", parameters: { operator: "multiplication" } }] }, { price: 65.5, tax_rate: 1.1 });
    expect(incl).toBeCloseTo(72.05, 10);
  });
  it("unknown operators fail at build time", async () => {
    await expect(registry().build("mapper", { prototype: "operator", parameters: { operator: "frobnicate" } })).rejects.toThrow(/Unknown operator/);
  });
  it("operator as a data transformer (template: merge children into product)", async () => {
    const t = await registry().build("data-transformer", { prototype: "operator", parameters: { left: "product", right: "children", operator: "array-merge" } });
    expect(await t({ product: [{ sku: "p" }], children: [{ sku: "c" }] }, run)).toEqual({ product: [{ sku: "p" }, { sku: "c" }], children: [{ sku: "c" }] });
  });
});

describe("string mappers", () => {
  it("docs: string-upper / string-prepend", async () => {
    expect(await map("string-upper", [], "tnt")).toBe("TNT");
    expect(await map("string-prepend", { prepend: "EXPLOSIVE-" }, "tnt")).toBe("EXPLOSIVE-tnt");
  });
  it("template: string-replace strips a prefix, replace defaults to empty", async () => {
    expect(await map("string-replace", { search: "pim_catalog_" }, "pim_catalog_metric")).toBe("metric");
    expect(await map("string-replace", { search: "gid://shopify/Product/" }, "gid://shopify/Product/123")).toBe("123");
    expect(await map("string-replace", { search: ["a", "b"], replace: ["1", "2"] }, ["ab", "ba"])).toEqual(["12", "21"]);
  });
  it("string-replace on an object replaces its values (PHP str_replace takes any array), nested arrays stay", async () => {
    expect(await map("string-replace", { search: "a", replace: "b" }, { x: "aa", y: 1 })).toEqual({ x: "bb", y: "1" });
    expect(await map("string-replace", { search: "a", replace: "b" }, ["a", ["a"], { k: "a" }])).toEqual(["b", ["a"], { k: "a" }]);
  });
  it("append, lower, upper-first, slugify, cut", async () => {
    expect(await map("string-append", { append: "-1" }, "sku")).toBe("sku-1");
    expect(await map("string-lower", [], "ABC")).toBe("abc");
    expect(await map("string-upper-first", [], "abc")).toBe("Abc");
    expect(await map("string-slugify", [], "Crème Brûlée 2 go!")).toBe("creme-brulee-2-go");
    expect(await map("string-cut", { start: 0, length: 64 }, "x".repeat(70))).toBe("x".repeat(64));
    expect(await map("string-cut", { start: 1, length: -1 }, "abcd")).toBe("bc");
    expect(await map("string-cut", { start: 0, length: 2 }, "héllo")).toBe("hé");
  });
  it("template: string-hash md5 (node:crypto in workerd)", async () => {
    expect(await map("string-hash", { algo: "md5" }, "")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(await map("string-hash", { algo: "sha256" }, "abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("formats", () => {
  it("number_format", () => {
    expect(numberFormat(1234.5, 2, ".", ",")).toBe("1,234.50");
    expect(numberFormat(1.005, 2, ".", "")).toBe("1.01");
    expect(numberFormat(-0.4, 0, ".", "")).toBe("0");
    expect(numberFormat(-1.5, 0, ".", "")).toBe("-2");
  });
  it("PHP date formats", () => {
    const d = new Date(Date.UTC(2024, 0, 5, 13, 4, 9));
    expect(formatPhpDate(d, "Y-m-d H:i:s")).toBe("2024-01-05 13:04:09");
    expect(formatPhpDate(d, "D, d M Y g:i A \\a\\t jS")).toBe("Fri, 05 Jan 2024 1:04 PM at 5th");
    expect(formatPhpDate(d, "c")).toBe("2024-01-05T13:04:09+00:00");
    expect(formatPhpDate(d, "U")).toBe(String(d.getTime() / 1000));
    expect(parsePhpDate("05/01/2024 13:04", "d/m/Y H:i")?.toISOString()).toBe("2024-01-05T13:04:00.000Z");
  });
  it("format-date: a blank value is now, relative inputs move from now (support.alumio.com 80001051592, forum /t/380)", async () => {
    const today = formatPhpDate(new Date(), "Y-m-d");
    expect(await map("format-date", { toFormat: "Y-m-d" }, "")).toBe(today);
    expect(await map("format-date", { toFormat: "Y-m-d" }, "now")).toBe(today);
    const day = (n: number) => formatPhpDate(new Date(Date.now() + n * 86400000), "Y-m-d");
    expect(await map("format-date", { toFormat: "Y-m-d" }, "-3 days")).toBe(day(-3));
    expect(await map("format-date", { toFormat: "Y-m-d" }, "+1 week")).toBe(day(7));
    expect(await map("format-date", { toFormat: "Y-m-d" }, "tomorrow")).toBe(day(1));
    expect(await map("format-date", { toFormat: "Y-m-d H:i" }, "2024-01-31 10:00 +1 day")).toBe("2024-02-01 10:00");
    expect(await map("format-date", { toFormat: "Y-m-d" }, "2024-01-05 +3 days")).toBe("2024-01-08");
    expect(await map("format-date", { toFormat: "Y-m-d" }, "2024-01-31 +1 month")).toBe("2024-03-02"); // PHP overflows the month
    expect(await map("format-date", { toFormat: "Y-m-d H:i" }, "2024-01-05 10:00 2 hours ago")).toBe("2024-01-05 08:00");
    expect(await map("format-date", { toFormat: "Y-m-d" }, "see you tomorrow")).toBe("see you tomorrow");
  });
  it("format-date: docs example 021822 with input format mdy gives 18-02-2022", async () => {
    expect(await map("format-date", { fromFormat: "mdy", toFormat: "d-m-Y" }, "021822")).toBe("18-02-2022");
  });
  it("format-date mapper", async () => {
    expect(await map("format-date", { toFormat: "Y-m-d" }, "2024-01-05 13:04:09")).toBe("2024-01-05");
    expect(await map("format-date", { toFormat: "Y-m-d H:i:s" }, 0)).toBe("1970-01-01 00:00:00");
    expect(await map("format-date", { toFormat: "Y-m-d" }, "not a date")).toBe("not a date");
  });
});

describe("mapper prototypes' own test cases", () => {
  for (const prototype of prototypes)
    for (const type of [prototype.type].flat())
      for (const testCase of prototype.tests)
        it(`${type}/${prototype.identifier}: ${testCase.name}`, async () => {
          const result = await runPrototypeTest(registry(), prototype, type, testCase, run);
          expect(result.error).toBeUndefined();
          expect(result.actual).toEqual(testCase.output);
        });
});
