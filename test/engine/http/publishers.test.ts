import { describe, expect, it } from "vitest";
import { build, runWith } from "./helpers";

/** A run whose requests are recorded and answered with `status` and `body` (no network). */
function answering(status = 200, body = "{}") {
  const sent: { method: string; url: string; headers: Headers; body: string }[] = [];
  const run: ReturnType<typeof runWith> = {
    ...runWith(),
    fetch: async (input, init = {}) => {
      sent.push({ method: init.method ?? "GET", url: String(input), headers: new Headers(init.headers), body: init.body ? await new Response(init.body).text() : "" });
      return new Response(body, { status, headers: { "content-type": "application/json" } });
    },
  };
  return { run, sent };
}

describe("http-publisher", () => {
  it("sends the whole entity (&{@}) by POST when the request names neither payload nor method", async () => {
    // prototypes.md §9: payload default "&{@}" = whole entity; docs.alumio.com/simple-connector-set-up sets only the request URI.
    const { run, sent } = answering();
    const publisher = await build("publisher", { prototype: "http-publisher", parameters: { request: { uri: "https://api.test/anything" } } });
    await publisher.publish({ data: { title: "Wake up", type: "all" } }, run);
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe("POST");
    expect(sent[0].url).toBe("https://api.test/anything");
    expect(sent[0].headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(sent[0].body)).toEqual({ title: "Wake up", type: "all" });
  });

  it("an entity whose data is a list is sent as one JSON list, in one request", async () => {
    const { run, sent } = answering();
    const publisher = await build("publisher", { prototype: "http-publisher", parameters: { request: { uri: "https://api.test/bulk", method: "put", payload: "&{@}" } } });
    await publisher.publish({ data: [{ sku: "a" }, { sku: "b" }] }, run);
    expect(sent.map((s) => [s.method, s.url])).toEqual([["PUT", "https://api.test/bulk"]]);
    expect(JSON.parse(sent[0].body)).toEqual([{ sku: "a" }, { sku: "b" }]);
  });

  it("builds the URI and an object payload with placeholders against the entity", async () => {
    const { run, sent } = answering();
    const publisher = await build("publisher", {
      prototype: "http-publisher",
      parameters: { client: { parameters: {} }, request: { uri: "https://api.test/orders/&{id}", method: "PATCH", payload: { status: "&{state}", lines: "&{lines}" } } },
    });
    await publisher.publish({ data: { id: 7, state: "shipped", lines: [1, 2] } }, run);
    expect(sent[0].method).toBe("PATCH");
    expect(sent[0].url).toBe("https://api.test/orders/7");
    expect(JSON.parse(sent[0].body)).toEqual({ status: "shipped", lines: [1, 2] });
  });

  it("a GET publisher puts the payload in the query string", async () => {
    // forum.alumio.com/t/outgoing-in-alumio/175: an array payload is URL-encoded and added to the query for GET.
    const { run, sent } = answering();
    const publisher = await build("publisher", { prototype: "http-publisher", parameters: { request: { uri: "https://api.test/notify", method: "get", payload: { q: "a b" } } } });
    await publisher.publish({ data: {} }, run);
    expect(sent[0].method).toBe("GET");
    expect(sent[0].url).toBe("https://api.test/notify?q=a+b");
    expect(sent[0].body).toBe("");
  });

  it("an error status fails the publish (the task fails), naming status and URL", async () => {
    // happyhorizon /tasks: the publisher's result decides finished / failed.
    const { run } = answering(422, '{"message":"sku is required"}');
    const publisher = await build("publisher", { prototype: "http-publisher", parameters: { request: { uri: "https://api.test/products" } } });
    await expect(publisher.publish({ data: { name: "x" } }, run)).rejects.toThrow(/POST https:\/\/api\.test\/products answered HTTP 422: .*sku is required/);
  });

  it("with the client's error handling off, an error status is not a failure", async () => {
    const { run, sent } = answering(500, "{}");
    const publisher = await build("publisher", {
      prototype: "http-publisher",
      parameters: { client: { parameters: { enableErrorHandling: false } }, request: { uri: "https://api.test/products" } },
    });
    await expect(publisher.publish({ data: { name: "x" } }, run)).resolves.toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it("a relative URI without a base URI fails clearly", async () => {
    const { run, sent } = answering();
    const publisher = await build("publisher", { prototype: "http-publisher", parameters: { request: { uri: "products" } } });
    await expect(publisher.publish({ data: { sku: "a" } }, run)).rejects.toThrow(/relative and the HTTP client 'default' has no base URI/);
    expect(sent).toHaveLength(0);
  });

  it("refuses a request without uri", async () => {
    const error = await build("publisher", { prototype: "http-publisher", parameters: { request: { method: "post" } } }).then(
      () => null,
      (e: { violations?: { propertyPath: string }[] }) => e,
    );
    expect(error?.violations?.map((v) => v.propertyPath)).toContain("parameters.request.uri");
  });
});

describe("no-action-publisher", () => {
  it("builds from the exports' `[]` parameters and sends nothing, whatever the entity", async () => {
    const { run, sent } = answering();
    const publisher = await build("publisher", { prototype: "no-action-publisher", parameters: [] });
    await expect(publisher.publish({ data: { sku: "a" } }, run)).resolves.toBeUndefined();
    await expect(publisher.publish({ data: [{ sku: "a" }, { sku: "b" }] }, run)).resolves.toBeUndefined();
    await expect(publisher.publish({ data: null }, run)).resolves.toBeUndefined();
    expect(sent).toHaveLength(0);
  });
});
