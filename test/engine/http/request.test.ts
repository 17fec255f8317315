import { describe, expect, it } from "vitest";
import { buildQuery } from "../../../src/engine/http/util";
import { build, capturing } from "./helpers";

describe("request object", () => {
  // docs.alumio.com/references/transformer/http-transformer: the method "field supports placeholders
  // that can be used to dynamically set the request method"
  it("the method may be a placeholder", async () => {
    const { run, sent } = capturing();
    const transform = await build("data-transformer", { prototype: "http-transformer", parameters: { request: { uri: "https://api.example.com/items/&{id}", method: "&{verb}", payload: "&{@}" } } }, run);
    await transform({ id: 3, verb: "put" }, run);
    expect(sent[0]).toMatchObject({ method: "PUT", url: "https://api.example.com/items/3" });
    const graphql = await build("data-transformer", { prototype: "graphql-transformer", parameters: { request: { uri: "https://api.example.com/graphql", payload: { query: "{ a }" } } } }, run);
    await graphql({}, run);
    expect(sent[1].method).toBe("POST");
  });

  // PHP's http_build_query (default PHP_QUERY_RFC1738) encodes with urlencode, which escapes `~`;
  // PHP_QUERY_RFC3986 uses rawurlencode, which keeps it (php.net/http_build_query, /urlencode, /rawurlencode).
  it("query strings encode like http_build_query", () => {
    expect(buildQuery({ q: "a b~c*", list: [true, false, null], n: { x: 1 } })).toBe("q=a+b%7Ec%2A&list%5B0%5D=1&list%5B1%5D=0&n%5Bx%5D=1");
    expect(buildQuery({ q: "a b~c" }, "rfc3986")).toBe("q=a%20b~c");
  });
});
