/**
 * Data transformers working through accessors (prototypes.md §4, §6): value-mapper, key-mapper,
 * list-mapper, key-filter, value-filter, accessor-move, accessor-copy.
 */
import { z } from "zod";
import { arrayIndex, getPath, isListKeys, setIn } from "../../paths";
import { after, cloneData, forEach, inPlaceTransformer } from "../../steps";
import type { Accessor, AccessedPair, Prototype, RunContext } from "../../types";
import { allConditions, applyMappers, buildList, isRecord, specListSchema, specSchema, stripEnclosure } from "./common";

type DataPrototype<P> = Prototype<P, "data-transformer">;

const mapperSchema = z.looseObject({ accessor: specSchema, mappers: specListSchema, stripEnclosures: z.boolean().nullish() });
const filterSchema = z.looseObject({ accessor: specSchema, conditions: specListSchema });
const moveSchema = z.looseObject({ source: specSchema, destination: specSchema, stripEnclosures: z.boolean().nullish() });

const valueMapper: DataPrototype<z.infer<typeof mapperSchema>> = {
  type: "data-transformer",
  identifier: "value-mapper",
  name: "Value mapper",
  description: "Replaces every accessed value by the result of a chain of mappers.",
  parameters: mapperSchema,
  documentation: `Maps values: each value the \`accessor\` addresses goes through \`mappers\` in order and is written back in place.

- \`accessor\` (accessor): which values (\`pattern\`, \`key\`, \`structure\`).
- \`mappers\` (mapper list): applied in order to each value.

Example: \`{"accessor":{"prototype":"key","parameters":{"keys":["sku"]}},"mappers":[{"prototype":"string-prepend","parameters":{"prepend":"EXPLOSIVE-"}},{"prototype":"string-upper"}]}\`
on \`{"sku":"tnt"}\` gives \`{"sku":"EXPLOSIVE-TNT"}\`.`,
  tests: [
    {
      name: "cast a value",
      parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "qty" } }, mappers: [{ prototype: "cast-int", parameters: [] }] },
      input: { qty: "12" },
      output: { qty: 12 },
    },
  ],
  create: async (parameters, builder) => {
    const accessor = await builder.build("accessor", parameters.accessor, ["accessor"]);
    const mappers = await buildList(builder, "mapper", ["mappers"], parameters.mappers);
    return inPlaceTransformer((data, run) => {
      const pairs = accessor.read(data, run);
      if (pairs.length === 0) return data;
      const mapped: { key: string; value: unknown }[] = [];
      // a mapper's result may hold configured values or parts of its input: written as a copy
      const map = (i: number) =>
        after(applyMappers(mappers, pairs[i].value, run), (value) => {
          if (value !== pairs[i].value) mapped.push({ key: pairs[i].key, value: cloneData(value) });
        });
      return after(forEach(pairs.length, map), () => (mapped.length > 0 ? accessor.write(data, mapped, run) : data));
    });
  },
};

const keyMapper: DataPrototype<z.infer<typeof mapperSchema>> = {
  type: "data-transformer",
  identifier: "key-mapper",
  name: "Key mapper",
  description: "Renames every accessed key with a chain of mappers; values stay.",
  parameters: mapperSchema,
  documentation: `Maps keys: each key the \`accessor\` addresses goes through \`mappers\`; the value moves to the new key.

- \`accessor\` (accessor): which keys (a \`key\` accessor with \`keys: []\` = every key of its root).
- \`mappers\` (mapper list): applied in order to each key (a string); the result is used as a string.
- \`stripEnclosures\` (boolean): remove enclosing double quotes from the new keys, so a key like \`"a.b"\` is read as the path \`a.b\`.

Example: \`{"accessor":{"prototype":"key","parameters":{"keys":[]}},"mappers":[{"prototype":"dictionary-map","parameters":{"map":[["parent","parentCode"]],"comparator":"equals"}}]}\`
on \`{"parent":"a","code":"b"}\` gives \`{"code":"b","parentCode":"a"}\`.

Notes [INF]: renamed pairs are removed and written again through the accessor, so they come after the
unchanged keys; a key mapped to itself is left alone.`,
  tests: [
    {
      name: "rename by dictionary",
      parameters: {
        accessor: { prototype: "key", parameters: { keys: [] } },
        mappers: [{ prototype: "dictionary-map", parameters: { map: [["parent", "parentCode"]], comparator: "equals" } }],
        stripEnclosures: true,
      },
      input: { parent: "a", code: "b" },
      output: { code: "b", parentCode: "a" },
    },
  ],
  create: async (parameters, builder) => {
    const accessor = await builder.build("accessor", parameters.accessor, ["accessor"]);
    const mappers = await buildList(builder, "mapper", ["mappers"], parameters.mappers);
    const strip = parameters.stripEnclosures ?? false;
    return inPlaceTransformer((data, run) => {
      const pairs = accessor.read(data, run);
      const renamed: { key: string; value: unknown }[] = [];
      const old: AccessedPair[] = [];
      const rename = (i: number) =>
        after(applyMappers(mappers, pairs[i].key, run), (result) => {
          const mapped = String(result);
          const key = strip ? stripEnclosure(mapped) : mapped;
          if (key === pairs[i].key) return;
          old.push(pairs[i]);
          // a copy: not every accessor can remove what it reads (a structure over an object)
          renamed.push({ key, value: cloneData(pairs[i].value) });
        });
      return after(forEach(pairs.length, rename), () => (old.length === 0 ? data : accessor.write(accessor.remove(data, old, run), renamed, run)));
    });
  },
};

/** The accessed pairs as one PHP array: a list when the keys are 0..n-1 in order, else an object. */
function pairsToCollection(pairs: AccessedPair[]): unknown {
  if (isListKeys(pairs.map((p) => p.key))) return pairs.map((p) => p.value);
  const out: Record<string, unknown> = {};
  for (const p of pairs) out[p.key] = p.value;
  return out;
}

function collectionToPairs(value: unknown): { key: string; value: unknown }[] {
  if (Array.isArray(value)) return value.map((v, i) => ({ key: String(i), value: v }));
  if (isRecord(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  throw new Error(`list mappers must return a list or an object, got ${value === null ? "null" : typeof value}`);
}

/**
 * After a list mapper produced a list, the containers it was written into hold keys 0..n-1; in
 * PHP that *is* a list, so turn such objects into lists.
 */
function relist(data: unknown, accessor: Accessor, run: RunContext): unknown {
  const parents = new Map<string, (string | number)[]>();
  for (const pair of accessor.read(data, run)) {
    const parent = pair.path.slice(0, -1);
    parents.set(JSON.stringify(parent), parent);
  }
  let out = data;
  for (const parent of parents.values()) {
    const container = getPath(out, parent);
    if (!isRecord(container)) continue;
    const keys = Object.keys(container);
    if (keys.length > 0 && keys.every((k, i) => arrayIndex(k) === i)) out = setIn(out, parent, Object.values(container));
  }
  return out;
}

const listMapper: DataPrototype<z.infer<typeof mapperSchema>> = {
  type: "data-transformer",
  identifier: "list-mapper",
  name: "List mapper",
  description: "Applies list mappers to the accessed key/value pairs as a whole.",
  parameters: mapperSchema,
  documentation: `Maps the accessed set as one list: the pairs the \`accessor\` addresses form one PHP array
(a list when their keys are 0..n-1, else an object), \`mappers\` (list mappers such as
\`list-intersect-keys\`, \`list-extend-with\`, \`list-values\`) transform it, and the result is written back:
keys no longer present are removed, the others written.

- \`accessor\` (accessor): the pairs (a \`key\` accessor with empty root, or a \`pattern\` accessor without pattern, addresses the whole entity).
- \`mappers\` (mapper list): list mappers, applied in order.

Example: \`{"accessor":{"prototype":"key","parameters":{"keys":[]}},"mappers":[{"prototype":"list-intersect-keys","parameters":{"array":{"sku":true}}}]}\`
on \`{"sku":"a","tmp":1}\` gives \`{"sku":"a"}\`.

Notes [INF]: when the mappers return a list, a container left with keys 0..n-1 becomes a list
(PHP does not distinguish them). A result that is neither a list nor an object is an error.`,
  tests: [
    {
      name: "keep only listed keys",
      parameters: {
        accessor: { prototype: "key", parameters: { keys: [] } },
        mappers: [{ prototype: "list-intersect-keys", parameters: { array: { sku: true } } }],
      },
      input: { sku: "a", tmp: 1 },
      output: { sku: "a" },
    },
  ],
  create: async (parameters, builder) => {
    const accessor = await builder.build("accessor", parameters.accessor, ["accessor"]);
    const mappers = await buildList(builder, "mapper", ["mappers"], parameters.mappers);
    return inPlaceTransformer((data, run) => {
      const pairs = accessor.read(data, run);
      return after(applyMappers(mappers, pairsToCollection(pairs), run), (mapped) => {
        // the mappers' result may hold configured values and parts of the data: written as a copy
        const result = cloneData(mapped);
        const written = collectionToPairs(result);
        const kept = new Set(written.map((p) => p.key));
        const gone = pairs.filter((p) => !kept.has(p.key));
        let out = gone.length > 0 ? accessor.remove(data, gone, run) : data;
        out = accessor.write(out, written, run);
        return Array.isArray(result) ? relist(out, accessor, run) : out;
      });
    });
  },
};

function filterTransformer(identifier: "key-filter" | "value-filter"): DataPrototype<z.infer<typeof filterSchema>> {
  const onKeys = identifier === "key-filter";
  return {
    type: "data-transformer",
    identifier,
    name: onKeys ? "Key filter" : "Value filter",
    description: onKeys
      ? "Removes the accessed keys whose name satisfies every condition."
      : "Removes the accessed values that satisfy every condition.",
    parameters: filterSchema,
    documentation: onKeys
      ? `Removes keys: each key the \`accessor\` addresses is removed when its **name** satisfies every condition.

- \`accessor\` (accessor): the candidate keys.
- \`conditions\` (condition list): evaluated against each key name; an empty list removes every accessed key.

Example: \`{"accessor":{"prototype":"key","parameters":{"keys":[]}},"conditions":[{"prototype":"not-one-of","parameters":{"value":["code","name"]}}]}\`
on \`{"code":"a","name":"b","tmp":1}\` gives \`{"code":"a","name":"b"}\` (keeps only the listed keys).

Notes [INF]: several conditions must all hold (as for value-filter, whose documentation says so).`
      : `Removes values: each value the \`accessor\` addresses is removed when it satisfies every condition.

- \`accessor\` (accessor): the candidate values.
- \`conditions\` (condition list): evaluated against each value; an empty list removes every accessed value.

Examples (docs): pattern \`product.price\`, no conditions, on \`{"product":{"name":"example","price":10}}\` gives
\`{"product":{"name":"example"}}\`; pattern \`product.*\` gives \`{"product":{}}\`.`,
    tests: onKeys
      ? [
          { name: "drop listed keys", parameters: { accessor: { prototype: "key", parameters: { keys: ["temp"] } }, conditions: [] }, input: { code: "a", temp: 1 }, output: { code: "a" } },
          {
            name: "keep only some keys",
            parameters: { accessor: { prototype: "key", parameters: { keys: [] } }, conditions: [{ prototype: "not-one-of", parameters: { value: ["code", "name"] } }] },
            input: { code: "a", name: "b", tmp: 1 },
            output: { code: "a", name: "b" },
          },
        ]
      : [
          {
            name: "remove one value (docs)",
            parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "product.price" } }, conditions: [] },
            input: { product: { name: "example", price: 10 } },
            output: { product: { name: "example" } },
          },
          {
            name: "remove every child (docs)",
            parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "product.*" } }, conditions: [] },
            input: { product: { name: "example", price: 10 } },
            output: { product: {} },
          },
          {
            name: "drop nulls",
            parameters: { accessor: { prototype: "key", parameters: { keys: [] } }, conditions: [{ prototype: "equals", parameters: { value: null } }] },
            input: { a: null, b: 1 },
            output: { b: 1 },
          },
        ],
    create: async (parameters, builder) => {
      const accessor = await builder.build("accessor", parameters.accessor, ["accessor"]);
      const conditions = await buildList(builder, "condition", ["conditions"], parameters.conditions);
      return inPlaceTransformer((data, run) => {
        const pairs = accessor.read(data, run);
        const remove: AccessedPair[] = [];
        const check = (i: number) =>
          after(allConditions(conditions, onKeys ? pairs[i].key : pairs[i].value, run), (ok) => {
            if (ok) remove.push(pairs[i]);
          });
        return after(forEach(pairs.length, check), () => (remove.length > 0 ? accessor.remove(data, remove, run) : data));
      });
    },
  };
}

function moveCopy(identifier: "accessor-move" | "accessor-copy"): DataPrototype<z.infer<typeof moveSchema>> {
  const move = identifier === "accessor-move";
  return {
    type: "data-transformer",
    identifier,
    name: move ? "Move data between accessors" : "Copy data between accessors",
    description: move ? "Moves the pairs a source accessor reads to where a destination accessor writes." : "Copies the pairs a source accessor reads to where a destination accessor writes.",
    parameters: moveSchema,
    documentation: `${move ? "Moves" : "Copies"} data: the key/value pairs \`source\` reads are ${move ? "removed there and " : ""}written through \`destination\`.
With a \`structure\` accessor on one side this pivots a map into a list of records or back.

- \`source\` (accessor): what to read.
- \`destination\` (accessor): where to write.
- \`stripEnclosures\` (boolean): remove the double quotes enclosing keys that hold a dot (\`"product.name"\`), so the destination reads them as paths.

Example: \`{"source":{"prototype":"key","parameters":{"keys":[],"root":"labels"}},"destination":{"prototype":"structure","parameters":{"key":"localeCode","root":"localizations","value":"translation","keys":[]}},"stripEnclosures":true}\`
on \`{"labels":{"en_US":"Shoes"}}\` gives \`{${move ? `"labels":{},` : `"labels":{"en_US":"Shoes"},`}"localizations":[{"localeCode":"en_US","translation":"Shoes"}]}\`.${
      move ? "\n\nNotes [INF]: the source pairs are removed before the destination is written, so source and destination may overlap (the same root)." : ""
    }`,
    tests: [
      {
        name: "map to records",
        parameters: {
          source: { prototype: "key", parameters: { keys: [], root: "labels" } },
          destination: { prototype: "structure", parameters: { key: "localeCode", keys: [], root: "localizations", value: "translation" } },
          stripEnclosures: true,
        },
        input: { labels: { en_US: "Shoes" } },
        output: move ? { labels: {}, localizations: [{ localeCode: "en_US", translation: "Shoes" }] } : { labels: { en_US: "Shoes" }, localizations: [{ localeCode: "en_US", translation: "Shoes" }] },
      },
      {
        name: "whole entity under a key",
        parameters: { source: { prototype: "key", parameters: { keys: [] } }, destination: { prototype: "key", parameters: { keys: [], root: "product" } }, stripEnclosures: true },
        input: { sku: "a" },
        output: move ? { product: { sku: "a" } } : { sku: "a", product: { sku: "a" } },
      },
    ],
    create: async (parameters, builder) => {
      const source = await builder.build("accessor", parameters.source, ["source"]);
      const destination = await builder.build("accessor", parameters.destination, ["destination"]);
      const strip = parameters.stripEnclosures ?? false;
      return inPlaceTransformer((data, run) => {
        const pairs = source.read(data, run);
        if (pairs.length === 0) return data;
        // written as copies: a copied value stays at the source, and not every accessor can remove what it reads
        const written = pairs.map((p) => ({ key: strip ? stripEnclosure(p.key) : p.key, value: cloneData(p.value) }));
        const base = move ? source.remove(data, pairs, run) : data;
        return destination.write(base, written, run);
      });
    },
  };
}

export const accessorTransformers: Prototype[] = [
  valueMapper,
  keyMapper,
  listMapper,
  filterTransformer("key-filter"),
  filterTransformer("value-filter"),
  moveCopy("accessor-move"),
  moveCopy("accessor-copy"),
];
