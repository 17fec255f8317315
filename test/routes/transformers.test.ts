import { describe, expect, it } from "vitest";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

const upperName = {
  prototype: "data",
  parameters: {
    transformers: [
      {
        prototype: "value-mapper",
        parameters: { accessor: { prototype: "key", parameters: { keys: ["name"] } }, mappers: [{ prototype: "string-upper", parameters: [] }] },
      },
      { prototype: "value-setter", parameters: { configurations: [{ key: "label", value: "&{name} (&{sku})" }] } },
    ],
  },
};

describe("POST /transformers/execute", () => {
  it("runs a list-transformer over the entities, in order (201)", async () => {
    const res = await call("POST", "/transformers/execute", { body: { entities: [{ name: "tnt", sku: "A1" }, { name: "fuse", sku: "B2" }], specification: upperName } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      entities: [
        { name: "TNT", sku: "A1", label: "TNT (A1)" },
        { name: "FUSE", sku: "B2", label: "FUSE (B2)" },
      ],
    });
  });

  it("applies a data-transformer to each entity with type=data-transformer", async () => {
    const res = await call("POST", "/transformers/execute", {
      query: { type: "data-transformer" },
      body: { entities: [{ a: 1 }, { a: 2 }], specification: { prototype: "pattern-move", parameters: { pattern: "a", replacement: "b.c" } } },
    });
    expect(res.body.entities).toEqual([{ b: { c: 1 } }, { b: { c: 2 } }]);
  });

  it("filters entities out, as Alumio's data filters do", async () => {
    const spec = {
      prototype: "data",
      parameters: {
        filters: [{ prototype: "value-condition-v2", parameters: { accessor: { prototype: "key", parameters: { keys: ["status"] } }, conditions: [{ prototype: "equals", parameters: { value: "paid" } }] } }],
        transformers: [],
      },
    };
    const res = await call("POST", "/transformers/execute", { body: { entities: [{ status: "paid" }, { status: "open" }], specification: spec } });
    expect(res.body.entities).toEqual([{ status: "paid" }]);
  });

  it("reports every step with breakpoints=true and stops at stop-exec-at", async () => {
    const spec = { prototype: "chain", parameters: { transformers: [upperName, { prototype: "type-setter", parameters: { entityType: "product" } }] } };
    const debug = await call("POST", "/transformers/execute", { query: { breakpoints: "true" }, body: { entities: [{ name: "tnt", sku: "A1" }], specification: spec } });
    const steps = debug.body.breakpoints as { instanceId: string; prototype: string; input: unknown; output: unknown }[];
    expect(steps.map((s) => s.prototype)).toEqual(expect.arrayContaining(["value-mapper", "value-setter", "data", "type-setter", "chain"]));
    const mapperStep = steps.find((s) => s.prototype === "value-mapper")!;
    expect(mapperStep).toMatchObject({ input: { name: "tnt", sku: "A1" }, output: { name: "TNT", sku: "A1" } });

    const stopped = await call("POST", "/transformers/execute", { query: { "stop-exec-at": mapperStep.instanceId }, body: { entities: [{ name: "tnt", sku: "A1" }], specification: spec } });
    expect(stopped.status).toBe(201);
    expect(stopped.body.entities).toEqual([{ name: "TNT", sku: "A1" }]);
  });

  it("answers 400 with violations pointing into the specification, for unknown prototypes and bad parameters", async () => {
    const unknown = expectProblem(await call("POST", "/transformers/execute", { body: { entities: [{}], specification: { prototype: "chain", parameters: { transformers: [{ prototype: "no-such-thing" }] } } } }), 400);
    expect(unknown.violations[0].propertyPath).toBe("specification.parameters.transformers[0].prototype");
    const bad = expectProblem(
      await call("POST", "/transformers/execute", {
        query: { type: "data-transformer" },
        body: { entities: [{}], specification: { prototype: "pattern-move", parameters: { pattern: 42 } } },
      }),
      400,
    );
    expect(bad.violations.map((v) => v.propertyPath)).toContain("specification.parameters.pattern");
    const missingRef = expectProblem(await call("POST", "/transformers/execute", { body: { entities: [{}], specification: "no-such-list-transformer" } }), 400);
    expect(missingRef.violations[0].title).toMatch(/no-such-list-transformer/);
  });

  it("refuses a specification of the wrong type with a violation that says what is expected", async () => {
    // api-map row 145: unknown prototype or invalid parameters are a 400 whose violations point into the specification.
    const numeric = expectProblem(await call("POST", "/transformers/execute", { body: { entities: [{}], specification: { prototype: 5 } } }), 400);
    expect(numeric.violations.map((v) => v.propertyPath)).toEqual(["specification.prototype"]);
    expect(numeric.violations[0].title).toMatch(/Unknown list-transformer prototype '5'/);
    for (const specification of [5, null, [1]]) {
      const wrong = expectProblem(await call("POST", "/transformers/execute", { body: { entities: [{}], specification } }), 400);
      expect(wrong.violations).toEqual([expect.objectContaining({ propertyPath: "specification", title: expect.stringMatching(/prototype.*parameters/) })]);
    }
    const missing = expectProblem(await call("POST", "/transformers/execute", { body: { entities: [] } }), 400);
    expect(missing.violations).toEqual([expect.objectContaining({ propertyPath: "specification", title: expect.stringMatching(/required/i) })]);
  });

  it("answers 400, not an opaque 500, when a prototype cannot be built from its parameters", async () => {
    // api-map row 145: invalid parameters are a 400 with violations pointing into the specification.
    const spec = {
      prototype: "data",
      parameters: {
        filters: [{ prototype: "value-condition-v2", parameters: { accessor: { prototype: "key", parameters: { keys: ["s"] } }, conditions: [{ prototype: "string-matches-pcre", parameters: { pattern: "/[/" } }] } }],
        transformers: [],
      },
    };
    const problem = expectProblem(await call("POST", "/transformers/execute", { body: { entities: [{ s: "x" }], specification: spec } }), 400);
    expect(problem.violations[0].propertyPath).toBe("specification.parameters.filters[0].parameters.conditions[0].parameters");
    expect(problem.violations[0].title).toMatch(/regular expression/i);
  });

  it("answers 500 in the error shape naming the failing step", async () => {
    const res = await call("POST", "/transformers/execute", {
      query: { type: "data-transformer" },
      body: { entities: [{ sku: "X" }], specification: { prototype: "exception", parameters: { message: "broken &{sku}" } } },
    });
    const body = expectProblem(res, 500);
    expect(body.detail).toContain("broken X");
    expect(body.context).toMatchObject({ prototype: "exception" });
  });

  it("resolves list-transformer references and environment variables of the space", async () => {
    const space = await createSpace();
    await call("POST", "/environment-variables", { query: { space }, body: { name: "SHOP_CODE", value: "nl-shop", encrypted: true } });
    await call("POST", "/configurations", {
      query: { space },
      body: { type: "list-transformer", identifier: "set-shop", name: "Set shop", object: { prototype: "data", parameters: { transformers: [{ prototype: "value-setter", parameters: { configurations: [{ key: "shop", value: "${SHOP_CODE}" }] } }] } } },
    });
    const user = await tokenFor(["ROLE_USER"], space);
    const res = await call("POST", "/transformers/execute", { token: user.token, query: { space }, body: { entities: [{}], specification: { prototype: "chain", parameters: { transformers: ["set-shop"] } } } });
    expect(res.body.entities).toEqual([{ shop: "nl-shop" }]);
  });

  it("runs the JavaScript code transformer in the sandbox", async () => {
    const res = await call("POST", "/transformers/execute", {
      query: { type: "data-transformer" },
      body: { entities: [{ prices: [1, 2, 3] }], specification: { prototype: "code-transformer", parameters: { code: "return { total: data.prices.reduce((a, b) => a + b, 0) };" } } },
    });
    expect(res.status).toBe(201);
    expect(res.body.entities[0]).toEqual({ total: 6 });
  });
});

describe("prototypes", () => {
  it("lists a DI type's prototypes with JSON Schemas and the default", async () => {
    const res = await call("GET", "/di/mapper/prototypes");
    expect(res.body.type).toBe("mapper");
    const upper = res.body.prototypes.find((p: { identifier: string }) => p.identifier === "string-upper");
    expect(upper.schema).toMatchObject({ type: "object" });
    const space = await createSpace();
    await call("POST", "/configurations", { query: { space }, body: { type: "http-client", identifier: "erp", name: "ERP", object: { parameters: { plugins: [], authentications: [] } } } });
    const http = await call("GET", "/di/http-client/prototypes", { query: { space } });
    expect(http.body.defaultPrototype).toMatchObject({ type: "http-client" });
    expect(http.body.configurations.map((c: { identifier: string }) => c.identifier)).toEqual(["default", "erp"]);
    expectProblem(await call("GET", "/di/spaceship/prototypes"), 404);
  });

  it("serves documentation for a prototype and for a type's default", async () => {
    const doc = await call("GET", "/di/data-transformer/prototypes/value-setter/documentation");
    expect(doc.body.documentation).toMatch(/value/i);
    const def = await call("GET", "/di/http-client/documentation");
    expect(def.body.documentation.length).toBeGreaterThan(40);
    expectProblem(await call("GET", "/di/mapper/prototypes/nope/documentation"), 404);
  });

  it("runs the prototypes' own test cases: 200 when all pass", async () => {
    const res = await call("GET", "/di/prototypes/test", { query: { type: "mapper", identifier: "string-*", "show-succeeded": "true", "max-tests": "-1" } });
    expect(res.status).toBe(200);
    expect(res.body.totalFailed).toBe(0);
    expect(res.body.totalSucceeded).toBeGreaterThan(5);
    expect(res.body.succeeded.every((r: { identifier: string }) => r.identifier.startsWith("string-"))).toBe(true);
  });

  it("lists the platforms of the vendor HTTP clients", async () => {
    const res = await call("GET", "/platforms");
    expect(res.body.results.map((p: { identifier: string }) => p.identifier)).toEqual(expect.arrayContaining(["akeneo", "shopify", "spryker"]));
  });
});
