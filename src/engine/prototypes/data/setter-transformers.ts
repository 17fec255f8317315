/**
 * Data transformers that compute values (prototypes.md §6): value-setter, global-variable-setter,
 * merger, recursively-copy-values-to-children, exception, list-transformer-wrapper.
 */
import { z } from "zod";
import { listToObject, parsePath, setIn, setPath } from "../../paths";
import { compilePattern, matchPattern } from "../../patterns";
import { expand, expandCopy, expandKey, hasPlaceholders } from "../../placeholders";
import { after, cloneData, inPlaceTransformer, isOwnedList, ownedList, runInPlace, unchanging } from "../../steps";
import type { Entity, Mapper, MaybePromise, Prototype, RunContext } from "../../types";
import { applyMappers, buildList, deepMerge, isEmptyTemplate, isPromise, isRecord, specListSchema, specSchema } from "./common";

type DataPrototype<P> = Prototype<P, "data-transformer">;

/** Whether a configured value holds a placeholder anywhere (strings and object keys); static values skip expansion. */
function dynamic(value: unknown): boolean {
  if (typeof value === "string") return hasPlaceholders(value);
  if (Array.isArray(value)) return value.some(dynamic);
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => hasPlaceholders(k) || dynamic(v));
  return false;
}

/**
 * A value resolved per run: placeholders expanded against the data, then mappers applied. Static
 * values without mappers resolve synchronously (no promise), which matters per entity.
 */
function compileValue(value: unknown, mappers: Mapper[]): (data: unknown, run: RunContext) => unknown {
  if (!dynamic(value)) return mappers.length === 0 ? () => value : (_data, run) => applyMappers(mappers, value, run);
  if (mappers.length === 0) return (data, run) => expand(value, data, run);
  return (data, run) => after(expand(value, data, run), (expanded) => applyMappers(mappers, expanded, run));
}

/**
 * `compileValue` for writing into data that changes in place: the result shares nothing with the
 * data or the configuration (a mapper's result is copied, since it may hold either).
 */
function compileOwnedValue(value: unknown, mappers: Mapper[]): (data: unknown, run: RunContext) => unknown {
  if (mappers.length === 0) return dynamic(value) ? (data, run) => expandCopy(value, data, run) : () => cloneData(value);
  const resolve = compileValue(value, mappers);
  return (data, run) => after(resolve(data, run), cloneData);
}

/** A key/path with placeholders resolved per run; static keys are parsed once. */
function compileKey(key: string): (data: unknown, run: RunContext) => MaybePromise<readonly string[]> {
  if (!hasPlaceholders(key)) {
    const segments = parsePath(key);
    return () => segments;
  }
  return (data, run) => after(expandKey(key, data, run), parsePath);
}

const configurationSchema = z.looseObject({ key: z.string(), value: z.unknown().optional(), mappers: specListSchema });
const valueSetterSchema = z.looseObject({ configurations: z.array(configurationSchema).nullish().transform((v) => v ?? []) });

const valueSetter: DataPrototype<z.infer<typeof valueSetterSchema>> = {
  type: "data-transformer",
  identifier: "value-setter",
  name: "Value setter",
  description: "Sets values (with placeholders and mappers) at keys, in order.",
  parameters: valueSetterSchema,
  documentation: `Sets values: for each of \`configurations\`, in order, the value is resolved against the current data, passed through its mappers and set at its key. Later configurations see what earlier ones set.

- \`configurations\` (list):
  - \`key\` (string): dot path of the target (\`path.to.target\` creates nested objects; \`a.0\` creates a list); may hold placeholders (\`variants.&{variant.code}\`).
  - \`value\` (any JSON): a string with placeholders (\`&{first_name} &{last_name}\`; a string that is exactly one placeholder keeps the value's type), or a number, boolean, null, list or object whose string leaves are expanded.
  - \`mappers\` (mapper list): applied to the resolved value.

Example (docs): \`{"configurations":[{"key":"full_name","value":"&{first_name} &{last_name}","mappers":[]}]}\`
on \`{"first_name":"Jane","last_name":"Doe"}\` adds \`"full_name":"Jane Doe"\`.

Notes [INF]: the key is expanded before the value (both against the data as it is before this configuration); a missing \`value\` sets null.`,
  tests: [
    {
      name: "full name (docs)",
      parameters: { configurations: [{ key: "full_name", value: "&{first_name} &{last_name}", mappers: [] }] },
      input: { first_name: "Jane", last_name: "Doe" },
      output: { first_name: "Jane", last_name: "Doe", full_name: "Jane Doe" },
    },
    {
      name: "later configurations see earlier ones",
      parameters: { configurations: [{ key: "limit", value: 100, mappers: [] }, { key: "endpoint", value: "/families/&{code}/variants?limit=&{limit}", mappers: [] }] },
      input: { code: "shoes" },
      output: { code: "shoes", limit: 100, endpoint: "/families/shoes/variants?limit=100" },
    },
    {
      name: "typed placeholder and dynamic key",
      parameters: { configurations: [{ key: "variants.&{variant.code}", value: "&{variant}", mappers: [] }] },
      input: { variant: { code: "v1", qty: 2 } },
      output: { variant: { code: "v1", qty: 2 }, variants: { v1: { code: "v1", qty: 2 } } },
    },
  ],
  create: async ({ configurations }, builder) => {
    const steps = await Promise.all(
      configurations.map(async (c, i) => ({
        key: compileKey(c.key),
        value: compileOwnedValue(c.value ?? null, await buildList(builder, "mapper", ["configurations", i, "mappers"], c.mappers)),
      })),
    );
    // The key and the value are both resolved against the data as it is before each configuration.
    const setAll = (data: unknown, run: RunContext, from = 0): MaybePromise<unknown> => {
      let current = data;
      for (let i = from; i < steps.length; i++) {
        const key = steps[i].key(current, run);
        const value = steps[i].value(current, run);
        if (isPromise(key) || isPromise(value)) {
          const at = current;
          return Promise.all([key, value]).then(([k, v]) => setAll(setIn(at, k, v), run, i + 1));
        }
        current = setIn(current, key, value);
      }
      return current;
    };
    return inPlaceTransformer(setAll);
  },
};

const globalSchema = z.looseObject({
  key: z.string().optional(),
  value: z.unknown().optional(),
  mappers: specListSchema,
  configurations: z.array(configurationSchema).nullish().transform((v) => v ?? []),
});

const globalVariableSetter: DataPrototype<z.infer<typeof globalSchema>> = {
  type: "data-transformer",
  identifier: "global-variable-setter",
  name: "Global variable setter",
  description: "Sets a process variable, read elsewhere as @{globals.<key>}.",
  parameters: globalSchema,
  documentation: `Sets a global variable for the rest of the process: \`value\` (placeholders resolved against the current data) is stored at \`key\` under \`globals\`, read with \`@{globals.<key>}\`. The data passes unchanged.

- \`key\` (string): dot path under \`globals\` (\`path.to.target\` -> \`@{globals.path.to.target}\`).
- \`value\` (any JSON): the value, with placeholders.
- \`mappers\` (mapper list, optional) [INF]: applied to the value.
- \`configurations\` (list of \`{key, value, mappers}\`, optional) [INF]: several variables at once, like value-setter.

Example: \`{"key":"lastRun","value":"&{updated}"}\` on \`{"updated":"2024-01-01"}\` makes \`@{globals.lastRun}\` read \`2024-01-01\`.

Notes [INF]: a key written as \`globals.x\` is read as \`x\`; variables live in the run context only.`,
  tests: [{ name: "data passes unchanged", parameters: { key: "lastRun", value: "&{updated}" }, input: { updated: "2024-01-01" }, output: { updated: "2024-01-01" } }],
  create: async (parameters, builder) => {
    const configurations = [...(parameters.key !== undefined ? [{ key: parameters.key, value: parameters.value, mappers: parameters.mappers }] : []), ...parameters.configurations];
    const steps = await Promise.all(
      configurations.map(async (c, i) => {
        const at = parameters.key !== undefined && i === 0 ? ["mappers"] : ["configurations", parameters.key !== undefined ? i - 1 : i, "mappers"];
        const key = c.key.startsWith("globals.") ? c.key.slice("globals.".length) : c.key;
        return { key: compileKey(key), value: compileValue(c.value ?? null, await buildList(builder, "mapper", at, c.mappers)) };
      }),
    );
    return unchanging(async (data, run) => {
      for (const step of steps) {
        const segments = await step.key(data, run);
        if (segments.length === 0) continue;
        // a copy: the data may change in place after this step
        const value = cloneData(await step.value(data, run));
        run.globals[segments[0]] = setPath(run.globals[segments[0]], segments.slice(1), value);
      }
      return data;
    });
  },
};

const mergerSchema = z.looseObject({ transformer: specSchema, template: z.unknown().optional() });

const merger: DataPrototype<z.infer<typeof mergerSchema>> = {
  type: "data-transformer",
  identifier: "merger",
  name: "Merger transformer",
  description: "Runs a transformer on the data and merges a template rendered from its output back into the original data.",
  parameters: mergerSchema,
  documentation: `Keeps the data while using another transformer's result: \`transformer\` runs on the data, \`template\` is rendered with placeholders against the transformer's **output** (\`&{@}\` = all of it), and the rendered template is merged into the original data.

- \`transformer\` (data transformer): typically an \`http-transformer\`, whose response replaces the data.
- \`template\` (object): what to keep from the output, e.g. \`{"_sprykerStores":"&{data}"}\`; \`[]\`/\`{}\` keeps nothing (the transformer runs for its side effect).

Example: transformer \`value-setter\` setting \`total\` to 3, template \`{"count":"&{total}"}\`, on \`{"a":1}\` gives \`{"a":1,"count":3}\`.

Notes [INF]: the merge is deep for objects (keys merge recursively); lists and scalars in the template replace what the data holds. Data that is a list, merged with an object template, keeps its items under their indexes (\`[{"sku":"a"}]\` + \`{"response":...}\` gives \`{"0":{"sku":"a"},"response":...}\`, as a PHP array merge).`,
  tests: [
    {
      name: "keep part of the output",
      parameters: {
        template: { count: "&{total}" },
        transformer: { prototype: "value-setter", parameters: { configurations: [{ key: "total", value: 3, mappers: [] }] } },
      },
      input: { a: 1 },
      output: { a: 1, count: 3 },
    },
    {
      name: "empty template keeps the data",
      parameters: { template: [], transformer: { prototype: "value-setter", parameters: { configurations: [{ key: "a", value: 2, mappers: [] }] } } },
      input: { a: 1 },
      output: { a: 1 },
    },
  ],
  create: async (parameters, builder) => {
    const transformer = await builder.build("data-transformer", parameters.transformer, ["transformer"]);
    const template = isEmptyTemplate(parameters.template) ? null : parameters.template;
    // The transformer gets a copy (its plain call): the data itself is kept for the merge. The
    // rendered template shares nothing with the output, and the merge copies what it changes.
    return inPlaceTransformer(async (data, run) => {
      const output = await transformer(data, run);
      if (template === null) return data;
      const rendered = await expandCopy(template, output, run);
      // Data that is a list keeps its items under their indexes (a PHP array merge), not replaced.
      const target = Array.isArray(data) && isRecord(rendered) ? listToObject(data) : data;
      return deepMerge(target, rendered);
    });
  },
};

const recursiveSchema = z.looseObject({
  childrenPattern: z.string(),
  mergeTemplate: z.unknown().optional(),
  keepFirstLevelContext: z.boolean().nullish(),
});
const MAX_DEPTH = 64;

const recursivelyCopy: DataPrototype<z.infer<typeof recursiveSchema>> = {
  type: "data-transformer",
  identifier: "recursively-copy-values-to-children",
  name: "Recursively copy values to children",
  description: "Merges a template rendered against a parent into each child matched by a pattern, recursively.",
  parameters: recursiveSchema,
  documentation: `Copies values from a parent into its children: \`mergeTemplate\` is rendered with placeholders against the current data and merged into every child \`childrenPattern\` matches. The same pattern is then applied again inside each child (children with the same structure, such as a category tree), with the template rendered against that child as the parent.

- \`childrenPattern\` (string): pattern of the children, e.g. \`products.*\`, \`products.*.productAbstractProducts.*\`.
- \`mergeTemplate\` (object): values with placeholders, e.g. \`{"sku":"&{sku}"}\`.
- \`keepFirstLevelContext\` (boolean, default false) [INF]: render the template against the first level (the transformer's data) at every depth instead of against the nearest parent.

Example: \`{"mergeTemplate":{"sku":"&{sku}"},"childrenPattern":"linked_products.*"}\` on
\`{"sku":"A","linked_products":[{"id":1},{"id":2}]}\` gives every linked product \`"sku":"A"\`.

Notes [INF]: the template values win over the child's (deep merge for objects); children that are
scalars or non-empty lists are skipped, an empty list counts as an empty object (PHP). The
parameter name of the "keep using the context from the first level" option is not known from
exports; recursion stops at ${MAX_DEPTH} levels.`,
  tests: [
    {
      name: "copy the parent's sku",
      parameters: { mergeTemplate: { sku: "&{sku}" }, childrenPattern: "linked_products.*" },
      input: { sku: "A", linked_products: [{ id: 1 }, { id: 2 }] },
      output: { sku: "A", linked_products: [{ id: 1, sku: "A" }, { id: 2, sku: "A" }] },
    },
    {
      name: "recursive over a tree",
      parameters: { mergeTemplate: { root: "&{root}" }, childrenPattern: "children.*" },
      input: { root: "r", children: [{ children: [{}] }] },
      output: { root: "r", children: [{ root: "r", children: [{ root: "r" }] }] },
    },
  ],
  create: ({ childrenPattern, mergeTemplate, keepFirstLevelContext }) => {
    const template = isEmptyTemplate(mergeTemplate) ? null : mergeTemplate;
    const templateIsDynamic = dynamic(template);
    if (compilePattern(childrenPattern).length === 0) throw new Error("childrenPattern must not be empty");
    const pattern = compilePattern(childrenPattern);
    const apply = async (node: unknown, context: unknown, run: RunContext, depth: number): Promise<unknown> => {
      const matches = matchPattern(node, pattern);
      if (matches.length === 0 || depth >= MAX_DEPTH) return node;
      const rendered = templateIsDynamic ? await expand(template, context, run) : template;
      let out = node;
      for (const m of matches) {
        const target = Array.isArray(m.value) && m.value.length === 0 ? {} : m.value;
        if (!isRecord(target)) continue;
        // every child gets its own copy of the rendered values
        const merged = deepMerge(target, cloneData(rendered));
        out = setIn(out, m.path, await apply(merged, keepFirstLevelContext ? context : merged, run, depth + 1));
      }
      return out;
    };
    return inPlaceTransformer((data, run) => (template === null ? data : apply(data, data, run, 0)));
  },
};

const exceptionSchema = z.looseObject({ message: z.string().nullish() });

const exception: DataPrototype<z.infer<typeof exceptionSchema>> = {
  type: "data-transformer",
  identifier: "exception",
  name: "Throw an exception",
  description: "Fails the entity (the task) with a message.",
  parameters: exceptionSchema,
  documentation: `Stops processing this entity with an error: the run (or task) fails with \`message\`. Used in conditional branches ("Category id not found for parent").

- \`message\` (string): the error message; placeholders are resolved against the data [INF].

Example: \`{"message":"No parent for &{code}"}\` on \`{"code":"a"}\` fails with "No parent for a".`,
  tests: [{ name: "fails with the message", parameters: { message: "No parent for &{code}" }, input: { code: "a" }, output: { error: "No parent for a" } }],
  // The generic runner compares outputs; an exception's "output" is its message.
  runTest: async (instance, input, run) => {
    try {
      return { output: await instance(input, run) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { error: message.replace(/^exception failed: /, "") };
    }
  },
  create: ({ message }) => {
    const text = message ?? "Exception thrown by the exception transformer.";
    return unchanging(async (data, run) => {
      throw new Error(String(await expandKey(text, data, run)));
    });
  },
};

const wrapperSchema = z.looseObject({ transformers: specListSchema });

const listTransformerWrapper: DataPrototype<z.infer<typeof wrapperSchema>> = {
  type: "data-transformer",
  identifier: "list-transformer-wrapper",
  name: "Execute entity transformers",
  description: "Runs entity transformers on the data as one entity; exactly one entity must come out.",
  parameters: wrapperSchema,
  documentation: `Runs entity-level transformers (list-transformers) from inside a data transformer: the current data (the entity, or the node inside \`node\`) becomes one entity, goes through \`transformers\` in order, and the data of the entity that comes out replaces it.

- \`transformers\` (list): entity transformers, inline (\`{"prototype":"node",...}\`) or by list-transformer configuration identifier.

Exactly one entity must come out: a filter that drops it, or a brancher that splits it, is an error.

Example: \`{"transformers":[{"prototype":"data","parameters":{"transformers":[{"prototype":"value-setter","parameters":{"configurations":[{"key":"seen","value":true,"mappers":[]}]}}]}}]}\`
on \`{"a":1}\` gives \`{"a":1,"seen":true}\`.`,
  tests: [
    {
      name: "run a data entity transformer",
      parameters: {
        transformers: [{ prototype: "data", parameters: { transformers: [{ prototype: "value-setter", parameters: { configurations: [{ key: "seen", value: true, mappers: [] }] } }] } }],
      },
      input: { a: 1 },
      output: { a: 1, seen: true },
    },
  ],
  create: async ({ transformers }, builder) => {
    const steps = await buildList(builder, "list-transformer", ["transformers"], transformers);
    // The data is handed to the entity transformers as owned, so they may change it in place;
    // what comes back is copied unless it comes back owned.
    return inPlaceTransformer(async (data, run) => {
      let entities: Entity[] = ownedList([{ data }]);
      for (const step of steps) entities = await step(entities, run);
      if (entities.length !== 1) throw new Error(`the entity transformers returned ${entities.length} entities; exactly one is required`);
      return isOwnedList(entities) ? entities[0].data : cloneData(entities[0].data);
    });
  },
};

const dataChainSchema = z.looseObject({ transformers: specListSchema });

/** `chain` also appears where a data transformer is expected (an HTTP subscriber's input transformer). */
const dataChain: DataPrototype<z.infer<typeof dataChainSchema>> = {
  type: "data-transformer",
  identifier: "chain",
  name: "Chain data transformers",
  description: "Runs data transformers one after the other on the data.",
  parameters: dataChainSchema,
  documentation: `Chains data transformers: the output of step *i* is the input of step *i+1*.

- \`transformers\` (list): data transformers (\`value-setter\`, \`pattern-move\`, ...).

[INF] Real exports use \`chain\` as an HTTP subscriber's input transformer with value-setters inside
(\`akeneo-fetch-products-without-parent\`), so \`chain\` is registered at the data level too; at
the entity level it is the list-transformer \`chain\`.

Example: \`{"transformers":[{"prototype":"value-setter","parameters":{"configurations":[{"key":"search","value":"x","mappers":[]}]}}]}\`
on \`{}\` gives \`{"search":"x"}\`.`,
  tests: [
    {
      name: "two value setters in order",
      parameters: {
        transformers: [
          { prototype: "value-setter", parameters: { configurations: [{ key: "a", value: 1, mappers: [] }] } },
          { prototype: "value-setter", parameters: { configurations: [{ key: "b", value: "&{a}", mappers: [] }] } },
        ],
      },
      input: {},
      output: { a: 1, b: 1 },
    },
  ],
  create: async ({ transformers }, builder) => {
    const steps = await buildList(builder, "data-transformer", ["transformers"], transformers);
    return inPlaceTransformer((data, run) => runInPlace(steps, data, run));
  },
};

// `operator` as a data transformer is registered by the mappers module (src/engine/prototypes/mappers.ts).
export const setterTransformers: Prototype[] = [valueSetter, globalVariableSetter, merger, recursivelyCopy, exception, listTransformerWrapper, dataChain];
