import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, tokenFor, unique } from "../helpers/api";

async function hmacHex(secret: string, message: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function provisioningRequests(identifier: string) {
  const res = await fetch(`${env.STUB_URL}/__requests?path=/provisioning`);
  const all = (await res.json()) as { headers: Record<string, string>; body: string }[];
  return all.filter((r) => JSON.parse(r.body).space.identifier === identifier);
}

describe("spaces", () => {
  it("the default space exists and is active", async () => {
    const res = await call("GET", "/spaces/default");
    expect(res.body.object).toMatchObject({ identifier: "default", status: "active" });
  });

  it("creates a space with users and workers, syncs it to the provisioning webhook with a valid signature", async () => {
    const identifier = unique("acme");
    const member = `${unique("dev")}@example.com`;
    const res = await call("POST", "/spaces", {
      body: {
        object: { identifier, name: "Acme", purpose: "dev", termsAgreed: true },
        users: [{ email: member, roles: ["ROLE_ADMINISTRATOR"] }],
        dataEngines: [{ spaceIdentifier: identifier, workers: 3 }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.object).toMatchObject({ identifier, name: "Acme", purpose: "dev", workers: 3, termsAgreed: 1, status: "active", syncStatus: "succeeded" });

    const [sent] = await provisioningRequests(identifier);
    const expected = await hmacHex("test-provisioning-secret", `${sent.headers["x-open-alumio-timestamp"]}.${sent.body}`);
    expect(sent.headers["x-open-alumio-signature"]).toBe(`sha256=${expected}`);

    const users = await call("GET", `/spaces/${identifier}/users`);
    expect(users.body.results).toEqual([{ email: member, space: identifier, roles: ["ROLE_ADMINISTRATOR"] }]);
  });

  it("a failed sync leaves the space initialized; retry syncs it once the webhook answers", async () => {
    const identifier = unique("flaky");
    await fetch(`${env.STUB_URL}/__fail-provisioning/${identifier}`, { method: "PUT" });
    const created = await call("POST", "/spaces", { body: { object: { identifier, name: "Flaky", purpose: "test" }, users: [], dataEngines: [] } });
    expect(created.body.object).toMatchObject({ status: "initialized", syncStatus: "failed" });
    expect(created.body.object.syncMessage).toContain("503");

    const stillFailing = await call("POST", `/spaces/${identifier}/sync`);
    expect(stillFailing.body.object.status).toBe("initialized");

    await fetch(`${env.STUB_URL}/__fail-provisioning/${identifier}`, { method: "DELETE" });
    const retried = await call("POST", `/spaces/${identifier}/sync`);
    expect(retried.status).toBe(200);
    expect(retried.body.object).toMatchObject({ status: "active", syncStatus: "succeeded" });
    // Only an initialized space can be synced.
    expectProblem(await call("POST", `/spaces/${identifier}/sync`), 409);
  });

  it("refuses duplicates, reserved words and invalid identifiers, and changes nothing", async () => {
    const before = (await call("GET", "/spaces")).body.metadata.totalCount;
    expectProblem(await call("POST", "/spaces", { body: { object: { identifier: "default", name: "x", purpose: "dev" }, users: [], dataEngines: [] } }), 409);
    const reserved = expectProblem(await call("POST", "/spaces", { body: { object: { identifier: "workers", name: "x", purpose: "dev" }, users: [], dataEngines: [] } }), 400);
    expect(reserved.violations[0].propertyPath).toBe("object.identifier");
    const invalid = expectProblem(
      await call("POST", "/spaces", { body: { object: { identifier: "Not Valid", name: "", purpose: "moon" }, users: [{ email: "nope", roles: [] }], dataEngines: [] } }),
      400,
    );
    expect(invalid.violations.map((v) => v.propertyPath).sort()).toEqual(["object.identifier", "object.name", "object.purpose", "users[0].email", "users[0].roles"].sort());
    expect((await call("GET", "/spaces")).body.metadata.totalCount).toBe(before);
  });

  it("upserts: creates, then updates name, description and purpose", async () => {
    const identifier = unique("up");
    const created = await call("PUT", "/spaces", { body: { identifier, name: "One", purpose: "dev" } });
    expect(created.body.object).toMatchObject({ identifier, name: "One", status: "active" });
    const updated = await call("PUT", "/spaces", { body: { identifier, name: "Two", description: "second", purpose: "prod" } });
    expect(updated.body.object).toMatchObject({ identifier, name: "Two", description: "second", purpose: "prod", createdAt: created.body.object.createdAt });
  });

  it("lists only the spaces a user belongs to; a member of A cannot read space B", async () => {
    const a = unique("a");
    const b = unique("b");
    for (const id of [a, b]) await call("PUT", "/spaces", { body: { identifier: id, name: id, purpose: "dev" } });
    const user = await tokenFor(["ROLE_USER"], a);
    const list = await call("GET", "/spaces", { token: user.token });
    expect(list.body.results.map((s: { identifier: string }) => s.identifier)).toEqual([a]);
    expect((await call("GET", `/spaces/${a}`, { token: user.token })).status).toBe(200);
    expectProblem(await call("GET", `/spaces/${b}`, { token: user.token }), 403);
    expectProblem(await call("GET", "/users/me/table-filters", { token: null }), 401);
    expectProblem(await call("PUT", "/users/me/space-preferences", { token: user.token, query: { space: b }, body: { updatedPreferences: { x: 1 } } }), 403);
  });

  it("filters spaces with the filter grammar", async () => {
    const id = unique("filt");
    await call("PUT", "/spaces", { body: { identifier: id, name: "Filtered", purpose: "uat" } });
    const res = await call("GET", "/spaces", { query: { filter: JSON.stringify({ where: { identifier: { like: `${id}%` }, purpose: "uat" } }) } });
    expect(res.body.metadata.totalCount).toBe(1);
    expect(res.body.results[0].identifier).toBe(id);
  });
});
