/**
 * The setter data transformers (src/engine/prototypes/data/setter-transformers.ts) checked against
 * what Alumio documents and what the real exports rely on. Their own test cases run with every data
 * transformer's, in data-transformers.test.ts.
 */
import { describe, expect, it } from "vitest";
import { context, transform } from "./data-transformer-fakes";

/** A data transformer that replaces the data with `value` (as an HTTP transformer does with its response). */
const replaceWith = (value: unknown) => ({ prototype: "code-transformer", parameters: { code: `return ${JSON.stringify(value)};` } });

describe("value-setter", () => {
  it("the documented example: full_name from first and last name (docs /references/placeholders)", async () => {
    const out = await transform("value-setter", { configurations: [{ key: "full_name", value: "&{first_name} &{last_name}", mappers: [] }] }, { first_name: "Jane", last_name: "Doe" });
    expect(out).toEqual({ first_name: "Jane", last_name: "Doe", full_name: "Jane Doe" });
  });

  it("a dotted key creates nested objects (docs /references/transformer/value-setter: path.to.target)", async () => {
    expect(await transform("value-setter", { configurations: [{ key: "path.to.target", value: "v", mappers: [] }] }, { path: { keep: 1 } })).toEqual({
      path: { keep: 1, to: { target: "v" } },
    });
  });

  it("a placeholder key (templates: &{currencyCode} -> &{amount})", async () => {
    expect(await transform("value-setter", { configurations: [{ key: "&{currencyCode}", value: "&{amount}", mappers: [] }] }, { currencyCode: "USD", amount: 9.5 })).toEqual({
      currencyCode: "USD",
      amount: 9.5,
      USD: 9.5,
    });
  });

  it("&{@} copies the whole data (akeneo-magento template: key product, value &{@})", async () => {
    const input = { sku: "a", variants: [{ sku: "b" }] };
    expect(await transform("value-setter", { configurations: [{ key: "product", value: "&{@}", mappers: [] }] }, input)).toEqual({ ...input, product: input });
  });
});

describe("global-variable-setter", () => {
  it("path.to.target is read as @{globals.path.to.target} (docs /references/transformer/global-variable-setter)", async () => {
    const run = context();
    expect(await transform("global-variable-setter", { key: "path.to.target", value: "&{id}" }, { id: 7 }, run)).toEqual({ id: 7 });
    expect(await transform("value-setter", { configurations: [{ key: "seen", value: "@{globals.path.to.target}", mappers: [] }] }, {}, run)).toEqual({ seen: 7 });
  });

  it("accepts the value-setter shape (configurations)", async () => {
    const run = context();
    await transform("global-variable-setter", { configurations: [{ key: "a", value: "&{x}", mappers: [] }, { key: "b", value: 2, mappers: [] }] }, { x: "y" }, run);
    expect(run.globals).toEqual({ a: "y", b: 2 });
  });
});

describe("merger", () => {
  it('template { "response": "&{@}" } stores the whole output (docs /references/placeholders)', async () => {
    const out = await transform("merger", { template: { response: "&{@}" }, transformer: replaceWith({ id: 42, ok: true }) }, { sku: "a" });
    expect(out).toEqual({ sku: "a", response: { id: 42, ok: true } });
  });

  it("keeps a list output whole (akeneo-magento template: attribute_lists = &{@})", async () => {
    const out = await transform("merger", { template: { attribute_lists: "&{@}" }, transformer: replaceWith([{ attribute_code: "color" }]) }, { attribute_set_id: 4 });
    expect(out).toEqual({ attribute_set_id: 4, attribute_lists: [{ attribute_code: "color" }] });
  });

  it("keeps data that is a list: its items stay under their indexes, as a PHP array merge does (forum /t/merger-transformer/283: 'without losing any existing entity data')", async () => {
    const out = await transform("merger", { template: { response: "&{@}" }, transformer: replaceWith({ ok: true }) }, [{ sku: "a" }, { sku: "b" }]);
    expect(out).toEqual({ "0": { sku: "a" }, "1": { sku: "b" }, response: { ok: true } });
  });

  it("an empty template keeps the data; the transformer still runs (templates: template [])", async () => {
    const run = context();
    const out = await transform("merger", { template: [], transformer: { prototype: "global-variable-setter", parameters: { key: "ran", value: true } } }, { a: 1 }, run);
    expect(out).toEqual({ a: 1 });
    expect(run.globals).toEqual({ ran: true });
  });
});

describe("recursively-copy-values-to-children", () => {
  it("copies a product identifier to its variants (forum /t/recursively-copy-values-to-children/287)", async () => {
    const input = { sku: "P", variants: [{ color: "red" }, { color: "blue" }] };
    expect(await transform("recursively-copy-values-to-children", { mergeTemplate: { parentSku: "&{sku}" }, childrenPattern: "variants.*" }, input)).toEqual({
      sku: "P",
      variants: [
        { color: "red", parentSku: "P" },
        { color: "blue", parentSku: "P" },
      ],
    });
  });

  it("the magento template: linked_products get the parent's sku", async () => {
    const input = { sku: "conf", linked_products: [{ childSku: "a" }, { childSku: "b" }] };
    expect(await transform("recursively-copy-values-to-children", { mergeTemplate: { sku: "&{sku}" }, childrenPattern: "linked_products.*" }, input)).toEqual({
      sku: "conf",
      linked_products: [
        { childSku: "a", sku: "conf" },
        { childSku: "b", sku: "conf" },
      ],
    });
  });
});

describe("exception", () => {
  it("fails with the configured message (magento template: 'Please Fix the Attribute Sets data')", async () => {
    await expect(transform("exception", { message: "Please Fix the Attribute Sets data" }, {})).rejects.toThrow("Please Fix the Attribute Sets data");
  });
});

describe("list-transformer-wrapper", () => {
  it("runs inline and referenced entity transformers in order (forum /t/how-to-use-execute-entity-transformers/993)", async () => {
    const run = context([
      { type: "list-transformer", identifier: "set-b", object: { prototype: "data", parameters: { transformers: [{ prototype: "value-setter", parameters: { configurations: [{ key: "b", value: "&{a}", mappers: [] }] } }] } } },
    ]);
    const inline = { prototype: "data", parameters: { filters: [], transformers: [{ prototype: "value-setter", parameters: { configurations: [{ key: "a", value: 1, mappers: [] }] } }] } };
    expect(await transform("list-transformer-wrapper", { transformers: [inline, "set-b"] }, {}, run)).toEqual({ a: 1, b: 1 });
  });
});

describe("operator (data transformer, registered by mappers.ts)", () => {
  it("writes left <op> right to the destination path (docs /get-started-with-the-ipaas/using-transformers/operator-transformations)", async () => {
    expect(await transform("operator", { left: "a", right: "b", operator: "addition", destination: "sum" }, { a: 2, b: 3 })).toEqual({ a: 2, b: 3, sum: 5 });
    expect(await transform("operator", { left: "a", right: "b", operator: "subtraction", destination: "t.diff" }, { a: 2, b: 3 })).toEqual({ a: 2, b: 3, t: { diff: -1 } });
  });

  it("array difference and array key diff: the docs' examples, keys kept as PHP does", async () => {
    // docs: A = {1, 2, 3}, B = {2, 4} -> A-B = {1, 3}; key diff of {1, 2, 3} and {2, 3} -> {3}
    const diff = await transform("operator", { left: "a", right: "b", operator: "array-diff", destination: "r" }, { a: [1, 2, 3], b: [2, 4] });
    expect((diff as { r: unknown }).r).toEqual({ "0": 1, "2": 3 });
    const keyDiff = await transform("operator", { left: "a", right: "b", operator: "array-diff-key", destination: "r" }, { a: [1, 2, 3], b: [2, 3] });
    expect((keyDiff as { r: unknown }).r).toEqual({ "2": 3 });
  });
});
