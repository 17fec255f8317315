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
