import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

/**
 * Owned configurations (GET/POST /configurations/{type}/{owner}/relations, GET/PUT/DELETE
 * .../{identifier}): {type} is the type of the owned configurations (e.g. `transformer-test`),
 * {owner} the identifier of the configuration that owns them.
 */
const upper = {
  prototype: "data",
  parameters: {
    transformers: [
      { prototype: "value-mapper", parameters: { accessor: { prototype: "key", parameters: { keys: ["name"] } }, mappers: [{ prototype: "string-upper", parameters: [] }] } },
    ],
  },
};

async function withTransformer() {
  const space = await createSpace();
  const editor = await tokenFor(["ROLE_EDITOR"], space);
  const opts = { token: editor.token, query: { space } };
  const created = await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", identifier: "upper", name: "Upper", object: upper } });
  expect(created.status).toBe(200);
  return { space, editor, opts };
}

const BASE = "/configurations/transformer-test/upper/relations";

describe("relations", () => {
  it("create, list, get, replace and delete the tests of a transformer", async () => {
    const { space, editor, opts } = await withTransformer();
    const created = await call("POST", BASE, { ...opts, body: { name: "New Product", object: { parameters: { entity: { name: "tnt" } } } } });
    expect(created.status).toBe(200);
    expect(created.body.object).toMatchObject({ type: "transformer-test", identifier: "upper--new-product", owner: "upper", name: "New Product", editor: editor.email });
    const second = await call("POST", BASE, { ...opts, body: { identifier: "upper-second", name: "Second", object: { parameters: { entity: { name: "fuse" } } } } });
    expect(second.body.object.identifier).toBe("upper-second");
    expectProblem(await call("POST", BASE, { ...opts, body: { name: "New Product", object: { parameters: { entity: {} } } } }), 409);

    // A test of another owner is not listed.
    await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", identifier: "other", name: "Other", object: upper } });
    await call("POST", "/configurations/transformer-test/other/relations", { ...opts, body: { name: "Elsewhere", object: { parameters: { entity: {} } } } });

    const list = await call("GET", BASE, opts);
    expect(list.status).toBe(200);
    expect(list.body.metadata.totalCount).toBe(2);
    expect(list.body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["upper--new-product", "upper-second"]);
    const filtered = await call("GET", BASE, { ...opts, query: { space, filter: JSON.stringify({ where: { name: { like: "Sec%" } } }) } });
    expect(filtered.body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["upper-second"]);
    expectProblem(await call("GET", BASE, { ...opts, query: { space, filter: JSON.stringify({ where: { nope: 1 } }) } }), 400);
    // {type} is the owned type: the owner's own type lists nothing owned.
    expect((await call("GET", "/configurations/list-transformer/upper/relations", opts)).body.metadata.totalCount).toBe(0);

    const one = await call("GET", `${BASE}/upper--new-product`, opts);
    expect(one.body.object).toMatchObject({ identifier: "upper--new-product", owner: "upper", object: { parameters: { entity: { name: "tnt" } } } });
    expectProblem(await call("GET", "/configurations/transformer-test/other/relations/upper--new-product", opts), 404);
    expectProblem(await call("GET", `${BASE}/nope`, opts), 404);

    const replaced = await call("PUT", `${BASE}/upper--new-product`, { ...opts, body: { name: "Renamed", object: { parameters: { entity: { name: "dynamite" } } } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.object).toMatchObject({ identifier: "upper--new-product", owner: "upper", name: "Renamed", object: { parameters: { entity: { name: "dynamite" } } } });
    expect(expectProblem(await call("PUT", `${BASE}/upper--new-product`, { ...opts, body: { identifier: "moved", name: "x", object: { parameters: {} } } }), 400).violations[0].propertyPath).toBe("identifier");
    expectProblem(await call("PUT", "/configurations/transformer-test/other/relations/upper--new-product", { ...opts, body: { name: "x", object: { parameters: {} } } }), 404);
    const history = await call("GET", "/configurations/transformer-test/upper--new-product/history", opts);
    expect(history.body.results.map((h: { action: string }) => h.action)).toEqual(["update", "create"]);

    expectProblem(await call("DELETE", "/configurations/transformer-test/other/relations/upper-second", opts), 404);
    expect((await call("DELETE", `${BASE}/upper-second`, opts)).status).toBe(200);
    expectProblem(await call("GET", `${BASE}/upper-second`, opts), 404);
    expect((await call("GET", BASE, opts)).body.metadata.totalCount).toBe(1);
  });

  it("refuses an unknown owner, an invalid object and a viewer; changes nothing", async () => {
    const { space, opts } = await withTransformer();
    expectProblem(await call("POST", "/configurations/transformer-test/nobody/relations", { ...opts, body: { name: "T", object: { parameters: { entity: {} } } } }), 404);
    // The owner of a transformer-test is a list-transformer, not a configuration of another type of that name.
    await call("POST", "/configurations", { ...opts, body: { type: "storage", identifier: "a-storage", name: "S", object: { parameters: {} } } });
    expectProblem(await call("POST", "/configurations/transformer-test/a-storage/relations", { ...opts, body: { name: "T", object: { parameters: { entity: {} } } } }), 404);

    await call("POST", "/configurations", { ...opts, body: { type: "http-client", identifier: "client", name: "Client", object: { prototype: "default", parameters: { baseUri: "http://x" } } } });
    const invalid = expectProblem(await call("POST", "/configurations/http-client-test/client/relations", { ...opts, body: { name: "T", object: { parameters: { method: "GET" } } } }), 400);
    expect(invalid.violations.map((v) => v.propertyPath)).toEqual(["object.parameters.uri"]);
    expectProblem(await call("POST", BASE, { ...opts, body: { name: "T" } }), 400);
    expectProblem(await call("POST", "/configurations/no-such-type/upper/relations", { ...opts, body: { name: "T", object: {} } }), 400);
    expect((await call("GET", "/configurations/http-client-test/client/relations", opts)).body.metadata.totalCount).toBe(0);

    const viewer = await tokenFor(["ROLE_USER"], space);
    expectProblem(await call("POST", BASE, { token: viewer.token, query: { space }, body: { name: "T", object: { parameters: { entity: {} } } } }), 403);
    expect((await call("GET", BASE, { token: viewer.token, query: { space } })).status).toBe(200);
    expect((await call("GET", BASE, { query: { space } })).body.metadata.totalCount).toBe(0);
  });

  it("any configuration may own configurations of another type", async () => {
    const { opts } = await withTransformer();
    const created = await call("POST", "/configurations/storage/upper/relations", { ...opts, body: { name: "Cache", object: { parameters: { path: "cache" } } } });
    expect(created.body.object).toMatchObject({ type: "storage", identifier: "upper--cache", owner: "upper" });
    expect((await call("GET", "/configurations/storage/upper/relations", opts)).body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["upper--cache"]);
  });
});
