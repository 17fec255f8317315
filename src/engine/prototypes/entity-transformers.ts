/**
 * Entity transformers (DI type `list-transformer`, prototypes.md §5): a stream of entities in, a
 * stream out. `chain`, `data`, `node`, `conditional` (also a data transformer), `type-setter`,
 * `brancher`. Nested data transformers (value-setter, pattern-move, ...) come from the registry.
 */
import { z } from "zod";
import { isRecord } from "../paths";
import { hasWildcard, matchPattern } from "../patterns";
import { evaluate } from "../placeholders";
import { buildList, specList } from "../specs";
import { after, dataTaker, forEach, inPlaceTransformer, isOwnedList, isPromise, ownedList, passes, runInPlace } from "../steps";
import type { AccessedPair, Builder, DataFilter, DataTransformer, Entity, EntityTransformer, InstanceTypes, MaybePromise, Prototype, RunContext } from "../types";

type ListPrototype<P> = Prototype<P, "list-transformer">;

/** One spec or a list of them (else-cases carry one `filter` / `transformer`; lists are accepted too). */
const oneOrMany = z
  .unknown()
  .optional()
  .transform((v): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]));


async function transformEntities(transformers: EntityTransformer[], entities: Entity[], run: RunContext): Promise<Entity[]> {
  let out = entities;
  for (const transformer of transformers) {
    if (out.length === 0) break;
    out = await transformer(out, run);
  }
  return out;
}

// ---- entity identifiers ------------------------------------------------------------------------

const identifierPaths = new WeakMap<RunContext, Map<string, Promise<string[] | null>>>();

/** The `identifierPath` list of an `entity` configuration, once per run; null when there is none. */
async function identifierPathOf(entityType: string, run: RunContext): Promise<string[] | null> {
  let cache = identifierPaths.get(run);
  if (!cache) identifierPaths.set(run, (cache = new Map()));
  let hit = cache.get(entityType);
  if (!hit) {
    hit = run.configurations.get("entity", entityType).then((spec) => {
      const parameters = isRecord(spec) ? spec.parameters : undefined;
      const paths = isRecord(parameters) ? parameters.identifierPath : undefined;
      return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === "string") : null;
    });
    cache.set(entityType, hit);
  }
  return hit;
}

/**
 * An entity's identifier from its type's `identifierPath` (JMESPath, e.g. `code`, `products[].code`):
 * the scalar values found, lists flattened, joined with ","; null when nothing is found.
 * [INF] the joining of several values is not documented.
 */
export function entityIdentifier(data: unknown, paths: string[]): string | null {
  const values: string[] = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && v !== undefined && typeof v !== "object" && v !== "") values.push(String(v));
  };
  for (const path of paths) {
    try {
      collect(evaluate(path, data));
    } catch {
      // an invalid path identifies nothing
    }
  }
  return values.length > 0 ? values.join(",") : null;
}

/** The entity retyped: its identifier recomputed from the new type's identifierPath when that type is configured. */
async function retype(entity: Entity, entityType: string, run: RunContext): Promise<Entity> {
  const paths = await identifierPathOf(entityType, run);
  return { ...entity, type: entityType, identifier: paths === null ? entity.identifier : entityIdentifier(entity.data, paths) };
}

// ---- chain -------------------------------------------------------------------------------------

const chainSchema = z.looseObject({ transformers: specList });

const chain: ListPrototype<z.infer<typeof chainSchema>> = {
  type: "list-transformer",
  identifier: "chain",
  name: "Chain",
  description: "Runs entity transformers one after the other on the entity stream.",
  parameters: chainSchema,
  documentation: `Chains entity transformers: the entities leaving step *i* are the input of step *i+1*; steps may drop
or multiply entities.

- \`transformers\` (list): inline entity transformers (\`data\`, \`node\`, \`conditional\`, \`chain\`, \`type-setter\`, ...)
  or identifiers of \`list-transformer\` configurations.

Example: \`{"transformers":[{"prototype":"type-setter","parameters":{"entityType":"base-attribute"}},{"prototype":"data","parameters":{"filters":[],"transformers":[]}}]}\`.

Notes: once no entity is left, the remaining steps are skipped.`,
  tests: [
    {
      name: "filter then transform",
      parameters: {
        transformers: [
          { prototype: "data", parameters: { filters: [{ prototype: "key-condition", parameters: { filter: { prototype: "key-exists-condition", parameters: { path: "a" } } } }], transformers: [] } },
          { prototype: "data", parameters: { transformers: [{ prototype: "operator", parameters: { left: "a", right: "a", operator: "addition", destination: "b" } }] } },
        ],
      },
      input: [{ a: 1 }, { c: 1 }, { a: 2 }],
      output: [{ a: 1, b: 2 }, { a: 2, b: 4 }],
    },
    { name: "empty chain", parameters: { transformers: [] }, input: [{ a: 1 }], output: [{ a: 1 }] },
  ],
  create: async ({ transformers }, builder) => {
    const steps = await buildList(builder, "list-transformer", ["transformers"], transformers);
    return (entities, run) => transformEntities(steps, entities, run);
  },
};

// ---- data --------------------------------------------------------------------------------------

const dataSchema = z.looseObject({ transformers: specList, filters: specList });

const data: ListPrototype<z.infer<typeof dataSchema>> = {
  type: "list-transformer",
  identifier: "data",
  name: "Data",
  description: "Transforms each entity's data with data transformers; entities failing the filters are dropped.",
  parameters: dataSchema,
  documentation: `Transforms data using mappers and conditions, whatever the entity type.

- \`filters\` (filter list): an entity whose data fails any filter is dropped.
- \`transformers\` (data transformer list): applied in order to the data of each remaining entity.

Example (docs): a value-mapper with a \`standard\` mapper \`{from:"high",to:20}\` on key \`tax_rate\` turns
\`{"tax_rate":"high"}\` into \`{"tax_rate":20}\`; a value condition \`status\` equals \`"paid"\` keeps paid
orders and filters the others away.

Notes [INF] (prototypes.md §18.14): filters are evaluated first, on the incoming data.`,
  tests: [
    {
      name: "filter away unpaid (docs)",
      parameters: {
        filters: [
          {
            prototype: "value-condition-v2",
            parameters: { accessor: { prototype: "key", parameters: { keys: ["status"] } }, conditions: [{ prototype: "equals", parameters: { value: "paid" } }] },
          },
        ],
        transformers: [],
      },
      input: [{ status: "paid" }, { status: "open" }],
      output: [{ status: "paid" }],
    },
    {
      name: "transform",
      parameters: { filters: [], transformers: [{ prototype: "operator", parameters: { left: "total", right: "limit", operator: "division", destination: "pages" } }] },
      input: [{ total: 30, limit: 10 }],
      output: [{ total: 30, limit: 10, pages: 3 }],
    },
  ],
  create: async ({ transformers, filters }, builder) => {
    const steps = await buildList(builder, "data-transformer", ["transformers"], transformers);
    const checks = await buildList(builder, "filter", ["filters"], filters);
    return async (entities, run) => {
      const out: Entity[] = [];
      const take = dataTaker(entities);
      for (const entity of entities) {
        const ok = passes(checks, entity.data, run);
        if (!(isPromise(ok) ? await ok : ok)) continue;
        if (steps.length === 0) out.push(entity);
        else {
          const data = runInPlace(steps, take(entity), run);
          out.push({ ...entity, data: isPromise(data) ? await data : data });
        }
      }
      // without steps the entities pass as they came, owned or not
      return steps.length > 0 || isOwnedList(entities) ? ownedList(out) : out;
    };
  },
};

// ---- node --------------------------------------------------------------------------------------

const nodeSchema = z.looseObject({ accessor: z.unknown(), nodeFilters: specList, nodeTransformers: specList });

const node: ListPrototype<z.infer<typeof nodeSchema>> = {
  type: "list-transformer",
  identifier: "node",
  name: "Node",
  description: "Transforms each node an accessor selects as its own document; nodes failing the node filters are removed.",
  parameters: nodeSchema,
  documentation: `Applies data transformations to nodes of the entity, e.g. every order line.

- \`accessor\` (accessor): the nodes (\`pattern\` \`items.*\`, or \`key\` children of a root).
- \`nodeFilters\` (filter list): a node failing any filter is **removed** from the entity.
- \`nodeTransformers\` (data transformer list): applied to each remaining node as if it were the whole
  data, so placeholders resolve against the node (\`&{code}\` is the node's \`code\`).

Example (docs): accessor \`{"prototype":"pattern","parameters":{"pattern":"items.*"}}\` with a dictionary-map
value-mapper maps a field of every item.

Notes [INF] (prototypes.md §18.8): removal follows PHP \`unset\`: removing elements from a list other
than at its end leaves an object keyed by the remaining indexes, which the templates re-index with a
\`list-values\` mapper. Nodes are processed in document order; the entity stays one entity.`,
  tests: [
    {
      name: "remove failing nodes, transform the rest",
      parameters: {
        accessor: { prototype: "pattern", parameters: { keys: [], pattern: "items.*" } },
        nodeFilters: [{ prototype: "key-condition", parameters: { filter: { prototype: "key-exists-condition", parameters: { path: "qty" } } } }],
        nodeTransformers: [{ prototype: "operator", parameters: { left: "qty", right: "price", operator: "multiplication", destination: "total" } }],
      },
      input: [{ items: [{ qty: 2, price: 3 }, { qty: 1, price: 5 }, { price: 1 }] }],
      output: [{ items: [{ qty: 2, price: 3, total: 6 }, { qty: 1, price: 5, total: 5 }] }],
    },
    {
      name: "a removed first node leaves an object (PHP unset)",
      parameters: {
        accessor: { prototype: "pattern", parameters: { keys: [], pattern: "l.*" } },
        nodeFilters: [{ prototype: "value-condition-v2", parameters: { accessor: { prototype: "pattern", parameters: { pattern: "c" } }, conditions: [{ prototype: "equals", parameters: { value: "ecommerce" } }] } }],
      },
      input: [{ l: [{ c: "print" }, { c: "ecommerce" }] }],
      output: [{ l: { "1": { c: "ecommerce" } } }],
    },
  ],
  create: async ({ accessor, nodeFilters, nodeTransformers }, builder) => {
    const access = await builder.build("accessor", accessor, ["accessor"]);
    const checks = await buildList(builder, "filter", ["nodeFilters"], nodeFilters);
    const steps = await buildList(builder, "data-transformer", ["nodeTransformers"], nodeTransformers);
    /** Filters and transforms the nodes of data the caller owns; a node's own steps see it as their data. */
    const transformNodes = (value: unknown, run: RunContext): MaybePromise<unknown> => {
      const pairs = access.read(value, run);
      const written: { key: string; value: unknown }[] = [];
      const removed: AccessedPair[] = [];
      const transform = (pair: AccessedPair): MaybePromise<void> => {
        if (steps.length === 0) return;
        return after(runInPlace(steps, pair.value, run), (out) => {
          if (out !== pair.value) written.push({ key: pair.key, value: out });
        });
      };
      const visit = (i: number): MaybePromise<void> => {
        const ok = passes(checks, pairs[i].value, run);
        if (isPromise(ok)) return ok.then((pass) => (pass ? transform(pairs[i]) : void removed.push(pairs[i])));
        return ok ? transform(pairs[i]) : void removed.push(pairs[i]);
      };
      return after(forEach(pairs.length, visit), () => {
        let out = written.length > 0 ? access.write(value, written, run) : value;
        if (removed.length > 0) out = access.remove(out, removed, run);
        return out;
      });
    };
    return async (entities, run) => {
      const out: Entity[] = [];
      const take = dataTaker(entities);
      for (const entity of entities) {
        const data = transformNodes(take(entity), run);
        out.push({ ...entity, data: isPromise(data) ? await data : data });
      }
      return ownedList(out);
    };
  },
};

// ---- conditional -------------------------------------------------------------------------------

const elseCaseSchema = z.looseObject({ filter: oneOrMany, filters: oneOrMany, transformer: oneOrMany, transformers: oneOrMany });
const conditionalSchema = z.looseObject({
  filters: specList,
  transformers: specList,
  elseCases: z
    .union([z.array(elseCaseSchema), z.record(z.string(), elseCaseSchema)])
    .nullish()
    .transform((v) => (v ? (Array.isArray(v) ? v : Object.values(v)) : [])),
  elseTransformers: specList,
});
type ConditionalParameters = z.infer<typeof conditionalSchema>;

/** Builds an else-case entry: one spec (`"filter": {...}`) or a list of them. */
async function buildCase<T extends "filter" | "data-transformer" | "list-transformer">(
  builder: Builder,
  type: T,
  elseCase: Record<string, unknown>,
  index: number,
  key: "filter" | "filters" | "transformer" | "transformers",
) {
  const specs = elseCase[key] as unknown[];
  // the parsed parameters no longer tell a single spec from a one-element list: point at the key
  if (specs.length === 1) return [await builder.build(type, specs[0], ["elseCases", index, key])];
  return buildList(builder, type, ["elseCases", index, key], specs);
}

/** Builds the branches of a conditional, for either level; the result picks the branch that applies to some data. */
async function conditionalBranches<T extends "list-transformer" | "data-transformer">(p: ConditionalParameters, builder: Builder, type: T) {
  const filters = await buildList(builder, "filter", ["filters"], p.filters);
  const then = await buildList(builder, type, ["transformers"], p.transformers);
  const cases: { filters: DataFilter[]; transformers: InstanceTypes[T][] }[] = [];
  for (const [i, c] of p.elseCases.entries()) {
    cases.push({
      filters: [...(await buildCase(builder, "filter", c, i, "filter")), ...(await buildCase(builder, "filter", c, i, "filters"))],
      transformers: [...(await buildCase(builder, type, c, i, "transformer")), ...(await buildCase(builder, type, c, i, "transformers"))],
    });
  }
  const otherwise = await buildList(builder, type, ["elseTransformers"], p.elseTransformers);
  const branches = [then, ...cases.map((c) => c.transformers), otherwise];
  const checks = [filters, ...cases.map((c) => c.filters)];
  /** The first branch whose filters pass, else `otherwise`. */
  const pick = (data: unknown, run: RunContext, from = 0): MaybePromise<InstanceTypes[T][]> => {
    for (let i = from; i < checks.length; i++) {
      const ok = passes(checks[i], data, run);
      if (isPromise(ok)) return ok.then((v) => (v ? branches[i] : pick(data, run, i + 1)));
      if (ok) return branches[i];
    }
    return otherwise;
  };
  return pick;
}

const conditionalDocumentation = (level: "entity" | "data") => `Runs transformers depending on filters.

- \`filters\` (filter list): when all pass, \`transformers\` run.
- \`transformers\` (${level === "entity" ? "entity transformers or list-transformer identifiers" : "data transformers"}): the "then" branch.
- \`elseCases\` (list of \`{"filter": <filter>, "transformer": <${level === "entity" ? "entity" : "data"} transformer>}\`): "else if";
  the first case whose filter passes runs its transformer.
- \`elseTransformers\` (${level === "entity" ? "entity" : "data"} transformer list): when nothing above applies.

With no branch applying and no \`elseTransformers\` the ${level === "entity" ? "entity passes unchanged" : "data is unchanged"}.
Filters never throw: a value condition on a missing key is simply false.

${level === "entity" ? "Registered as both a list-transformer and a data-transformer (same id); this is the entity-level one: filters see each entity's data, branches receive that one entity and may drop or multiply it." : "Registered as both a data-transformer and a list-transformer (same id); this is the data-level one (inside \`data\`, \`node\`), its branches are data transformers."}

Example: \`{"filters":[{"prototype":"key-condition","parameters":{"filter":{"prototype":"key-exists-condition","parameters":{"path":"id"}}}}],"transformers":[...update...],"elseTransformers":[...create...]}\`.

Notes [INF]: "else if" cases are tried in order and the first match wins; a case's \`filter\` or
\`transformer\` may also be a list (all filters must pass; transformers run in order).`;

const keyExists = (path: string) => ({ prototype: "key-condition", parameters: { filter: { prototype: "key-exists-condition", parameters: { path } } } });

const conditionalEntity: ListPrototype<ConditionalParameters> = {
  type: "list-transformer",
  identifier: "conditional",
  name: "Conditional",
  description: "Runs entity transformers when filters pass, else-if cases or else transformers otherwise.",
  parameters: conditionalSchema,
  documentation: conditionalDocumentation("entity"),
  tests: [
    {
      name: "then, else-if, else",
      parameters: {
        filters: [keyExists("a")],
        transformers: [{ prototype: "type-setter", parameters: { entityType: "x" } }, { prototype: "data", parameters: { transformers: [{ prototype: "operator", parameters: { left: "a", right: "a", operator: "addition", destination: "r" } }] } }],
        elseCases: [{ filter: keyExists("b"), transformer: { prototype: "data", parameters: { transformers: [{ prototype: "operator", parameters: { left: "b", right: "b", operator: "multiplication", destination: "r" } }] } } }],
        elseTransformers: [{ prototype: "data", parameters: { filters: [keyExists("nothing")] } }],
      },
      input: [{ a: 2 }, { b: 3 }, { c: 1 }],
      output: [{ a: 2, r: 4 }, { b: 3, r: 9 }],
    },
  ],
  create: async (p, builder) => {
    const pick = await conditionalBranches(p, builder, "list-transformer");
    return async (entities, run) => {
      const out: Entity[] = [];
      // ownership carries over: each entity goes one way, as the one element of its own list
      const owned = isOwnedList(entities);
      let allOwned = owned;
      for (const entity of entities) {
        const branch = await pick(entity.data, run);
        if (branch.length === 0) out.push(entity);
        else {
          const single: Entity[] = owned ? ownedList([entity]) : [entity];
          const result = await transformEntities(branch, single, run);
          allOwned &&= isOwnedList(result) || result.length === 0;
          out.push(...result);
        }
      }
      return allOwned ? ownedList(out) : out;
    };
  },
};

const conditionalData: Prototype<ConditionalParameters, "data-transformer"> = {
  type: "data-transformer",
  identifier: "conditional",
  name: "Conditional",
  description: "Runs data transformers when filters pass, else-if cases or else transformers otherwise.",
  parameters: conditionalSchema,
  documentation: conditionalDocumentation("data"),
  tests: [
    {
      name: "then",
      parameters: { filters: [keyExists("a")], transformers: [{ prototype: "operator", parameters: { left: "a", right: "a", operator: "addition", destination: "r" } }] },
      input: { a: 2 },
      output: { a: 2, r: 4 },
    },
    {
      name: "else-if",
      parameters: {
        filters: [keyExists("a")],
        transformers: [],
        elseCases: [{ filter: keyExists("b"), transformer: { prototype: "operator", parameters: { left: "b", right: "b", operator: "addition", destination: "r" } } }],
        elseTransformers: [{ prototype: "operator", parameters: { left: "x", right: "x", operator: "addition", destination: "r" } }],
      },
      input: { b: 5 },
      output: { b: 5, r: 10 },
    },
    {
      name: "else",
      parameters: {
        filters: [keyExists("a")],
        elseCases: [{ filter: keyExists("b"), transformer: { prototype: "operator", parameters: { left: "b", right: "b", operator: "addition", destination: "r" } } }],
        elseTransformers: [{ prototype: "operator", parameters: { left: "x", right: "x", operator: "addition", destination: "r" } }],
      },
      input: { x: 1 },
      output: { x: 1, r: 2 },
    },
  ],
  create: async (p, builder) => {
    const pick = await conditionalBranches(p, builder, "data-transformer");
    return inPlaceTransformer((value, run) => after(pick(value, run), (branch) => runInPlace(branch, value, run)));
  },
};

// ---- type-setter -------------------------------------------------------------------------------

const typeSetterSchema = z.looseObject({ entityType: z.string().nullish() });

const typeSetter: ListPrototype<z.infer<typeof typeSetterSchema>> = {
  type: "list-transformer",
  identifier: "type-setter",
  name: "Type setter",
  description: "Sets the entity type (and so its identifier) of every entity.",
  parameters: typeSetterSchema,
  documentation: `Changes the entity type for the rest of the stream; data is unchanged.

- \`entityType\` (entity configuration identifier, e.g. \`base-attribute\`).

When an \`entity\` configuration with that identifier exists, each entity's identifier is recomputed from
its \`identifierPath\` (JMESPath paths such as \`code\` or \`products[].code\`; several values are joined
with ","; none found = no identifier). Templates put a type-setter right before
\`storage-filter-stored-entity\`, which keys entities by that identifier.

Example: \`{"entityType":"base-attribute"}\`.

Notes [INF]: without such a configuration the identifier is left as it was; a null \`entityType\`
clears the type.`,
  tests: [{ name: "data unchanged", parameters: { entityType: "base-attribute" }, input: [{ code: "a" }], output: [{ code: "a" }] }],
  create: ({ entityType }) => async (entities, run) => {
    const out = entityType ? await Promise.all(entities.map((e) => retype(e, entityType, run))) : entities.map((e) => ({ ...e, type: null }));
    // the data is untouched, so it stays as owned as it came
    return isOwnedList(entities) ? ownedList(out) : out;
  },
};

// ---- brancher ----------------------------------------------------------------------------------

const brancherSchema = z.looseObject({
  pattern: z.string().refine(hasWildcard, "The pattern needs a `*` wildcard: each element it matches becomes an entity."),
  entityType: z.string().nullish(),
});

const brancher: ListPrototype<z.infer<typeof brancherSchema>> = {
  type: "list-transformer",
  identifier: "brancher",
  name: "Get branches from a pattern",
  description: "Splits each entity into one entity per element matched by a `*` pattern.",
  parameters: brancherSchema,
  documentation: `Splits an entity into branches: every value the pattern matches becomes an entity of its own.

- \`pattern\` (pattern with \`*\`): e.g. \`products.*\`. Nested wildcards work but the docs advise two branchers.
- \`entityType\` (entity identifier, optional): the type of the branches (identifier recomputed as by
  \`type-setter\`); without it the branches keep the original type, and [INF] their identifier is
  computed from that type's \`identifierPath\` when it is configured (else they have none).

Example (docs): \`{"pattern":"products.*"}\` on \`{"products":[{"sku":"a"},{"sku":"b"}]}\` gives two entities
\`{"sku":"a"}\` and \`{"sku":"b"}\`.

Notes [INF]: an entity where nothing matches yields no branch (it is dropped).`,
  tests: [
    {
      name: "one entity per product (docs)",
      parameters: { pattern: "products.*", entityType: "shopify-products" },
      input: [{ products: [{ sku: "a" }, { sku: "b" }] }, { products: [] }],
      output: [{ sku: "a" }, { sku: "b" }],
    },
  ],
  create: ({ pattern, entityType }) => async (entities, run) => {
    const out: Entity[] = [];
    for (const entity of entities) {
      // without an entityType the branches keep the entity's type, whose identifierPath then applies
      const type = entityType || entity.type;
      for (const match of matchPattern(entity.data, pattern)) {
        const branch: Entity = { data: match.value, type: entity.type, identifier: null };
        out.push(type ? await retype(branch, type, run) : branch);
      }
    }
    return out;
  },
};

export const prototypes: Prototype[] = [chain, data, node, conditionalEntity, conditionalData, typeSetter, brancher] as Prototype[];
