import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { configurations } from "../../src/db/schema";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

/**
 * Tests of configurations (POST /configurations/{type}/{identifier}/test, POST /configurations/{type}/test)
 * and validation (GET /configurations/validate, /configurations/validate/registered).
 */
const db = createDb(env.DB);
const files = import.meta.glob("../fixtures/alumio-templates/**/*.ndjson", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const outputs = import.meta.glob("../engine/__fixture-outputs__/**/*.json", { import: "default", eager: true }) as Record<string, { entities?: unknown[]; error?: string }>;
const outputOf = (type: string, identifier: string) => outputs[`../engine/__fixture-outputs__/${type}/${identifier}.json`];

/** The generic client with the local stub as its base URI. */
const stubClient = { parameters: { plugins: [{ prototype: "base-uri", parameters: { uri: { parameters: env.STUB_URL } } }] } };

const upper = {
  prototype: "data",
  parameters: {
    transformers: [
      { prototype: "value-mapper", parameters: { accessor: { prototype: "key", parameters: { keys: ["name"] } }, mappers: [{ prototype: "string-upper", parameters: [] }] } },
    ],
  },
};

describe("testing a stored configuration", () => {
  it("runs the imported transformers and incomings on their tests, as the engine's fixture outputs say", async () => {
    const path = Object.keys(files).find((p) => p.endsWith("alumio-to-spryker-product-sync/flow.ndjson"))!;
    const entity = path.replace("flow.ndjson", "entity.ndjson");
    const space = await createSpace();
    const imported = await call("POST", "/configurations/import", { query: { space }, rawBody: files[entity] + "\n" + files[path], contentType: "application/x-ndjson" });
    expect(imported.body.valid).toBe(true);
    // The variables the engine's fixture run uses: base URLs at the local stub, dummy credentials.
    const variables: Record<string, string> = {
      AKENEO_BASE_URL: `${env.STUB_URL}/akeneo`,
      AKENEO_CLIENT_ID: "client-id",
      AKENEO_CLIENT_SECRET: "client-secret",
      AKENEO_USERNAME: "user",
      AKENEO_PASSWORD: "password",
      SPRYKER_BACKOFFICE_GLUE_BASE_URI: `${env.STUB_URL}/spryker`,
      SPRYKER_BACKOFFICE_GLUE_USERNAME: "user",
      SPRYKER_BACKOFFICE_GLUE_PASSWORD: "password",
    };
    for (const [name, value] of Object.entries(variables)) expect((await call("POST", "/environment-variables", { query: { space }, body: { name, value } })).status).toBe(200);
    const lines = files[path].split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { type: string; identifier: string; owner: string | null });
    const owners = new Map<string, string[]>();
    for (const l of lines.filter((l) => (l.type === "transformer-test" || l.type === "incoming-transformer-test") && l.owner)) {
      const ownerType = l.type === "transformer-test" ? "list-transformer" : "incoming-configuration";
      owners.set(`${ownerType}/${l.owner}`, [...(owners.get(`${ownerType}/${l.owner}`) ?? []), l.identifier]);
    }
    expect(owners.size).toBeGreaterThan(3);
    let compared = 0;
    const viewer = await tokenFor(["ROLE_USER"], space);
    for (const [key, tests] of owners) {
      const [type, identifier] = key.split("/");
      const res = await call("POST", `/configurations/${type}/${identifier}/test`, { token: viewer.token, query: { space } });
      expect(res.status, key).toBe(200);
      expect(res.body).toMatchObject({ type, specification: identifier, tester: type === "list-transformer" ? "transformer-test" : "incoming-transformer-test" });
      const results = res.body.response.tests as { identifier: string; output?: unknown; error?: string }[];
      expect(results.map((r) => r.identifier)).toEqual([...tests].sort());
      for (const result of results) {
        const expected = outputOf(type === "list-transformer" ? "transformer-test" : "incoming-transformer-test", result.identifier);
        if (!expected) continue;
        if (expected.error) expect(result.error, result.identifier).toBe(expected.error);
        else expect(result.output, result.identifier).toEqual(expected.entities);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3);
  });

  it("answers the output per test; a failing test reports its error and the others still run", async () => {
    const space = await createSpace();
    const opts = { query: { space } };
    await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", identifier: "upper", name: "Upper", object: upper } });
    await call("POST", "/configurations/transformer-test/upper/relations", { ...opts, body: { name: "One", object: { parameters: { entity: { name: "tnt" } } } } });
    await call("POST", "/configurations/transformer-test/upper/relations", { ...opts, body: { name: "Two", object: { parameters: { entity: { name: "fuse", n: 1 } } } } });
    const res = await call("POST", "/configurations/list-transformer/upper/test", opts);
    expect(res.body).toEqual({
      type: "list-transformer",
      specification: "upper",
      object: "Upper",
      tester: "transformer-test",
      response: {
        tests: [
          { identifier: "upper--one", name: "One", input: { name: "tnt" }, output: [{ name: "TNT" }] },
          { identifier: "upper--two", name: "Two", input: { name: "fuse", n: 1 }, output: [{ name: "FUSE", n: 1 }] },
        ],
      },
    });

    const failing = { prototype: "data", parameters: { transformers: [{ prototype: "exception", parameters: { message: "boom" } }] } };
    await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", identifier: "fails", name: "Fails", object: failing } });
    await call("POST", "/configurations/transformer-test/fails/relations", { ...opts, body: { name: "One", object: { parameters: { entity: { a: 1 } } } } });
    const failed = await call("POST", "/configurations/list-transformer/fails/test", opts);
    expect(failed.status).toBe(200);
    expect(failed.body.response.tests[0]).toMatchObject({ identifier: "fails--one", input: { a: 1 } });
    expect(failed.body.response.tests[0].error).toContain("boom");

    // Without tests: an empty list. Untestable types and unknown configurations are refused.
    await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", identifier: "lonely", name: "Lonely", object: upper } });
    expect((await call("POST", "/configurations/list-transformer/lonely/test", opts)).body.response.tests).toEqual([]);
    expect(expectProblem(await call("POST", "/configurations/storage/anything/test", opts), 400).violations[0].propertyPath).toBe("type");
    expectProblem(await call("POST", "/configurations/list-transformer/nope/test", opts), 404);
  });

  it("an http-client test sends its request (to the local stub)", async () => {
    const space = await createSpace();
    const opts = { query: { space } };
    const client = await call("POST", "/configurations", { ...opts, body: { type: "http-client", identifier: "stub", name: "Stub", object: stubClient } });
    expect(client.status).toBe(200);
    await call("POST", "/configurations/http-client-test/stub/relations", { ...opts, body: { name: "Stores", object: { parameters: { uri: "/config-tests/stores?x=1", method: "GET" } } } });
    await call("POST", "/configurations/http-client-test/stub/relations", { ...opts, body: { name: "Missing", object: { parameters: { uri: "/status/404/config-tests", method: "POST", payload: { a: 1 } } } } });
    const res = await call("POST", "/configurations/http-client/stub/test", opts);
    expect(res.status).toBe(200);
    const [missing, stores] = res.body.response.tests;
    expect(stores).toMatchObject({ identifier: "stub--stores", input: { uri: "/config-tests/stores?x=1", method: "GET" }, output: { status: 200 } });
    expect(stores.output.body.received).toMatchObject({ method: "GET", path: "/config-tests/stores", query: { x: "1" } });
    // The generic client handles 4xx/5xx as errors by default: the test reports it.
    expect(missing).toMatchObject({ identifier: "stub--missing", input: { uri: "/status/404/config-tests", method: "POST", payload: { a: 1 } } });
    expect(missing.error).toContain("404");
    const recorded = await (await fetch(`${env.STUB_URL}/__requests?path=/status/404/config-tests`)).json<{ method: string; body: string }[]>();
    expect(recorded.at(-1)?.method).toBe("POST");
    expect(JSON.parse(recorded.at(-1)!.body)).toEqual({ a: 1 });
  });
});

describe("testing an unsaved configuration", () => {
  it("runs the object in the body on the test data in the body; bad input is a 400", async () => {
    const space = await createSpace();
    const opts = { query: { space } };
    const res = await call("POST", "/configurations/list-transformer/test", { ...opts, body: { object: upper, tests: [{ entity: { name: "a" } }, { entity: { name: "b" } }] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: "list-transformer", specification: "unsaved", tester: "transformer-test" });
    expect(res.body.response.tests.map((t: { output: unknown }) => t.output)).toEqual([[{ name: "A" }], [{ name: "B" }]]);

    const incoming = { parameters: { subscriber: { prototype: "http", parameters: { client: "x" } }, transformers: [upper] } };
    const viaIncoming = await call("POST", "/configurations/incoming-configuration/test", { ...opts, body: { object: { parameters: { ...incoming.parameters, subscriber: undefined } }, tests: [{ entity: { name: "c" } }] } });
    // An incoming needs a subscriber: the violation points at it.
    expect(expectProblem(viaIncoming, 400).violations.map((v) => v.propertyPath)).toContain("object.parameters.subscriber");

    const client = await call("POST", "/configurations/http-client/test", { ...opts, body: { object: stubClient, tests: [{ uri: "/config-tests/unsaved" }] } });
    expect(client.body.response.tests[0].output).toMatchObject({ status: 200, body: { received: { path: "/config-tests/unsaved" } } });

    expect(expectProblem(await call("POST", "/configurations/http-client/test", { ...opts, body: { object: { prototype: "default", parameters: {} }, tests: [{ method: "GET" }] } }), 400).violations.map((v) => v.propertyPath)).toContain("tests[0].uri");
    expect(expectProblem(await call("POST", "/configurations/list-transformer/test", { ...opts, body: { object: { prototype: "nope" }, tests: [{}] } }), 400).violations[0].propertyPath).toBe("object.prototype");
    expect(expectProblem(await call("POST", "/configurations/storage/test", { ...opts, body: { object: { parameters: {} }, tests: [{}] } }), 400).violations[0].propertyPath).toBe("type");
    expectProblem(await call("POST", "/configurations/nope/test", { ...opts, body: { object: {}, tests: [{}] } }), 400);
    expectProblem(await call("POST", "/configurations/list-transformer/test", { ...opts, body: { object: upper, tests: [] } }), 400);
    expect((await call("GET", "/configurations/stored", opts)).body.metadata.totalCount).toBe(0);
  });
});

describe("validation", () => {
  it("validate lists invalid configurations with 200; validate/registered answers 400 when any is invalid", async () => {
    const space = await createSpace();
    const opts = { query: { space } };
    await call("POST", "/configurations", { ...opts, body: { type: "list-transformer", identifier: "upper", name: "Upper", object: upper } });
    await call("POST", "/configurations", { ...opts, body: { type: "storage", identifier: "st", name: "S", object: { parameters: {} } } });
    expect((await call("GET", "/configurations/validate", opts)).body).toEqual({ results: [] });
    expect((await call("GET", "/configurations/validate/registered", opts)).status).toBe(200);

    // Written straight into D1, past the API's validation.
    const now = new Date().toISOString();
    await db.insert(configurations).values({ space, type: "list-transformer", identifier: "broken", name: "Broken", object: { prototype: "chain", parameters: { transformers: [{ prototype: "no-such" }] } }, createdAt: now, updatedAt: now });
    await db.insert(configurations).values({ space, type: "route-configuration", identifier: "lost", name: "Lost", object: { parameters: { incoming: "nowhere", outgoing: "nothing" } }, createdAt: now, updatedAt: now });

    const all = await call("GET", "/configurations/validate", opts);
    expect(all.status).toBe(200);
    expect(all.body.results.map((r: { type: string; identifier: string }) => `${r.type}/${r.identifier}`)).toEqual(["list-transformer/broken", "route-configuration/lost"]);
    expect(all.body.results[0]).toMatchObject({ error: "1 violation(s)", violations: [{ propertyPath: "object.parameters.transformers[0].prototype" }] });
    expect(all.body.results[1].violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(["object.parameters.incoming", "object.parameters.outgoing"]);
    expect((await call("GET", "/configurations/validate", { query: { space, type: "route-configuration" } })).body.results).toHaveLength(1);
    expect((await call("GET", "/configurations/validate", { query: { space, type: "storage" } })).body.results).toEqual([]);

    const registered = await call("GET", "/configurations/validate/registered", opts);
    const problem = expectProblem(registered, 400);
    expect(problem.violations.map((v) => v.propertyPath)).toEqual([
      "list-transformer/broken.object.parameters.transformers[0].prototype",
      "route-configuration/lost.object.parameters.incoming",
      "route-configuration/lost.object.parameters.outgoing",
    ]);
    expect(registered.body.results).toEqual(all.body.results);
    expect((await call("GET", "/configurations/validate/registered", { query: { space, type: "storage" } })).status).toBe(200);
    // Another space is not affected.
    expect((await call("GET", "/configurations/validate/registered", { query: { space: await createSpace() } })).status).toBe(200);
  });
});
