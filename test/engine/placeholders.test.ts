import { describe, expect, it } from "vitest";
import { evaluate, expand, expandCopy, expandKey, hasPlaceholders } from "../../src/engine/placeholders";
import { testRunContext } from "./run-context";

const run = testRunContext({ variables: { AKENEO_BASE_URL: "https://pim.test", MAGENTO_STORE: "default", A: "x", B: "y" } });

describe("evaluate (JMESPath, Alumio dialect)", () => {
  const data = {
    code: "c1",
    variant: { parentCode: "p1" },
    attributeCode: ["a0", "a1"],
    products: [{ sku: "s0" }, { sku: "s1" }],
    localizations: [
      { localeCode: "nl_NL", translation: "Hallo" },
      { localeCode: "en_US", translation: "Hello" },
    ],
    items_count: 0,
    "@magentoConfig": { stock_item: 3 },
    "0": "zero",
    name: "n",
    variantResultTitle: "n",
  };
  it("paths, indexes, quoted identifiers, @", () => {
    expect(evaluate("variant.parentCode", data)).toBe("p1");
    expect(evaluate("attributeCode[0]", data)).toBe("a0");
    expect(evaluate("products[-1].sku", data)).toBe("s1");
    expect(evaluate('"@magentoConfig".stock_item', data)).toBe(3);
    expect(evaluate('"0"', data)).toBe("zero");
    expect(evaluate("@", data)).toBe(data);
  });
  it("dot-numeric paths", () => {
    expect(evaluate("products.0.sku", data)).toBe("s0");
    expect(evaluate("products.1", data)).toEqual({ sku: "s1" });
  });
  it("defaults with back-tick literals, raw strings when not JSON", () => {
    expect(evaluate("_embedded.items || `[]`", data)).toEqual([]);
    expect(evaluate("items_count || `5`", data)).toBe(0);
    expect(evaluate("missing || ``", data)).toBe("");
    expect(evaluate("_config.approval_status || `approved`", data)).toBe("approved");
    expect(evaluate("statusCode || `false`", data)).toBe(false);
    expect(evaluate("missing.path", data)).toBeNull();
  });
  it("filters, pipes, functions, comparisons", () => {
    expect(evaluate("localizations[?localeCode=='en_US'].translation | [0]", data)).toBe("Hello");
    expect(evaluate("length(products)", data)).toBe(2);
    expect(evaluate("name == variantResultTitle", data)).toBe(true);
    expect(evaluate("products[*].sku", data)).toEqual(["s0", "s1"]);
  });
  it("sort() orders numbers as numbers", () => {
    // forum.alumio.com/t/use-jmespath-to-simplify-your-transformations/189: sort of [10,6,8,12] -> [6,8,10,12]
    expect(evaluate("sort(unsorted_list)", { unsorted_list: [10, 6, 8, 12] })).toEqual([6, 8, 10, 12]);
    expect(evaluate("sort(l)[-1]", { l: [9, 10] })).toBe(10);
    expect(evaluate("join(',', sort(keys(@)))", { b: 1, a: 2 })).toBe("a,b");
    expect(evaluate("sort(['b', 'a'])", {})).toEqual(["a", "b"]);
    expect(evaluate("\"sort\"", { sort: 1 })).toBe(1);
  });
  it("PHP arrays: a list and an object keyed 0..n-1 read alike in plain paths", () => {
    // forum.alumio.com/t/how-to-use-alumio-syntax-variable-2/242: numeric keys {"0":"foo","1":"bar"} read as &{"0"};
    // PHP's json_decode gives a list for both, so the escaped key reads a list element too.
    expect(evaluate('"0"', ["foo", "bar"])).toBe("foo");
    expect(evaluate('items."1".sku', { items: [{ sku: "a" }, { sku: "b" }] })).toBe("b");
    expect(evaluate("labels.1", { labels: { "1": "x", "5": "y" } })).toBe("x");
    expect(evaluate("labels[0]", { labels: { "0": "x" } })).toBe("x");
    expect(evaluate("labels.2", { labels: { "1": "x" } })).toBeNull();
  });
  it("invalid expressions throw", () => {
    expect(() => evaluate("a[", data)).toThrow();
  });
});

describe("expand", () => {
  const data = { first_name: "Jane", last_name: "Doe", code: "c1", n: 3, ok: true, obj: { a: 1 }, list: [1, 2], nothing: null };
  it("docs: value-setter full name", async () => {
    expect(await expand("&{first_name} &{last_name}", data, run)).toBe("Jane Doe");
  });
  it("a lone placeholder keeps the type", async () => {
    expect(await expand("&{obj}", data, run)).toEqual({ a: 1 });
    expect(await expand("&{n}", data, run)).toBe(3);
    expect(await expand("&{ok}", data, run)).toBe(true);
    expect(await expand("&{@}", data, run)).toEqual(data);
    expect(await expand("&{missing}", data, run)).toBeNull();
  });
  it("embedded placeholders stringify", async () => {
    expect(await expand("/api/rest/v1/attributes/&{code}", data, run)).toBe("/api/rest/v1/attributes/c1");
    expect(await expand("&{n}|&{ok}|&{obj}|&{list}|&{nothing}|&{missing}", data, run)).toBe('3|true|{"a":1}|[1,2]||');
  });
  it("fractions embedded in strings read as PHP writes a float", async () => {
    // PHP: (string)(0.1 + 0.2) === "0.3" (precision 14), (string)0.00001 === "1.0E-5"
    expect(await expand("total: &{x}", { x: 0.1 + 0.2 }, run)).toBe("total: 0.3");
    expect(await expand("&{a} &{b} &{c} &{d}", { a: 1.5, b: -12.25, c: 0.00001, d: 1e21 }, run)).toBe("1.5 -12.25 1.0E-5 1.0E+21");
    expect(await expand("&{a}|&{b}", { a: 10, b: 1234567890123 }, run)).toBe("10|1234567890123");
    // a lone placeholder keeps the number itself
    expect(await expand("&{x}", { x: 0.1 + 0.2 }, run)).toBe(0.1 + 0.2);
  });
  it("?{} gives null when missing or failing; renders empty inside strings", async () => {
    expect(await expand("?{locale}", data, run)).toBeNull();
    expect(await expand("locale:?{locale}|scope:?{scope}", data, run)).toBe("locale:|scope:");
    expect(await expand("?{a[}", data, run)).toBeNull();
    expect(() => expand("&{a[}", data, run)).toThrow(/Placeholder/);
  });
  it("${NAME} environment variables, unknown left as written", async () => {
    expect(await expand("${AKENEO_BASE_URL}", data, run)).toBe("https://pim.test");
    expect(await expand("/rest/${MAGENTO_STORE}/V1/products/attributes/&{code}", data, run)).toBe("/rest/default/V1/products/attributes/c1");
    expect(await expand("${A}${B}", data, run)).toBe("xy");
    expect(await expand("${NOPE}", data, run)).toBe("${NOPE}");
    expect(await expand("searchCriteria={}", data, run)).toBe("searchCriteria={}");
  });
  it("@{globals.x} and @{scope.x}", async () => {
    const r = { ...run, globals: { token: { value: "t" } }, scope: { task: "T1" } };
    expect(await expand("@{globals.token.value}", data, r)).toBe("t");
    expect(await expand("task=@{scope.task}", data, r)).toBe("task=T1");
    expect(await expand("@{globals.none}", data, r)).toBeNull();
  });
  it("expandCopy renders the same value, sharing nothing with the data or the configuration", async () => {
    const template = { list: "&{list}", fixed: { a: [1] }, text: "n=&{n}" };
    const source = { list: [{ x: 1 }], n: 2 };
    const copied = (await expandCopy(template, source, run)) as { list: unknown[]; fixed: { a: number[] } };
    expect(copied).toEqual(await expand(template, source, run));
    expect(copied.list).not.toBe(source.list);
    expect(copied.list[0]).not.toBe(source.list[0]);
    expect(copied.fixed).not.toBe(template.fixed);
    const whole = { a: [1] };
    expect(await expandCopy(whole, source, run)).not.toBe(whole);
  });
  it("recurses into objects and lists, keys included", async () => {
    const template = { response: "&{@}", payload: { page: "&{n}", with_count: "true", items: ["&{code}", 1, null] }, "&{code}": "k" };
    expect(await expand(template, { code: "c", n: 2 }, run)).toEqual({
      response: { code: "c", n: 2 },
      payload: { page: 2, with_count: "true", items: ["c", 1, null] },
      c: "k",
    });
  });
  it("braces and quotes inside expressions", async () => {
    expect(await expand("&{x || `{}`}", {}, run)).toEqual({});
    expect(await expand("&{ {a: code} }", { code: 1 }, run)).toEqual({ a: 1 });
    expect(await expand("&{localizations[?localeCode=='en}'].t | [0]}", { localizations: [{ localeCode: "en}", t: 1 }] }, run)).toBe(1);
  });
  it("non-strings pass through", async () => {
    expect(await expand(5, data, run)).toBe(5);
    expect(await expand(null, data, run)).toBeNull();
    expect(await expand("plain", data, run)).toBe("plain");
  });
});

describe("expandKey / hasPlaceholders", () => {
  it("expands keys to strings", async () => {
    expect(await expandKey("variants.&{variant.code}", { variant: { code: "v1" } }, run)).toBe("variants.v1");
    expect(await expandKey("&{n}", { n: 4 }, run)).toBe("4");
    expect(await expandKey("plain.key", {}, run)).toBe("plain.key");
  });
  it("hasPlaceholders", () => {
    expect(hasPlaceholders("&{a}")).toBe(true);
    expect(hasPlaceholders("a{b}")).toBe(false);
  });
});
