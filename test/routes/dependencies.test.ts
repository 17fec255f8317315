import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { configurations } from "../../src/db/schema";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

/**
 * The dependency graph (GET /di/{type}/{identifier}/usages, .../relations, POST /di/relations,
 * GET /di/dependants) and the type overviews (GET /di/{type}, /di/{type}/configurations), on small
 * hand-made graphs (written straight into D1, so a cycle and a dangling reference are possible)
 * and on an imported fixture export.
 */
const db = createDb(env.DB);

type Row = { type: string; identifier: string; object: Record<string, unknown> };

async function insert(space: string, rows: Row[]) {
  const now = new Date().toISOString();
  // One row per statement: D1 binds at most 100 parameters.
  const statements = rows.map((r) => db.insert(configurations).values({ space, ...r, name: `Name of ${r.identifier}`, createdAt: now, updatedAt: now }));
  await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

const chain = (...transformers: unknown[]) => ({ prototype: "chain", parameters: { transformers } });

/**
 * route -> in (-> client, t1), out (-> client), t2; route2 -> in2, out.
 * t1 -> a, ghost (does not exist); t2 -> a twice (nested), st (storage); a -> b -> a (a cycle).
 */
const GRAPH: Row[] = [
  { type: "http-client", identifier: "client", object: { prototype: "default", parameters: { baseUri: "http://x" } } },
  { type: "storage", identifier: "st", object: { parameters: { path: "st" } } },
  { type: "incoming-configuration", identifier: "in", object: { parameters: { subscriber: { prototype: "http", parameters: { client: "client" } }, transformers: ["t1"] } } },
  { type: "incoming-configuration", identifier: "in2", object: { parameters: { subscriber: { prototype: "http", parameters: { client: "client" } } } } },
  { type: "outgoing-configuration", identifier: "out", object: { parameters: { publisher: { prototype: "http", parameters: { client: "client" } }, transformers: [] } } },
  { type: "route-configuration", identifier: "route", object: { parameters: { incoming: "in", outgoing: "out", transformers: ["t2"] } } },
  { type: "route-configuration", identifier: "route2", object: { parameters: { incoming: "in2", outgoing: "out" } } },
  { type: "list-transformer", identifier: "t1", object: chain("a", "ghost") },
  { type: "list-transformer", identifier: "t2", object: chain(chain("a", "a"), { prototype: "storage-filter", parameters: { storage: "st" } }) },
  { type: "list-transformer", identifier: "a", object: chain("b") },
  { type: "list-transformer", identifier: "b", object: chain("a") },
];

async function graphSpace() {
  const space = await createSpace();
  await insert(space, GRAPH);
  return space;
}

const keys = (nodes: { type: string; identifier: string }[]) => nodes.map((n) => `${n.type}/${n.identifier}`).sort();
type RelationNode = { type: string; identifier: string; name: string; relationships: { relation: string; node: { type: string; identifier: string }; paths: string[] }[] };
const edges = (node: RelationNode) => node.relationships.map((r) => `${r.relation} ${r.node.type}/${r.node.identifier} ${r.paths.join(",")}`).sort();

describe("usages", () => {
  it("lists where a configuration is referenced, with the property path", async () => {
    const space = await graphSpace();
    const user = await tokenFor(["ROLE_USER"], space);
    const res = await call("GET", "/di/list-transformer/a/usages", { token: user.token, query: { space } });
    expect(res.status).toBe(200);
    const usages = res.body.usages.map((u: { propertyPath: string; type: string; specification: { identifier: string } }) => `${u.type}/${u.specification.identifier} ${u.propertyPath}`).sort();
    expect(usages).toEqual([
      "list-transformer/b object.parameters.transformers[0]",
      "list-transformer/t1 object.parameters.transformers[0]",
      "list-transformer/t2 object.parameters.transformers[0].parameters.transformers[0]",
      "list-transformer/t2 object.parameters.transformers[0].parameters.transformers[1]",
    ]);
    expect(res.body.usages[0].specification).toHaveProperty("name");

    const client = await call("GET", "/di/http-client/client/usages", { query: { space } });
    expect(client.body.usages.map((u: { propertyPath: string }) => u.propertyPath)).toEqual([
      "object.parameters.subscriber.parameters.client",
      "object.parameters.subscriber.parameters.client",
      "object.parameters.publisher.parameters.client",
    ]);
    expect((await call("GET", "/di/route-configuration/route/usages", { query: { space } })).body).toEqual({ usages: [] });
    expectProblem(await call("GET", "/di/list-transformer/ghost/usages", { query: { space } }), 404);
    expectProblem(await call("GET", "/di/list-transformer/a/usages", { query: { space: await createSpace() } }), 404);
  });
});

describe("relations", () => {
  it("down: what a configuration uses; up: what uses it; both: one step each way", async () => {
    const space = await graphSpace();
    const get = async (type: string, identifier: string, direction?: string) =>
      (await call("GET", `/di/${type}/${identifier}/relations`, { query: { space, ...(direction ? { direction } : {}) } })).body.nodes as RelationNode[];

    const down = await get("list-transformer", "t2", "down");
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ type: "list-transformer", identifier: "t2", name: "Name of t2" });
    expect(edges(down[0])).toEqual([
      "uses list-transformer/a object.parameters.transformers[0].parameters.transformers[0],object.parameters.transformers[0].parameters.transformers[1]",
      "uses storage/st object.parameters.transformers[1].parameters.storage",
    ]);

    const up = await get("list-transformer", "t2", "up");
    expect(edges(up[0])).toEqual(["used-by route-configuration/route object.parameters.transformers[0]"]);

    const both = await get("list-transformer", "t2", "both");
    expect(both).toHaveLength(1);
    expect(edges(both[0])).toEqual([...edges(down[0]), ...edges(up[0])].sort());
    // `both` is the default direction.
    expect(await get("list-transformer", "t2")).toEqual(both);

    // A dangling reference is still a `uses` edge.
    expect(edges((await get("list-transformer", "t1", "down"))[0])).toContain("uses list-transformer/ghost object.parameters.transformers[1]");
  });

  it("recursive: every dependency and every dependant, transitively, without mixing the two walks", async () => {
    const space = await graphSpace();
    const res = await call("GET", "/di/route-configuration/route/relations", { query: { space, direction: "recursive" } });
    expect(res.status).toBe(200);
    expect(keys(res.body.nodes)).toEqual(
      [
        "route-configuration/route",
        "incoming-configuration/in",
        "outgoing-configuration/out",
        "http-client/client",
        "list-transformer/t1",
        "list-transformer/t2",
        "list-transformer/a",
        "list-transformer/b",
        "list-transformer/ghost",
        "storage/st",
      ].sort(),
    );
    // route2 shares `out` and `client` with route, but neither depends on route nor is a dependency of it.
    const nodes = res.body.nodes as RelationNode[];
    expect(nodes[0].identifier).toBe("route");
    const ghost = nodes.find((n) => n.identifier === "ghost")!;
    expect(ghost).toEqual({ type: "list-transformer", identifier: "ghost", name: "", relationships: [] });
    // Nodes reached downwards list what they use.
    expect(edges(nodes.find((n) => n.identifier === "out")!)).toEqual(["uses http-client/client object.parameters.publisher.parameters.client"]);

    // From the shared client upwards: everything that depends on it, routes included.
    const upwards = await call("GET", "/di/http-client/client/relations", { query: { space, direction: "recursive" } });
    expect(keys(upwards.body.nodes)).toEqual(
      ["http-client/client", "incoming-configuration/in", "incoming-configuration/in2", "outgoing-configuration/out", "route-configuration/route", "route-configuration/route2"].sort(),
    );
  });

  it("a cycle ends: each node is expanded once per direction", async () => {
    const space = await graphSpace();
    const res = await call("GET", "/di/list-transformer/a/relations", { query: { space, direction: "recursive" } });
    expect(res.status).toBe(200);
    expect(keys(res.body.nodes)).toEqual(["list-transformer/a", "list-transformer/b", "list-transformer/t1", "list-transformer/t2", "incoming-configuration/in", "route-configuration/route"].sort());
    const a = (res.body.nodes as RelationNode[]).find((n) => n.identifier === "a")!;
    expect(edges(a)).toEqual(
      [
        "uses list-transformer/b object.parameters.transformers[0]",
        "used-by list-transformer/b object.parameters.transformers[0]",
        "used-by list-transformer/t1 object.parameters.transformers[0]",
        "used-by list-transformer/t2 object.parameters.transformers[0].parameters.transformers[0],object.parameters.transformers[0].parameters.transformers[1]",
      ].sort(),
    );
    const b = (res.body.nodes as RelationNode[]).find((n) => n.identifier === "b")!;
    expect(edges(b)).toEqual(["used-by list-transformer/a object.parameters.transformers[0]", "uses list-transformer/a object.parameters.transformers[0]"]);

    // A self-reference.
    const self = await createSpace();
    await insert(self, [{ type: "list-transformer", identifier: "me", object: chain("me") }]);
    const mine = await call("GET", "/di/list-transformer/me/relations", { query: { space: self, direction: "recursive" } });
    expect(mine.body.nodes).toHaveLength(1);
    expect(edges(mine.body.nodes[0])).toEqual(["used-by list-transformer/me object.parameters.transformers[0]", "uses list-transformer/me object.parameters.transformers[0]"]);
  });

  it("POST /di/relations resolves several at once; unknown ones and bad input are refused", async () => {
    const space = await graphSpace();
    const objects = [
      { type: "list-transformer", identifier: "a" },
      { type: "storage", identifier: "st" },
      { type: "list-transformer", identifier: "a" },
    ];
    const res = await call("POST", "/di/relations", { query: { space, direction: "up" }, body: { objects } });
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: RelationNode) => n.identifier)).toEqual(["a", "st"]);
    expect(edges(res.body.nodes[1])).toEqual(["used-by list-transformer/t2 object.parameters.transformers[1].parameters.storage"]);
    expect(res.body.nodes[0].relationships.every((r: { relation: string }) => r.relation === "used-by")).toBe(true);

    const missing = expectProblem(await call("POST", "/di/relations", { query: { space }, body: { objects: [objects[0], { type: "storage", identifier: "nope" }] } }), 404);
    expect(missing.violations.map((v) => v.propertyPath)).toEqual(["objects[1]"]);
    expectProblem(await call("POST", "/di/relations", { query: { space }, body: { objects: [] } }), 400);
    expect(expectProblem(await call("POST", "/di/relations", { query: { space, direction: "sideways" }, body: { objects } }), 400).violations[0].propertyPath).toContain("direction");
    expectProblem(await call("GET", "/di/list-transformer/a/relations", { query: { space, direction: "sideways" } }), 400);
    expectProblem(await call("GET", "/di/list-transformer/ghost/relations", { query: { space } }), 404);
  });
});

describe("dependants", () => {
  it("lists every referenced configuration with its usages, filtered with the filter grammar", async () => {
    const space = await graphSpace();
    const all = await call("GET", "/di/dependants", { query: { space } });
    expect(all.status).toBe(200);
    expect(keys(all.body.dependants)).toEqual(
      [
        "http-client/client",
        "incoming-configuration/in",
        "incoming-configuration/in2",
        "list-transformer/a",
        "list-transformer/b",
        "list-transformer/ghost",
        "list-transformer/t1",
        "list-transformer/t2",
        "outgoing-configuration/out",
        "storage/st",
      ].sort(),
    );
    // Default order: type, then identifier.
    expect(all.body.dependants.map((d: { type: string; identifier: string }) => `${d.type}/${d.identifier}`)).toEqual(keys(all.body.dependants));
    const client = all.body.dependants.find((d: { identifier: string }) => d.identifier === "client");
    expect(client.usages).toHaveLength(3);

    const filter = (f: unknown) => call("GET", "/di/dependants", { query: { space, filter: JSON.stringify(f) } });
    expect((await filter({ where: { type: "list-transformer" }, order: "identifier desc", limit: 2 })).body.dependants.map((d: { identifier: string }) => d.identifier)).toEqual(["t2", "t1"]);
    expect((await filter({ where: { identifier: { like: "in%" } } })).body.dependants.map((d: { identifier: string }) => d.identifier)).toEqual(["in", "in2"]);
    expect((await filter({ where: { type: "storage", identifier: "st" } })).body.dependants[0].usages).toEqual([
      { propertyPath: "object.parameters.transformers[1].parameters.storage", type: "list-transformer", specification: { type: "list-transformer", identifier: "t2", name: "Name of t2" } },
    ]);
    expect(expectProblem(await filter({ where: { name: "x" } }), 400).violations[0].propertyPath).toContain("name");
    expectProblem(await call("GET", "/di/dependants", { query: { space, filter: "{nope" } }), 400);
    expect((await call("GET", "/di/dependants", { query: { space: await createSpace() } })).body).toEqual({ dependants: [] });
  });
});

describe("the graph of an imported fixture export", () => {
  const files = import.meta.glob("../fixtures/alumio-templates/**/*.ndjson", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
  const bundle = Object.keys(files).find((p) => p.endsWith("spryker-from-akeneo-template.ndjson"))!;

  it("uses and used-by mirror each other; usages and dependants agree", async () => {
    const space = await createSpace();
    const imported = await call("POST", "/configurations/import", { query: { space }, rawBody: files[bundle], contentType: "application/x-ndjson" });
    expect(imported.body.valid).toBe(true);
    const stored = await call("GET", "/configurations/stored", { query: { space, filter: JSON.stringify({ limit: 1000 }) } });
    const objects = stored.body.results.map((c: { type: string; identifier: string }) => ({ type: c.type, identifier: c.identifier }));
    expect(objects.length).toBeGreaterThan(100);

    const res = await call("POST", "/di/relations", { query: { space, direction: "both" }, body: { objects } });
    expect(res.status).toBe(200);
    const nodes = new Map((res.body.nodes as RelationNode[]).map((n) => [`${n.type}/${n.identifier}`, n]));
    expect(nodes.size).toBe(objects.length);
    let uses = 0;
    for (const node of nodes.values()) {
      for (const r of node.relationships.filter((r) => r.relation === "uses")) {
        const target = nodes.get(`${r.node.type}/${r.node.identifier}`);
        if (!target) continue; // Alumio's own entity schemas are referenced without being exported
        uses++;
        const back = target.relationships.find((b) => b.relation === "used-by" && b.node.type === node.type && b.node.identifier === node.identifier);
        expect(back?.paths, `${node.identifier} -> ${r.node.identifier}`).toEqual(r.paths);
      }
    }
    expect(uses).toBeGreaterThan(100);

    // Every route reaches, downwards and transitively, an incoming and an outgoing and at least one http client.
    const routes = objects.filter((o: { type: string }) => o.type === "route-configuration");
    for (const route of routes) {
      const down = await call("GET", `/di/route-configuration/${route.identifier}/relations`, { query: { space, direction: "recursive" } });
      const types = new Set(down.body.nodes.map((n: RelationNode) => n.type));
      expect([...types], route.identifier).toEqual(expect.arrayContaining(["incoming-configuration", "outgoing-configuration", "http-client"]));
      expect(down.body.nodes.filter((n: RelationNode) => n.type === "route-configuration")).toHaveLength(1);
    }

    // The dependants are the `used-by` side of the same graph.
    const dependants = (await call("GET", "/di/dependants", { query: { space } })).body.dependants as { type: string; identifier: string; usages: unknown[] }[];
    for (const d of dependants) {
      const node = nodes.get(`${d.type}/${d.identifier}`);
      if (!node) continue;
      const usedBy = node.relationships.filter((r) => r.relation === "used-by").reduce((n, r) => n + r.paths.length, 0);
      expect(d.usages.length, `${d.type}/${d.identifier}`).toBe(usedBy);
      const usages = await call("GET", `/di/${d.type}/${d.identifier}/usages`, { query: { space } });
      expect(usages.body.usages).toEqual(d.usages);
      break; // one full comparison through the usages route is enough
    }
  });
});

describe("type overviews", () => {
  it("GET /di/{type}: the configurations of the type, its prototypes and the default prototype", async () => {
    const space = await graphSpace();
    const res = await call("GET", "/di/list-transformer", { query: { space } });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe("list-transformer");
    expect(res.body.configurations.map((c: { identifier: string }) => c.identifier)).toEqual(["a", "b", "t1", "t2"]);
    expect(res.body.configurations[0]).toMatchObject({ identifier: "a", name: "Name of a", description: "", disabled: false, context: {} });
    expect(res.body.prototypes.map((p: { identifier: string }) => p.identifier)).toContain("chain");
    expect(res.body).toHaveProperty("defaultPrototype");

    const filtered = await call("GET", "/di/list-transformer/configurations", { query: { space, filter: JSON.stringify({ where: { identifier: { like: "t%" } } }) } });
    expect(filtered.body.configurations.map((c: { identifier: string }) => c.identifier)).toEqual(["t1", "t2"]);
    expect(filtered.body.prototypes.length).toBe(res.body.prototypes.length);

    // A configuration type that is no DI type: its configurations, no prototypes.
    const routes = await call("GET", "/di/route-configuration", { query: { space } });
    expect(routes.body).toMatchObject({ type: "route-configuration", prototypes: [], defaultPrototype: null });
    expect(routes.body.configurations).toHaveLength(2);

    expectProblem(await call("GET", "/di/no-such-type", { query: { space } }), 404);
    expectProblem(await call("GET", "/di/list-transformer", { query: { space, filter: JSON.stringify({ where: { nope: 1 } }) } }), 400);
    expectProblem(await call("GET", "/di/list-transformer", { token: null, query: { space } }), 401);
  });
});
