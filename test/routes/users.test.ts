import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, systemAdministratorToken, tokenFor, unique } from "../helpers/api";

const newEmail = () => `${unique("u")}@example.com`;

describe("users of the current space", () => {
  it("create, get, update roles, rename, list with a filter, delete", async () => {
    const space = await createSpace();
    const admin = await tokenFor(["ROLE_ADMINISTRATOR"], space);
    const opts = { token: admin.token, query: { space } };
    const email = newEmail();

    const created = await call("POST", "/users", { ...opts, body: { email, roles: ["ROLE_USER"] } });
    expect(created.body.object).toEqual({ email, roles: ["ROLE_USER"] });
    expectProblem(await call("POST", "/users", { ...opts, body: { email, roles: ["ROLE_USER"] } }), 409);

    const updated = await call("PUT", `/users/${email}`, { ...opts, body: { email, roles: ["ROLE_EDITOR", "ROLE_USER"] } });
    expect(updated.body.object.roles).toEqual(["ROLE_EDITOR", "ROLE_USER"]);

    const renamed = newEmail();
    expect((await call("PUT", `/users/${email}`, { ...opts, body: { email: renamed, roles: ["ROLE_EDITOR"] } })).body.object.email).toBe(renamed);
    expectProblem(await call("GET", `/users/${email}`, opts), 404);

    const list = await call("GET", "/users", { token: admin.token, query: { space, filter: JSON.stringify({ where: { email: renamed } }) } });
    expect(list.body).toEqual({ metadata: { totalCount: 1 }, results: [{ email: renamed, roles: ["ROLE_EDITOR"] }] });

    expect((await call("DELETE", `/users/${renamed}`, opts)).status).toBe(200);
    expectProblem(await call("GET", `/users/${renamed}`, opts), 404);
  });

  it("a removed member loses access at once", async () => {
    const space = await createSpace();
    const member = await tokenFor(["ROLE_USER"], space);
    expect((await call("GET", "/info/server", { token: member.token, query: { space } })).status).toBe(200);
    await call("DELETE", `/spaces/${space}/users/${member.email}`);
    expectProblem(await call("GET", "/info/server", { token: member.token, query: { space } }), 403);
  });

  it("rejects invalid roles and emails with violations, changing nothing", async () => {
    const before = (await call("GET", "/users")).body.metadata.totalCount;
    const res = expectProblem(await call("POST", "/users", { body: { email: "not-an-email", roles: ["ROLE_GOD", "ROLE_USER"] } }), 400);
    expect(res.violations.map((v) => v.propertyPath)).toEqual(expect.arrayContaining(["email", "roles[0]"]));
    const dup = expectProblem(await call("POST", "/users", { body: { email: newEmail(), roles: ["ROLE_USER", "ROLE_USER"] } }), 400);
    expect(dup.violations[0].propertyPath).toBe("roles");
    const empty = expectProblem(await call("POST", "/users", { body: { email: newEmail(), roles: [] } }), 400);
    expect(empty.violations[0].propertyPath).toBe("roles");
    expect((await call("GET", "/users")).body.metadata.totalCount).toBe(before);
  });
});

describe("users of a named space", () => {
  it("assigns users in bulk, reads, updates and removes them", async () => {
    const space = await createSpace();
    const [a, b] = [newEmail(), newEmail()];
    expect((await call("PUT", `/spaces/${space}/users`, { body: { users: [{ email: a, roles: ["ROLE_USER"] }, { email: b, roles: ["ROLE_EDITOR"] }] } })).body).toEqual({});
    // assigning again updates roles and keeps the others
    await call("PUT", `/spaces/${space}/users`, { body: { users: [{ email: a, roles: ["ROLE_ADMINISTRATOR"] }] } });
    const list = await call("GET", `/spaces/${space}/users`);
    expect(list.body.results).toEqual([
      { email: a, space, roles: ["ROLE_ADMINISTRATOR"] },
      { email: b, space, roles: ["ROLE_EDITOR"] },
    ].sort((x, y) => x.email.localeCompare(y.email)));
    expect((await call("GET", `/spaces/${space}/users/${b}`)).body.object.roles).toEqual(["ROLE_EDITOR"]);
    expect((await call("PUT", `/spaces/${space}/users/${b}`, { body: { email: b, roles: ["ROLE_USER"] } })).body.object.roles).toEqual(["ROLE_USER"]);
    expect((await call("DELETE", `/spaces/${space}/users/${b}`)).body.message).toContain(b);
    expectProblem(await call("GET", `/spaces/${space}/users/${b}`), 404);
    expectProblem(await call("POST", `/spaces/${unique("missing")}/users`, { body: { email: a, roles: ["ROLE_USER"] } }), 404);
  });

  it("an administrator of space A cannot manage the users of space B", async () => {
    const [a, b] = [await createSpace(), await createSpace()];
    const admin = await tokenFor(["ROLE_ADMINISTRATOR"], a);
    expectProblem(await call("GET", `/spaces/${b}/users`, { token: admin.token }), 403);
    expectProblem(await call("POST", `/spaces/${b}/users`, { token: admin.token, body: { email: newEmail(), roles: ["ROLE_ADMINISTRATOR"] } }), 403);
    // ?space= cannot override the path's space either
    expectProblem(await call("GET", `/spaces/${b}/users`, { token: admin.token, query: { space: a } }), 403);
    expect((await call("GET", `/spaces/${b}/users`)).body.metadata.totalCount).toBe(0);
  });
});

describe("the current user", () => {
  it("merges preferences deeply (JSON Merge Patch), per user and per space", async () => {
    const space = await createSpace();
    const { token } = await tokenFor(["ROLE_USER"], space);
    await call("PATCH", "/users/me/preferences", { token, body: { updatedPreferences: { theme: { mode: "dark", accent: "blue" }, lang: "en" } } });
    const merged = await call("PATCH", "/users/me/preferences", { token, body: { updatedPreferences: { theme: { accent: "green" }, lang: null, tz: "UTC" } } });
    expect(merged.body.object.preferences).toEqual({ theme: { mode: "dark", accent: "green" }, tz: "UTC" });

    await call("PUT", "/users/me/space-preferences", { token, query: { space }, body: { updatedPreferences: { dashboard: { widgets: ["tasks"] } } } });
    const me = await call("GET", "/users/me", { token, query: { space } });
    expect(me.body.object.spacePreferences).toEqual({ dashboard: { widgets: ["tasks"] } });
    expect(me.body.object.preferences.tz).toBe("UTC");
    expectProblem(await call("PATCH", "/users/me/preferences", { token, body: { updatedPreferences: "dark" } }), 400);
  });

  it("records acceptance of the terms", async () => {
    const { token } = await tokenFor(["ROLE_USER"]);
    const res = await call("POST", "/users/me/terms", { token });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.object.termsAcceptedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("keeps table filters per user", async () => {
    const a = await tokenFor(["ROLE_USER"]);
    const b = await tokenFor(["ROLE_USER"]);
    const created = await call("POST", "/users/me/table-filters", { token: a.token, body: { tableKey: "tasks", name: "failed", filter: { where: { status: "failed" } } } });
    const id = created.body.object.identifier;
    expect(created.body.object).toMatchObject({ user: a.email, tableKey: "tasks", name: "failed" });
    expect((await call("GET", "/users/me/table-filters", { token: b.token })).body.metadata.totalCount).toBe(0);
    expectProblem(await call("PUT", `/users/me/table-filters/${id}`, { token: b.token, body: { tableKey: "tasks", name: "x", filter: {} } }), 404);
    expectProblem(await call("DELETE", `/users/me/table-filters/${id}`, { token: b.token }), 404);
    const updated = await call("PUT", `/users/me/table-filters/${id}`, { token: a.token, body: { tableKey: "tasks", name: "all failed", filter: {} } });
    expect(updated.body.object.name).toBe("all failed");
    const list = await call("GET", "/users/me/table-filters", { token: a.token, query: { filter: JSON.stringify({ where: { tableKey: "tasks" } }) } });
    expect(list.body.results).toHaveLength(1);
    expect((await call("DELETE", `/users/me/table-filters/${id}`, { token: a.token })).status).toBe(200);
    expect((await call("GET", "/users/me/table-filters", { token: a.token })).body.metadata.totalCount).toBe(0);
  });
});

describe("system administrators", () => {
  it("create, get, list, update, delete; a new system administrator reaches every space", async () => {
    const { token, email } = await systemAdministratorToken();
    const space = await createSpace();
    expect((await call("GET", "/info/server", { token, query: { space } })).status).toBe(200);
    expect((await call("GET", "/users/me", { token })).body.object.roles).toContain("ROLE_SYSTEM_ADMINISTRATOR");

    expect((await call("GET", `/system-administrators/${email}`)).body.object).toEqual({ email, roles: ["ROLE_SYSTEM_ADMINISTRATOR"] });
    expectProblem(await call("POST", "/system-administrators", { body: { email, roles: ["ROLE_SYSTEM_ADMINISTRATOR"] } }), 409);
    expectProblem(await call("POST", "/system-administrators", { body: { email: "x@y.z", roles: ["ROLE_USER"] } }), 400);
    const list = await call("GET", "/system-administrators", { query: { filter: JSON.stringify({ where: { email } }) } });
    expect(list.body.metadata.totalCount).toBe(1);
    // cannot remove yourself
    expectProblem(await call("DELETE", `/system-administrators/${email}`, { token }), 400);

    expect((await call("DELETE", `/system-administrators/${email}`)).status).toBe(200);
    expectProblem(await call("GET", "/info/server", { token, query: { space } }), 403);
    expectProblem(await call("GET", "/system-administrators", { token }), 403);
  });
});
