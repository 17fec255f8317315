import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { prototypes } from "../../src/engine/prototypes/parsers";
import { runPrototypeTest } from "../../src/engine/testing";
import type { InstanceTypes } from "../../src/engine/types";
import { testRunContext } from "./run-context";

const run = testRunContext();
const deserializer = (prototype: string, parameters: unknown = {}) => registry().build("deserializer", { prototype, parameters });
const serializer = (prototype: string, parameters: unknown = {}) => registry().build("serializer", { prototype, parameters });

describe("parsers: their own test cases", () => {
  for (const prototype of prototypes) {
    const type = prototype.type as keyof InstanceTypes;
    for (const testCase of prototype.tests) {
      it(`${type} ${prototype.identifier}: ${testCase.name}`, async () => {
        const result = await runPrototypeTest(registry(), prototype, type, testCase, run);
        expect(result.error).toBeUndefined();
        expect(result.actual).toEqual(testCase.output);
      });
    }
  }
});

describe("json deserializer", () => {
  it("is the default deserializer and serializer", async () => {
    expect(registry().defaultPrototype("deserializer")).toBe("json");
    expect(registry().defaultPrototype("serializer")).toBe("json");
    expect(await (await registry().build("deserializer", {})).deserialize("[1]", run)).toEqual([1]);
  });

  it("reads an Akeneo page", async () => {
    const body = JSON.stringify({ _links: { next: { href: "x" } }, current_page: 1, _embedded: { items: [{ code: "master" }, { code: "shoes", parent: "master" }] } });
    expect(await (await deserializer("json", { pattern: "_embedded.items", readMethod: "wholeFile" })).deserialize(body, run)).toEqual([{ code: "master" }, { code: "shoes", parent: "master" }]);
  });

  it("gives no items for a missing or null path and for an empty body", async () => {
    const d = await deserializer("json", { pattern: "data" });
    expect(await d.deserialize('{"other":1}', run)).toEqual([]);
    expect(await d.deserialize('{"data":null}', run)).toEqual([]);
    expect(await d.deserialize("", run)).toEqual([]);
  });

  it("treats an object at the path as one item, or as a list when its keys are indexes", async () => {
    const d = await deserializer("json", { pattern: "data" });
    expect(await d.deserialize('{"data":{"id":1}}', run)).toEqual([{ id: 1 }]);
    expect(await d.deserialize('{"data":{"0":{"id":1},"2":{"id":2}}}', run)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("accepts a wildcard pattern, bytes and already parsed values", async () => {
    expect(await (await deserializer("json", { pattern: "groups.*.items.*" })).deserialize('{"groups":[{"items":[1,2]},{"items":[3]}]}', run)).toEqual([1, 2, 3]);
    const d = await deserializer("json", { pattern: "items" });
    expect(await d.deserialize(new TextEncoder().encode('{"items":["é"]}'), run)).toEqual(["é"]);
    expect(await d.deserialize({ items: [1] }, run)).toEqual([1]);
  });

  it("encodeInput reads bytes as ISO-8859-1", async () => {
    const latin1 = new Uint8Array([0x5b, 0x22, 0xe9, 0x22, 0x5d]); // ["é"] in ISO-8859-1
    expect(await (await deserializer("json", { encodeInput: true })).deserialize(latin1, run)).toEqual(["é"]);
  });

  it("fails on invalid JSON and refuses unknown read methods", async () => {
    await expect(async () => (await deserializer("json")).deserialize("{nope", run)).rejects.toThrow();
    await expect(deserializer("json", { readMethod: "stream" })).rejects.toMatchObject({ violations: [{ propertyPath: "parameters.readMethod" }] });
  });
});

describe("csv", () => {
  it("handles an escape character, a BOM and CRLF", async () => {
    const d = await deserializer("csv", { delimiter: ";", enclosure: '"', escape: "\\" });
    expect(await d.deserialize('\uFEFFsku;name\r\na;"say \\"hi\\""\r\n', run)).toEqual([{ sku: "a", name: 'say "hi"' }]);
  });

  it("uses given headers", async () => {
    const d = await deserializer("csv", { hasHeader: false, headers: ["sku", "qty"] });
    expect(await d.deserialize("a,1\nb", run)).toEqual([{ sku: "a", qty: "1" }, { sku: "b", qty: null }]);
  });

  it("serializes nested values as JSON with a header from every key", async () => {
    const s = await serializer("csv", { delimiter: ";" });
    expect(s.contentType).toBe("text/csv");
    expect(await s.serialize([{ a: 1 }, { b: [1, 2] }], run)).toBe("a;b\r\n1;\r\n;[1,2]");
  });
});

describe("xml", () => {
  it("keeps attributes and text", async () => {
    const d = await deserializer("xml", { pattern: "item" });
    expect(await d.deserialize('<items><item sku="a">Shoe</item><item sku="b"><name lang="en">Boot</name></item></items>', run)).toEqual([
      { "@sku": "a", "#": "Shoe" },
      { "@sku": "b", name: { "@lang": "en", "#": "Boot" } },
    ]);
  });

  it("round-trips through the serializer", async () => {
    const s = await serializer("xml", { rootNodeName: "items" });
    const text = await s.serialize({ item: [{ "@sku": "a", name: "x" }, { "@sku": "b", name: "y" }] }, run);
    expect(await (await deserializer("xml", { pattern: "item" })).deserialize(text, run)).toEqual([{ "@sku": "a", name: "x" }, { "@sku": "b", name: "y" }]);
  });
});

describe("yaml", () => {
  it("finds the items at a pattern, with anchors, aliases and merge keys expanded", async () => {
    const body = ["defaults: &defaults", "  currency: EUR", "  vat: 21", "catalog:", "  products:", "    - <<: *defaults", "      sku: a", "    - <<: *defaults", "      sku: b", "      vat: 9", "    - *defaults", ""].join("\n");
    expect(await (await deserializer("yaml", { pattern: "catalog.products" })).deserialize(body, run)).toEqual([
      { currency: "EUR", vat: 21, sku: "a" },
      { currency: "EUR", vat: 9, sku: "b" },
      { currency: "EUR", vat: 21 },
    ]);
  });

  it("keeps YAML 1.1 look-alikes, dates and explicit tags as text", async () => {
    const d = await deserializer("yaml");
    expect(await d.deserialize("on: yes\ndate: 2024-01-05\nfile: !!binary aGk=\nempty: ~\ncode: '007'\n", run)).toEqual([
      { on: "yes", date: "2024-01-05", file: "aGk=", empty: null, code: "007" },
    ]);
  });

  it("gives no items for an empty body, a missing path, and accepts bytes and parsed values", async () => {
    const d = await deserializer("yaml", { pattern: "items" });
    expect(await d.deserialize("", run)).toEqual([]);
    expect(await d.deserialize("# nothing here\n", run)).toEqual([]);
    expect(await d.deserialize("other: 1\n", run)).toEqual([]);
    expect(await d.deserialize(new TextEncoder().encode("items: [é]"), run)).toEqual(["é"]);
    expect(await d.deserialize({ items: [1] }, run)).toEqual([1]);
  });

  it("fails clearly on invalid YAML, duplicate keys and alias bombs", async () => {
    const d = await deserializer("yaml");
    await expect(async () => d.deserialize("items: [a, b\nnext: 1\n", run)).rejects.toThrow(/^Invalid YAML: .* at line 2, column 1$/);
    await expect(async () => d.deserialize("sku: a\nsku: b\n", run)).rejects.toThrow(/^Invalid YAML: Map keys must be unique at line 2/);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...["b", "c", "d", "e"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcd"[i]}`).join(", ")}]`), ""].join("\n");
    await expect(async () => d.deserialize(bomb, run)).rejects.toThrow(/alias/i);
  });

  it("round-trips through the serializer", async () => {
    const s = await serializer("yaml");
    expect(s.contentType).toBe("application/yaml");
    const value = { items: [{ sku: "a", active: "yes", code: "0012", price: 9.5, tags: [], note: null, text: "line 1\nline 2: x" }, { sku: "b", active: true, nested: { deep: ["y", "n"] } }] };
    const text = await s.serialize(value, run);
    expect(await (await deserializer("yaml", { pattern: "items" })).deserialize(text, run)).toEqual(value.items);
  });

  it("writes shared values out in full and null for an absent payload", async () => {
    const shared = { currency: "EUR" };
    const s = await serializer("yaml");
    expect(await s.serialize({ a: shared, b: shared }, run)).toBe("a:\n  currency: EUR\nb:\n  currency: EUR\n");
    expect(await s.serialize(undefined, run)).toBe("null\n");
  });
});

describe("other serializers", () => {
  it("have content types", async () => {
    expect((await serializer("json")).contentType).toBe("application/json");
    expect((await serializer("form-urlencoded")).contentType).toBe("application/x-www-form-urlencoded");
    expect((await serializer("plain-text")).contentType).toBe("text/plain");
  });

  it("form-urlencoded round-trips", async () => {
    const value = { a: { b: ["1", "2"] }, c: "x&y" };
    const text = await (await serializer("form-urlencoded")).serialize(value, run);
    expect(await (await deserializer("form-urlencoded")).deserialize(text, run)).toEqual([value]);
  });

  it("binary accepts the string shorthand", async () => {
    const d = await registry().build("deserializer", "binary");
    expect(await d.deserialize("raw", run)).toEqual(["raw"]);
  });
});

describe("audit: Alumio behaviours", () => {
  // docs.alumio.com/configuring-webhooks: "The JSON parser ... A JMESPath expression can be entered to specify a path to the relevant items" (same for XML)
  it("json and xml accept a JMESPath expression to the items when it is not a plain path", async () => {
    expect(await (await deserializer("json", { pattern: "data.items[*]" })).deserialize('{"data":{"items":[{"id":1},{"id":2}]}}', run)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await (await deserializer("json", { pattern: "results[?active]" })).deserialize('{"results":[{"id":1,"active":true},{"id":2,"active":false}]}', run)).toEqual([{ id: 1, active: true }]);
    expect(await (await deserializer("xml", { pattern: "products.product[?sku=='b']" })).deserialize("<c><products><product><sku>a</sku></product><product><sku>b</sku></product></products></c>", run)).toEqual([{ sku: "b" }]);
    // a plain path still wins, and a missing one still gives no items
    expect(await (await deserializer("json", { pattern: "data.items" })).deserialize('{"other":[1]}', run)).toEqual([]);
  });

  // PHP's XML parsers (what Alumio runs on) refuse malformed documents and decode character references
  it("xml fails on a malformed document instead of yielding an empty item", async () => {
    await expect(async () => (await deserializer("xml", { pattern: "p" })).deserialize("<c><p>", run)).rejects.toThrow(/XML/);
    await expect(async () => (await deserializer("xml")).deserialize('{"not":"xml"}', run)).rejects.toThrow(/XML/);
    expect(await (await deserializer("xml", { pattern: "p" })).deserialize(" \n", run)).toEqual([]);
  });

  it("xml decodes numeric character references", async () => {
    expect(await (await deserializer("xml", { pattern: "p" })).deserialize('<c><p a="&#x263A;">caf&#233; &amp; co &amp;#233;</p></c>', run)).toEqual([{ "@a": "☺", "#": "café & co &#233;" }]);
  });

  // PHP exports may write booleans as "1"/"0" (as the HTTP prototypes accept, src/engine/http/util.ts looseBoolean)
  it("boolean parameters accept PHP's string and number forms", async () => {
    expect(await (await deserializer("json", { pattern: "items", readMethod: "wholeFile", encodeInput: "0" })).deserialize('{"items":[1]}', run)).toEqual([1]);
    expect(await (await deserializer("csv", { hasHeader: "0" })).deserialize("a,1", run)).toEqual([["a", "1"]]);
  });
});
