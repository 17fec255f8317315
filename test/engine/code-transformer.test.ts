import { afterEach, describe, expect, it, vi } from "vitest";
import { registry } from "../../src/engine";
import { CodeError, compileCheck, quickJsRunner, QuickJSCodeRunner } from "../../src/engine/code/sandbox";
import { codeTransformer } from "../../src/engine/prototypes/code-transformer";
import { runPrototypeTest } from "../../src/engine/testing";
import { testRunContext } from "./run-context";

const run = (code: string, data: unknown = null, options?: { timeoutMs?: number; memoryBytes?: number }) => quickJsRunner.run(code, data, options);

async function failure(promise: Promise<unknown>): Promise<CodeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CodeError);
    return error as CodeError;
  }
  throw new Error("expected the code to fail");
}

async function transform(parameters: Record<string, unknown>, data: unknown): Promise<unknown> {
  const transformer = await registry().build("data-transformer", { prototype: "code-transformer", parameters });
  return transformer(data, testRunContext({ code: quickJsRunner }));
}

describe("QuickJS sandbox", () => {
  afterEach(() => vi.restoreAllMocks());

  it("transforms data with ES2015+ features and returns JSON", async () => {
    const code = `
      const options = new Map();
      for (const variant of data.variants) {
        for (const [code, value] of Object.entries(variant.attributes)) {
          if (!options.has(code)) options.set(code, new Set());
          options.get(code).add(value);
        }
      }
      const result = [...options].map(([code, values]) => ({ code, values: [...values].sort() }));
      return result;`;
    const data = { variants: [{ attributes: { color: "red", size: "M" } }, { attributes: { color: "blue", size: "M" } }] };
    expect(await run(code, data)).toEqual([
      { code: "color", values: ["blue", "red"] },
      { code: "size", values: ["M"] },
    ]);
  });

  it("keeps data changed in place when the code returns nothing; passes scalars and null", async () => {
    expect(await run("data.seen = true;", { id: 1 })).toEqual({ id: 1, seen: true });
    expect(await run("return data * 2;", 21)).toBe(42);
    expect(await run("return data === null;", null)).toBe(true);
    expect(await run("return 'x' + data;", "y")).toBe("xy");
  });

  it("settles a returned promise", async () => {
    expect(await run("return Promise.resolve(data).then((d) => d + 1);", 1)).toBe(2);
    expect((await failure(run("return Promise.reject(new Error('nope'));"))).message).toContain("nope");
  });

  it("stops an endless loop within about a second with a clear error", async () => {
    const started = Date.now();
    const error = await failure(run("let i = 0;\nwhile (true) { i++; }"));
    expect(Date.now() - started).toBeLessThan(2500);
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe("the code ran longer than 1000 ms and was stopped");
  });

  it("an endless loop cannot catch the interrupt", async () => {
    const error = await failure(run("for (;;) { try { while (true) {} } catch (e) {} }", null, { timeoutMs: 200 }));
    expect(error.kind).toBe("timeout");
  });

  it("stops an endless loop even when the clock does not advance (deployed Workers)", async () => {
    const frozen = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(frozen);
    const started = performance.now();
    const error = await failure(run("while (true) {}", null, { timeoutMs: 300 }));
    vi.restoreAllMocks();
    expect(error.kind).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it.each([
    ["typed arrays", "const keep = [];\nfor (;;) keep.push(new Float64Array(1e6));"],
    ["large strings", "const keep = [];\nfor (;;) keep.push('x'.repeat(1e6) + keep.length);"],
    ["small objects", "const keep = [];\nfor (;;) keep.push({ n: keep.length, s: 'v' + keep.length });"],
    ["arrays", "const keep = [];\nfor (;;) { const b = []; for (let i = 0; i < 1e5; i++) b.push(i); keep.push(b); }"],
    ["a caught out-of-memory", "const keep = [];\nfor (;;) { try { keep.push(new Float64Array(1e6)); } catch (e) {} }"],
  ])("stops a memory bomb (%s) at the memory limit and stays usable", async (_, code) => {
    const started = Date.now();
    const error = await failure(run(code));
    expect(error.kind).toBe("memory");
    expect(error.message).toContain("32 MiB");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await run("const a = new Float64Array(1e6); a[1] = data; return a[1] + 1;", 1)).toBe(2);
  });

  it("holds a smaller memory limit and frees memory between runs", async () => {
    const error = await failure(run("const keep = [];\nfor (;;) keep.push(new Float64Array(1e5));", null, { memoryBytes: 8 * 1024 * 1024 }));
    expect(error.message).toContain("8 MiB");
    // 20 runs of 16 MB each: without freeing between runs this would exceed the 32 MiB limit.
    for (let i = 0; i < 20; i++) expect(await run("const a = new Float64Array(2e6); a[0] = data; return a[0];", i)).toBe(i);
  });

  it("stops deep recursion cleanly", async () => {
    const error = await failure(run("function f(n) { return f(n + 1) + 1; }\nreturn f(0);"));
    expect(error.message).toContain("stack overflow");
    expect(await run("return 'still fine';")).toBe("still fine");
  });

  it("fails cleanly on a result or input nested too deeply", async () => {
    const deep = await failure(run("let o = {}; let c = o;\nfor (let i = 0; i < 100000; i++) { c.a = {}; c = c.a; }\nreturn o;"));
    expect(deep.message).toMatch(/stack overflow|sandbox failed/);
    let nested: unknown = 1;
    for (let i = 0; i < 2000; i++) nested = [nested];
    expect(await run("let d = 0; let c = data; while (Array.isArray(c)) { c = c[0]; d++; } return d;", nested)).toBe(2000);
    await expect(run("return 1;", { big: 10n })).rejects.toThrow(/input is not JSON/);
    expect(await run("return data;", { fine: true })).toEqual({ fine: true });
  });

  it("names the line of a syntax error", async () => {
    const error = await failure(run("const a = 1;\nconst b = ;\nreturn a;"));
    expect(error.kind).toBe("syntax");
    expect(error.message).toMatch(/^line 2: SyntaxError: /);
  });

  it("names the line of a runtime error and of a throw", async () => {
    expect((await failure(run("const a = data.x;\n\nreturn a.b.c;", {}))).message).toBe("line 3: TypeError: cannot read property 'b' of undefined");
    expect((await failure(run("\nthrow new Error('bad input');"))).message).toBe("line 2: bad input");
    expect((await failure(run("throw 'plain';"))).message).toBe('Uncaught plain');
  });

  it("has no host globals: no fetch, bindings, env or secrets", async () => {
    const result = (await run(`return {
      fetch: typeof fetch, request: typeof Request, caches: typeof caches, crypto: typeof crypto, process: typeof process,
      require: typeof require, env: typeof env, DB: typeof DB, webassembly: typeof WebAssembly, setTimeout: typeof setTimeout,
      names: Object.getOwnPropertyNames(globalThis),
    };`)) as Record<string, unknown>;
    for (const key of ["fetch", "request", "caches", "crypto", "process", "require", "env", "DB", "webassembly", "setTimeout"]) {
      expect(result[key], key).toBe("undefined");
    }
    const names = result.names as string[];
    expect(names).toContain("JSON");
    for (const host of ["fetch", "Request", "Response", "caches", "crypto", "navigator", "scheduler", "process", "Buffer", "WebAssembly"]) {
      expect(names).not.toContain(host);
    }
  });

  it("gives every run a fresh context", async () => {
    await run("globalThis.leak = 'secret'; Object.prototype.polluted = 1; return 1;");
    expect(await run("return [typeof leak, ({}).polluted === undefined];")).toEqual(["undefined", true]);
  });

  it("refuses results that are not JSON", async () => {
    expect((await failure(run("return () => 1;"))).kind).toBe("result");
  });

  it("respects a custom default timeout", async () => {
    const runner = new QuickJSCodeRunner({ timeoutMs: 100 });
    const error = await failure(runner.run("while (true) {}", null));
    expect(error.message).toContain("100 ms");
  });

  it("compileCheck reports syntax errors with their line without running the code", async () => {
    expect(await compileCheck("while (true) {}\nreturn data;")).toEqual({ ok: true });
    const bad = await compileCheck("const a = 1;\n\nreturn a +;");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^line 3: SyntaxError: /);
  });
});

describe("code-transformer prototype", () => {
  it("is registered as a data transformer", () => {
    expect(registry().get("data-transformer", "code-transformer")).toBe(codeTransformer);
  });

  it("replaces the whole data by default", async () => {
    expect(await transform({ code: "return { total: data.a + data.b };" }, { a: 1, b: 2 })).toEqual({ total: 3 });
  });

  it("reads the source placeholder and writes the result at destination", async () => {
    const data = { product: { sku: "P1", variants: [{ sku: "P1-a" }, { sku: "P1-b" }] } };
    expect(
      await transform({ code: "const result = data.map((v) => v.sku);\nreturn result;", source: "&{product.variants}", destination: "product.childSkus" }, data),
    ).toEqual({ product: { sku: "P1", variants: [{ sku: "P1-a" }, { sku: "P1-b" }], childSkus: ["P1-a", "P1-b"] } });
    expect(await transform({ code: "return Object.keys(data).length;", source: "&{@}", destination: "count" }, { a: 1, b: 2 })).toEqual({ a: 1, b: 2, count: 2 });
  });

  it("takes a plain dotted source path, and a missing source is null", async () => {
    expect(await transform({ code: "return data;", source: "items.1", destination: "second" }, { items: ["a", "b"] })).toEqual({ items: ["a", "b"], second: "b" });
    expect(await transform({ code: "return data === null;", source: "&{missing.path}", destination: "wasNull" }, {})).toEqual({ wasNull: true });
  });

  it("never changes the caller's data object", async () => {
    const data = { list: [1, 2] };
    await transform({ code: "data.list.push(3); return data;", destination: "copy" }, data);
    expect(data).toEqual({ list: [1, 2] });
  });

  it("treats a null source or destination like an empty one (PHP exports write unset optional fields as null)", async () => {
    expect(await transform({ code: "return Object.keys(data);", source: null, destination: null }, { a: 1, b: 2 })).toEqual(["a", "b"]);
  });

  it("refuses missing code with a violation at parameters.code", async () => {
    await expect(registry().build("data-transformer", { prototype: "code-transformer", parameters: { code: "" } }, { path: "object" })).rejects.toMatchObject({
      violations: [expect.objectContaining({ propertyPath: "object.parameters.code" })],
    });
  });

  it("fails the step with the line of the error", async () => {
    await expect(transform({ code: "const x = 1;\nreturn data.a.b;" }, {})).rejects.toThrow(/code-transformer failed: line 2: TypeError/);
  });

  it("passes its own documented test cases", async () => {
    for (const testCase of codeTransformer.tests) {
      const result = await runPrototypeTest(registry(), codeTransformer, "data-transformer", testCase, testRunContext({ code: quickJsRunner }));
      expect(result.ok, `${testCase.name}: ${JSON.stringify(result)}`).toBe(true);
    }
  });
});

describe("code-transformer: what a user's script can rely on", () => {
  it("runs the script of the one Alumio template that uses it (alumio-int/akeneo-magento-templates, fetch-the-configurable-attributes)", async () => {
    // verbatim logic of the template's script: variant-only attributes with their distinct values
    const code = [
      "const product = data;",
      "function getAttributeCodes(attributes) {",
      "  return new Set(attributes.map(attr => attr.attribute_code));",
      "}",
      "function getVariantOnlyAttributesWithValues(rootAttributes, variants) {",
      "  const rootCodes = getAttributeCodes(rootAttributes);",
      "  const attributeMap = new Map();",
      "  variants.forEach(variant => {",
      "    const attrs = variant.custom_attributes || [];",
      "    attrs.forEach(attr => {",
      "      const code = attr.attribute_code;",
      "      const value = attr.value;",
      "      if (!rootCodes.has(code)) {",
      "        if (!attributeMap.has(code)) {",
      "          attributeMap.set(code, new Set());",
      "        }",
      "        attributeMap.get(code).add(value);",
      "      }",
      "    });",
      "  });",
      "  return Array.from(attributeMap.entries()).map(([code, values]) => ({",
      "    attribute_code: code,",
      "    values: Array.from(values),",
      "  }));",
      "}",
      "const result = getVariantOnlyAttributesWithValues(",
      "  product.custom_attributes,",
      "  product.variants",
      ");",
      "",
      "return result;",
    ].join("\n");
    const data = {
      sku: "shirt",
      extension_attributes: { category_links: [] },
      custom_attributes: [{ attribute_code: "name", value: "Shirt" }],
      variants: [
        { custom_attributes: [{ attribute_code: "name", value: "Shirt S" }, { attribute_code: "size", value: "S" }, { attribute_code: "color", value: "red" }] },
        { custom_attributes: [{ attribute_code: "size", value: "M" }, { attribute_code: "color", value: "red" }] },
        {},
      ],
    };
    const out = await transform({ code, source: "&{@}", destination: "extension_attributes.configurable_product_options" }, data);
    expect(out).toEqual({
      ...data,
      extension_attributes: {
        category_links: [],
        configurable_product_options: [
          { attribute_code: "size", values: ["S", "M"] },
          { attribute_code: "color", values: ["red"] },
        ],
      },
    });
  });

  it("has console (doing nothing), JSON, Math, Date in UTC, RegExp, Intl-free string methods", async () => {
    const out = await run(
      `console.log('x', data); console.error(new Error('e')); console.warn(); console.info({}); console.debug(1);
      const d = new Date(Date.UTC(2024, 0, 15, 10, 30));
      return {
        iso: d.toISOString(), parsed: new Date('2024-01-15T10:30:00+02:00').toISOString(), offset: d.getTimezoneOffset(),
        json: JSON.parse(JSON.stringify(data)), max: Math.max(...data.n), match: /(\\d+)-(\\d+)/.exec('10-20').slice(1),
        pad: '7'.padStart(3, '0'), date: d, now: typeof Date.now(),
      };`,
      { n: [1, 5, 3] },
    );
    expect(out).toEqual({
      iso: "2024-01-15T10:30:00.000Z",
      parsed: "2024-01-15T08:30:00.000Z",
      offset: 0,
      json: { n: [1, 5, 3] },
      max: 5,
      match: ["10", "20"],
      pad: "007",
      date: "2024-01-15T10:30:00.000Z",
      now: "number",
    });
  });

  it("returning null writes null; reassigning data without returning keeps the data it was given", async () => {
    expect(await transform({ code: "return null;", destination: "x" }, { a: 1 })).toEqual({ a: 1, x: null });
    expect(await transform({ code: "data = { other: true };", destination: "x" }, { a: 1 })).toEqual({ a: 1, x: { a: 1 } });
  });
});
