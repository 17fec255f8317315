import { describe, expect, it } from "vitest";
import apiMap from "../spec/api-map.tsv?raw";
import { call } from "./helpers/api";

/**
 * The served OpenAPI document against spec/api-map.tsv. Every row in scope must be there with the
 * mapped method, path, operationId and tag; every operation the document has that the map knows
 * must agree with it (so later work cannot drift either).
 */
const rows = apiMap
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [n, tag, operationId, method, path] = line.split("\t");
    return { n, tag, operationId, method: method.toLowerCase(), path };
  });

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
const IN_SCOPE = new Set([
  // Platform foundation
  ...range(4, 13), ...range(19, 36), ...range(84, 91), ...range(130, 133), "146", "E3", "E4", "E5", "E7", "E8",
  // The integration engine
  ...range(1, 3), "41", ...range(69, 72), "113", ...range(115, 126), "145",
  // Configurations
  ...range(37, 40), ...range(42, 68), ...range(77, 82), "114", "E6",
]);

interface Operation {
  operationId: string;
  tags: string[];
  security?: unknown[];
}

async function servedOperations() {
  const res = await call("GET", "/api/v1/schema.json", { token: null });
  expect(res.status).toBe(200);
  const ops = new Map<string, { method: string; path: string; op: Operation }>();
  for (const [path, item] of Object.entries(res.body.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(item)) ops.set(op.operationId, { method, path: path.replace(/^\/api\/v1/, ""), op });
  }
  return { doc: res.body, ops };
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1, served at /api/v1/schema.json and /openapi.json", async () => {
    const a = await call("GET", "/api/v1/schema.json", { token: null });
    const b = await call("GET", "/openapi.json", { token: null });
    expect(a.body.openapi).toBe("3.1.0");
    expect(b.body).toEqual(a.body);
    expect(a.body.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("has every in-scope row of the map with its method, path, operationId and tag", async () => {
    const { ops } = await servedOperations();
    const problems: string[] = [];
    for (const row of rows.filter((r) => IN_SCOPE.has(r.n))) {
      const served = ops.get(row.operationId);
      if (!served) problems.push(`${row.n} ${row.operationId}: missing`);
      else if (served.method !== row.method || served.path !== row.path) {
        problems.push(`${row.n} ${row.operationId}: served ${served.method} ${served.path}, mapped ${row.method} ${row.path}`);
      } else if (!served.op.tags.includes(row.tag)) problems.push(`${row.n} ${row.operationId}: tag ${served.op.tags} != ${row.tag}`);
    }
    expect(problems).toEqual([]);
    expect(rows.filter((r) => IN_SCOPE.has(r.n))).toHaveLength(IN_SCOPE.size);
    expect(IN_SCOPE.size).toBe(46 + 22 + 39);
  });

  it("agrees with the map on every mapped operation it serves, and requires bearer auth except where public", async () => {
    const { ops } = await servedOperations();
    const byId = new Map(rows.map((r) => [r.operationId, r]));
    const problems: string[] = [];
    for (const [operationId, served] of ops) {
      const row = byId.get(operationId);
      if (row && (row.method !== served.method || row.path !== served.path)) problems.push(`${operationId}: ${served.method} ${served.path}`);
      const isPublic = ["getHealth", "receiveWebhook", "httpProxy"].includes(operationId);
      if (!isPublic && !JSON.stringify(served.op.security ?? []).includes("bearerAuth")) problems.push(`${operationId}: no bearer security`);
    }
    expect(problems).toEqual([]);
  });

  it("serves the interactive reference at /docs", async () => {
    const res = await call("GET", "/docs", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("/api/v1/schema.json");
  });
});
