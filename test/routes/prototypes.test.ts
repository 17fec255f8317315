import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem } from "../helpers/api";

/** Every DI type the engine registers (DESIGN.md "The engine"; the reference only says "Di type name"). */
const DI_TYPES = [
  "list-transformer", "data-transformer", "accessor", "filter", "condition", "mapper", "subscriber", "publisher", "deserializer", "serializer",
  "pagination", "http-client", "http-authentication", "http-client-plugin", "oauth1-signature", "scheduler-job", "storage-condition",
];
const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

/** Structural checks a JSON Schema 2020-12 client relies on: known types, resolvable $refs, compilable patterns, no draft-04 arrays. */
function schemaProblems(schema: unknown, root: unknown, at: string): string[] {
  if (typeof schema === "boolean") return [];
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return [`${at}: not a schema`];
  const s = schema as Record<string, any>;
  const out: string[] = [];
  if ("type" in s) for (const t of [s.type].flat()) if (!JSON_TYPES.has(t)) out.push(`${at}: type ${t}`);
  if ("required" in s && (!Array.isArray(s.required) || s.required.some((r: unknown) => typeof r !== "string"))) out.push(`${at}: required`);
  if (typeof s.pattern === "string") {
    try {
      new RegExp(s.pattern, "u");
    } catch {
      out.push(`${at}: pattern ${s.pattern}`);
    }
  }
  if (typeof s.$ref === "string" && s.$ref !== "#") {
    let cur: any = root;
    for (const seg of s.$ref.replace(/^#\//, "").split("/")) cur = cur?.[seg];
    if (!s.$ref.startsWith("#/") || cur === undefined) out.push(`${at}: $ref ${s.$ref}`);
  }
  for (const k of ["properties", "patternProperties", "$defs"]) for (const [key, sub] of Object.entries(s[k] ?? {})) out.push(...schemaProblems(sub, root, `${at}.${k}.${key}`));
  for (const k of ["additionalProperties", "items", "not", "propertyNames"]) if (k in s) out.push(...(Array.isArray(s[k]) ? [`${at}.${k}: array`] : schemaProblems(s[k], root, `${at}.${k}`)));
  for (const k of ["anyOf", "oneOf", "allOf", "prefixItems"]) if (k in s) (s[k] as unknown[]).forEach((sub, i) => out.push(...schemaProblems(sub, root, `${at}.${k}[${i}]`)));
  if ("enum" in s && !Array.isArray(s.enum)) out.push(`${at}: enum`);
  return out;
}

describe("GET /di/{type}/prototypes", () => {
  it("answers every DI type with the reference's shape and a usable JSON Schema per prototype", async () => {
    for (const type of DI_TYPES) {
      const res = await call("GET", `/di/${type}/prototypes`);
      expect(res.status, type).toBe(200);
      // reference 1149-1178: {type, configurations[], prototypes[{identifier, name, description, schema, test, context, $defs}], defaultPrototype}
      expect(Object.keys(res.body).sort()).toEqual(["configurations", "defaultPrototype", "prototypes", "type"]);
      expect(res.body.prototypes.length, type).toBeGreaterThan(0);
      for (const p of res.body.prototypes) {
        expect(Object.keys(p).sort()).toEqual(["$defs", "context", "description", "identifier", "name", "schema", "test"]);
        expect(p.schema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" });
        expect(schemaProblems(p.schema, p.schema, `${type}/${p.identifier}`)).toEqual([]);
      }
    }
  });

  it("narrows the prototypes with the filter query parameter", async () => {
    // reference 1148: "Accepts an optional filter query parameter to narrow the results by search criteria."
    const one = await call("GET", "/di/mapper/prototypes", { query: { filter: JSON.stringify({ where: { identifier: "string-upper" } }) } });
    expect(one.status).toBe(200);
    expect(one.body.prototypes.map((p: { identifier: string }) => p.identifier)).toEqual(["string-upper"]);
    const like = await call("GET", "/di/mapper/prototypes", { query: { filter: JSON.stringify({ where: { identifier: { like: "list-%" } }, order: "identifier desc" }) } });
    const ids = like.body.prototypes.map((p: { identifier: string }) => p.identifier);
    expect(ids.length).toBeGreaterThan(2);
    expect(ids.every((id: string) => id.startsWith("list-"))).toBe(true);
    expect(ids).toEqual([...ids].sort().reverse());
    const bad = expectProblem(await call("GET", "/di/mapper/prototypes", { query: { filter: JSON.stringify({ where: { nope: 1 } }) } }), 400);
    expect(bad.violations[0].propertyPath).toBe("filter.where.nope");
    // /di/{type} answers the same overview, narrowed the same way
    const overview = await call("GET", "/di/mapper", { query: { filter: JSON.stringify({ where: { identifier: "string-upper" } }) } });
    expect(overview.body.prototypes.map((p: { identifier: string }) => p.identifier)).toEqual(["string-upper"]);
  });

  it("answers for configuration types as /di/{type} does, with their configurations and no prototypes", async () => {
    // reference 1086/1117/1148: the three /di/{type} operations take the same "Di type name" and answer the same shape.
    const space = await createSpace();
    await call("POST", "/configurations", {
      query: { space },
      body: { type: "storage", identifier: "seen", name: "Seen", object: { parameters: {} } },
    });
    const overview = await call("GET", "/di/storage", { query: { space } });
    expect(overview.status).toBe(200);
    const res = await call("GET", "/di/storage/prototypes", { query: { space } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: "storage", prototypes: [], defaultPrototype: null });
    expect(res.body.configurations.map((c: { identifier: string }) => c.identifier)).toEqual(["seen"]);
    expectProblem(await call("GET", "/di/spaceship/prototypes"), 404);
  });
});

describe("GET /platforms", () => {
  it("answers editions, extensions and apis as objects", async () => {
    // reference 1190-1192: "editions": { }, "extensions": { }, "apis": { }
    const res = await call("GET", "/platforms");
    expect(res.status).toBe(200);
    expect(res.body.metadata.totalCount).toBe(res.body.results.length);
    for (const p of res.body.results) {
      expect(typeof p.identifier).toBe("string");
      expect(Array.isArray(p.categories)).toBe(true);
      for (const field of ["editions", "extensions", "apis"]) {
        expect(p[field] !== null && typeof p[field] === "object" && !Array.isArray(p[field]), `${p.identifier}.${field}`).toBe(true);
      }
    }
    const akeneo = res.body.results.find((p: { identifier: string }) => p.identifier === "akeneo");
    expect(akeneo.apis["akeneo-rest-api"]).toMatchObject({ name: "Akeneo REST API", type: "REST" });
    expect(Object.values(akeneo.editions)).toContainEqual({ name: "Community Edition" });
  });

  it("narrows the platforms with the filter and refuses a bad filter", async () => {
    // reference 1179: "Accepts an optional filter query parameter to narrow results by search criteria."
    const res = await call("GET", "/platforms", { query: { filter: JSON.stringify({ where: { identifier: "shopify" } }) } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metadata: { totalCount: 1 }, results: [{ identifier: "shopify" }] });
    const byVendor = await call("GET", "/platforms", { query: { filter: JSON.stringify({ where: { vendor: { like: "ak%" } } }) } });
    expect(byVendor.body.results.map((p: { identifier: string }) => p.identifier)).toEqual(["akeneo"]);
    // DESIGN.md: an unknown field or operator is a 400 with a violation, never a silent ignore.
    expectProblem(await call("GET", "/platforms", { query: { filter: "{bad" } }), 400);
    const unknown = expectProblem(await call("GET", "/platforms", { query: { filter: JSON.stringify({ where: { colour: "red" } }) } }), 400);
    expect(unknown.violations[0].propertyPath).toBe("filter.where.colour");
  });
});
