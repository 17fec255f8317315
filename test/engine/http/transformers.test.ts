import { describe, expect, it } from "vitest";
import { build, recorded, runWith, STUB, uniquePath } from "./helpers";

const akeneoClient = (base: string) => ({
  type: "http-client",
  identifier: "akeneo-http-client",
  object: { prototype: "akeneo-http-client-v2", parameters: { key: "", baseUri: base, clientId: "cid", password: "pw", username: "u", clientSecret: "cs" } },
});

describe("http-transformer", () => {
  it("GET with a placeholder URI and payload: query string, response replaces the data", async () => {
    const path = uniquePath("transformer-get");
    const run = runWith({ configurations: [akeneoClient(`${STUB()}${path}`)] });
    const transform = await build(
      "data-transformer",
      {
        prototype: "http-transformer",
        parameters: {
          client: "akeneo-http-client",
          request: { uri: "&{endpoint}", payload: { page: "&{index}", limit: "&{limit}", with_count: "true" }, payloadType: "data", plugins: [{ prototype: "logger", parameters: { formatter: "simple" } }], authentications: [] },
        },
      },
      run,
    );
    const output = (await transform({ endpoint: "/api/rest/v1/families/shoes/variants", index: 2, limit: 100 }, run)) as { received: { path: string; query: unknown; headers: Record<string, string> } };
    expect(output.received.path).toBe(`${path}/api/rest/v1/families/shoes/variants`);
    expect(output.received.query).toEqual({ page: "2", limit: "100", with_count: "true" });
    expect(output.received.headers.authorization).toBe("Bearer stub-access-token");
  });

  it("POST '&{@}' sends the whole data as JSON", async () => {
    const path = uniquePath("transformer-post");
    const run = runWith();
    const transform = await build("data-transformer", {
      prototype: "http-transformer",
      parameters: { request: { uri: `\${STUB_URL}${path}/product-attributes/&{data.id}`, method: "PATCH", payload: "&{@}", payloadType: "data", plugins: [], authentications: [] } },
    });
    const input = { data: { id: 12, key: "color", values: [1, 2] } };
    await transform(input, run);
    const [sent] = await recorded(path);
    expect(sent.method).toBe("PATCH");
    expect(sent.path).toBe(`${path}/product-attributes/12`);
    expect(JSON.parse(sent.body)).toEqual(input);
  });

  it("fails the step on an error status, naming the status", async () => {
    const run = runWith();
    const transform = await build("data-transformer", { prototype: "http-transformer", parameters: { request: { uri: `\${STUB_URL}/status/500${uniquePath("t500")}` } } });
    await expect(transform({}, run)).rejects.toThrow(/HTTP 500/);
  });

  it("inside a merger the response lands under the template key", async () => {
    const path = uniquePath("merger");
    const run = runWith();
    const transform = await build("data-transformer", {
      prototype: "merger",
      parameters: { template: { _stores: "&{received.query}" }, transformer: { prototype: "http-transformer", parameters: { request: { uri: `\${STUB_URL}${path}?store=DE` } } } },
    });
    expect(await transform({ sku: "a" }, run)).toEqual({ sku: "a", _stores: { store: "DE" } });
  });
});

describe("graphql-transformer", () => {
  it("POSTs query and expanded variables as JSON", async () => {
    const run = runWith({ configurations: [{ type: "http-client", identifier: "shopify-client", object: { prototype: "shopify-http-client-v3", parameters: { token: "shpat_x", baseUri: `${STUB()}/http-stub`, advanced: [] } } }] });
    const query = "mutation productCreate($product: ProductCreateInput) {\n  productCreate(product: $product) { product { id } }\n}";
    const transform = await build(
      "data-transformer",
      {
        prototype: "graphql-transformer",
        parameters: { client: "shopify-client", request: { method: "post", uri: "/graphql", payload: { query, variables: { product: "&{product}", title: "Title &{product.title}" } } } },
      },
      run,
    );
    const output = await transform({ product: { title: "Chair", tags: ["a"] } }, run);
    expect(output).toEqual({ data: { echo: { query, variables: { product: { title: "Chair", tags: ["a"] }, title: "Title Chair" } } } });
  });
});
