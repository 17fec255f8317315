/**
 * Data transformers addressed by patterns (prototypes.md §3.7, §6): pattern-move, pattern-copy,
 * value-remover, convert-to-array, group-by.
 */
import { z } from "zod";
import { deleteIn, getPath, isListKeys, isRecord, parsePath, setIn } from "../../paths";
import { compilePattern, fillCaptures, literalPath, matchPattern, type PatternMatch, type Segment } from "../../patterns";
import { after, cloneData, forEach, inPlaceTransformer } from "../../steps";
import type { Condition, MaybePromise, Prototype, RunContext } from "../../types";
import { allConditions, buildList, specListSchema } from "./common";

type DataPrototype<P> = Prototype<P, "data-transformer">;

const moveCopySchema = z.looseObject({
  pattern: z.string(),
  replacement: z.string(),
  conditions: specListSchema,
});
type MoveCopyParameters = z.infer<typeof moveCopySchema>;

/** The matches whose value passes every condition (comparators on the matched value). */
function passing(matches: PatternMatch[], conditions: Condition[], run: RunContext): MaybePromise<PatternMatch[]> {
  const out: PatternMatch[] = [];
  const check = (i: number) =>
    after(allConditions(conditions, matches[i].value, run), (ok) => {
      if (ok) out.push(matches[i]);
    });
  return after(forEach(matches.length, check), () => out);
}

/** Removes a moved value's source (pruning emptied parents); moving the root (an empty pattern) leaves nothing behind. */
const removeSource = (data: unknown, path: readonly (string | number)[]) => (path.length === 0 ? undefined : deleteIn(data, path, true));

async function createMoveCopy(parameters: MoveCopyParameters, builder: Parameters<DataPrototype<MoveCopyParameters>["create"]>[1], move: boolean) {
  const conditions = await buildList(builder, "condition", ["conditions"], parameters.conditions);
  const pattern = compilePattern(parameters.pattern);
  const { replacement } = parameters;
  const fixed = replacement.includes("$") ? null : parsePath(replacement);
  const source = literalPath(pattern);
  if (source && fixed && conditions.length === 0) {
    // One path to one path (`product.name` -> `product_name`), the common case: no matching needed.
    return inPlaceTransformer((data) => {
      const value = getPath(data, source);
      if (value === undefined) return data;
      return move ? setIn(removeSource(data, source), fixed, value) : setIn(data, fixed, cloneData(value));
    });
  }
  // Every match is read first, then all sources go (last first), then all destinations are
  // written in match order: a destination inside a source (`testParent` -> `testParent.0`) works.
  const apply = (data: unknown, matches: PatternMatch[]) => {
    if (matches.length === 0) return data;
    let out = data;
    if (move) for (let i = matches.length - 1; i >= 0; i--) out = removeSource(out, matches[i].path);
    for (const m of matches) {
      const at = fixed ?? parsePath(fillCaptures(replacement, m.captures, m.key));
      // a moved value leaves its place, so it is not shared; a copied one would be
      out = setIn(out, at, move ? m.value : cloneData(m.value));
    }
    return out;
  };
  return inPlaceTransformer((data, run) => {
    const found = matchPattern(data, pattern);
    if (found.length === 0) return data;
    if (conditions.length === 0) return apply(data, found);
    return after(passing(found, conditions, run), (matches) => apply(data, matches));
  });
}

const patternMove: DataPrototype<MoveCopyParameters> = {
  type: "data-transformer",
  identifier: "pattern-move",
  name: "Move using a pattern",
  description: "Moves every value matching a pattern to a destination path built from the pattern's captures.",
  parameters: moveCopySchema,
  documentation: `Moves data: every location matching \`pattern\` is removed and its value written at \`replacement\`.

- \`pattern\` (string): a pattern (dot path; \`*\`, \`?\`, \`[abc]\` globs per segment; \`"quoted.segments"\` are literal).
- \`replacement\` (string): the destination path; \`$1..$n\` are what the n-th glob (\`*\`, \`?\` or \`[abc]\`, left to right) matched (\`values.$2.$1\`, \`values.$1$2$3\`), \`$0\` the whole matched path.
- \`conditions\` (condition list, optional): a match is moved only when its value satisfies every condition.

Example: \`{"pattern":"products.*.name","replacement":"product_names.$1"}\` on
\`{"products":[{"name":"a"},{"name":"b"}]}\` gives \`{"product_names":["a","b"]}\`.

Notes [INF]:
- All matches are taken from the input, then every source is removed (last match first, so a list emptied element by element stays a list), then every destination is written in match order.
- Emptied parents, as the three documented samples show: the object directly holding a moved value is removed when it is left empty (\`product.name\` -> \`product_name\` leaves no \`product\`), and so is every ancestor left empty by that removal (\`products.*.name\` leaves no \`products\`); a list emptied by moving its own elements stays (\`products.*.categories.*\` -> \`categories.$2\` leaves \`"categories":[]\`). The root is never removed.
- Removing a list element other than the last leaves an object keyed by the remaining indexes, as PHP does; \`list-values\` re-indexes.
- An empty \`pattern\` addresses the root: the whole data moves to \`replacement\` (\`""\` -> \`x\` turns \`{"a":1}\` into \`{"x":{"a":1}}\`).`,
  tests: [
    { name: "rename a key (docs)", parameters: { pattern: "product.name", replacement: "product_name" }, input: { product: { name: "example" } }, output: { product_name: "example" } },
    {
      name: "captures (docs)",
      parameters: { pattern: "products.*.name", replacement: "product_names.$1" },
      input: { products: [{ name: "example" }, { name: "example2" }] },
      output: { product_names: ["example", "example2"] },
    },
    {
      name: "nested captures (docs)",
      parameters: { pattern: "products.*.categories.*", replacement: "categories.$2" },
      input: { products: [{ name: "p", categories: [1, 2, 3] }] },
      output: { products: [{ name: "p", categories: [] }], categories: [1, 2, 3] },
    },
    {
      name: "into a list at the same place",
      parameters: { pattern: "testParent", replacement: "testParent.0", conditions: [] },
      input: { testParent: 5 },
      output: { testParent: [5] },
    },
  ],
  create: (parameters, builder) => createMoveCopy(parameters, builder, true),
};

const patternCopy: DataPrototype<MoveCopyParameters> = {
  type: "data-transformer",
  identifier: "pattern-copy",
  name: "Copy using a pattern",
  description: "Copies every value matching a pattern to a destination path built from the pattern's captures.",
  parameters: moveCopySchema,
  documentation: `Copies data: every value matching \`pattern\` is also written at \`replacement\`; the source stays.

- \`pattern\` (string): a pattern (see pattern-move).
- \`replacement\` (string): the destination path with \`$1..$n\` captures and \`$0\` the whole matched path (as pattern-move).
- \`conditions\` (condition list, optional): a match is copied only when its value satisfies every condition.

Example: \`{"pattern":"product.name","replacement":"product_name"}\` on \`{"product":{"name":"example"}}\`
gives \`{"product":{"name":"example"},"product_name":"example"}\`. Writes happen in match order.`,
  tests: [
    {
      name: "copy a key (docs)",
      parameters: { pattern: "product.name", replacement: "product_name" },
      input: { product: { name: "example" } },
      output: { product: { name: "example" }, product_name: "example" },
    },
    {
      name: "captures (docs)",
      parameters: { pattern: "products.*.name", replacement: "product_names.$1" },
      input: { products: [{ name: "example" }, { name: "example2" }] },
      output: { products: [{ name: "example" }, { name: "example2" }], product_names: ["example", "example2"] },
    },
  ],
  create: (parameters, builder) => createMoveCopy(parameters, builder, false),
};

const removerSchema = z.looseObject({
  patterns: z.array(z.looseObject({ key: z.string() })).nullish().transform((v) => v ?? []),
});

const valueRemover: DataPrototype<z.infer<typeof removerSchema>> = {
  type: "data-transformer",
  identifier: "value-remover",
  name: "Delete using a pattern",
  description: "Removes every value matching any of the patterns.",
  parameters: removerSchema,
  documentation: `Removes data: every location matching one of \`patterns[].key\` is deleted, pattern by pattern.

- \`patterns\` (list of \`{key}\`): the patterns of the locations to delete (\`_links\`, \`values.*.*.combinedKey\`, \`metadata.*\`).

Example: \`{"patterns":[{"key":"_links"},{"key":"created"}]}\` on \`{"code":"a","_links":{},"created":"x"}\` gives \`{"code":"a"}\`.

Notes [INF]: containers emptied by the removal stay (\`metadata.*\` leaves \`"metadata":{}\`); removing a list element other than the last leaves an object keyed by the remaining indexes (PHP \`unset\`).`,
  tests: [
    { name: "remove keys", parameters: { patterns: [{ key: "_links" }, { key: "created" }] }, input: { code: "a", _links: { self: "x" }, created: "2024" }, output: { code: "a" } },
    {
      name: "remove nested by wildcard",
      parameters: { patterns: [{ key: "values.*.*.combinedKey" }] },
      input: { values: { name: [{ data: "x", combinedKey: "k" }] } },
      output: { values: { name: [{ data: "x" }] } },
    },
  ],
  create: ({ patterns }) => {
    const compiled = patterns.map((p) => compilePattern(p.key));
    const paths = compiled.map(literalPath);
    return inPlaceTransformer((data) => {
      let out = data;
      for (let p = 0; p < compiled.length; p++) {
        const path = paths[p];
        if (path) {
          out = deleteIn(out, path);
          continue;
        }
        const matches = matchPattern(out, compiled[p]);
        for (let i = matches.length - 1; i >= 0; i--) out = deleteIn(out, matches[i].path);
      }
      return out;
    });
  },
};

const convertSchema = z.looseObject({ pattern: z.string(), recursive: z.boolean().nullish(), recursivePattern: z.string().nullish() });
const MAX_DEPTH = 64;

const convertToArray: DataPrototype<z.infer<typeof convertSchema>> = {
  type: "data-transformer",
  identifier: "convert-to-array",
  name: "Convert to array",
  description: "Wraps every value matching a pattern in a list, unless it already is one; optionally recursively.",
  parameters: convertSchema,
  documentation: `Makes sure the values matching \`pattern\` are lists: an object or scalar \`v\` becomes \`[v]\`, \`null\` becomes \`[]\`, a list stays as it is.

- \`pattern\` (string): the locations to convert ("base pattern").
- \`recursive\` (boolean, default false): also convert inside each converted object, and inside what that converts, and so on.
- \`recursivePattern\` (string) [INF name]: with \`recursive\`, the locations to convert relative to each converted object (e.g. \`children\` for a tree); defaults to \`pattern\`.

Example (forum /t/convert-to-array-transformer/1375): \`{"pattern":"key-1"}\` on \`{"key-1":{"item-1":"item-1","item-2":"item-2"}}\`
gives \`{"key-1":[{"item-1":"item-1","item-2":"item-2"}]}\`.

Notes [INF]: the one template use converts an object before an \`array-merge\` with its children and
then loops over the result as a list of products, which fixes the wrapping semantics; scalars are
wrapped too and \`null\` becomes \`[]\`. The name of the "recursive pattern" field is not known from
exports (they always have \`recursive: false\`); recursion stops at ${MAX_DEPTH} levels.`,
  tests: [
    { name: "wrap an object", parameters: { pattern: "product", recursive: false }, input: { product: { sku: "a" } }, output: { product: [{ sku: "a" }] } },
    { name: "a list stays", parameters: { pattern: "product" }, input: { product: [{ sku: "a" }] }, output: { product: [{ sku: "a" }] } },
    {
      name: "wrap an object (forum)",
      parameters: { pattern: "key-1", recursive: false },
      input: { "key-1": { "item-1": "item-1", "item-2": "item-2" } },
      output: { "key-1": [{ "item-1": "item-1", "item-2": "item-2" }] },
    },
  ],
  create: ({ pattern, recursive, recursivePattern }) => {
    const compiled = compilePattern(pattern);
    const inner = recursive ? compilePattern(recursivePattern || pattern) : null;
    const convert = (data: unknown, segments: readonly Segment[], depth: number): unknown => {
      let out = data;
      for (const m of matchPattern(data, segments)) {
        if (Array.isArray(m.value)) continue;
        // with `recursive`, the converted object's own matches are converted first (it is part of the data, changed in place)
        const value = inner && inner.length > 0 && isRecord(m.value) && depth < MAX_DEPTH ? convert(m.value, inner, depth + 1) : m.value;
        out = setIn(out, m.path, value === null ? [] : [value]);
      }
      return out;
    };
    return inPlaceTransformer((data) => convert(data, compiled, 0));
  },
};

/** A group's key as PHP casts an array key: null -> "", booleans -> 1/0, floats truncated; objects and lists use their JSON text. */
function groupKey(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") return String(Number.isFinite(value) ? Math.trunc(value) : value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Groups as PHP's json_encode writes the array: a list when the keys are 0..n-1 in order, else an object. */
function phpArray(groups: Map<string, unknown[]>): unknown {
  return isListKeys(groups.keys()) ? [...groups.values()] : Object.fromEntries(groups);
}

const groupBySchema = z.looseObject({ pattern: z.string(), path: z.string(), destination: z.string() });

const groupBy: DataPrototype<z.infer<typeof groupBySchema>> = {
  type: "data-transformer",
  identifier: "group-by",
  name: "Group records",
  description: "Groups the records matching a pattern by the value at a path.",
  parameters: groupBySchema,
  documentation: `Groups records: the values matching \`pattern\` are collected into an object keyed by each
distinct value found at \`path\` inside them, each key holding the list of records with that value;
the object is written at \`destination\`.

- \`pattern\` (string): the records to group, e.g. \`values.*\`.
- \`path\` (string): the dot path inside each record whose value is the group key, e.g. \`name\`.
- \`destination\` (string): where the grouped object is written (may be the list itself).

Example: \`{"pattern":"values.*","path":"name","destination":"values"}\` on
\`{"values":[{"name":"a","v":1},{"name":"b","v":2},{"name":"a","v":3}]}\` gives
\`{"values":{"a":[{"name":"a","v":1},{"name":"a","v":3}],"b":[{"name":"b","v":2}]}}\`.

Notes [INF]: group keys are cast as PHP casts array keys: records without the path (or null) are
grouped under \`""\`, \`true\`/\`false\` under \`1\`/\`0\`, floats under their integer part; keys
that are objects or lists use their JSON text. Groups keep the order they first appear in, and groups
keyed 0..n-1 in that order form a list (PHP's \`json_encode\`). The source records are not removed (unless the
destination overwrites them). With no matching record the data is returned unchanged.`,
  tests: [
    {
      name: "group by name",
      parameters: { pattern: "values.*", path: "name", destination: "values" },
      input: { values: [{ name: "a", v: 1 }, { name: "b", v: 2 }, { name: "a", v: 3 }] },
      output: { values: { a: [{ name: "a", v: 1 }, { name: "a", v: 3 }], b: [{ name: "b", v: 2 }] } },
    },
  ],
  create: ({ pattern, path, destination }) => {
    const keyPath = parsePath(path);
    const destinationPath = parsePath(destination);
    const compiled = compilePattern(pattern);
    return inPlaceTransformer((data) => {
      const matches = matchPattern(data, compiled);
      if (matches.length === 0) return data;
      // a Map keeps the order groups first appear in, which decides between a list and an object
      const groups = new Map<string, unknown[]>();
      for (const m of matches) {
        const key = groupKey(getPath(m.value, keyPath));
        let group = groups.get(key);
        if (!group) groups.set(key, (group = []));
        // the records stay where they are too: the groups hold copies
        group.push(cloneData(m.value));
      }
      return setIn(data, destinationPath, phpArray(groups));
    });
  },
};

export const patternTransformers: Prototype[] = [patternMove, patternCopy, valueRemover, convertToArray, groupBy];
