/**
 * Accessors (prototypes.md §4): select key/value pairs in the data so transformers can read, map,
 * filter, move or write them.
 *
 * Contract shared by key, pattern and structure (`children` wraps other accessors and keeps theirs): a pair's `key` is a dot path (`paths.ts` syntax; a key holding a
 * dot is double-quoted, its quotes doubled, as Alumio quotes keys: `"product.name"`) relative to the accessor's base: the
 * data root for `pattern`, `root` for `key` and `structure`. `write` sets each pair at its key
 * (creating containers), `remove` deletes the listed keys; both change data the caller owns in
 * place (src/engine/steps.ts) and return it.
 */
import { z } from "zod";
import { arrayIndex, deleteIn, formatPath, formatSegment, getPath, isRecord, parsePath, setIn, withoutKeys } from "../paths";
import { compilePattern, literalPath, matchPattern } from "../patterns";
import { buildList, specList } from "../specs";
import type { AccessedPair, Accessor, Prototype, RunContext } from "../types";

type AccessorPrototype<P> = Prototype<P, "accessor">;

/** PHP exports write an empty list as `[]` and sometimes omit it. */
const keysSchema = z
  .array(z.union([z.string(), z.number()]))
  .nullish()
  .transform((v) => (v ?? []).map(String));
/** A path parameter: absent, null or `[]` (PHP's empty value) mean the root. */
const pathSchema = z
  .union([z.string(), z.array(z.never()), z.null()])
  .optional()
  .transform((v) => (typeof v === "string" ? v : ""));

/** A child of a node; its path from the root is only built when asked for. */
class ChildPair implements AccessedPair {
  constructor(
    private readonly base: string[],
    private readonly step: string | number,
    readonly key: string,
    readonly value: unknown,
  ) {}

  get path(): (string | number)[] {
    return [...this.base, this.step];
  }
}

/** Direct children of a node as pairs: list indexes or object keys. */
function childPairs(node: unknown, base: string[], keys: string[]): AccessedPair[] {
  const only = keys.length > 0 ? new Set(keys) : null;
  const out: AccessedPair[] = [];
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (!only || only.has(String(i))) out.push(new ChildPair(base, i, String(i), node[i]));
  } else if (isRecord(node)) {
    for (const key of Object.keys(node)) if (!only || only.has(key)) out.push(new ChildPair(base, key, formatSegment(key), node[key]));
  }
  return out;
}

/**
 * Deletes several paths in place so that list indexes stay valid: deeper and higher indexes
 * first, which also keeps a list emptied element by element a list (see paths.ts).
 */
function deleteAll(data: unknown, paths: (string | number)[][]): unknown {
  if (paths.length === 1) return deleteIn(data, paths[0]);
  const sorted = [...paths].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] === b[i] || String(a[i]) === String(b[i])) continue;
      const x = arrayIndex(a[i]);
      const y = arrayIndex(b[i]);
      if (x !== null && y !== null) return y - x;
      return 0;
    }
    return b.length - a.length;
  });
  let out = data;
  for (const path of sorted) out = deleteIn(out, path);
  return out;
}

// ---- key ---------------------------------------------------------------------------------------

const keySchema = z.looseObject({ root: pathSchema, keys: keysSchema });

export const keyAccessor: AccessorPrototype<z.infer<typeof keySchema>> = {
  type: "accessor",
  identifier: "key",
  name: "Key accessor",
  description: "The immediate children of a root node, optionally only some keys.",
  parameters: keySchema,
  documentation: `Accesses the immediate children of a node.

- \`root\` (dot path, optional): the node; omitted or \`""\` is the root of the data.
- \`keys\` (list of key names): only these children; \`[]\` = every child.

Pairs: one per child, key = the child's key (list index as a string; a key holding a dot is written
\`"a.b"\`). Writing sets \`root.<key>\` (a key is read as a path below \`root\`, so an unquoted \`a.b\`
nests); removing deletes \`root.<key>\`.

Example (docs): \`{"root":"attributes"}\` on \`{"sku":"tnt","attributes":{"color":"red","fuse-length":"12cm"}}\`
accesses \`{"color":"red","fuse-length":"12cm"}\`.

Notes [INF]: a root that is missing or a scalar has no children (no pairs); writing creates it.`,
  tests: [
    {
      name: "children of a root (docs)",
      parameters: { root: "attributes" },
      input: { sku: "tnt", attributes: { color: "red", "fuse-length": "12cm" } },
      output: { color: "red", "fuse-length": "12cm" },
    },
    { name: "only some keys of the entity", parameters: { keys: ["sku"] }, input: { sku: "tnt", name: "x" }, output: { sku: "tnt" } },
    { name: "list children", parameters: { root: "l", keys: [] }, input: { l: ["a", "b"] }, output: { "0": "a", "1": "b" } },
  ],
  create: ({ root, keys }) => {
    const base = parsePath(root);
    const at = (key: string) => [...base, ...parsePath(key)];
    // Most keys name a direct child of an existing root: those are written or removed on the root
    // itself, without walking from the data's root for every key.
    const isChild = (key: string) => parsePath(key).length === 1;
    return {
      read: (data) => childPairs(getPath(data, base), base, keys),
      write: (data, pairs) => {
        const node = getPath(data, base);
        if (typeof node !== "object" || node === null || !pairs.every((pair) => isChild(pair.key))) {
          return pairs.reduce((out, pair) => setIn(out, at(pair.key), pair.value), data);
        }
        let updated: unknown = node;
        for (const pair of pairs) updated = setIn(updated, parsePath(pair.key), pair.value);
        return updated === node ? data : setIn(data, base, updated);
      },
      remove: (data, pairs) => {
        const removed = pairs.map((pair) => pair.key);
        const node = getPath(data, base);
        if (!isRecord(node) || !removed.every(isChild)) return deleteAll(data, removed.map(at));
        const gone = new Set(removed.map((key) => parsePath(key)[0]));
        return setIn(data, base, withoutKeys(node, (key) => gone.has(key)));
      },
    } satisfies Accessor;
  },
};

// ---- pattern -----------------------------------------------------------------------------------

const patternSchema = z.looseObject({ pattern: pathSchema, keys: keysSchema });

export const patternAccessor: AccessorPrototype<z.infer<typeof patternSchema>> = {
  type: "accessor",
  identifier: "pattern",
  name: "Pattern accessor",
  description: "Every location matching a pattern (globs `*`, `?`, `[abc]` per segment).",
  parameters: patternSchema,
  documentation: `Accesses every path that matches \`pattern\` (prototypes.md §3.7: dot-separated segments, \`*\` any
key or index, \`?\` one character, \`[abc]\` one of, \`"a.b"\` a literal key).

- \`pattern\` (pattern): what to access. Without wildcards it addresses one path.
- \`keys\` (list of key names): only matches whose last segment is listed; \`[]\` = all.

Pairs: key = the full matched path from the data root (\`products.0.sku\`), value = what is there.
Writing sets each key as a path from the root; removing deletes those paths.

Example (docs): \`{"pattern":"media_gallery_entries.*.file"}\` on
\`{"media_gallery_entries":[{"file":"foo.jpg"},{"file":"bar.png"}]}\` accesses \`foo.jpg\` and \`bar.png\`.

Notes [INF]: an omitted or empty \`pattern\` accesses the immediate children of the root (as
\`*\` does). Templates use \`{"keys":[]}\` with list-intersect-keys, list-extend-with, a
dictionary-map key-mapper and an accessor-move destination, all of which only make sense on the
entity's top-level keys. Non-empty \`keys\` filtering by last segment is also inferred (templates
always write \`[]\`).`,
  tests: [
    {
      name: "every file (docs)",
      parameters: { pattern: "media_gallery_entries.*.file", keys: [] },
      input: { media_gallery_entries: [{ file: "foo.jpg", id: 1 }, { file: "bar.png", id: 2 }] },
      output: { "media_gallery_entries.0.file": "foo.jpg", "media_gallery_entries.1.file": "bar.png" },
    },
    { name: "one path", parameters: { pattern: "value", keys: [] }, input: { value: [1, 2], other: 3 }, output: { value: [1, 2] } },
    { name: "no pattern: top-level keys", parameters: { keys: [] }, input: { a: 1, b: { c: 2 } }, output: { a: 1, b: { c: 2 } } },
  ],
  create: ({ pattern, keys }) => {
    const compiled = compilePattern(pattern === "" ? "*" : pattern);
    const only = keys.length > 0 ? new Set(keys) : null;
    const path = only ? null : literalPath(compiled);
    const pathKey = path && formatPath(path);
    return {
      read: (data) => {
        if (path) {
          // no wildcard: one path, present or not
          const value = getPath(data, path);
          return value === undefined ? [] : [{ key: pathKey!, value, path }];
        }
        const matches: AccessedPair[] = matchPattern(data, compiled);
        return only ? matches.filter((m) => only.has(String(m.path[m.path.length - 1]))) : matches;
      },
      write: (data, pairs) => pairs.reduce((out, pair) => setIn(out, parsePath(pair.key), pair.value), data),
      remove: (data, pairs) => deleteAll(data, pairs.map((pair) => pair.path)),
    } satisfies Accessor;
  },
};

// ---- structure ---------------------------------------------------------------------------------

const structureSchema = z.looseObject({
  root: pathSchema,
  key: z.string(),
  value: pathSchema,
  keys: keysSchema,
});

/** A pair's key as the record key it stands for: quoted segments (`"a.b"`) unquoted. */
const recordKeyOf = (key: string) => (key.includes('"') ? parsePath(key).join(".") : key);

/** `""` (a quoted empty path) or nothing: the whole record. */
const wholeRecord = (path: string) => path === "" || path === '""';

export const structureAccessor: AccessorPrototype<z.infer<typeof structureSchema>> = {
  type: "accessor",
  identifier: "structure",
  name: "Structure accessor",
  description: "Views a list of records as a map: one field is the key, another the value.",
  parameters: structureSchema,
  documentation: `Accesses a list of records as key/value pairs.

- \`root\` (dot path): the list of records; omitted = the data itself.
- \`key\` (dot path inside a record): the field whose value is the pair's key.
- \`value\` (dot path inside a record): the field whose value is the pair's value; \`""\` (a quoted empty
  path, as exports write it) means the whole record.
- \`keys\` (list): only these keys; \`[]\` = all.

Example (docs): \`{"root":"attributes","key":"name","value":"value"}\` on
\`{"attributes":[{"name":"color","value":"red"},{"name":"fuse-length","value":"12cm"}]}\` accesses
\`{"color":"red","fuse-length":"12cm"}\`.

Writing [INF]: each pair updates the record whose key field equals the pair's key, or appends a new
record \`{<key>: key, <value>: value}\` (with a whole-record \`value\`, the pair's value is the record
and gets the key field set when it is an object). When \`root\` holds no list (missing, an object, e.g.
one emptied by an accessor-move), a new list replaces it. Removing drops the matching records and
keeps a list. Records without the key field are skipped when reading.`,
  tests: [
    {
      name: "records as a map (docs)",
      parameters: { root: "attributes", key: "name", value: "value", keys: [] },
      input: { attributes: [{ name: "color", value: "red" }, { name: "fuse-length", value: "12cm" }] },
      output: { color: "red", "fuse-length": "12cm" },
    },
    {
      name: "whole record by code",
      parameters: { key: "code", value: '""', keys: [] },
      input: [{ code: "a", x: 1 }, { code: "b", x: 2 }],
      output: { a: { code: "a", x: 1 }, b: { code: "b", x: 2 } },
    },
  ],
  create: ({ root, key, value, keys }) => {
    const base = parsePath(root);
    const keyPath = parsePath(key);
    const whole = wholeRecord(value);
    const valuePath = whole ? [] : parsePath(value);
    const only = keys.length > 0 ? new Set(keys) : null;
    const recordKey = (record: unknown): string | null => {
      const k = getPath(record, keyPath);
      if (k === undefined || k === null || typeof k === "object") return null;
      return typeof k === "boolean" ? (k ? "1" : "") : String(k);
    };
    /** What is stored for key `k`: the whole value (its key field set), or the record (a new one when there is none) with its value field set. */
    const recordFor = (existing: unknown, k: string, value: unknown) =>
      whole ? (isRecord(value) ? setIn(value, keyPath, k) : value) : setIn(existing === undefined ? setIn({}, keyPath, k) : existing, valuePath, value);
    const records = (data: unknown): [string | number, unknown][] => {
      const node = getPath(data, base);
      if (Array.isArray(node)) return node.map((r, i) => [i, r]);
      if (isRecord(node)) return Object.entries(node);
      return [];
    };
    return {
      read: (data) => {
        const pairs: AccessedPair[] = [];
        for (const [i, record] of records(data)) {
          const k = recordKey(record);
          if (k === null || (only && !only.has(k))) continue;
          const v = getPath(record, valuePath);
          pairs.push({ key: formatSegment(k), value: v === undefined ? null : v, path: [...base, i, ...valuePath] });
        }
        return pairs;
      },
      write: (data, pairs) => {
        if (pairs.length === 0) return data;
        const node = getPath(data, base);
        const list: unknown[] = Array.isArray(node) ? node : [];
        // where each key's record is (the first one, as a search from the start would find)
        const positions = new Map<string, number>();
        list.forEach((record, i) => {
          const k = recordKey(record);
          if (k !== null && !positions.has(k)) positions.set(k, i);
        });
        for (const pair of pairs) {
          const k = recordKeyOf(pair.key);
          const at = positions.get(k);
          if (at !== undefined) {
            list[at] = recordFor(list[at], k, pair.value);
            // a whole record replaced by a scalar no longer holds the key: the next record with it takes over
            if (recordKey(list[at]) !== k) {
              const next = list.findIndex((r) => recordKey(r) === k);
              if (next < 0) positions.delete(k);
              else positions.set(k, next);
            }
          } else {
            const record = recordFor(undefined, k, pair.value);
            if (recordKey(record) === k) positions.set(k, list.length);
            list.push(record);
          }
        }
        return list === node ? data : setIn(data, base, list);
      },
      remove: (data, pairs) => {
        const node = getPath(data, base);
        if (!Array.isArray(node)) return data;
        const gone = new Set(pairs.map((pair) => recordKeyOf(pair.key)));
        return setIn(data, base, node.filter((r) => !gone.has(recordKey(r) ?? "\u0000")));
      },
    } satisfies Accessor;
  },
};

// ---- children ----------------------------------------------------------------------------------

const childrenSchema = z.looseObject({ accessors: specList });

/** A pair read through one accessor of a children accessor: remembers which one, so it goes back there. */
class RoutedPair implements AccessedPair {
  readonly key: string;
  readonly value: unknown;
  constructor(
    readonly owner: Accessor,
    readonly source: number,
    readonly inner: AccessedPair,
  ) {
    this.key = inner.key;
    this.value = inner.value;
  }

  get path(): (string | number)[] {
    return this.inner.path;
  }
}

export const childrenAccessor: AccessorPrototype<z.infer<typeof childrenSchema>> = {
  type: "accessor",
  identifier: "children",
  name: "Children accessor",
  description: "A wrapper for multiple accessors: the pairs of each, in order.",
  parameters: childrenSchema,
  documentation: `Combines several accessors into one (Alumio: "a wrapper for multiple accessors").

- \`accessors\` (accessor list) [INF: parameter name]: the wrapped accessors (\`key\`, \`pattern\`,
  \`structure\`, or another \`children\`); an empty or absent list accesses nothing.

Pairs: the pairs of the first accessor, then those of the second, and so on, each with the key
its own accessor gives it (a \`pattern\` pair keeps its full path, a \`key\` pair its child key).
A key two accessors both read appears twice.

Example: \`{"accessors":[{"prototype":"key","parameters":{"keys":["sku"]}},{"prototype":"pattern","parameters":{"pattern":"attributes.*"}}]}\`
on \`{"sku":"tnt","name":"TNT","attributes":{"color":"red"}}\` accesses \`{"sku":"tnt","attributes.color":"red"}\`;
a \`value-mapper\` with \`string-upper\` through it gives \`{"sku":"TNT","name":"TNT","attributes":{"color":"RED"}}\`.

Notes [INF] (the docs name the accessor and nothing more):
- Writing: each pair goes back through the accessor that reads its key in the data, so a mapped
  value lands where it was read; a key no wrapped accessor reads (a new key, e.g. from a
  \`key-mapper\`) is written through the first accessor. When several accessors read the same key,
  the first pair written with it goes to the first of them, the second to the second, and so on
  (a \`value-mapper\` that changes only the second of two equal keys therefore writes to the first).
- Removing: each pair is removed through the accessor that read it.
- The copy-operations guide also lists a "Child accessor" among the strategies of "Copy data
  between accessors" without describing it; no separate prototype is registered for it.`,
  tests: [
    {
      name: "pairs of each accessor, in order",
      parameters: {
        accessors: [
          { prototype: "key", parameters: { keys: ["sku"] } },
          { prototype: "pattern", parameters: { pattern: "attributes.*", keys: [] } },
        ],
      },
      input: { sku: "tnt", name: "TNT", attributes: { color: "red" } },
      output: { sku: "tnt", "attributes.color": "red" },
    },
    {
      name: "records and a key",
      parameters: {
        accessors: [
          { prototype: "structure", parameters: { root: "attributes", key: "name", value: "value", keys: [] } },
          { prototype: "key", parameters: { root: "labels", keys: [] } },
        ],
      },
      input: { attributes: [{ name: "color", value: "red" }], labels: { en_US: "Dynamite" } },
      output: { color: "red", en_US: "Dynamite" },
    },
    { name: "no accessors: nothing", parameters: { accessors: [] }, input: { a: 1 }, output: {} },
  ],
  create: async ({ accessors }, builder) => {
    const inner = await buildList(builder, "accessor", ["accessors"], accessors);
    /** For each key, the accessors (indexes, in order) that read it in `data`. */
    const readers = (data: unknown, run: RunContext) => {
      const byKey = new Map<string, number[]>();
      inner.forEach((accessor, i) => {
        for (const pair of accessor.read(data, run)) {
          const list = byKey.get(pair.key);
          if (!list) byKey.set(pair.key, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
      });
      return byKey;
    };
    /** Runs each accessor's share, in accessor order, threading the (possibly new) root. */
    const apply = <P>(data: unknown, groups: P[][], step: (accessor: Accessor, data: unknown, pairs: P[]) => unknown) => {
      let out = data;
      groups.forEach((pairs, i) => {
        if (pairs.length > 0) out = step(inner[i], out, pairs);
      });
      return out;
    };
    const self: Accessor = {
      read: (data, run) => {
        const out: AccessedPair[] = [];
        inner.forEach((accessor, i) => {
          for (const pair of accessor.read(data, run)) out.push(new RoutedPair(self, i, pair));
        });
        return out;
      },
      write: (data, pairs, run) => {
        if (inner.length === 0 || pairs.length === 0) return data;
        if (inner.length === 1) return inner[0].write(data, pairs, run);
        // Pairs come back as new objects (a mapper's result): only their key says where they were read.
        const byKey = readers(data, run);
        const seen = new Map<string, number>();
        const groups: { key: string; value: unknown }[][] = inner.map(() => []);
        for (const pair of pairs) {
          let target = 0;
          if (pair instanceof RoutedPair && pair.owner === self) target = pair.source;
          else {
            const holders = byKey.get(pair.key);
            if (holders) {
              const n = seen.get(pair.key) ?? 0;
              seen.set(pair.key, n + 1);
              target = holders[Math.min(n, holders.length - 1)];
            }
          }
          groups[target].push(pair);
        }
        return apply(data, groups, (accessor, out, share) => accessor.write(out, share, run));
      },
      remove: (data, pairs, run) => {
        if (inner.length === 0 || pairs.length === 0) return data;
        const groups: AccessedPair[][] = inner.map(() => []);
        let foreign: AccessedPair[] | null = null;
        for (const pair of pairs) {
          if (pair instanceof RoutedPair && pair.owner === self) groups[pair.source].push(pair.inner);
          else (foreign ??= []).push(pair);
        }
        if (foreign) {
          // Not read through this accessor (against the contract): removed through the first accessor reading the key.
          const wanted = new Set(foreign.map((pair) => pair.key));
          inner.forEach((accessor, i) => {
            for (const pair of accessor.read(data, run)) {
              if (!wanted.has(pair.key)) continue;
              wanted.delete(pair.key);
              groups[i].push(pair);
            }
          });
        }
        return apply(data, groups, (accessor, out, share) => accessor.remove(out, share, run));
      },
    };
    return self;
  },
};

export const prototypes: Prototype[] = [keyAccessor, patternAccessor, structureAccessor, childrenAccessor];
