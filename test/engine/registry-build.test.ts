import { z } from "zod";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/engine/errors";
import { MemoryConfigurations } from "../../src/engine/memory";
import { Registry } from "../../src/engine/registry";
import type { Entity, EntityTransformer, Prototype } from "../../src/engine/types";

/** A list-transformer that builds all its children at once, as a parallel step would. */
const parallel: Prototype<{ transformers: unknown[] }, "list-transformer"> = {
  type: "list-transformer",
  identifier: "parallel",
  name: "Parallel",
  description: "test only",
  parameters: z.object({ transformers: z.array(z.unknown()) }),
  documentation: "test only",
  tests: [],
  async create({ transformers }, builder) {
    const steps = await Promise.all(transformers.map((t, i) => builder.build("list-transformer", t, ["transformers", i])));
    return async (entities, run) => {
      let out = entities;
      for (const step of steps) out = await step(out, run);
      return out;
    };
  },
};
const mark: Prototype<{ tag: string }, "list-transformer"> = {
  type: "list-transformer",
  identifier: "mark",
  name: "Mark",
  description: "test only",
  parameters: z.object({ tag: z.string() }),
  documentation: "test only",
  tests: [],
  create: ({ tag }) => (async (entities: Entity[]) => entities.map((e) => ({ data: [...(e.data as string[]), tag] }))) as EntityTransformer,
};

const registry = new Registry().register(parallel, mark);

describe("Registry.build", () => {
  it("builds two siblings that reference the same configuration", async () => {
    const configurations = new MemoryConfigurations([
      { type: "list-transformer", identifier: "shared", object: { prototype: "mark", parameters: { tag: "x" } } },
      { type: "list-transformer", identifier: "outer", object: { prototype: "parallel", parameters: { transformers: ["shared", "shared"] } } },
    ]);
    const transform = await registry.build("list-transformer", "outer", { configurations });
    const out = await transform([{ data: [] }], {} as never);
    expect(out.map((e) => e.data)).toEqual([["x", "x"]]);
  });

  it("refuses a real cycle with a violation at the reference", async () => {
    const configurations = new MemoryConfigurations([
      { type: "list-transformer", identifier: "a", object: { prototype: "parallel", parameters: { transformers: ["b"] } } },
      { type: "list-transformer", identifier: "b", object: { prototype: "parallel", parameters: { transformers: ["a"] } } },
    ]);
    const error = await registry.build("list-transformer", "a", { configurations, path: "object" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.violations[0]).toMatchObject({ propertyPath: "object.parameters.transformers[0].parameters.transformers[0]" });
    expect(error.violations[0].title).toMatch(/refers to itself/);
  });

  it("points violations at the offending parameter", async () => {
    const error = await registry.build("list-transformer", { prototype: "parallel", parameters: { transformers: [{ prototype: "mark", parameters: { tag: 5 } }] } }, { path: "specification" }).catch((e) => e);
    expect(error.violations[0].propertyPath).toBe("specification.parameters.transformers[0].parameters.tag");
    const unknown = await registry.build("list-transformer", { prototype: "nope" }, { path: "object" }).catch((e) => e);
    expect(unknown.violations[0].propertyPath).toBe("object.prototype");
  });
});
