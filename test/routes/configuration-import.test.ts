import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

/**
 * The real Alumio exports (test/fixtures/alumio-templates, MIT) import into an empty space, dry-run
 * and for real, resolve their relations and round-trip through export unchanged.
 */
const files = import.meta.glob("../fixtures/alumio-templates/**/*.ndjson", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const short = (path: string) => path.replace("../fixtures/alumio-templates/", "");

/** A template directory's files, entity types first (flows reference them), or a bundle on its own. */
const imports = new Map<string, string[]>();
for (const path of Object.keys(files).sort()) {
  const dir = path.endsWith("-template.ndjson") ? path : path.slice(0, path.lastIndexOf("/"));
  imports.set(dir, [...(imports.get(dir) ?? []), path].sort((a) => (a.endsWith("entity.ndjson") ? -1 : 1)));
}

function multipart(paths: string[]) {
  const form = new FormData();
  for (const path of paths) form.append("files", new Blob([files[path]], { type: "application/x-ndjson" }), short(path).replaceAll("/", "_"));
  return form;
}

const lineCount = (paths: string[]) => new Set(paths.flatMap((p) => files[p].split("\n").filter((l) => l.trim()).map((l) => { const o = JSON.parse(l); return `${o.type}/${o.identifier}`; }))).size;

async function importInto(space: string, paths: string[], dryRun: boolean) {
  return call("POST", "/configurations/import", { query: { space, "dry-run": String(dryRun) }, rawBody: multipart(paths) });
}

async function exportAll(space: string) {
  const stored = await call("GET", "/configurations/stored", { query: { space, filter: JSON.stringify({ limit: 1000 }) } });
  const objects = stored.body.results.map((c: { type: string; identifier: string }) => ({ type: c.type, identifier: c.identifier }));
  const res = await call("POST", "/configurations/export", { query: { space }, body: { objects } });
  expect(res.headers.get("content-type")).toContain("application/x-ndjson");
  return res.text;
}

describe("importing the fixture exports", () => {
  for (const [name, paths] of imports) {
    it(`${short(name)}: dry-run, import, round trip`, async () => {
      const space = await createSpace();
      const dry = await importInto(space, paths, true);
      expect(dry.status).toBe(200);
      const invalid = dry.body.results.filter((r: { decision: string }) => r.decision === "invalid");
      expect(invalid).toEqual([]);
      expect(dry.body.valid).toBe(true);
      expect((await call("GET", "/configurations/stored", { query: { space } })).body.metadata.totalCount).toBe(0);

      const real = await importInto(space, paths, false);
      expect(real.body.valid).toBe(true);
      // The registered default http-client is an update when an export brings its own.
      const updates = real.body.results.filter((r: { decision: string }) => r.decision === "update").map((r: { type: string; identifier: string }) => `${r.type}/${r.identifier}`);
      expect(updates.every((u: string) => u === "http-client/default")).toBe(true);
      expect(real.body.results.every((r: { decision: string }) => ["create", "update", "unchanged"].includes(r.decision))).toBe(true);
      expect((await call("GET", "/configurations/stored", { query: { space } })).body.metadata.totalCount).toBe(lineCount(paths));
      expect((await call("GET", "/configurations/validate/registered", { query: { space } })).status).toBe(200);

      // Import again: nothing changes.
      const again = await importInto(space, paths, false);
      expect(again.body.results.every((r: { decision: string }) => r.decision === "unchanged")).toBe(true);

      // Round trip: export, import into an empty space, export again.
      const exported = await exportAll(space);
      const copy = await createSpace();
      const reimported = await call("POST", "/configurations/import", { query: { space: copy }, rawBody: exported, contentType: "application/x-ndjson" });
      expect(reimported.body.valid).toBe(true);
      expect(await exportAll(copy)).toBe(exported);
    });
  }
});

describe("import behaviour", () => {
  const bundle = Object.keys(files).find((p) => p.endsWith("spryker-from-akeneo-template.ndjson"))!;

  it("resolves the relations of a route down to its incoming, outgoing, transformers, storages and client", async () => {
    const space = await createSpace();
    await importInto(space, [bundle], false);
    const res = await call("GET", "/di/route-configuration/akeneo-synchronize-categories-to-spryker/relations", { query: { space, direction: "recursive" } });
    const reached = new Set(res.body.nodes.map((n: { type: string; identifier: string }) => `${n.type}/${n.identifier}`));
    for (const expected of [
      "incoming-configuration/akeneo-fetch-categories",
      "outgoing-configuration/spryker-send-category",
      "list-transformer/akeneo-convert-category-to-alumio-base",
      "list-transformer/spryker-convert-alumio-base-category-to-spryker-category",
      "storage/akeneo-filter-categories",
      "http-client/akeneo-http-client",
      "http-client/spryker-backoffice-glue",
    ]) {
      expect(reached, expected).toContain(expected);
    }
    const usages = await call("GET", "/di/http-client/akeneo-http-client/usages", { query: { space } });
    expect(usages.body.usages.map((u: { specification: { identifier: string } }) => u.specification.identifier)).toContain("akeneo-fetch-categories");
    const down = await call("GET", "/di/route-configuration/akeneo-synchronize-categories-to-spryker/relations", { query: { space, direction: "down" } });
    expect(down.body.nodes).toHaveLength(1);
    expect(down.body.nodes[0].relationships.map((r: { node: { identifier: string } }) => r.node.identifier).sort()).toEqual(["akeneo-fetch-categories", "spryker-send-category"]);
  });

  it("an import with one invalid object writes nothing and says where", async () => {
    const space = await createSpace();
    const lines = [
      { type: "storage", identifier: "ok-storage", name: "OK", object: { parameters: {} } },
      { type: "list-transformer", identifier: "broken", name: "Broken", object: { prototype: "chain", parameters: { transformers: [{ prototype: "value-setter-typo" }] } } },
      { type: "list-transformer", identifier: "Bad_Id", name: "x", object: {} },
    ];
    const res = await call("POST", "/configurations/import", { query: { space }, body: lines });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.results.map((r: { decision: string }) => r.decision)).toEqual(["create", "invalid", "invalid"]);
    expect(res.body.results[1].violations[0].propertyPath).toBe("object.parameters.transformers[0].prototype");
    expect(res.body.results[2].violations[0].propertyPath).toBe("identifier");
    expect((await call("GET", "/configurations/stored", { query: { space } })).body.metadata.totalCount).toBe(0);
  });

  it("decides update for a changed object, and refuses bodies that are not JSON", async () => {
    const space = await createSpace();
    const line = { type: "storage", identifier: "st", name: "S", object: { parameters: { path: "a" } } };
    await call("POST", "/configurations/import", { query: { space }, body: [line] });
    const changed = await call("POST", "/configurations/import", { query: { space, "dry-run": "true" }, body: [{ ...line, object: { parameters: { path: "b" } } }] });
    expect(changed.body.results[0]).toMatchObject({ decision: "update", action: "update" });
    const updated = await call("POST", "/configurations/import", { query: { space }, body: [{ ...line, object: { parameters: { path: "b" } } }] });
    expect(updated.body.results[0]).toMatchObject({ decision: "update", action: "updated" });
    // Every import is a history entry with a real ULID, and restorable.
    const history = await call("GET", "/configurations/storage/st/history", { query: { space } });
    expect(history.body.results.map((h: { action: string }) => h.action)).toEqual(["import", "import"]);
    for (const h of history.body.results) expect(h.ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const restored = await call("POST", "/configurations/storage/st/restore", { query: { space }, body: { ulid: history.body.results[1].ulid } });
    expect(restored.status).toBe(200);
    expect((await call("GET", "/configurations/storage/st", { query: { space } })).body.object.object).toEqual({ parameters: { path: "a" } });
    expect(expectProblem(await call("POST", "/configurations/import", { query: { space }, rawBody: "{nope\n", contentType: "application/x-ndjson" }), 400).violations[0].propertyPath).toBe("[line 1]");
    const viewer = await tokenFor(["ROLE_USER"], space);
    expectProblem(await call("POST", "/configurations/import", { token: viewer.token, query: { space }, body: [line] }), 403);
  });
});

describe("import with validate-variables", () => {
  const client = (identifier: string, uri: string) => ({
    type: "http-client",
    identifier,
    name: identifier,
    object: { parameters: { plugins: [{ prototype: "base-uri", parameters: { uri: { parameters: uri } } }], headers: { "x-key": "${API_KEY}" } } },
  });

  it("reports every ${NAME} no variable of the space defines, one violation per use, and writes nothing", async () => {
    const space = await createSpace();
    const lines = [client("one", "${BASE_URL}/v1"), client("two", "https://${SPACE}.example.com")];
    // Without the flag the variables are not checked.
    expect((await call("POST", "/configurations/import", { query: { space, "dry-run": "true" }, body: lines })).body.valid).toBe(true);

    const res = await call("POST", "/configurations/import", { query: { space, "validate-variables": "true" }, body: lines });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.results.map((r: { decision: string }) => r.decision)).toEqual(["invalid", "invalid"]);
    expect(res.body.results[0].violations.map((v: { propertyPath: string; title: string }) => [v.propertyPath, v.title.includes("BASE_URL") || v.title.includes("API_KEY")])).toEqual([
      ["object.parameters.plugins[0].parameters.uri.parameters", true],
      ["object.parameters.headers.x-key", true],
    ]);
    // ${SPACE} is a system variable: only API_KEY is missing in the second.
    expect(res.body.results[1].violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(["object.parameters.headers.x-key"]);
    expect((await call("GET", "/configurations/stored", { query: { space } })).body.metadata.totalCount).toBe(0);

    // Once defined, the import goes through.
    for (const name of ["BASE_URL", "API_KEY"]) await call("POST", "/environment-variables", { query: { space }, body: { name, value: "x" } });
    const ok = await call("POST", "/configurations/import", { query: { space, "validate-variables": "1" }, body: lines });
    expect(ok.body.valid).toBe(true);
    expect(ok.body.results.map((r: { decision: string }) => r.decision)).toEqual(["create", "create"]);
  });
});
