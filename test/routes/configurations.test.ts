import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, tokenFor, unique } from "../helpers/api";

const storage = (identifier = unique("st"), extra: Record<string, unknown> = {}) => ({
  type: "storage",
  identifier,
  name: `Storage ${identifier}`,
  object: { parameters: { path: identifier, enablePruning: false } },
  ...extra,
});

describe("configurations", () => {
  it("create, get, replace, patch, status, delete; every change is a history entry", async () => {
    const space = await createSpace();
    const editor = await tokenFor(["ROLE_EDITOR"], space);
    const opts = { token: editor.token, query: { space } };
    const input = storage();
    const created = await call("POST", "/configurations", { ...opts, body: input });
    expect(created.status).toBe(200);
    expect(created.body.object).toMatchObject({ type: "storage", identifier: input.identifier, editor: editor.email, removable: true, disabled: false, label: [] });
    expectProblem(await call("POST", "/configurations", { ...opts, body: input }), 409);

    const replaced = await call("PUT", "/configurations", { ...opts, body: { ...input, name: "Renamed", object: { parameters: { path: "other" } } } });
    expect(replaced.body.object).toMatchObject({ name: "Renamed", object: { parameters: { path: "other" } } });
    const patched = await call("PATCH", "/configurations", { ...opts, body: { type: "storage", identifier: input.identifier, description: "patched" } });
    expect(patched.body.object).toMatchObject({ name: "Renamed", description: "patched" });
    const disabled = await call("PUT", `/configurations/storage/${input.identifier}/status`, { ...opts, body: { disabled: true } });
    expect(disabled.body.object.disabled).toBe(true);

    const history = await call("GET", `/configurations/storage/${input.identifier}/history`, opts);
    expect(history.body.results.map((h: { action: string }) => h.action)).toEqual(["patch", "patch", "update", "create"]);

    expect((await call("DELETE", `/configurations/storage/${input.identifier}`, opts)).status).toBe(200);
    expectProblem(await call("GET", `/configurations/storage/${input.identifier}`, opts), 404);
  });

  it("restores an earlier state as a new history entry, also after deletion", async () => {
    const space = await createSpace();
    const input = storage();
    const opts = { query: { space } };
    await call("POST", "/configurations", { ...opts, body: input });
    await call("PUT", "/configurations", { ...opts, body: { ...input, name: "Second" } });
    const [, first] = (await call("GET", `/configurations/storage/${input.identifier}/history`, opts)).body.results;
    const restored = await call("POST", `/configurations/storage/${input.identifier}/restore`, { ...opts, body: { ulid: first.ulid } });
    expect(restored.body.object).toMatchObject({ action: "restore", name: input.name });
    expect((await call("GET", `/configurations/storage/${input.identifier}`, opts)).body.object.name).toBe(input.name);

    await call("DELETE", `/configurations/storage/${input.identifier}`, opts);
    await call("POST", `/configurations/storage/${input.identifier}/restore`, { ...opts, body: { ulid: first.ulid } });
    expect((await call("GET", `/configurations/storage/${input.identifier}`, opts)).body.object.name).toBe(input.name);
    expect((await call("GET", `/configurations/storage/${input.identifier}/history`, opts)).body.metadata.totalCount).toBe(5);
    expectProblem(await call("POST", `/configurations/storage/${input.identifier}/restore`, { ...opts, body: { ulid: "01HZZZZZZZZZZZZZZZZZZZZZZZ" } }), 404);
  });

  it("derives the identifier from the name when omitted", async () => {
    const space = await createSpace();
    const res = await call("POST", "/configurations", { query: { space }, body: { type: "storage", name: "Akeneo Categories (EN)!", object: { parameters: {} } } });
    expect(res.body.object.identifier).toBe("akeneo-categories-en");
  });

  it("labels and tags: set labels, filter by label; favourites toggle", async () => {
    const space = await createSpace();
    const user = await tokenFor(["ROLE_USER"], space);
    const [a, b] = [storage(), storage()];
    for (const c of [a, b]) await call("POST", "/configurations", { query: { space }, body: c });
    const labels = await call("PUT", `/configurations/storage/${a.identifier}/labels`, { query: { space }, body: { labels: ["prod", "akeneo", "prod"] } });
    expect(labels.body).toEqual({ metadata: { totalCount: 2 }, results: [{ name: "prod" }, { name: "akeneo" }] });
    const filtered = await call("GET", "/configurations/stored", { query: { space, filter: JSON.stringify({ where: { label: "prod" } }) } });
    expect(filtered.body.results.map((c: { identifier: string }) => c.identifier)).toEqual([a.identifier]);
    const none = await call("GET", "/configurations/stored", { query: { space, filter: JSON.stringify({ where: { label: { inq: ["nope"] } } }) } });
    expect(none.body.metadata.totalCount).toBe(0);

    const on = await call("POST", "/configurations/favourites", { token: user.token, query: { space }, body: { type: "storage", identifier: b.identifier } });
    expect(on.body).toMatchObject({ identifier: b.identifier, type: "storage", user: user.email, favourite: true });
    const off = await call("POST", "/configurations/favourites", { token: user.token, query: { space }, body: { type: "storage", identifier: b.identifier } });
    expect(off.body.favourite).toBe(false);
  });

  it("refuses invalid configurations with violations pointing at the field, changing nothing", async () => {
    const space = await createSpace();
    const opts = { query: { space } };
    const before = (await call("GET", "/configurations/stored", opts)).body.metadata.totalCount;
    const unknownType = expectProblem(await call("POST", "/configurations", { ...opts, body: { type: "spaceship", name: "x", object: {} } }), 400);
    expect(unknownType.violations[0].propertyPath).toBe("type");
    const badPrototype = expectProblem(
      await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", name: "x", object: { prototype: "does-not-exist", parameters: {} } } }),
      400,
    );
    expect(badPrototype.violations[0].propertyPath).toBe("object.prototype");
    const badCron = expectProblem(
      await call("POST", "/configurations", { ...opts, body: { type: "scheduler-entry", name: "x", object: { parameters: { job: [{ prototype: "run-incoming", parameters: { incoming: "x" } }], expression: "every now and then" } } } }),
      400,
    );
    expect(badCron.violations.map((v) => v.propertyPath)).toContain("object.parameters.expression");
    const badRef = expectProblem(
      await call("POST", "/configurations", { ...opts, body: { type: "route-configuration", name: "r", object: { parameters: { incoming: "missing-in", outgoing: "missing-out", transformers: [] } } } }),
      400,
    );
    expect(badRef.violations.map((v) => v.propertyPath).sort()).toEqual(["object.parameters.incoming", "object.parameters.outgoing"]);
    expectProblem(await call("POST", "/configurations", { ...opts, body: { ...storage(), identifier: "Bad Id" } }), 400);
    expect((await call("GET", "/configurations/stored", opts)).body.metadata.totalCount).toBe(before);
  });

  it("deletes by filter, only removable ones, and answers how many", async () => {
    const space = await createSpace();
    const opts = { query: { space } };
    const keep = storage(unique("keep"), { removable: false });
    const gone = [storage(unique("gone")), storage(unique("gone"))];
    for (const c of [keep, ...gone]) await call("POST", "/configurations", { ...opts, body: c });
    const res = await call("POST", "/configurations/storage/delete", { ...opts, body: { filter: { where: { identifier: { like: "%" } } } } });
    expect(res.body).toEqual({ deleted: 2 });
    expect((await call("GET", "/configurations/stored", opts)).body.results.map((c: { identifier: string }) => c.identifier)).toEqual([keep.identifier]);
    expectProblem(await call("DELETE", `/configurations/storage/${keep.identifier}`, opts), 403);
  });

  it("keeps spaces apart and enforces roles", async () => {
    const [a, b] = [await createSpace(), await createSpace()];
    const config = storage();
    await call("POST", "/configurations", { query: { space: a }, body: config });
    const viewer = await tokenFor(["ROLE_USER"], b);
    expectProblem(await call("GET", `/configurations/storage/${config.identifier}`, { query: { space: b } }), 404);
    expectProblem(await call("GET", `/configurations/storage/${config.identifier}`, { token: viewer.token, query: { space: a } }), 403);
    expectProblem(await call("POST", "/configurations", { token: viewer.token, query: { space: b }, body: storage() }), 403);
    expect((await call("GET", "/configurations/stored", { token: viewer.token, query: { space: b } })).body.metadata.totalCount).toBe(0);
  });
});

describe("registered configurations", () => {
  it("every space has the default http-client: available, not stored, until a user changes it", async () => {
    const space = await createSpace();
    const available = await call("GET", "/configurations", { query: { space, filter: JSON.stringify({ where: { type: "http-client" } }) } });
    expect(available.body.results.map((c: { identifier: string }) => c.identifier)).toEqual(["default"]);
    expect(available.body.results[0]).toMatchObject({ removable: false, resettable: true });
    expect((await call("GET", "/configurations/stored", { query: { space } })).body.metadata.totalCount).toBe(0);
    expectProblem(await call("DELETE", "/configurations/http-client/default", { query: { space } }), 403);

    const changed = await call("PATCH", "/configurations", { query: { space }, body: { type: "http-client", identifier: "default", description: "ours now" } });
    expect(changed.status).toBe(200);
    const stored = await call("GET", "/configurations/stored", { query: { space } });
    expect(stored.body.results.map((c: { identifier: string }) => c.identifier)).toEqual(["default"]);
    // The default space has it from the migration.
    expect((await call("GET", "/configurations/http-client/default")).status).toBe(200);
  });
});
