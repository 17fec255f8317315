import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { R2StorageStore } from "../../src/domain/storages";
import { call, createSpace, expectProblem, tokenFor, unique } from "../helpers/api";

let space: string;
let viewer: string;
let editor: string;

beforeAll(async () => {
  space = await createSpace();
  viewer = (await tokenFor(["ROLE_USER"], space)).token;
  editor = (await tokenFor(["ROLE_EDITOR"], space)).token;
});

const q = (extra: Record<string, string> = {}) => ({ space, ...extra });
const base = (storage: string) => `/storages/${encodeURIComponent(storage)}`;

async function put(storage: string, entity: string, value: unknown, token = editor) {
  const res = await call("PUT", `${base(storage)}/entity`, { token, query: q({ entity }), body: value });
  expect(res.status, res.text).toBe(200);
  return res;
}

describe("single entities", () => {
  it("PUT stores, GET reads back at once, DELETE removes (?entity= form)", async () => {
    const storage = unique("s");
    const entity = "sku/1 ü|€?&=#";
    const created = await put(storage, entity, { id: 42, tags: ["a"] });
    expect(created.body).toEqual({ value: { id: 42, tags: ["a"] }, updatedAt: expect.any(String) });

    const got = await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity }) });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ value: { id: 42, tags: ["a"] }, updatedAt: created.body.updatedAt });

    const replaced = await put(storage, entity, 7);
    expect(replaced.body.value).toBe(7);

    const deleted = await call("DELETE", `${base(storage)}/entity`, { token: editor, query: q({ entity }) });
    expect(deleted.status).toBe(200);
    expect(deleted.body.message).toEqual(expect.any(String));
    expectProblem(await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity }) }), 404);
    expectProblem(await call("DELETE", `${base(storage)}/entity`, { token: editor, query: q({ entity }) }), 404);
  });

  it("POST creates, and answers 409 when the entity exists", async () => {
    const storage = unique("s");
    const first = await call("POST", `${base(storage)}/entity`, { token: editor, query: q({ entity: "k" }), body: { a: 1 } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ value: { a: 1 } });
    const again = await call("POST", `${base(storage)}/entity`, { token: editor, query: q({ entity: "k" }), body: { a: 2 } });
    expectProblem(again, 409);
    expect((await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity: "k" }) })).body.value).toEqual({ a: 1 });
  });

  it("stores null and scalar bodies as the value", async () => {
    const storage = unique("s");
    expect((await put(storage, "n", null)).body.value).toBeNull();
    expect((await put(storage, "s", "text")).body.value).toBe("text");
    expect((await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity: "s" }) })).body.value).toBe("text");
  });

  it("deprecated path forms read, write and delete the same entities", async () => {
    const storage = unique("s");
    const entity = "a/b c";
    const path = `${base(storage)}/entities/${encodeURIComponent(entity)}`;
    const written = await call("PUT", path, { token: editor, query: q(), body: { x: 1 } });
    expect(written.status, written.text).toBe(200);
    expect(written.body).toMatchObject({ value: { x: 1 } });
    // The same entity through the current form.
    expect((await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity }) })).body.value).toEqual({ x: 1 });
    const read = await call("GET", path, { token: viewer, query: q() });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ value: { x: 1 }, updatedAt: expect.any(String) });
    expect((await call("DELETE", path, { token: editor, query: q() })).status).toBe(200);
    expectProblem(await call("GET", path, { token: viewer, query: q() }), 404);
  });

  it("refuses a missing entity parameter and an invalid body with 400 violations", async () => {
    const storage = unique("s");
    const missing = expectProblem(await call("GET", `${base(storage)}/entity`, { token: viewer, query: q() }), 400);
    expect(missing.violations[0].propertyPath).toContain("entity");
    const bad = await call("PUT", `${base(storage)}/entity`, { token: editor, query: q({ entity: "k" }), rawBody: "{nope", contentType: "application/json" });
    expectProblem(bad, 400);
    expectProblem(await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity: "k" }) }), 404);
    const long = await call("PUT", `${base(storage)}/entity`, { token: editor, query: q({ entity: "x".repeat(1100) }), body: 1 });
    expect(expectProblem(long, 400).violations[0].propertyPath).toBe("entity");
  });

  it("PUT/POST without a body are a 400 and store nothing (not an invented {})", async () => {
    // alumio-api-reference.txt 1662-1671: update/create store "the entity value" the request gives; with no
    // body there is no value to store (our OpenAPI marks the body required).
    const storage = unique("s");
    const paths: [string, string, Record<string, string>][] = [
      ["PUT", `${base(storage)}/entity`, { entity: "a" }],
      ["POST", `${base(storage)}/entity`, { entity: "b" }],
      ["PUT", `${base(storage)}/entities/c`, {}],
    ];
    for (const [method, path, extra] of paths) {
      const res = expectProblem(await call(method, path, { token: editor, query: q(extra) }), 400);
      expect(res.violations[0].propertyPath, `${method} ${path}`).toBe("");
    }
    const listed = await call("GET", `${base(storage)}/entities`, { token: viewer, query: q() });
    expect(listed.body.metadata.totalCount).toBe(0);
  });
});

describe("listing and bulk operations", () => {
  it("GET /entities: {metadata, results, next}, filters, pages and 400s", async () => {
    const storage = unique("s");
    for (const k of ["a1", "a2", "a3", "b1"]) await put(storage, k, { k });
    const all = await call("GET", `${base(storage)}/entities`, { token: viewer, query: q() });
    expect(all.status).toBe(200);
    expect(all.body.metadata).toEqual({ totalCount: 4 });
    expect(all.body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["a1", "a2", "a3", "b1"]);
    expect(all.body.results[0]).toEqual({ identifier: "a1", updatedAt: expect.any(String) });
    expect(all.body.next).toEqual([]);

    const page1 = await call("GET", `${base(storage)}/entities`, {
      token: viewer,
      query: q({ filter: JSON.stringify({ where: { identifier: { like: "a%" } }, limit: 2 }) }),
    });
    expect(page1.body.metadata.totalCount).toBe(3);
    expect(page1.body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["a1", "a2"]);
    expect(page1.body.next).toEqual(["a2"]);
    const page2 = await call("GET", `${base(storage)}/entities`, {
      token: viewer,
      query: q({ filter: JSON.stringify({ where: { identifier: { like: "a%" } }, limit: 2, next: page1.body.next }) }),
    });
    expect(page2.body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["a3"]);
    expect(page2.body.next).toEqual([]);

    const since = await call("GET", `${base(storage)}/entities`, {
      token: viewer,
      query: q({ filter: JSON.stringify({ where: { updatedAt: { gt: "2999-01-01" } } }) }),
    });
    expect(since.body).toEqual({ metadata: { totalCount: 0 }, results: [], next: [] });

    const bad = expectProblem(
      await call("GET", `${base(storage)}/entities`, { token: viewer, query: q({ filter: JSON.stringify({ where: { value: 1 }, foo: 1 }) }) }),
      400,
    );
    expect(bad.violations.map((v) => v.propertyPath).sort()).toEqual(["filter.foo", "filter.where.value"]);
    expectProblem(await call("GET", `${base(storage)}/entities`, { token: viewer, query: q({ filter: "{x" }) }), 400);
  });

  it("POST /entities/delete deletes the matches; a bad filter changes nothing", async () => {
    const storage = unique("s");
    for (const k of ["a1", "a2", "b1"]) await put(storage, k, 1);
    const bad = await call("POST", `${base(storage)}/entities/delete`, { token: editor, query: q(), body: { filter: JSON.stringify({ where: { nope: 1 } }) } });
    expect(expectProblem(bad, 400).violations[0].propertyPath).toBe("filter.where.nope");
    expectProblem(await call("POST", `${base(storage)}/entities/delete`, { token: editor, query: q(), body: {} }), 400);
    // A blank filter selects nothing to delete (alumio-api-reference.txt 1638: the filter selects which
    // entities to remove); it is refused like a missing one, not read as "every entity".
    const blank = expectProblem(await call("POST", `${base(storage)}/entities/delete`, { token: editor, query: q(), body: { filter: " " } }), 400);
    expect(blank.violations[0].propertyPath).toBe("filter");
    expect((await call("GET", `${base(storage)}/entities`, { token: viewer, query: q() })).body.metadata.totalCount).toBe(3);
    const res = await call("POST", `${base(storage)}/entities/delete`, {
      token: editor,
      query: q(),
      body: { filter: JSON.stringify({ where: { identifier: { like: "a%" } } }) },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ message: expect.any(String), count: 2 });
    const left = await call("GET", `${base(storage)}/entities`, { token: viewer, query: q() });
    expect(left.body.results.map((r: { identifier: string }) => r.identifier)).toEqual(["b1"]);
  });

  it("DELETE /entities clears the storage", async () => {
    const storage = unique("s");
    for (const k of ["a", "b"]) await put(storage, k, 1);
    const res = await call("DELETE", `${base(storage)}/entities`, { token: editor, query: q() });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect((await call("GET", `${base(storage)}/entities`, { token: viewer, query: q() })).body.metadata.totalCount).toBe(0);
  });

  it("POST /{source}/copy/{target} copies every entity", async () => {
    const source = unique("s");
    const target = unique("t");
    for (const k of ["a", "b", "c"]) await put(source, k, { k });
    const res = await call("POST", `${base(source)}/copy/${target}`, { token: editor, query: q() });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    const got = await call("GET", `${base(target)}/entity`, { token: viewer, query: q({ entity: "b" }) });
    expect(got.body.value).toEqual({ k: "b" });
    expectProblem(await call("POST", `${base(source)}/copy/${source}`, { token: editor, query: q() }), 400);
  });

  it("POST /export streams NDJSON lines (JSON and form bodies)", async () => {
    const storage = unique("s");
    for (const k of ["a", "b", "c"]) await put(storage, k, { k });
    const res = await call("POST", `${base(storage)}/export`, {
      token: viewer,
      query: q(),
      body: { filter: JSON.stringify({ where: { identifier: { neq: "b" } } }), clientTime: "1767225600000" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toContain("1767225600000");
    const lines = res.text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { identifier: "a", value: { k: "a" }, updatedAt: expect.any(String) },
      { identifier: "c", value: { k: "c" }, updatedAt: expect.any(String) },
    ]);

    const form = await call("POST", `${base(storage)}/export`, {
      token: viewer,
      query: q(),
      rawBody: new URLSearchParams({ filter: JSON.stringify({ where: { identifier: "b" } }) }).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(200);
    expect(form.text.trim().split("\n").map((l) => JSON.parse(l).identifier)).toEqual(["b"]);

    const none = await call("POST", `${base(storage)}/export`, { token: viewer, query: q() });
    expect(none.text.trim().split("\n")).toHaveLength(3);

    expectProblem(await call("POST", `${base(storage)}/export`, { token: viewer, query: q(), body: { filter: "{bad" } }), 400);
    expectProblem(await call("POST", `${base(storage)}/export`, { token: viewer, query: q(), body: { clientTime: "soon" } }), 400);
  });

  it("GET /storages/metadata lists the space's storages with real sizes (not a storage called metadata)", async () => {
    const own = await createSpace();
    const admin = (await tokenFor(["ROLE_EDITOR"], own)).token;
    await call("PUT", "/storages/one/entity", { token: admin, query: { space: own, entity: "k" }, body: "abc" }); // "abc" = 5 bytes
    await call("PUT", "/storages/two/entity", { token: admin, query: { space: own, entity: "k" }, body: [1, 2] }); // [1,2] = 5 bytes
    await call("PUT", "/storages/two/entity", { token: admin, query: { space: own, entity: "l" }, body: 1 }); // 1 byte
    const res = await call("GET", "/storages/metadata", { token: admin, query: { space: own } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      metadata: { totalCount: 2 },
      results: [
        { identifier: "one", sizeInBytes: 5 },
        { identifier: "two", sizeInBytes: 6 },
      ],
    });
    const filtered = await call("GET", "/storages/metadata", { token: admin, query: { space: own, filter: JSON.stringify({ where: { sizeInBytes: { gte: 6 } } }) } });
    expect(filtered.body.results).toEqual([{ identifier: "two", sizeInBytes: 6 }]);
    expectProblem(await call("GET", "/storages/metadata", { token: admin, query: { space: own, filter: JSON.stringify({ where: { size: 1 } }) } }), 400);
  });

  it("spaces are separate", async () => {
    const storage = unique("s");
    await put(storage, "k", 1);
    const other = await createSpace();
    const otherEditor = (await tokenFor(["ROLE_EDITOR"], other)).token;
    expectProblem(await call("GET", `${base(storage)}/entity`, { token: otherEditor, query: { space: other, entity: "k" } }), 404);
    // Stored where the domain says: storages/<space>/<storage>/<entity>.
    expect((await new R2StorageStore(env.FILES, space).get(storage, "k"))?.value).toBe(1);
  });
});

describe("access", () => {
  it("a viewer (ROLE_USER) reads and exports but may not write", async () => {
    const storage = unique("s");
    await put(storage, "k", 1);
    expect((await call("GET", `${base(storage)}/entities`, { token: viewer, query: q() })).status).toBe(200);
    expect((await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity: "k" }) })).status).toBe(200);
    expect((await call("GET", `${base(storage)}/entities/k`, { token: viewer, query: q() })).status).toBe(200);
    expect((await call("GET", "/storages/metadata", { token: viewer, query: q() })).status).toBe(200);
    expect((await call("POST", `${base(storage)}/export`, { token: viewer, query: q() })).status).toBe(200);

    const writes: [string, string, Record<string, string>, unknown?][] = [
      ["PUT", `${base(storage)}/entity`, { entity: "k" }, 2],
      ["POST", `${base(storage)}/entity`, { entity: "new" }, 2],
      ["DELETE", `${base(storage)}/entity`, { entity: "k" }],
      ["PUT", `${base(storage)}/entities/k`, {}, 2],
      ["DELETE", `${base(storage)}/entities/k`, {}],
      ["POST", `${base(storage)}/entities/delete`, {}, { filter: "{}" }],
      ["DELETE", `${base(storage)}/entities`, {}],
      ["POST", `${base(storage)}/copy/${unique("t")}`, {}],
    ];
    for (const [method, path, extra, body] of writes) {
      expectProblem(await call(method, path, { token: viewer, query: q(extra), body }), 403);
    }
    expect((await call("GET", `${base(storage)}/entity`, { token: viewer, query: q({ entity: "k" }) })).body.value).toBe(1);
  });

  it("needs a token and membership", async () => {
    const storage = unique("s");
    expectProblem(await call("GET", `${base(storage)}/entities`, { token: null, query: q() }), 401);
    const outsider = (await tokenFor(["ROLE_ADMINISTRATOR"], await createSpace())).token;
    expectProblem(await call("GET", `${base(storage)}/entities`, { token: outsider, query: q() }), 403);
  });

  it("every row is in the OpenAPI document with its operationId, method and tag", async () => {
    const doc = (await call("GET", "/api/v1/schema.json", { token: null })).body;
    const expected: [string, string, string][] = [
      ["copyStorage", "post", "/storages/{source}/copy/{target}"],
      ["pruneStorages", "post", "/storages/prune"],
      ["getStorageEntities", "get", "/storages/{identifier}/entities"],
      ["deleteStorageEntities", "post", "/storages/{identifier}/entities/delete"],
      ["getStorageEntityDeprecated", "get", "/storages/{identifier}/entities/{entity}"],
      ["updateStorageEntityDeprecated", "put", "/storages/{identifier}/entities/{entity}"],
      ["deleteStorageEntityDeprecated", "delete", "/storages/{identifier}/entities/{entity}"],
      ["getStorageEntity", "get", "/storages/{identifier}/entity"],
      ["updateStorageEntity", "put", "/storages/{identifier}/entity"],
      ["createStorageEntity", "post", "/storages/{identifier}/entity"],
      ["deleteStorageEntity", "delete", "/storages/{identifier}/entity"],
      ["exportStorageEntities", "post", "/storages/{identifier}/export"],
      ["clearStorage", "delete", "/storages/{identifier}/entities"],
      ["getStorageMetadata", "get", "/storages/metadata"],
    ];
    for (const [operationId, method, path] of expected) {
      const op = doc.paths[`/api/v1${path}`]?.[method];
      expect(op?.operationId, `${method} ${path}`).toBe(operationId);
      expect(op.tags).toEqual(["Storages"]);
      expect(op.deprecated ?? false).toBe(operationId.endsWith("Deprecated"));
    }
  });
});
