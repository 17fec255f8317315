import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, tokenFor, unique } from "../helpers/api";

const latest = async (space: string, where: Record<string, unknown> = {}) =>
  (await call("GET", "/audit_trail/current_space", { query: { space, filter: JSON.stringify({ where, order: "createdAt desc", limit: 10 }) } })).body;

describe("audit trail", () => {
  it("records every accepted change with user, space, ip, category, action and a redacted request", async () => {
    const space = await createSpace();
    const admin = await tokenFor(["ROLE_ADMINISTRATOR"], space);
    const email = `${unique("new")}@example.com`;
    await call("POST", "/users", { token: admin.token, query: { space }, body: { email, roles: ["ROLE_USER"] }, headers: { "cf-connecting-ip": "203.0.113.7" } });
    const { results } = await latest(space, { action: "createUser" });
    expect(results[0]).toMatchObject({ user: admin.email, spaceIdentifier: space, ipAddress: "203.0.113.7", category: "Users", action: "createUser" });
    expect(results[0].request).toMatchObject({ method: "POST", path: "/api/v1/users", body: { email, roles: ["ROLE_USER"] } });

    const one = await call("GET", `/audit_trail/current_space/item/${results[0].identifier}`, { query: { space } });
    expect(one.body).toEqual(results[0]);
  });

  it("never stores secrets or tokens", async () => {
    const space = await createSpace();
    const admin = await tokenFor(["ROLE_ADMINISTRATOR"], space);
    await call("PATCH", "/users/me/preferences", {
      token: admin.token,
      query: { space },
      body: { updatedPreferences: { apiKey: "sk-live-123", nested: { password: "hunter2", clientSecret: "s3cr3t" }, theme: "dark" } },
    });
    const { results } = await latest(space, { action: "updateCurrentUserPreferences" });
    const text = JSON.stringify(results);
    for (const secret of ["sk-live-123", "hunter2", "s3cr3t", admin.token]) expect(text).not.toContain(secret);
    expect(results[0].request.body.updatedPreferences.theme).toBe("dark");
    // and the token a POST /tokens returns is not in the trail either
    const issued = await call("POST", "/tokens", { token: admin.token, query: { space }, body: { name: "k" } });
    expect(JSON.stringify((await latest(space)).results)).not.toContain(issued.body.access_token);
  });

  it("records refused authentications (401) and refusals (403)", async () => {
    const space = await createSpace();
    const viewer = await tokenFor(["ROLE_USER"], space);
    await call("GET", "/users/me", { token: "forged.token.value", query: { space } });
    await call("POST", "/users", { token: viewer.token, query: { space }, body: { email: `${unique("x")}@example.com`, roles: ["ROLE_USER"] } });
    const refusals = await latest(space, { category: { inq: ["authentication", "authorization"] } });
    expect(refusals.results.map((r: { category: string }) => r.category).sort()).toEqual(["authentication", "authorization"]);
    const forbidden = refusals.results.find((r: { category: string }) => r.category === "authorization");
    expect(forbidden).toMatchObject({ user: viewer.email, action: "createUser" });
    expect(forbidden.message).toMatch(/ROLE_ADMINISTRATOR/);
  });

  it("keeps spaces apart: an administrator sees only their space; the global list is for system administrators", async () => {
    const [a, b] = [await createSpace(), await createSpace()];
    const adminA = await tokenFor(["ROLE_ADMINISTRATOR"], a);
    await tokenFor(["ROLE_USER"], b);
    const own = await call("GET", "/audit_trail/current_space", { token: adminA.token, query: { space: a } });
    expect(own.body.results.every((r: { spaceIdentifier: string }) => r.spaceIdentifier === a)).toBe(true);
    const otherEntry = (await latest(b)).results[0];
    expectProblem(await call("GET", `/audit_trail/current_space/item/${otherEntry.identifier}`, { token: adminA.token, query: { space: a } }), 404);
    expectProblem(await call("GET", "/audit_trail", { token: adminA.token }), 403);
    const global = await call("GET", "/audit_trail", { query: { filter: JSON.stringify({ where: { spaceIdentifier: { inq: [a, b] } } }) } });
    expect(new Set(global.body.results.map((r: { spaceIdentifier: string }) => r.spaceIdentifier))).toEqual(new Set([a, b]));
    expect((await call("GET", `/audit_trail/item/${otherEntry.identifier}`)).body.identifier).toBe(otherEntry.identifier);
  });

  it("exports as a CSV attachment, filtered", async () => {
    const space = await createSpace();
    await tokenFor(["ROLE_USER"], space);
    const res = await call("POST", "/audit_trail/current_space/export", {
      query: { space },
      rawBody: new URLSearchParams({ filter: JSON.stringify({ where: { action: "assignSpaceUsers" } }) }).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-trail-.+\.csv"$/);
    const lines = res.text.trim().split("\r\n");
    expect(lines[0]).toBe("identifier,createdAt,spaceIdentifier,user,ipAddress,category,action,message,request");
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain("assignSpaceUsers");

    const all = await call("POST", "/audit_trail/export", { rawBody: "", contentType: "application/x-www-form-urlencoded" });
    expect(all.text.trim().split("\r\n").length).toBeGreaterThan(2);
    const bad = await call("POST", "/audit_trail/export", { rawBody: "filter=%7Bnope", contentType: "application/x-www-form-urlencoded" });
    expect(expectProblem(bad, 400).violations[0].propertyPath).toBe("filter");
  });
});
