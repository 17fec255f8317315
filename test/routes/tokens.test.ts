import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, tokenFor, unique } from "../helpers/api";

describe("API tokens", () => {
  it("issues a JWT whose jti is the token identifier, and it authenticates its user", async () => {
    const { token, email, identifier } = await tokenFor(["ROLE_EDITOR"]);
    const [, payload] = token.split(".");
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.jti).toBe(identifier);
    expect(claims.sub).toBe(email);
    const me = await call("GET", "/users/me", { token });
    expect(me.status).toBe(200);
    expect(me.body.object).toMatchObject({ email, roles: ["ROLE_EDITOR"] });
  });

  it("never shows the access token again after creation", async () => {
    const { token, identifier } = await tokenFor(["ROLE_USER"]);
    const one = await call("GET", `/tokens/${identifier}`, { token });
    const list = await call("GET", "/tokens", { token });
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.results.map((t: { identifier: string }) => t.identifier)).toContain(identifier);
  });

  it("stops working at once when revoked (401), and the revocation is audited", async () => {
    const { token, identifier } = await tokenFor(["ROLE_USER"]);
    expect((await call("GET", "/users/me", { token })).status).toBe(200);
    const revoked = await call("DELETE", `/tokens/${identifier}`, { token });
    expect(revoked.status).toBe(200);
    const after = await call("GET", "/users/me", { token });
    expectProblem(after, 401);
    expect(after.body.detail).toMatch(/revoked/);
    const audit = await call("GET", "/audit_trail", { query: { filter: JSON.stringify({ where: { action: "deleteToken" }, order: "createdAt desc", limit: 5 }) } });
    expect(audit.body.results.some((e: { request: { path: string } }) => e.request.path.endsWith(identifier))).toBe(true);
  });

  it("refuses forged, malformed and expired tokens with 401", async () => {
    const { token, email, identifier } = await tokenFor(["ROLE_USER"]);
    const forged = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setJti(identifier).setSubject(email).sign(new TextEncoder().encode("not-the-secret"));
    expectProblem(await call("GET", "/users/me", { token: forged }), 401);
    expectProblem(await call("GET", "/users/me", { token: `${token}x` }), 401);
    expectProblem(await call("GET", "/users/me", { token: "garbage" }), 401);
    expectProblem(await call("GET", "/users/me", { token: null, headers: { authorization: "Basic abc" } }), 401);
    // A genuine signature over another user's subject with a real jti is still refused.
    const swapped = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setJti(identifier).setSubject("someone@else.test").sign(new TextEncoder().encode(env.JWT_SECRET));
    expectProblem(await call("GET", "/users/me", { token: swapped }), 401);

    const expired = await call("POST", "/tokens", { body: { name: "short", user: email, expiresAt: new Date(Date.now() - 1000).toISOString() } });
    expect(expired.status).toBe(200);
    const res = await call("GET", "/users/me", { token: expired.body.access_token });
    expectProblem(res, 401);
  });

  it("records lastUsed on use, without writing on every request", async () => {
    const { token, identifier } = await tokenFor(["ROLE_USER"]);
    expect((await call("GET", `/tokens/${identifier}`, { token })).body.object.lastUsed).not.toBeNull();
    const first = (await call("GET", `/tokens/${identifier}`, { token })).body.object.lastUsed;
    for (let i = 0; i < 3; i++) await call("GET", "/users/me", { token });
    const later = (await call("GET", `/tokens/${identifier}`, { token })).body.object.lastUsed;
    expect(later).toBe(first);
  });

  it("lets an administrator issue a key for a member of their space, and nobody else", async () => {
    const space = await createSpace();
    const admin = await tokenFor(["ROLE_ADMINISTRATOR"], space);
    const member = `${unique("svc")}@example.com`;
    await call("PUT", `/spaces/${space}/users`, { body: { users: [{ email: member, roles: ["ROLE_USER"] }] } });

    const issued = await call("POST", "/tokens", { token: admin.token, query: { space }, body: { name: "svc", user: member } });
    expect(issued.status).toBe(200);
    const me = await call("GET", "/users/me", { token: issued.body.access_token, query: { space } });
    expect(me.body.object.email).toBe(member);

    const outsider = await call("POST", "/tokens", { token: admin.token, query: { space }, body: { name: "x", user: `${unique("no")}@example.com` } });
    expect(expectProblem(outsider, 400).violations[0].propertyPath).toBe("user");
    const editor = await tokenFor(["ROLE_EDITOR"], space);
    expectProblem(await call("POST", "/tokens", { token: editor.token, query: { space }, body: { name: "x", user: member } }), 403);
    // An editor cannot read or revoke someone else's token.
    expectProblem(await call("GET", `/tokens/${issued.body.identifier}`, { token: editor.token }), 403);
    expectProblem(await call("DELETE", `/tokens/${issued.body.identifier}`, { token: editor.token }), 403);
  });

  it("validates the body: name is required and at most 45 characters", async () => {
    const { token } = await tokenFor(["ROLE_USER"]);
    const before = (await call("GET", "/tokens", { token })).body.metadata.totalCount;
    const tooLong = expectProblem(await call("POST", "/tokens", { token, body: { name: "x".repeat(46) } }), 400);
    expect(tooLong.violations.map((v) => v.propertyPath)).toEqual(["name"]);
    const missing = expectProblem(await call("POST", "/tokens", { token, body: {} }), 400);
    expect(missing.violations[0].propertyPath).toBe("name");
    expect((await call("GET", "/tokens", { token })).body.metadata.totalCount).toBe(before);
  });

  it("updates name and description", async () => {
    const { token, identifier } = await tokenFor(["ROLE_USER"]);
    const res = await call("PUT", `/tokens/${identifier}`, { token, body: { name: "ci", description: "for CI" } });
    expect(res.body.object).toMatchObject({ identifier, name: "ci", description: "for CI" });
  });
});
