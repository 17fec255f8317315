import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { configurations, environmentVariables } from "../../src/db/schema";
import { D1Variables } from "../../src/domain/environment-variables";
import { call, createSpace, expectProblem, tokenFor, unique, type ApiResponse } from "../helpers/api";

const db = createDb(env.DB);
const BASE = "/environment-variables";

let space: string;
let viewer: string;
let editor: string;

beforeAll(async () => {
  space = await createSpace();
  viewer = (await tokenFor(["ROLE_USER"], space)).token;
  editor = (await tokenFor(["ROLE_EDITOR"], space)).token;
});

const varName = (prefix = "VAR") => `${prefix}_${unique("").replace(/-/g, "_").toUpperCase()}`;

function ok(res: ApiResponse, status = 200) {
  expect(res.status, res.text).toBe(status);
  return res.body;
}

const storedRow = async (name: string, inSpace = space) =>
  (await db.select().from(environmentVariables).where(and(eq(environmentVariables.space, inSpace), eq(environmentVariables.name, name))))[0];

const resolve = (name: string, inSpace = space) => new D1Variables(db, env, inSpace).get(name);

describe("environment variables: CRUD", () => {
  it("creates, reads, lists, updates and deletes a plain variable", async () => {
    const name = varName("AKENEO_BASE_URL");
    const created = ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, description: "Akeneo", value: "https://akeneo.test" } }));
    expect(created).toEqual({ object: { name, description: "Akeneo", value: "https://akeneo.test", encrypted: false, default: false } });

    const got = ok(await call("GET", `${BASE}/${name}`, { token: viewer, query: { space } }));
    expect(got.object).toEqual(created.object);

    const list = ok(await call("GET", BASE, { token: viewer, query: { space, filter: JSON.stringify({ where: { name } }) } }));
    expect(list).toEqual({ metadata: { totalCount: 1 }, results: [created.object] });

    const updated = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { value: "https://other.test" } }));
    expect(updated.object).toMatchObject({ name, description: "Akeneo", value: "https://other.test", encrypted: false });
    const described = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { description: "PIM" } }));
    expect(described.object).toMatchObject({ description: "PIM", value: "https://other.test" });
    expect(await resolve(name)).toBe("https://other.test");

    const deleted = ok(await call("DELETE", `${BASE}/${name}`, { token: editor, query: { space } }));
    expect(deleted.message).toEqual(expect.any(String));
    expectProblem(await call("GET", `${BASE}/${name}`, { token: viewer, query: { space } }), 404);
    expectProblem(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { value: "x" } }), 404);
    expectProblem(await call("DELETE", `${BASE}/${name}`, { token: editor, query: { space } }), 404);
  });

  it("answers 409 for an existing name and keeps the first value", async () => {
    const name = varName("DUP");
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "first" } }));
    expectProblem(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "second", encrypted: true } }), 409);
    expect((await storedRow(name)).value).toBe("first");
  });

  it("refuses bad names, the reserved word, long descriptions and a missing value with 400 and changes nothing", async () => {
    const before = ok(await call("GET", BASE, { token: viewer, query: { space } })).metadata.totalCount;
    for (const name of ["HAS SPACE", "DOLLAR$", "dot.ted", "", "x".repeat(256), "${X}"]) {
      const res = expectProblem(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "v" } }), 400);
      expect(res.violations.map((v) => v.propertyPath)).toEqual(["name"]);
    }
    const reserved = expectProblem(await call("POST", BASE, { token: editor, query: { space }, body: { name: "candidates", value: "v" } }), 400);
    expect(reserved.violations[0]).toMatchObject({ propertyPath: "name", title: expect.stringMatching(/reserved/) });
    const long = expectProblem(await call("POST", BASE, { token: editor, query: { space }, body: { name: varName(), description: "d".repeat(151), value: "v" } }), 400);
    expect(long.violations.map((v) => v.propertyPath)).toEqual(["description"]);
    const missing = expectProblem(await call("POST", BASE, { token: editor, query: { space }, body: { name: varName() } }), 400);
    expect(missing.violations.map((v) => v.propertyPath)).toEqual(["value"]);
    const badFlag = expectProblem(await call("POST", BASE, { token: editor, query: { space }, body: { name: varName(), value: "v", encrypted: "yes" } }), 400);
    expect(badFlag.violations.map((v) => v.propertyPath)).toEqual(["encrypted"]);
    expect(ok(await call("GET", BASE, { token: viewer, query: { space } })).metadata.totalCount).toBe(before);

    // Alumio's pattern allows lower case, digits first and dashes.
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name: `1-lower_${unique("n")}`, value: "v" } }));
  });

  it("filters on name, description, encrypted and default, and refuses value", async () => {
    const prefix = varName("FLT");
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name: `${prefix}_A`, description: "alpha", value: "1" } }));
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name: `${prefix}_B`, description: "beta", value: "2", encrypted: true } }));
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name: `${prefix}_C`, description: "gamma", value: "3" } }));
    const list = (filter: unknown) => call("GET", BASE, { token: viewer, query: { space, filter: JSON.stringify(filter) } });

    const like = ok(await list({ where: { name: { like: `${prefix}%` } }, order: "name desc", limit: 2 }));
    expect(like.metadata.totalCount).toBe(3);
    expect(like.results.map((r: { name: string }) => r.name)).toEqual([`${prefix}_C`, `${prefix}_B`]);
    const skipped = ok(await list({ where: { name: { like: `${prefix}%` } }, order: "name desc", limit: 2, skip: 2 }));
    expect(skipped.results.map((r: { name: string }) => r.name)).toEqual([`${prefix}_A`]);

    const encrypted = ok(await list({ where: { name: { like: `${prefix}%` }, encrypted: true } }));
    expect(encrypted.results).toEqual([{ name: `${prefix}_B`, description: "beta", value: "******", encrypted: true, default: false }]);
    const described = ok(await list({ where: { or: [{ description: "alpha" }, { description: "gamma" }], name: { like: `${prefix}%` } } }));
    expect(described.results.map((r: { name: string }) => r.name)).toEqual([`${prefix}_A`, `${prefix}_C`]);

    expect(expectProblem(await list({ where: { value: "2" } }), 400).violations[0].propertyPath).toBe("filter.where.value");
    expect(expectProblem(await list({ where: { nope: 1 } }), 400).violations[0].propertyPath).toBe("filter.where.nope");
  });
});

describe("environment variables: encrypted values", () => {
  it("shows the value once, then masks it everywhere; the row holds ciphertext", async () => {
    const name = varName("SECRET");
    const plain = `p@ss-${unique("w")}`;
    const created = ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, description: "pw", value: plain, encrypted: true } }));
    expect(created.object).toEqual({ name, description: "pw", value: plain, encrypted: true, default: false });

    const row = await storedRow(name);
    expect(row.encrypted).toBe(true);
    expect(row.value).toMatch(/^v1:[^:]+:[^:]+$/);
    expect(row.value).not.toContain(plain);

    const responses = [
      await call("GET", `${BASE}/${name}`, { token: viewer, query: { space } }),
      await call("GET", BASE, { token: viewer, query: { space, filter: JSON.stringify({ where: { name } }) } }),
      await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { description: "changed", encrypted: true } }),
      await call("GET", `${BASE}/${name}/usages`, { token: viewer, query: { space } }),
      await call("GET", `${BASE}/candidates`, { token: viewer, query: { space } }),
    ];
    for (const res of responses) {
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain(plain);
    }
    expect(responses[0].body.object).toEqual({ name, description: "pw", value: "******", encrypted: true, default: false });
    expect(responses[2].body.object).toMatchObject({ description: "changed", value: "******" });
    expect(await resolve(name)).toBe(plain);
  });

  it("keeps the secret on a blank update (absent, empty or the mask) and replaces it with a new value", async () => {
    const name = varName("KEEP");
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "original", encrypted: true } }));
    const stored = (await storedRow(name)).value;
    for (const body of [{ value: "" }, { value: "******" }, { description: "only the description" }, { value: "", encrypted: true }]) {
      const res = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body }));
      expect(res.object).toMatchObject({ encrypted: true, value: "******" });
      expect((await storedRow(name)).value).toBe(stored);
      expect(await resolve(name)).toBe("original");
    }
    const replaced = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { value: "replacement", encrypted: true } }));
    expect(replaced.object.value).toBe("******");
    expect(await resolve(name)).toBe("replacement");
    expect((await storedRow(name)).value).not.toContain("replacement");
  });

  it("turns encryption on and off: on encrypts the current value; off needs a new value", async () => {
    const name = varName("TOGGLE");
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "visible" } }));
    const on = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { encrypted: true } }));
    expect(on.object).toMatchObject({ encrypted: true, value: "******" });
    expect((await storedRow(name)).value).toMatch(/^v1:/);
    expect(await resolve(name)).toBe("visible");

    const refused = expectProblem(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { encrypted: false } }), 400);
    expect(refused.violations[0].propertyPath).toBe("value");
    expect(await resolve(name)).toBe("visible");

    const off = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { encrypted: false, value: "plain again" } }));
    expect(off.object).toMatchObject({ encrypted: false, value: "plain again" });
    expect((await storedRow(name)).value).toBe("plain again");
  });

  it("keeps every secret out of the audit trail (create, update with encrypted: true, and refused calls)", async () => {
    const name = varName("AUDITED");
    const first = `first-${unique("s")}`;
    const second = `second-${unique("s")}`;
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: first, encrypted: true } }));
    ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { value: second, encrypted: true } }));
    // A viewer's refused write (403) is audited with its body too.
    expectProblem(await call("POST", BASE, { token: viewer, query: { space }, body: { name: varName(), value: first, encrypted: true } }), 403);

    const audit = ok(await call("GET", "/audit_trail/current_space", { query: { space, filter: JSON.stringify({ where: { category: { inq: ["EnvironmentVariables", "authorization"] } }, limit: 100 }) } }));
    const text = JSON.stringify(audit);
    expect(audit.results.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(["createEnvironmentVariable", "updateEnvironmentVariable"]));
    expect(text).toContain(name);
    expect(text).not.toContain(first);
    expect(text).not.toContain(second);
  });

  // An update body may omit `encrypted` on an encrypted variable: the route marks `value` as a
  // secret field, so the audit trail masks it whatever the body says.
  it("keeps the secret out of the audit trail when an update omits `encrypted`", async () => {
    const name = varName("LEAK");
    const secret = `leak-${unique("s")}`;
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "x", encrypted: true } }));
    const res = ok(await call("PUT", `${BASE}/${name}`, { token: editor, query: { space }, body: { value: secret } }));
    expect(JSON.stringify(res)).not.toContain(secret);
    const audit = ok(await call("GET", "/audit_trail/current_space", { query: { space, filter: JSON.stringify({ where: { action: "updateEnvironmentVariable" }, limit: 100 }) } }));
    expect(JSON.stringify(audit)).not.toContain(secret);
  });
});

describe("environment variables: access, spaces, system variables, fixed paths", () => {
  it("lets a viewer read but not write (403), and changes nothing", async () => {
    const name = varName("RO");
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "v" } }));
    ok(await call("GET", BASE, { token: viewer, query: { space } }));
    ok(await call("GET", `${BASE}/${name}`, { token: viewer, query: { space } }));
    ok(await call("GET", `${BASE}/candidates`, { token: viewer, query: { space } }));
    ok(await call("GET", `${BASE}/${name}/usages`, { token: viewer, query: { space } }));
    expectProblem(await call("POST", BASE, { token: viewer, query: { space }, body: { name: varName(), value: "v" } }), 403);
    expectProblem(await call("PUT", `${BASE}/${name}`, { token: viewer, query: { space }, body: { value: "w" } }), 403);
    expectProblem(await call("DELETE", `${BASE}/${name}`, { token: viewer, query: { space } }), 403);
    expect((await storedRow(name)).value).toBe("v");
    expectProblem(await call("GET", BASE, { token: null, query: { space } }), 401);
  });

  it("keeps spaces apart: the same name in two spaces, invisible across them", async () => {
    const other = await createSpace();
    const otherEditor = (await tokenFor(["ROLE_EDITOR"], other)).token;
    const name = varName("ISO");
    ok(await call("POST", BASE, { token: editor, query: { space }, body: { name, value: "here" } }));
    expectProblem(await call("GET", `${BASE}/${name}`, { token: otherEditor, query: { space: other } }), 404);
    expect(ok(await call("GET", BASE, { token: otherEditor, query: { space: other, filter: JSON.stringify({ where: { name } }) } })).metadata.totalCount).toBe(0);
    ok(await call("POST", BASE, { token: otherEditor, query: { space: other }, body: { name, value: "there" } }));
    expect(await resolve(name)).toBe("here");
    expect(await resolve(name, other)).toBe("there");
    // No access to the first space at all.
    expectProblem(await call("GET", `${BASE}/${name}`, { token: otherEditor, query: { space } }), 403);
    expectProblem(await call("DELETE", `${BASE}/${name}`, { token: otherEditor, query: { space } }), 403);
    expect(await resolve(name)).toBe("here");
  });

  it("lists system variables (default: true) that a user variable overrides and deleting it restores", async () => {
    const own = await createSpace();
    const ownEditor = (await tokenFor(["ROLE_EDITOR"], own)).token;
    const defaults = ok(await call("GET", BASE, { token: ownEditor, query: { space: own, filter: JSON.stringify({ where: { default: true } }) } }));
    expect(defaults.results).toEqual([
      { name: "SPACE", description: expect.any(String), value: own, encrypted: false, default: true },
      { name: "SPACE_NAME", description: expect.any(String), value: own, encrypted: false, default: true },
      { name: "SPACE_PURPOSE", description: expect.any(String), value: "test", encrypted: false, default: true },
    ]);
    expect(ok(await call("GET", `${BASE}/SPACE`, { token: ownEditor, query: { space: own } })).object).toMatchObject({ value: own, default: true });
    expectProblem(await call("DELETE", `${BASE}/SPACE`, { token: ownEditor, query: { space: own } }), 400);

    ok(await call("POST", BASE, { token: ownEditor, query: { space: own }, body: { name: "SPACE", value: "custom" } }));
    const all = ok(await call("GET", BASE, { token: ownEditor, query: { space: own } }));
    expect(all.results.filter((r: { name: string }) => r.name === "SPACE")).toEqual([
      { name: "SPACE", description: "", value: "custom", encrypted: false, default: false },
    ]);
    expect(all.metadata.totalCount).toBe(3);
    expect(await resolve("SPACE", own)).toBe("custom");

    ok(await call("DELETE", `${BASE}/SPACE`, { token: ownEditor, query: { space: own } }));
    expect(ok(await call("GET", `${BASE}/SPACE`, { token: ownEditor, query: { space: own } })).object).toMatchObject({ value: own, default: true });
    expect(await resolve("SPACE", own)).toBe(own);

    // PUT on a system variable creates the override.
    const put = ok(await call("PUT", `${BASE}/SPACE_NAME`, { token: ownEditor, query: { space: own }, body: { value: "Renamed" } }));
    expect(put.object).toMatchObject({ name: "SPACE_NAME", value: "Renamed", default: false });
    expectProblem(await call("PUT", `${BASE}/SPACE_PURPOSE`, { token: ownEditor, query: { space: own }, body: { description: "no value" } }), 400);
  });

  it("answers candidates and usages through the API; candidates is a fixed path", async () => {
    const own = await createSpace();
    const ownEditor = (await tokenFor(["ROLE_EDITOR"], own)).token;
    const now = new Date().toISOString();
    await db.insert(configurations).values({
      space: own,
      type: "http-client",
      identifier: "magento",
      name: "Magento",
      object: { prototype: "default", parameters: { baseUri: "${MAGENTO_BASE_URL}", uri: "/rest/${MAGENTO_STORE}/V1/products" } },
      createdAt: now,
      updatedAt: now,
    });
    ok(await call("POST", BASE, { token: ownEditor, query: { space: own }, body: { name: "MAGENTO_STORE", value: "default" } }));

    const candidates = ok(await call("GET", `${BASE}/candidates`, { token: ownEditor, query: { space: own } }));
    expect(candidates).toEqual({
      metadata: { totalCount: 1 },
      results: [
        {
          name: "MAGENTO_BASE_URL",
          matches: [
            {
              type: "configuration",
              metadata: { type: "http-client", identifier: "magento", name: "Magento" },
              payload: { propertyPath: "object.parameters.baseUri", value: "${MAGENTO_BASE_URL}" },
            },
          ],
        },
      ],
    });
    const usages = ok(await call("GET", `${BASE}/MAGENTO_STORE/usages`, { token: ownEditor, query: { space: own } }));
    expect(usages).toEqual({ metadata: { totalCount: 1 }, results: [{ type: "http-client", identifier: "magento", name: "Magento" }] });
    expect(ok(await call("GET", `${BASE}/UNUSED/usages`, { token: ownEditor, query: { space: own } }))).toEqual({ metadata: { totalCount: 0 }, results: [] });
  });

  it("publishes every operation with its operationId and tag", async () => {
    const doc = ok(await call("GET", "/api/v1/schema.json", { token: null }));
    const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId} ${op.tags?.[0]}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        "GET /api/v1/environment-variables getEnvironmentVariables EnvironmentVariables",
        "POST /api/v1/environment-variables createEnvironmentVariable EnvironmentVariables",
        "GET /api/v1/environment-variables/{name} getEnvironmentVariable EnvironmentVariables",
        "PUT /api/v1/environment-variables/{name} updateEnvironmentVariable EnvironmentVariables",
        "DELETE /api/v1/environment-variables/{name} deleteEnvironmentVariable EnvironmentVariables",
        "GET /api/v1/environment-variables/candidates getEnvironmentVariableCandidates EnvironmentVariables",
        "GET /api/v1/environment-variables/{variable}/usages getEnvironmentVariableUsages EnvironmentVariables",
      ]),
    );
  });
});
