/**
 * Filters, key filters and conditions (prototypes.md §7).
 *
 * - Filters (DI type `filter`) decide whether the current data passes: `key-condition`,
 *   `value-condition-v2`, `value-condition`, `and-condition`, `or-condition`.
 * - Key filters `key-exists-condition` / `key-not-exists-condition` are registered as DI type
 *   `filter` too: they take the data and answer pass/fail, which is exactly a filter, so
 *   `key-condition.filter` is built as a filter (and they also work directly in a filter list).
 * - Conditions (DI type `condition`) test one value: equals, one-of, logic-*, type-*, number-*, ...
 * - Documented / connector filters: `filter-based-on-transformer` (runs a data transformer, then a
 *   comparator on what it found) and `compare-two-values` (WooCommerce connector: two paths, one operation).
 *
 * Value comparisons follow PHP, since Alumio is a PHP engine and exports are PHP arrays: objects
 * and lists are both arrays (`{}` equals `[]`), strict comparison is `===`, loose is PHP 8 `==`.
 */
import { z } from "zod";
import { getPath, hasPath, isListKeys, isRecord, parsePath } from "../paths";
import { compilePattern, matchPattern } from "../patterns";
import { buildList, specList } from "../specs";
import { after, allConditions, applyMappers, every } from "../steps";
import type { DataFilter, Prototype } from "../types";

type FilterPrototype<P> = Prototype<P, "filter">;
type ConditionPrototype<P> = Prototype<P, "condition">;



// ---- PHP value semantics -----------------------------------------------------------------------

/** A PHP array's entries: list indexes or object keys. */
const entries = (v: unknown[] | Record<string, unknown>): [string, unknown][] => (Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v));
const isArrayLike = (v: unknown): v is unknown[] | Record<string, unknown> => Array.isArray(v) || isRecord(v);
/** PHP `array_is_list`: keys 0, 1, 2, ... in order (so `{}` is a list, as `[]`). */
const isList = (v: unknown[] | Record<string, unknown>) => Array.isArray(v) || isListKeys(Object.keys(v));

/** PHP `===`: same type and value; arrays with the same key/value pairs in the same order. */
export function strictEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (isArrayLike(a) && isArrayLike(b)) {
    const x = entries(a);
    const y = entries(b);
    return x.length === y.length && x.every(([k, v], i) => k === y[i][0] && strictEquals(v, y[i][1]));
  }
  return false;
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** PHP `is_numeric`: numbers and numeric strings. */
export const isNumeric = (v: unknown): boolean => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && NUMERIC.test(v));

/** PHP truthiness: null, false, 0, 0.0, "", "0" and empty arrays are false. */
export function phpBool(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "" || v === "0") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

/** PHP 8 `==`. */
export function looseEquals(a: unknown, b: unknown): boolean {
  a = a ?? null;
  b = b ?? null;
  if (a === b) return true;
  if (typeof a === "boolean" || typeof b === "boolean") return phpBool(a) === phpBool(b);
  if (a === null || b === null) {
    const other = a === null ? b : a;
    // null == "" and null == [] (via bool), but null == "0" compares as strings.
    return typeof other === "string" ? other === "" : !phpBool(other);
  }
  if (isArrayLike(a) || isArrayLike(b)) {
    if (!isArrayLike(a) || !isArrayLike(b)) return false;
    const x = new Map(entries(a));
    const y = entries(b);
    return x.size === y.length && y.every(([k, v]) => x.has(k) && looseEquals(x.get(k), v));
  }
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "string" && typeof b === "string") return isNumeric(a) && isNumeric(b) ? Number(a) === Number(b) : a === b;
  // number vs string: numeric strings compare as numbers, others as strings.
  const [n, s] = typeof a === "number" ? [a, b] : [b, a];
  if (typeof n === "number" && typeof s === "string") return isNumeric(s) ? Number(s) === n : String(n) === s;
  return false;
}

/** PHP `empty()`. */
export const isEmpty = (v: unknown) => !phpBool(v);

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
/** PHP `strcmp` order (UTF-16 code units, which only differs from bytes for characters beyond U+FFFF). */
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * PHP 8 `<=>` on JSON values: -1, 0 or 1, or null when PHP cannot order them (arrays whose keys
 * differ), in which case both `<` and `>` are false.
 */
export function phpCompare(a: unknown, b: unknown): number | null {
  a = a ?? null;
  b = b ?? null;
  // null <=> string: null is "", compared as strings
  if (a === null && typeof b === "string") return compareStrings("", b);
  if (typeof a === "string" && b === null) return compareStrings(a, "");
  // bool or null against anything: both as booleans
  if (typeof a === "boolean" || typeof b === "boolean" || a === null || b === null) return Number(phpBool(a)) - Number(phpBool(b));
  if (isArrayLike(a) || isArrayLike(b)) {
    // an array is greater than anything but another array; arrays: fewer elements first, then element by element
    if (!isArrayLike(a)) return -1;
    if (!isArrayLike(b)) return 1;
    const x = entries(a);
    const y = new Map(entries(b));
    if (x.length !== y.size) return sign(x.length - y.size);
    for (const [key, value] of x) {
      if (!y.has(key)) return null;
      const c = phpCompare(value, y.get(key));
      if (c !== 0) return c;
    }
    return 0;
  }
  if (typeof a === "number" && typeof b === "number") return sign(a - b);
  if (typeof a === "string" && typeof b === "string") return isNumeric(a) && isNumeric(b) ? sign(Number(a) - Number(b)) : compareStrings(a, b);
  // number against string: numerically when the string is numeric, else the number as a string
  if (typeof a === "number" && typeof b === "string") return isNumeric(b) ? sign(a - Number(b)) : compareStrings(String(a), b);
  if (typeof a === "string" && typeof b === "number") return isNumeric(a) ? sign(Number(a) - b) : compareStrings(a, String(b));
  return null;
}

/** PCRE-only syntax in JS form: named groups `(?P<name>...)`, back references `(?P=name)`, `\A`, `\z`/`\Z`. */
const jsSyntax = (body: string) =>
  body
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\[zZ]/g, "$");

/** A PHP PCRE `/body/flags` (any delimiter, `{}`/`()`/`[]`/`<>` pairs) as a JS RegExp; a bare body works too. */
export function pcre(pattern: string): RegExp {
  const first = pattern[0];
  const closing: Record<string, string> = { "{": "}", "(": ")", "[": "]", "<": ">" };
  if (first && !/[a-zA-Z0-9\\\s]/.test(first)) {
    const end = pattern.lastIndexOf(closing[first] ?? first);
    if (end > 0) {
      const flags = pattern.slice(end + 1);
      const js = [...new Set(flags.replace(/[^imsu]/g, ""))].join("");
      let body = pattern.slice(1, end);
      // x: ignore whitespace and # comments in the body
      if (flags.includes("x")) body = body.replace(/\\#/g, "\u0000").replace(/#.*$/gm, "").replace(/\s+/g, "").replace(/\u0000/g, "\\#");
      return new RegExp(jsSyntax(body), js);
    }
  }
  return new RegExp(jsSyntax(pattern));
}

// ---- filters -----------------------------------------------------------------------------------

const pathParam = z.looseObject({ path: z.union([z.string(), z.number()]).transform(String) });

function keyExists(identifier: "key-exists-condition" | "key-not-exists-condition"): FilterPrototype<z.infer<typeof pathParam>> {
  const exists = identifier === "key-exists-condition";
  return {
    type: "filter",
    identifier,
    name: exists ? "Key exists" : "Key does not exist",
    description: exists ? "Passes when the path exists in the data (even holding null)." : "Passes when the path does not exist in the data.",
    parameters: pathParam,
    documentation: `Passes when \`path\` ${exists ? "exists" : "does not exist"} in the data. Used as the \`filter\` of a \`key-condition\`.

- \`path\` (dot path): numeric segments index lists (\`value.1\`), quoted segments are literal keys.

Example: \`{"path":"result.data.id"}\` on \`{"result":{"data":{"id":null}}}\` ${exists ? "passes" : "fails"}.

Notes [INF]: a key holding \`null\` exists (prototypes.md §7). Registered as DI type \`filter\`
(a key filter is a filter over the data).`,
    tests: [
      { name: "present (null counts)", parameters: { path: "result.data.id" }, input: { result: { data: { id: null } } }, output: exists },
      { name: "absent", parameters: { path: "value.1" }, input: { value: ["a"] }, output: !exists },
      { name: "list index", parameters: { path: "value.1" }, input: { value: ["a", "b"] }, output: exists },
    ],
    create: ({ path }) => {
      const segments = parsePath(path);
      return (data) => hasPath(data, segments) === exists;
    },
  };
}

const keyConditionSchema = z.looseObject({ filter: z.unknown() });

const keyCondition: FilterPrototype<z.infer<typeof keyConditionSchema>> = {
  type: "filter",
  identifier: "key-condition",
  name: "Key condition",
  description: "Passes when its key filter (key exists / key does not exist) passes.",
  parameters: keyConditionSchema,
  documentation: `Wraps a key filter.

- \`filter\`: \`{"prototype":"key-exists-condition"|"key-not-exists-condition","parameters":{"path":...}}\`.

Example: \`{"filter":{"prototype":"key-exists-condition","parameters":{"path":"product.id"}}}\` passes on
\`{"product":{"id":1}}\` and fails on \`{"product":{}}\`.`,
  tests: [
    {
      name: "exists",
      parameters: { filter: { prototype: "key-exists-condition", parameters: { path: "product.id" } } },
      input: { product: { id: 1 } },
      output: true,
    },
    {
      name: "not exists",
      parameters: { filter: { prototype: "key-not-exists-condition", parameters: { path: "product.id" } } },
      input: { product: { id: 1 } },
      output: false,
    },
  ],
  create: async ({ filter }, builder) => {
    const inner = await builder.build("filter", filter, ["filter"]);
    return (data, run) => inner(data, run);
  },
};

const valueConditionSchema = z.looseObject({ accessor: z.unknown(), conditions: specList });

function valueCondition(identifier: "value-condition-v2" | "value-condition"): FilterPrototype<z.infer<typeof valueConditionSchema>> {
  return {
    type: "filter",
    identifier,
    name: identifier === "value-condition" ? "Value condition (v1)" : "Value condition",
    description: "Passes when the accessed value(s) satisfy every condition; nothing accessed fails.",
    parameters: valueConditionSchema,
    documentation: `Tests values of the data.

- \`accessor\` (accessor): the value(s) to test (usually a \`pattern\` accessor on one path).
- \`conditions\` (condition list): all must hold for a value.

Passes when the accessor finds at least one value and every accessed value satisfies every
condition. A missing key fails (no error).

Example (docs): \`{"accessor":{"prototype":"key","parameters":{"keys":["status"]}},"conditions":[{"prototype":"equals","parameters":{"value":"paid"}}]}\`
passes on \`{"status":"paid"}\`, fails on \`{"status":"open"}\` and on \`{}\`.

Notes [INF]: with several accessed values, all must pass (prototypes.md §18.7).${
      identifier === "value-condition" ? " `value-condition` (v1, developers' docs) behaves exactly as `value-condition-v2`." : ""
    }`,
    tests: [
      {
        name: "equals (docs)",
        parameters: { accessor: { prototype: "key", parameters: { keys: ["status"] } }, conditions: [{ prototype: "equals", parameters: { value: "paid" } }] },
        input: { status: "paid" },
        output: true,
      },
      {
        name: "missing key fails",
        parameters: { accessor: { prototype: "pattern", parameters: { keys: [], pattern: "status" } }, conditions: [{ prototype: "equals", parameters: { value: null } }] },
        input: {},
        output: false,
      },
      {
        name: "number between (docs)",
        parameters: {
          accessor: { prototype: "key", parameters: { keys: ["id"] } },
          conditions: [
            {
              prototype: "logic-and",
              parameters: { conditions: [{ prototype: "number-greater-than", parameters: { value: 9 } }, { prototype: "number-less-than", parameters: { value: 11 } }] },
            },
          ],
        },
        input: { id: 10 },
        output: true,
      },
    ],
    create: async ({ accessor, conditions }, builder) => {
      const access = await builder.build("accessor", accessor, ["accessor"]);
      const built = await buildList(builder, "condition", ["conditions"], conditions);
      return (data, run) => {
        const pairs = access.read(data, run);
        return pairs.length > 0 && every(pairs.length, (i) => allConditions(built, pairs[i].value, run));
      };
    },
  };
}

const filtersSchema = z.looseObject({ filters: specList });

function combine(identifier: "and-condition" | "or-condition"): FilterPrototype<z.infer<typeof filtersSchema>> {
  const all = identifier === "and-condition";
  return {
    type: "filter",
    identifier,
    name: all ? "And condition" : "Or condition",
    description: all ? "Passes when every filter passes." : "Passes when any filter passes.",
    parameters: filtersSchema,
    documentation: `Combines filters.

- \`filters\` (filter list): ${all ? "all must pass (an empty list passes)" : "at least one must pass (an empty list fails)"}; evaluated in order, stopping early.

Example: \`{"filters":[{"prototype":"key-condition","parameters":{"filter":{"prototype":"key-exists-condition","parameters":{"path":"a"}}}},{"prototype":"key-condition","parameters":{"filter":{"prototype":"key-exists-condition","parameters":{"path":"b"}}}}]}\`
on \`{"a":1}\` ${all ? "fails" : "passes"}.`,
    tests: [
      {
        name: "a but not b",
        parameters: {
          filters: ["a", "b"].map((path) => ({ prototype: "key-condition", parameters: { filter: { prototype: "key-exists-condition", parameters: { path } } } })),
        },
        input: { a: 1 },
        output: !all,
      },
    ],
    create: async ({ filters }, builder) => {
      const built: DataFilter[] = await buildList(builder, "filter", ["filters"], filters);
      // or = not every filter fails
      if (all) return (data, run) => every(built.length, (i) => built[i](data, run));
      return (data, run) => after(every(built.length, (i) => after(built[i](data, run), (ok) => !ok)), (none) => !none);
    },
  };
}

// ---- filter-based-on-transformer -----------------------------------------------------------------

/** An optional path or pattern: absent, null or `[]` (PHP's empty value) mean the root. */
const optionalPath = z
  .union([z.string(), z.array(z.never()), z.null()])
  .optional()
  .transform((v) => (typeof v === "string" ? v : ""));

const transformerFilterSchema = z.looseObject({
  transformer: z.unknown(),
  comparator: z.unknown().optional(),
  entityPath: optionalPath,
  searchPattern: optionalPath,
  useEntityData: z.boolean().nullish().transform((v) => v ?? false),
});

/** A nested spec that is really there: not absent, null, `""` or PHP's empty `[]`. */
const given = (spec: unknown) => spec !== undefined && spec !== null && spec !== "" && !(Array.isArray(spec) && spec.length === 0);

const lookup = (status: string) => ({
  prototype: "value-setter",
  parameters: {
    configurations: [{ key: "response", value: { items: [{ sku: "a", status: "enabled" }, { sku: "b", status }] }, mappers: [] }],
  },
});

const filterBasedOnTransformer: FilterPrototype<z.infer<typeof transformerFilterSchema>> = {
  type: "filter",
  identifier: "filter-based-on-transformer",
  name: "Filter based on transformer",
  description: "Runs a data transformer (e.g. an API lookup), then passes when a value it found satisfies the comparator.",
  parameters: transformerFilterSchema,
  documentation: `Runs a data transformer first, for example one that loads external data from an API, and
decides on what it returns (Alumio forum, "How to use the 'Filter based on transformer' filter").

- \`transformer\` (data transformer): what to run. Its result is only looked at; the entity's data is not changed.
- \`useEntityData\` (boolean, default false): run the transformer on the entity's data; otherwise on
  empty data \`{}\` (placeholders in it then find nothing).
- \`entityPath\` (dot path, optional): where in the transformer's result the entities are. A list there
  gives its elements; any other value is one entity; nothing there means no entities. Omitted: the
  result itself.
- \`searchPattern\` (pattern, optional; \`*\` and other globs allowed): the value(s) to test in each
  entity. Omitted: the entity itself.
- \`comparator\` (condition, e.g. \`equals\`, \`number-greater-than\`): the test.

Passes when at least one value found by \`searchPattern\` in one of the entities satisfies the
\`comparator\`; fails when nothing is found. A failing filter drops the entity (incoming/route) or
skips the task (outgoing), as every filter does.

Example: \`{"transformer":{"prototype":"http-transformer","parameters":{...}},"entityPath":"items","searchPattern":"status","comparator":{"prototype":"equals","parameters":{"value":"disabled"}}}\`
passes when the response's \`items\` hold one with status \`"disabled"\`. With a \`value-setter\` that sets
\`response\` to \`{"items":[{"sku":"a","status":"enabled"},{"sku":"b","status":"disabled"}]}\` as the transformer,
\`entityPath\` \`response.items\`, the same search pattern and comparator, it passes; with
\`{"value":"archived"}\` it fails.

Notes [INF] (the forum post names the fields but not their ids or exact rules):
- Parameter ids \`transformer\`, \`comparator\`, \`entityPath\`, \`searchPattern\`, \`useEntityData\` are inferred
  from the field labels, in the camelCase of exported configurations.
- "Use entity data in transformer" is a checkbox, so it defaults to false; without it the transformer gets \`{}\`.
- \`entityPath\` works like a deserializer's "pattern to items" (a path, a list there gives its elements).
- One value satisfying the comparator is enough (a search); no value found fails. Without a
  \`comparator\`, finding any value passes.
- The comparator is a condition with a literal value (conditions expand no placeholders here).`,
  tests: [
    {
      name: "a looked-up item matches",
      parameters: { transformer: lookup("disabled"), entityPath: "response.items", searchPattern: "status", comparator: { prototype: "equals", parameters: { value: "disabled" } } },
      input: { sku: "b" },
      output: true,
    },
    {
      name: "no looked-up item matches",
      parameters: { transformer: lookup("enabled"), entityPath: "response.items", searchPattern: "status", comparator: { prototype: "equals", parameters: { value: "disabled" } } },
      input: { sku: "b" },
      output: false,
    },
    {
      name: "with entity data",
      parameters: {
        transformer: { prototype: "value-setter", parameters: { configurations: [{ key: "total", value: "&{qty}", mappers: [] }] } },
        useEntityData: true,
        searchPattern: "total",
        comparator: { prototype: "number-greater-than", parameters: { value: 5 } },
      },
      input: { qty: 10 },
      output: true,
    },
    {
      name: "without entity data",
      parameters: {
        transformer: { prototype: "value-setter", parameters: { configurations: [{ key: "total", value: "&{qty}", mappers: [] }] } },
        useEntityData: false,
        searchPattern: "total",
        comparator: { prototype: "number-greater-than", parameters: { value: 5 } },
      },
      input: { qty: 10 },
      output: false,
    },
  ],
  create: async ({ transformer, comparator, entityPath, searchPattern, useEntityData }, builder) => {
    const transform = await builder.build("data-transformer", transformer, ["transformer"]);
    const test = given(comparator) ? await builder.build("condition", comparator, ["comparator"]) : null;
    const at = parsePath(entityPath);
    const search = compilePattern(searchPattern);
    return (data, run) =>
      // the plain call leaves the entity's data alone
      after(transform(useEntityData ? data : {}, run), (output) => {
        const node = getPath(output, at);
        if (node === undefined) return false;
        const values: unknown[] = [];
        for (const entity of Array.isArray(node) ? node : [node]) for (const match of matchPattern(entity, search)) values.push(match.value);
        if (!test) return values.length > 0;
        // some value passes = not every value fails
        return after(every(values.length, (i) => after(test(values[i], run), (ok) => !ok)), (none) => !none);
      });
  },
};

// ---- compare-two-values (WooCommerce connector) --------------------------------------------------

const OPERATIONS = ["equal", "not_equal", "greater", "less", "Less", "in_array", "not_in_array"] as const;
const pathString = z.union([z.string(), z.number()]).transform(String);
const compareSchema = z.looseObject({ value_1: pathString.optional(), value_2: pathString.optional(), operation: z.enum(OPERATIONS).optional() });

/** PHP `in_array` (loose): whether the array holds a value `==` the needle; not an array: false. */
const inArray = (needle: unknown, haystack: unknown) => isArrayLike(haystack) && entries(haystack).some(([, v]) => looseEquals(v, needle));

const compareTwoValues: FilterPrototype<z.infer<typeof compareSchema>> = {
  type: "filter",
  identifier: "compare-two-values",
  name: "Compare two values",
  description: "Compares the values at two paths of the data (equal, not equal, greater, less, in array).",
  parameters: compareSchema,
  documentation: `Compares two values of the data (from the WooCommerce connector, where it decides whether a customer's
timestamp changed).

- \`value_1\` (dot path): the first value; a path that is missing in the data gives \`null\`.
- \`value_2\` (dot path): the second value; a path that is missing in the data gives \`null\`.
- \`operation\`: \`equal\` (PHP \`===\`), \`not_equal\` (\`!==\`), \`greater\` (value 1 \`>\` value 2), \`less\`
  (value 1 \`<\` value 2), \`in_array\` (value 2 is in the array at value 1, loose \`==\`), \`not_in_array\`.

Comparisons follow PHP 8: numbers and numeric strings compare as numbers, other strings by their
characters (so \`"2024-05-02 10:00:00"\` is greater than \`"2024-05-01 23:59:59"\`), \`null\` and booleans as booleans.

Example: \`{"value_1":"updated_at","value_2":"stored.updated_at","operation":"greater"}\` passes on
\`{"updated_at":"2024-05-02 10:00:00","stored":{"updated_at":"2024-05-01 23:59:59"}}\`.

Notes: the parameters, the operations and their PHP operators come from the connector's code and
prototype schema [CODE WebWhales/Alumio-WooCommerce-Connector]. [INF] The connector's schema offers \`less\`
while its code tests \`Less\`, so \`less\` never passes there; here both mean \`<\`. \`in_array\` and
\`not_in_array\` exist in its code but not in its schema; an \`in_array\` whose value 1 is not an array fails
(PHP would raise an error), and \`not_in_array\` then passes. [INF] Every parameter may be left out, as the
connector's own \`compare-timestamps-for-customer\` does: a left-out path compares \`null\`, and without an
\`operation\` the filter never passes (the connector's \`switch\` falls through to \`return false\`). A
misspelt operation is refused when the configuration is built, so a typo cannot silently filter everything.`,
  tests: [
    {
      name: "newer timestamp",
      parameters: { value_1: "updated_at", value_2: "stored.updated_at", operation: "greater" },
      input: { updated_at: "2024-05-02 10:00:00", stored: { updated_at: "2024-05-01 23:59:59" } },
      output: true,
    },
    { name: "strict equality", parameters: { value_1: "a", value_2: "b", operation: "equal" }, input: { a: 1, b: "1" }, output: false },
    { name: "in array (loose)", parameters: { value_1: "ids", value_2: "id", operation: "in_array" }, input: { ids: [1, 2], id: "2" }, output: true },
    { name: "less, missing is null", parameters: { value_1: "missing", value_2: "qty", operation: "less" }, input: { qty: 3 }, output: true },
    { name: "no parameters, as the connector configures it: never passes", parameters: {}, input: { a: 1 }, output: false },
  ],
  create: ({ value_1, value_2, operation }) => {
    const at = (path: string | undefined) => (path === undefined ? () => null : (data: unknown) => getPath(data, parsePath(path)) ?? null);
    const first = at(value_1);
    const second = at(value_2);
    const values = (data: unknown): [unknown, unknown] => [first(data), second(data)];
    switch (operation) {
      case undefined:
        return () => false;
      case "equal":
        return (data) => strictEquals(...values(data));
      case "not_equal":
        return (data) => !strictEquals(...values(data));
      case "greater":
        return (data) => phpCompare(...values(data)) === 1;
      case "less":
      case "Less":
        return (data) => phpCompare(...values(data)) === -1;
      case "in_array":
        return (data) => {
          const [haystack, needle] = values(data);
          return inArray(needle, haystack);
        };
      case "not_in_array":
        return (data) => {
          const [haystack, needle] = values(data);
          return !inArray(needle, haystack);
        };
    }
  },
};

// ---- conditions --------------------------------------------------------------------------------

const valueParam = z.looseObject({ value: z.unknown().optional().transform((v) => v ?? null) });
const listParam = z.looseObject({
  value: z
    .unknown()
    .optional()
    // null is how PHP exports write an absent list
    .transform((v): unknown[] => (Array.isArray(v) ? v : isRecord(v) ? Object.values(v) : v === undefined || v === null ? [] : [v])),
});
const noParams = z.looseObject({});

interface Simple<P> {
  identifier: string;
  name: string;
  description: string;
  parameters: z.ZodType<P>;
  documentation: string;
  tests: { name: string; parameters: unknown; input: unknown; output: boolean }[];
  test: (parameters: P) => (value: unknown) => boolean;
}

function condition<P>(c: Simple<P>): ConditionPrototype<P> {
  return {
    type: "condition",
    identifier: c.identifier,
    name: c.name,
    description: c.description,
    parameters: c.parameters,
    documentation: c.documentation,
    tests: c.tests,
    create: (parameters) => {
      const test = c.test(parameters);
      return (value) => test(value);
    },
  };
}

const equalsFamily = [
  condition({
    identifier: "equals",
    name: "Equals (strict)",
    description: "The value is identical to `value` (PHP `===`).",
    parameters: valueParam,
    documentation: `Strict equality with \`value\` (any JSON).

- \`value\`: what to compare with.

Types must match: \`1\` does not equal \`true\` or \`"1"\` (templates test \`equals 1\` and \`equals true\` separately).
Objects and lists compare key by key, in order; an empty object equals an empty list (PHP arrays).

Example: \`{"value":"pim_catalog_image"}\` holds for \`"pim_catalog_image"\`.`,
    tests: [
      { name: "same string", parameters: { value: "pim_catalog_image" }, input: "pim_catalog_image", output: true },
      { name: "1 is not true", parameters: { value: 1 }, input: true, output: false },
      { name: "empty list", parameters: { value: [] }, input: [], output: true },
      { name: "null", parameters: { value: null }, input: null, output: true },
    ],
    test: ({ value }) => (v) => strictEquals(v, value),
  }),
  condition({
    identifier: "not-equals",
    name: "Does not equal (strict)",
    description: "The value is not identical to `value` (PHP `!==`).",
    parameters: valueParam,
    documentation: `Negation of \`equals\`.

- \`value\`: what to compare with.

Example: \`{"value":[]}\` holds for \`[1]\` and not for \`[]\`.`,
    tests: [
      { name: "non-empty list", parameters: { value: [] }, input: [1], output: true },
      { name: "empty list", parameters: { value: [] }, input: [], output: false },
      { name: "string 1 vs 1", parameters: { value: 1 }, input: "1", output: true },
    ],
    test: ({ value }) => (v) => !strictEquals(v, value),
  }),
  condition({
    identifier: "equals-adaptive",
    name: "Equals (loose)",
    description: "The value loosely equals `value` (PHP `==`).",
    parameters: valueParam,
    documentation: `Loose equality (PHP 8 \`==\`) with \`value\`.

- \`value\`: what to compare with.

\`"1" == 1\`, \`null == ""\`, \`null == []\`, \`null == false\`, \`true == "x"\`; \`"abc" == 0\` is false (PHP 8).

Example: \`{"value":null}\` holds for \`""\`, \`[]\` and \`null\`.

Notes [INF]: the docs' "Equals (Loose)" mapped to this id (prototypes.md §18.4).`,
    tests: [
      { name: "null vs empty string", parameters: { value: null }, input: "", output: true },
      { name: "number vs numeric string", parameters: { value: 10 }, input: "10.0", output: true },
      { name: "null vs 0 string", parameters: { value: null }, input: "0", output: false },
    ],
    test: ({ value }) => (v) => looseEquals(v, value),
  }),
  condition({
    identifier: "not-equals-adaptive",
    name: "Does not equal (loose)",
    description: "The value does not loosely equal `value` (PHP `!=`).",
    parameters: valueParam,
    documentation: `Negation of \`equals-adaptive\`.

- \`value\`: what to compare with.

Example: \`{"value":null}\` holds for \`"a"\`, not for \`""\`.`,
    tests: [
      { name: "a is not null", parameters: { value: null }, input: "a", output: true },
      { name: "empty string is null", parameters: { value: null }, input: "", output: false },
    ],
    test: ({ value }) => (v) => !looseEquals(v, value),
  }),
  condition({
    identifier: "one-of",
    name: "One of",
    description: "The value is one of the listed values (strict).",
    parameters: listParam,
    documentation: `The value is strictly equal to one element of \`value\`.

- \`value\` (list): the allowed values.

Example: \`{"value":["en_US","de_DE"]}\` holds for \`"en_US"\`.

Notes [INF]: strict like PHP \`in_array(..., true)\`: \`[true,false]\` does not contain \`1\`. A \`null\` list (PHP's absent value) is empty.`,
    tests: [
      { name: "listed", parameters: { value: ["en_US", "de_DE"] }, input: "en_US", output: true },
      { name: "not listed", parameters: { value: ["en_US", "de_DE"] }, input: "fr_FR", output: false },
      { name: "strict", parameters: { value: [true, false] }, input: 1, output: false },
    ],
    test: ({ value }) => (v) => value.some((x) => strictEquals(v, x)),
  }),
  condition({
    identifier: "not-one-of",
    name: "Not one of",
    description: "The value is none of the listed values (strict).",
    parameters: listParam,
    documentation: `The value equals no element of \`value\` (strict). In a key-filter it is applied to key names: keep only the listed keys.

- \`value\` (list): the excluded values.

Example: \`{"value":["code","localizations"]}\` holds for \`"name"\`.`,
    tests: [
      { name: "unlisted", parameters: { value: ["code", "localizations"] }, input: "name", output: true },
      { name: "listed", parameters: { value: ["code", "localizations"] }, input: "code", output: false },
      { name: "null list", parameters: { value: [null] }, input: null, output: false },
    ],
    test: ({ value }) => (v) => !value.some((x) => strictEquals(v, x)),
  }),
];

const conditionsParam = z.looseObject({ conditions: specList });

function logic(identifier: "logic-and" | "logic-or" | "logic-xor" | "logic-not"): ConditionPrototype<z.infer<typeof conditionsParam> & { condition?: unknown }> {
  const names = { "logic-and": "Logic: And", "logic-or": "Logic: Or", "logic-xor": "Logic: Xor", "logic-not": "Logic: Not" };
  const rules = {
    "logic-and": "every condition holds (an empty list holds)",
    "logic-or": "at least one condition holds (an empty list does not)",
    "logic-xor": "exactly one condition holds",
    "logic-not": "no condition holds (NOT c1 AND NOT c2 ...)",
  };
  const inferred = identifier === "logic-xor" || identifier === "logic-not";
  const schema = z.looseObject({ conditions: specList, condition: z.unknown().optional() });
  const example: Record<string, { parameters: unknown; input: unknown; output: boolean }[]> = {
    "logic-or": [
      { parameters: { conditions: [{ prototype: "equals", parameters: { value: [] } }, { prototype: "equals", parameters: { value: null } }] }, input: null, output: true },
      { parameters: { conditions: [{ prototype: "equals", parameters: { value: [] } }, { prototype: "equals", parameters: { value: null } }] }, input: "x", output: false },
    ],
    "logic-and": [
      { parameters: { conditions: [{ prototype: "not-equals", parameters: { value: null } }, { prototype: "not-equals", parameters: { value: [] } }] }, input: [1], output: true },
      { parameters: { conditions: [{ prototype: "not-equals", parameters: { value: null } }, { prototype: "not-equals", parameters: { value: [] } }] }, input: [], output: false },
    ],
    "logic-xor": [{ parameters: { conditions: [{ prototype: "equals", parameters: { value: 1 } }, { prototype: "type-numeric" }] }, input: "1", output: true }],
    "logic-not": [{ parameters: { conditions: [{ prototype: "equals", parameters: { value: null } }] }, input: null, output: false }],
  };
  return {
    type: "condition",
    identifier,
    name: names[identifier],
    description: `Holds when ${rules[identifier]}.`,
    parameters: schema,
    documentation: `Combines conditions: holds when ${rules[identifier]}.

- \`conditions\` (condition list).${identifier === "logic-not" ? "\n- \`condition\` (condition, optional): a single condition, added to the list." : ""}

Example: \`${JSON.stringify(example[identifier][0].parameters)}\` on \`${JSON.stringify(example[identifier][0].input)}\` gives \`${example[identifier][0].output}\`.${
      inferred ? "\n\nNotes [INF]: the docs list this condition without details; the rule above is the choice made." : ""
    }`,
    tests: example[identifier].map((t, i) => ({ name: `case ${i + 1}`, ...t })),
    create: async ({ conditions, condition: single }, builder) => {
      const built = await buildList(builder, "condition", ["conditions"], conditions);
      if (single !== undefined && single !== null) built.push(await builder.build("condition", single, ["condition"]));
      if (identifier === "logic-and") return (value, run) => allConditions(built, value, run);
      return async (value, run) => {
        let count = 0;
        for (const c of built) {
          if (await c(value, run)) {
            count++;
            if (identifier === "logic-or") return true;
            if (identifier === "logic-not") return false;
          }
        }
        return identifier === "logic-not" ? true : identifier === "logic-xor" ? count === 1 : false;
      };
    },
  };
}

const strictParam = z.looseObject({ strict: z.boolean().nullish().transform((v) => v ?? false) });

const typeConditions = [
  condition({
    identifier: "empty",
    name: "Is empty",
    description: "The value is empty (PHP `empty()`).",
    parameters: noParams,
    documentation: `Holds for PHP-empty values: \`null\`, \`false\`, \`0\`, \`0.0\`, \`""\`, \`"0"\`, \`[]\`, \`{}\`.

No parameters. Example: holds for \`""\`, not for \`"a"\`.

Notes [INF]: the exact set follows PHP \`empty()\` (prototypes.md §7).`,
    tests: [
      { name: "empty string", parameters: [], input: "", output: true },
      { name: "empty list", parameters: [], input: [], output: true },
      { name: "text", parameters: [], input: "a", output: false },
    ],
    test: () => isEmpty,
  }),
  condition({
    identifier: "not-empty",
    name: "Is not empty",
    description: "The value is not empty (PHP `!empty()`).",
    parameters: noParams,
    documentation: `Negation of \`empty\`: anything but \`null\`, \`false\`, \`0\`, \`""\`, \`"0"\`, \`[]\`, \`{}\`.

No parameters. Example: holds for \`[1]\`, not for \`[]\`.`,
    tests: [
      { name: "list", parameters: [], input: [1], output: true },
      { name: "empty list", parameters: [], input: [], output: false },
    ],
    test: () => (v) => !isEmpty(v),
  }),
  condition({
    identifier: "type-array",
    name: "Type: array",
    description: "The value is an array: a list, or (not strict) also an object.",
    parameters: strictParam,
    documentation: `Type check for arrays.

- \`strict\` (boolean, default false): only a list passes; otherwise a JSON object (a PHP associative array) passes too.

Example: \`{"strict":true}\` holds for \`["a","b"]\`, not for \`{"unit":"KG","amount":1}\`.

Notes [INF]: templates use \`strict: true\` to tell multi-select values (lists, imploded) from metric values (objects).
"A list" is PHP's (\`array_is_list\`): an empty object \`{}\` is the same PHP array as \`[]\`, and an object keyed
\`"0"\`, \`"1"\`, ... in order is a list too.`,
    tests: [
      { name: "list strict", parameters: { strict: true }, input: ["a"], output: true },
      { name: "object strict", parameters: { strict: true }, input: { unit: "KG" }, output: false },
      { name: "object loose", parameters: { strict: false }, input: { unit: "KG" }, output: true },
    ],
    test: ({ strict }) => (v) => Array.isArray(v) || (isRecord(v) && (!strict || isList(v))),
  }),
  condition({
    identifier: "type-object",
    name: "Type: object",
    description: "The value is a JSON object.",
    parameters: noParams,
    documentation: `Holds for a JSON object (not a list, not null).

Example: holds for \`{"a":1}\`, not for \`[1]\`.`,
    tests: [
      { name: "object", parameters: [], input: { a: 1 }, output: true },
      { name: "list", parameters: [], input: [1], output: false },
    ],
    test: () => isRecord,
  }),
  condition({
    identifier: "type-string",
    name: "Type: string",
    description: "The value is a string.",
    parameters: noParams,
    documentation: "Holds for strings.\n\nExample: holds for `\"1\"`, not for `1`.",
    tests: [
      { name: "string", parameters: [], input: "1", output: true },
      { name: "number", parameters: [], input: 1, output: false },
    ],
    test: () => (v) => typeof v === "string",
  }),
  condition({
    identifier: "type-boolean",
    name: "Type: boolean",
    description: "The value is true or false.",
    parameters: noParams,
    documentation: "Holds for `true` and `false`.\n\nExample: holds for `false`, not for `0`.",
    tests: [
      { name: "false", parameters: [], input: false, output: true },
      { name: "zero", parameters: [], input: 0, output: false },
    ],
    test: () => (v) => typeof v === "boolean",
  }),
  condition({
    identifier: "type-numeric",
    name: "Type: numeric",
    description: "The value is a number or a numeric string (PHP `is_numeric`).",
    parameters: noParams,
    documentation: "Holds for numbers and numeric strings (`\"10\"`, `\"10.5\"`, `\"1e3\"`), as PHP `is_numeric`.\n\nExample (developers' docs, guarding `cast-int`): holds for `\"10\"`, not for `\"foo\"`.",
    tests: [
      { name: "numeric string", parameters: [], input: "10.5", output: true },
      { name: "text", parameters: [], input: "foo", output: false },
      { name: "number", parameters: [], input: 3, output: true },
    ],
    test: () => isNumeric,
  }),
  condition({
    identifier: "type-integer",
    name: "Type: integer",
    description: "The value is an integer number.",
    parameters: noParams,
    documentation: "Holds for integer numbers (not numeric strings). [INF: id inferred from the type-* family]\n\nExample: holds for `3`, not for `3.5` or `\"3\"`.",
    tests: [
      { name: "int", parameters: [], input: 3, output: true },
      { name: "float", parameters: [], input: 3.5, output: false },
    ],
    test: () => (v) => typeof v === "number" && Number.isInteger(v),
  }),
  condition({
    identifier: "type-null",
    name: "Type: null",
    description: "The value is null.",
    parameters: noParams,
    documentation: "Holds for `null`. [INF: id inferred from the type-* family]\n\nExample: holds for `null`, not for `\"\"`.",
    tests: [
      { name: "null", parameters: [], input: null, output: true },
      { name: "empty string", parameters: [], input: "", output: false },
    ],
    test: () => (v) => v === null || v === undefined,
  }),
];

const numberParam = z.looseObject({ value: z.union([z.number(), z.string()]).transform(Number) });

function numberCondition(identifier: string, name: string, op: (a: number, b: number) => boolean, sample: [number, number, boolean][]) {
  return condition({
    identifier,
    name,
    description: `The value is a number ${name.split(": ")[1].toLowerCase()} \`value\`.`,
    parameters: numberParam,
    documentation: `Numeric comparison: holds when the value is numeric (a number or numeric string) and ${name.split(": ")[1].toLowerCase()} \`value\`. Non-numeric values never hold.

- \`value\` (number).

Example: \`{"value":${sample[0][1]}}\` on \`${sample[0][0]}\` gives \`${sample[0][2]}\`.`,
    tests: sample.map(([input, value, output], i) => ({ name: `case ${i + 1}`, parameters: { value }, input, output })),
    test:
      ({ value }) =>
      (v) =>
        isNumeric(v) && op(Number(v), value),
  });
}

const numberConditions = [
  numberCondition("number-greater-than", "Number: Greater than", (a, b) => a > b, [[1, 0, true], [0, 0, false]]),
  numberCondition("number-greater-than-or-equal", "Number: Greater than or equal", (a, b) => a >= b, [[0, 0, true], [-1, 0, false]]),
  numberCondition("number-less-than", "Number: Less than", (a, b) => a < b, [[10, 11, true], [11, 11, false]]),
  numberCondition("number-less-than-or-equal", "Number: Less than or equal", (a, b) => a <= b, [[11, 11, true], [12, 11, false]]),
];

const patternParam = z.looseObject({ pattern: z.string() });

const stringConditions = [
  condition({
    identifier: "string-matches-pcre",
    name: "String: Matches PCRE expression",
    description: "The value is a string matching a PCRE regular expression.",
    parameters: patternParam,
    documentation: `Holds when the (string or number) value matches \`pattern\`.

- \`pattern\`: a PHP PCRE with delimiters and flags (\`/^SKU-\\d+$/i\`); a bare expression works too.

Example: \`{"pattern":"/^sku-\\\\d+$/i"}\` holds for \`"SKU-12"\`.

Notes [INF]: the id is inferred from the docs' "String: ... PCRE expression"; flags i, m, s, u, x are supported.`,
    tests: [
      { name: "match", parameters: { pattern: "/^sku-\\d+$/i" }, input: "SKU-12", output: true },
      { name: "no match", parameters: { pattern: "/^sku-\\d+$/i" }, input: "X", output: false },
    ],
    test: ({ pattern }) => {
      const re = pcre(pattern);
      return (v) => (typeof v === "string" || typeof v === "number") && re.test(String(v));
    },
  }),
  condition({
    identifier: "string-does-not-match-pcre",
    name: "String: Does not match PCRE expression",
    description: "The value is not a string matching a PCRE regular expression.",
    parameters: patternParam,
    documentation: `Negation of \`string-matches-pcre\`.

- \`pattern\`: a PHP PCRE (\`/.../flags\`).

Example: \`{"pattern":"/^tmp_/"}\` holds for \`"code"\`.`,
    tests: [{ name: "no match", parameters: { pattern: "/^tmp_/" }, input: "code", output: true }],
    test: ({ pattern }) => {
      const re = pcre(pattern);
      return (v) => !((typeof v === "string" || typeof v === "number") && re.test(String(v)));
    },
  }),
  ...(
    [
      ["string-only-alphabetic", "String: Only alphabetic", /^\p{L}+$/u, "abc", "ab1"],
      ["string-only-alphanumeric", "String: Only alphanumeric", /^[\p{L}\p{N}]+$/u, "ab1", "ab-1"],
      ["string-only-numbers", "String: Only numbers", /^\d+$/, "123", "12.3"],
    ] as const
  ).map(([identifier, name, re, yes, no]) =>
    condition({
      identifier,
      name,
      description: `${name.split(": ")[1]} characters.`,
      parameters: noParams,
      documentation: `Holds when the value is a non-empty string of ${name.split(": ")[1].toLowerCase().replace("only ", "")} characters only. [INF: id inferred from the docs' name]\n\nExample: holds for \`"${yes}"\`, not for \`"${no}"\`.`,
      tests: [
        { name: "yes", parameters: [], input: yes, output: true },
        { name: "no", parameters: [], input: no, output: false },
      ],
      test: () => (v: unknown) => typeof v === "string" && re.test(v),
    }),
  ),
];

const listConditions = [
  condition({
    identifier: "list-contains",
    name: "List: Contains",
    description: "The value is a list (or object) holding `value` (strict).",
    parameters: valueParam,
    documentation: `Holds when the value is an array containing \`value\` (strict comparison). [INF: id inferred from the docs' "List: contains"]

- \`value\`: the element to look for.

Example: \`{"value":"red"}\` holds for \`["red","blue"]\`.`,
    tests: [
      { name: "contains", parameters: { value: "red" }, input: ["red", "blue"], output: true },
      { name: "does not", parameters: { value: "red" }, input: ["blue"], output: false },
    ],
    test: ({ value }) => (v) => isArrayLike(v) && entries(v).some(([, x]) => strictEquals(x, value)),
  }),
  condition({
    identifier: "list-does-not-contain",
    name: "List: Does not contain",
    description: "The value is not an array holding `value` (strict).",
    parameters: valueParam,
    documentation: `Negation of \`list-contains\`. [INF: id inferred]

- \`value\`: the element.

Example: \`{"value":"red"}\` holds for \`["blue"]\`.`,
    tests: [{ name: "does not", parameters: { value: "red" }, input: ["blue"], output: true }],
    test: ({ value }) => (v) => !(isArrayLike(v) && entries(v).some(([, x]) => strictEquals(x, value))),
  }),
];

const formatConditions = [
  condition({
    identifier: "format-valid-json",
    name: "Format: Valid JSON",
    description: "The value is a string holding valid JSON.",
    parameters: noParams,
    documentation: "Holds for strings that parse as JSON. [INF: id inferred]\n\nExample: holds for `\"{\\\"a\\\":1}\"`, not for `\"{a\"`.",
    tests: [
      { name: "json", parameters: [], input: '{"a":1}', output: true },
      { name: "broken", parameters: [], input: "{a", output: false },
    ],
    test: () => (v) => {
      if (typeof v !== "string") return false;
      try {
        JSON.parse(v);
        return true;
      } catch {
        return false;
      }
    },
  }),
  condition({
    identifier: "format-email",
    name: "Format: Valid email address",
    description: "The value is an email address.",
    parameters: noParams,
    documentation:
      "Holds for strings shaped like an email address (`local@domain.tld`). The id is the developers' docs' (docs.alumio.com/developers/transformers/conditions); `format-valid-email` is accepted too.\n\nExample (docs): holds for `\"example@example.com\"`, not for `\"foo\"`.\n\nNotes [INF]: the exact rule Alumio applies is not documented.",
    tests: [
      { name: "email", parameters: [], input: "a@b.co", output: true },
      { name: "not", parameters: [], input: "a@b", output: false },
    ],
    test: () => (v) => typeof v === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  }),
  condition({
    identifier: "format-url",
    name: "Format: Valid URL",
    description: "The value is an absolute URL.",
    parameters: noParams,
    documentation:
      "Holds for strings that parse as an absolute URL with a scheme. The id is the developers' docs' (docs.alumio.com/developers/transformers/conditions); `format-valid-url` is accepted too.\n\nExample (docs): holds for `\"https://example.com\"`, not for `\"foo\"`.\n\nNotes [INF]: the exact rule Alumio applies is not documented.",
    tests: [
      { name: "url", parameters: [], input: "https://example.com/a", output: true },
      { name: "not", parameters: [], input: "example", output: false },
    ],
    test: () => (v) => typeof v === "string" && URL.canParse(v),
  }),
  condition({
    identifier: "format-valid-uuid",
    name: "Format: Valid UUID",
    description: "The value is a UUID.",
    parameters: noParams,
    documentation: "Holds for UUID strings (any version). [INF: id inferred]\n\nExample: holds for `\"123e4567-e89b-12d3-a456-426614174000\"`.",
    tests: [{ name: "uuid", parameters: [], input: "123e4567-e89b-12d3-a456-426614174000", output: true }],
    test: () => (v) => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  }),
];

/** The same condition under an id this engine used before the documented one was found. */
function alias(of: ConditionPrototype<unknown>, identifier: string): ConditionPrototype<unknown> {
  return { ...of, identifier, description: `${of.description} (Same as \`${of.identifier}\`.)`, documentation: `Another id of \`${of.identifier}\`.\n\n${of.documentation}` };
}
const formatAliases = [alias(formatConditions[1] as ConditionPrototype<unknown>, "format-valid-email"), alias(formatConditions[2] as ConditionPrototype<unknown>, "format-valid-url")];

/** A length bound: absent, null, "" or PHP's empty `[]` mean no bound; numeric strings are numbers. */
const bound = z
  .union([z.number(), z.string(), z.null(), z.array(z.never())])
  .optional()
  .transform((v) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : null))
  .refine((v) => v === null || Number.isFinite(v), "must be a number");
const lengthSchema = z.looseObject({ min: bound, max: bound });

const stringLengthBetween = condition({
  identifier: "string-length-between",
  name: "String: Length between",
  description: "The value is a string whose length lies between `min` and `max`.",
  parameters: lengthSchema,
  documentation: `Holds when the value is a string of at least \`min\` and at most \`max\` characters.

- \`min\` (number, optional): the least length; absent means no lower bound.
- \`max\` (number, optional): the greatest length; absent means no upper bound.

Example (developers' docs, in a \`logic-and\` with \`format-email\`): \`{"min":6}\` holds for \`"example@example.com"\`.

Notes [INF]: the id and \`min\` come from the developers' docs (docs.alumio.com/developers/transformers/conditions);
\`max\`, inclusive bounds, counting characters (not bytes) and failing for anything but a string are inferred.
The docs' same example also says \`"x@x.com"\` (7 characters) fails, which no reading of \`min: 6\` explains; here it holds.`,
  tests: [
    { name: "long enough (docs)", parameters: { min: 6 }, input: "example@example.com", output: true },
    { name: "too short", parameters: { min: 6 }, input: "a@b.c", output: false },
    { name: "too long", parameters: { min: 1, max: 3 }, input: "abcd", output: false },
  ],
  test:
    ({ min, max }) =>
    (v) => {
      if (typeof v !== "string") return false;
      const length = [...v].length;
      return (min === null || length >= min) && (max === null || length <= max);
    },
});

const mappedSchema = z.looseObject({ mappers: specList, conditions: specList });

const mappedCondition: ConditionPrototype<z.infer<typeof mappedSchema>> = {
  type: "condition",
  identifier: "mapped-condition",
  name: "Mapped condition",
  description: "Maps the value with mappers, then tests the result against every condition.",
  parameters: mappedSchema,
  documentation: `Applies \`mappers\` to the value before it is tested (developers' docs, docs.alumio.com/developers/transformers/conditions).

- \`mappers\` (mapper list): applied in order.
- \`conditions\` (condition list): all must hold for the mapped value ("Map based on the supplied AND condition").

Example (docs): \`{"mappers":[{"prototype":"string-upper"}],"conditions":[{"prototype":"equals","parameters":{"value":"POST"}}]}\`
holds for \`"POST"\` and \`"post"\`, not for \`"get"\`.

Notes [INF]: an empty condition list holds, as \`logic-and\`.`,
  tests: [
    {
      name: "post (docs)",
      parameters: { mappers: [{ prototype: "string-upper" }], conditions: [{ prototype: "equals", parameters: { value: "POST" } }] },
      input: "post",
      output: true,
    },
    {
      name: "get (docs)",
      parameters: { mappers: [{ prototype: "string-upper" }], conditions: [{ prototype: "equals", parameters: { value: "POST" } }] },
      input: "get",
      output: false,
    },
  ],
  create: async ({ mappers, conditions }, builder) => {
    const map = await buildList(builder, "mapper", ["mappers"], mappers);
    const built = await buildList(builder, "condition", ["conditions"], conditions);
    return (value, run) => after(applyMappers(map, value, run), (mapped) => allConditions(built, mapped, run));
  },
};

export const prototypes: Prototype[] = [
  keyCondition,
  keyExists("key-exists-condition"),
  keyExists("key-not-exists-condition"),
  valueCondition("value-condition-v2"),
  valueCondition("value-condition"),
  combine("and-condition"),
  combine("or-condition"),
  filterBasedOnTransformer,
  compareTwoValues,
  ...equalsFamily,
  logic("logic-and"),
  logic("logic-or"),
  logic("logic-xor"),
  logic("logic-not"),
  ...typeConditions,
  ...numberConditions,
  ...stringConditions,
  ...listConditions,
  ...formatConditions,
  ...formatAliases,
  stringLengthBetween,
  mappedCondition,
] as Prototype[];
