/**
 * Mappers (prototypes.md §8): one value in, one value out. Used by value-mapper, key-mapper,
 * list-mapper and value-setter, applied in list order.
 *
 * Alumio's mappers are PHP functions (array_values, number_format, str_replace, ...), so values
 * convert the PHP way: to a string `true` is "1", `false` and `null` are "" (lists and objects
 * become JSON [INF]); to a number a leading numeric prefix counts and anything else is 0.
 * Placeholders in mapper parameters (list-extend-with `array`, list-fill `length`,
 * prepared-operator operands) resolve against the value being mapped: `&{@}` is that value.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { arrayIndex, getPath, isListKeys, isRecord, parsePath, setIn } from "../paths";
import { expand } from "../placeholders";
import { buildList, specList } from "../specs";
import { after, applyMappers, cloneData, inPlaceTransformer, passes } from "../steps";
import type { Builder, Condition, DataTransformer, Mapper, Prototype } from "../types";
import { phpBool, strictEquals } from "./filters";

type MapperPrototype<P> = Prototype<P, "mapper">;

interface MapperDef<P> {
  identifier: string;
  name: string;
  description: string;
  parameters: z.ZodType<P>;
  documentation: string;
  tests: { name: string; parameters: unknown; input: unknown; output: unknown }[];
  create: (parameters: P, builder: Builder) => Mapper | Promise<Mapper>;
}

const mapper = <P>(def: MapperDef<P>): MapperPrototype<P> => ({ type: "mapper", ...def, create: (p, b) => def.create(p, b) });

const none = z.looseObject({});
const EMPTY = [] as const;

// ---- PHP conversions ---------------------------------------------------------------------------

type PhpArray = unknown[] | Record<string, unknown>;
const isPhpArray = (v: unknown): v is PhpArray => Array.isArray(v) || isRecord(v);
const entriesOf = (v: PhpArray): [string, unknown][] => (Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v));

/** Entries back to a PHP array: a list when the keys are 0..n-1 in order, else an object. */
function fromEntries(entries: [string, unknown][]): PhpArray {
  if (entries.every(([k], i) => arrayIndex(k) === i)) return entries.map(([, v]) => v);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** PHP `(string)`. */
export function phpString(v: unknown): string {
  if (v === null || v === undefined || v === false) return "";
  if (v === true) return "1";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(14)));
  return JSON.stringify(v);
}

const LEADING_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;
/** PHP `(float)`. */
export function phpFloat(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const m = LEADING_NUMBER.exec(v);
    return m ? Number(m[0]) : 0;
  }
  if (isPhpArray(v)) return entriesOf(v).length > 0 ? 1 : 0;
  return 0;
}
/** PHP `(int)`: truncates. */
export const phpInt = (v: unknown): number => Math.trunc(phpFloat(v)) || 0;

// ---- operators ---------------------------------------------------------------------------------

function arrayArgs(operands: unknown[]): PhpArray[] {
  // PHP's array functions reject scalars; an absent operand is skipped and a scalar wrapped [INF].
  return operands.filter((o) => o !== null && o !== undefined).map((o) => (isPhpArray(o) ? o : [o]));
}

function arrayMerge(operands: unknown[]): PhpArray {
  const arrays = arrayArgs(operands);
  if (arrays.every(Array.isArray)) return (arrays as unknown[][]).flat(1);
  const out: [string, unknown][] = [];
  const index = new Map<string, number>();
  let next = 0;
  for (const array of arrays)
    for (const [k, v] of entriesOf(array)) {
      // numeric keys are renumbered and appended, string keys overwrite in place
      if (arrayIndex(k) !== null) out.push([String(next++), v]);
      else if (index.has(k)) out[index.get(k)!][1] = v;
      else {
        index.set(k, out.length);
        out.push([k, v]);
      }
    }
  return fromEntries(out);
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => number> = {
  addition: (a, b) => a + b,
  subtraction: (a, b) => a - b,
  multiplication: (a, b) => a * b,
  division: (a, b) => {
    if (b === 0) throw new Error("Division by zero");
    return a / b;
  },
  modulo: (a, b) => {
    if (Math.trunc(b) === 0) throw new Error("Modulo by zero");
    return Math.trunc(a) % Math.trunc(b);
  },
  power: (a, b) => a ** b,
  "bitwise-and": (a, b) => a & b,
  "bitwise-or": (a, b) => a | b,
  "bitwise-xor": (a, b) => a ^ b,
};
const ALIASES: Record<string, string> = {
  add: "addition",
  plus: "addition",
  sum: "addition",
  subtract: "subtraction",
  minus: "subtraction",
  multiply: "multiplication",
  divide: "division",
  modulus: "modulo",
  mod: "modulo",
  exponentiation: "power",
  pow: "power",
  maximum: "max",
  minimum: "min",
  and: "logical-and",
  or: "logical-or",
  "array-union": "array-union",
  union: "array-union",
  concat: "concatenation",
  concatenate: "concatenation",
  "array-difference": "array-diff",
  "array-key-diff": "array-diff-key",
  "array-intersect-keys": "array-intersect-key",
};
export const OPERATORS = [
  ...Object.keys(NUMERIC_OPS),
  "max",
  "min",
  "logical-and",
  "logical-or",
  "concatenation",
  "array-merge",
  "array-union",
  "array-diff",
  "array-diff-key",
  "array-intersect",
  "array-intersect-key",
];

/** Applies an operator left to right over operands (`[a, b, c]` = `(a op b) op c`). */
export function applyOperator(name: string, operands: unknown[]): unknown {
  const op = ALIASES[name] ?? name;
  const numeric = NUMERIC_OPS[op];
  if (numeric) {
    if (operands.length === 0) return null;
    return operands.map(phpFloat).reduce((a, b) => numeric(a, b));
  }
  switch (op) {
    case "max":
    case "min": {
      // PHP max()/min(): the operand itself, compared as numbers [INF]
      if (operands.length === 0) return null;
      const better = op === "max" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
      return operands.reduce((best, o) => (better(phpFloat(o), phpFloat(best)) ? o : best));
    }
    case "logical-and":
      return operands.every(phpBool);
    case "logical-or":
      return operands.some(phpBool);
    case "concatenation":
      return operands.map(phpString).join("");
    case "array-merge":
      return arrayMerge(operands);
    case "array-union": {
      const out = new Map<string, unknown>();
      for (const array of arrayArgs(operands)) for (const [k, v] of entriesOf(array)) if (!out.has(k)) out.set(k, v);
      return fromEntries([...out]);
    }
    case "array-diff":
    case "array-intersect":
    case "array-diff-key":
    case "array-intersect-key": {
      const [first = [], ...others] = arrayArgs(operands);
      const byKey = op.endsWith("-key");
      // PHP compares values as strings here
      const sets = others.map((o) => new Set(entriesOf(o).map(([k, v]) => (byKey ? k : phpString(v)))));
      const keep = op.startsWith("array-diff") ? (probe: string) => sets.every((s) => !s.has(probe)) : (probe: string) => sets.every((s) => s.has(probe));
      return fromEntries(entriesOf(first).filter(([k, v]) => keep(byKey ? k : phpString(v))));
    }
    default:
      throw new Error(`Unknown operator '${name}'. Known: ${OPERATORS.join(", ")}.`);
  }
}

const operands = (value: unknown): unknown[] => (Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [value]);

// ---- dates (PHP date() formats, UTC) -----------------------------------------------------------

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

function isoWeek(d: Date): [number, number] {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return [t.getUTCFullYear(), Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7)];
}

/** PHP `date($format)` in UTC. */
export function formatPhpDate(d: Date, format: string): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    const Y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    const day = d.getUTCDate();
    const H = d.getUTCHours();
    switch (c) {
      case "\\":
        out += format[++i] ?? "";
        break;
      case "d": out += pad(day); break;
      case "j": out += day; break;
      case "D": out += DAYS[d.getUTCDay()].slice(0, 3); break;
      case "l": out += DAYS[d.getUTCDay()]; break;
      case "N": out += d.getUTCDay() || 7; break;
      case "w": out += d.getUTCDay(); break;
      case "S": out += day % 10 === 1 && day !== 11 ? "st" : day % 10 === 2 && day !== 12 ? "nd" : day % 10 === 3 && day !== 13 ? "rd" : "th"; break;
      case "z": out += Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000); break;
      case "W": out += pad(isoWeek(d)[1]); break;
      case "o": out += isoWeek(d)[0]; break;
      case "F": out += MONTHS[m]; break;
      case "M": out += MONTHS[m].slice(0, 3); break;
      case "m": out += pad(m + 1); break;
      case "n": out += m + 1; break;
      case "t": out += new Date(Date.UTC(Y, m + 1, 0)).getUTCDate(); break;
      case "L": out += (Y % 4 === 0 && Y % 100 !== 0) || Y % 400 === 0 ? 1 : 0; break;
      case "Y": out += Y; break;
      case "y": out += pad(Y % 100); break;
      case "a": out += H < 12 ? "am" : "pm"; break;
      case "A": out += H < 12 ? "AM" : "PM"; break;
      case "g": out += H % 12 || 12; break;
      case "G": out += H; break;
      case "h": out += pad(H % 12 || 12); break;
      case "H": out += pad(H); break;
      case "i": out += pad(d.getUTCMinutes()); break;
      case "s": out += pad(d.getUTCSeconds()); break;
      case "u": out += pad(d.getUTCMilliseconds() * 1000, 6); break;
      case "v": out += pad(d.getUTCMilliseconds(), 3); break;
      case "e": case "T": out += "UTC"; break;
      case "P": out += "+00:00"; break;
      case "p": out += "Z"; break;
      case "O": out += "+0000"; break;
      case "Z": out += "0"; break;
      case "c": out += formatPhpDate(d, "Y-m-d\\TH:i:sP"); break;
      case "r": out += formatPhpDate(d, "D, d M Y H:i:s O"); break;
      case "U": out += Math.floor(d.getTime() / 1000); break;
      default: out += c;
    }
  }
  return out;
}

/** Parses `text` with a PHP `DateTime::createFromFormat` format (common tokens), in UTC. */
export function parsePhpDate(text: string, format: string): Date | null {
  const fields: string[] = [];
  let source = "";
  const token: Record<string, string> = {
    Y: "(\\d{4})", y: "(\\d{2})", m: "(\\d{2})", n: "(\\d{1,2})", d: "(\\d{2})", j: "(\\d{1,2})",
    H: "(\\d{2})", G: "(\\d{1,2})", h: "(\\d{2})", g: "(\\d{1,2})", i: "(\\d{2})", s: "(\\d{2})",
    A: "(AM|PM|am|pm)", a: "(AM|PM|am|pm)", U: "(-?\\d+)", v: "(\\d{3})", u: "(\\d{1,6})",
    M: "([A-Za-z]{3})", F: "([A-Za-z]+)", D: "[A-Za-z]{3}", l: "[A-Za-z]+",
    P: "([+-]\\d{2}:\\d{2}|Z)", O: "([+-]\\d{4}|Z)", p: "([+-]\\d{2}:\\d{2}|Z)", T: "[A-Za-z]+", e: "[A-Za-z_/+\\-0-9:]+",
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "\\") source += (format[++i] ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (c === "!" || c === "|" || c === "+") continue;
    else if (token[c]) {
      source += token[c];
      if (token[c].startsWith("(")) fields.push(c);
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  const m = new RegExp(`^${source}$`).exec(text.trim());
  if (!m) return null;
  let [Y, mo, d, H, mi, s, ms, offset] = [1970, 0, 1, 0, 0, 0, 0, 0];
  let pm: boolean | null = null;
  for (let k = 0; k < fields.length; k++) {
    const v = m[k + 1];
    switch (fields[k]) {
      case "Y": Y = Number(v); break;
      case "y": Y = 2000 + Number(v) - (Number(v) >= 70 ? 100 : 0); break;
      case "m": case "n": mo = Number(v) - 1; break;
      case "M": case "F": mo = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase().slice(0, 3))); break;
      case "d": case "j": d = Number(v); break;
      case "H": case "G": case "h": case "g": H = Number(v); break;
      case "i": mi = Number(v); break;
      case "s": s = Number(v); break;
      case "v": ms = Number(v); break;
      case "u": ms = Math.floor(Number(v.padEnd(6, "0")) / 1000); break;
      case "A": case "a": pm = v.toLowerCase() === "pm"; break;
      case "U": return new Date(Number(v) * 1000);
      case "P": case "O": case "p":
        if (v !== "Z") offset = (v[0] === "-" ? -1 : 1) * (Number(v.slice(1, 3)) * 60 + Number(v.slice(-2)));
        break;
    }
  }
  if (pm !== null) H = (H % 12) + (pm ? 12 : 0);
  return new Date(Date.UTC(Y, mo, d, H, mi, s, ms) - offset * 60000);
}

const RELATIVE_UNIT = /([+-]?\d+)\s*(sec|secs|second|seconds|min|mins|minute|minutes|hour|hours|day|days|week|weeks|fortnight|fortnights|month|months|year|years)\b(\s+ago\b)?/g;
const RELATIVE_WORD = /\b(now|today|midnight|noon|tomorrow|yesterday)\b/g;

/** An absolute date text (ISO 8601 / `Y-m-d H:i:s`, read as UTC without offset), or unix seconds. */
function absoluteDate(text: string): Date | null {
  if (/^-?\d+$/.test(text)) return new Date(Number(text) * 1000);
  const iso = text.replace(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/, "$1T$2Z");
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * PHP `new DateTime($text)` for the common relative formats: "" and "now" are now; "today",
 * "midnight", "noon", "tomorrow", "yesterday"; offsets like "+1 week", "-3 days", "2 hours ago",
 * also after an absolute date ("2024-01-31 +1 day"). Months and years overflow as in PHP.
 */
function relativeDate(text: string): Date | null {
  const lower = text.toLowerCase();
  const offsets: [number, string][] = [];
  const words: string[] = [];
  const rest = lower
    .replace(RELATIVE_UNIT, (_, n: string, unit: string, ago?: string) => (offsets.push([Number(n) * (ago ? -1 : 1), unit.replace(/s$/, "")]), " "))
    .replace(RELATIVE_WORD, (w: string) => (words.push(w), " "))
    .trim();
  // a relative text, optionally after an absolute date
  if (rest !== "" && (offsets.length + words.length === 0 || !lower.startsWith(rest))) return null;
  const d = rest === "" ? new Date() : absoluteDate(text.slice(0, rest.length));
  if (!d) return null;
  for (const w of words) {
    if (w === "now") continue;
    d.setUTCHours(w === "noon" ? 12 : 0, 0, 0, 0);
    if (w === "tomorrow") d.setUTCDate(d.getUTCDate() + 1);
    if (w === "yesterday") d.setUTCDate(d.getUTCDate() - 1);
  }
  const seconds: Record<string, number> = { sec: 1, second: 1, min: 60, minute: 60, hour: 3600, day: 86400, week: 604800, fortnight: 1209600 };
  for (const [n, unit] of offsets) {
    if (unit === "month") d.setUTCMonth(d.getUTCMonth() + n);
    else if (unit === "year") d.setUTCFullYear(d.getUTCFullYear() + n);
    else if (unit === "day" || unit === "week" || unit === "fortnight") d.setUTCDate(d.getUTCDate() + (n * seconds[unit]) / 86400);
    else d.setTime(d.getTime() + n * seconds[unit] * 1000);
  }
  return d;
}

/** A date from a value: unix seconds, or text (absolute as `absoluteDate`, or relative as `relativeDate`). */
function toDate(value: unknown, fromFormat: string | null): Date | null {
  if (typeof value === "number") return new Date(value * 1000);
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (fromFormat && text !== "") return parsePhpDate(text, fromFormat);
  return (text === "" ? null : absoluteDate(text)) ?? relativeDate(text);
}

// ---- the mappers -------------------------------------------------------------------------------

const listValues = mapper({
  identifier: "list-values",
  name: "List: Values",
  description: "Re-indexes a list or object into a 0-based list (PHP `array_values`).",
  parameters: none,
  documentation: `Returns the values of a list or object as a list (PHP \`array_values\`): re-indexes a list
after elements were removed (a list with holes is an object keyed by the remaining indexes).

No parameters. Example: \`{"1":"b","3":"d"}\` gives \`["b","d"]\`. A scalar is returned unchanged [INF].`,
  tests: [
    { name: "object with holes", parameters: EMPTY, input: { "1": "b", "3": "d" }, output: ["b", "d"] },
    { name: "list", parameters: EMPTY, input: ["a"], output: ["a"] },
  ],
  create: () => (v) => (Array.isArray(v) ? v : isRecord(v) ? Object.values(v) : v),
});

const listKeys = mapper({
  identifier: "list-keys",
  name: "List: Keys",
  description: "The keys of a list or object (PHP `array_keys`).",
  parameters: none,
  documentation: `Returns the keys as a list (PHP \`array_keys\`): list indexes and integer-like keys are numbers, other keys strings.

No parameters. Example: \`{"a":1,"b":2}\` gives \`["a","b"]\`; \`["x","y"]\` gives \`[0,1]\`.`,
  tests: [
    { name: "object", parameters: EMPTY, input: { a: 1, b: 2 }, output: ["a", "b"] },
    { name: "list", parameters: EMPTY, input: ["x", "y"], output: [0, 1] },
  ],
  create: () => (v) => (isPhpArray(v) ? entriesOf(v).map(([k]) => arrayIndex(k) ?? k) : v),
});

const listReverse = mapper({
  identifier: "list-reverse",
  name: "List: Reverse",
  description: "Reverses a list or object (PHP `array_reverse`).",
  parameters: none,
  documentation: `Reverses the order (PHP \`array_reverse\`): a list stays a list; an object keeps its string keys.

No parameters. Example: \`[1,2,3]\` gives \`[3,2,1]\`.`,
  tests: [{ name: "list", parameters: EMPTY, input: [1, 2, 3], output: [3, 2, 1] }],
  create: () => (v) => {
    if (Array.isArray(v)) return v.slice().reverse();
    if (isRecord(v)) {
      // numeric keys are renumbered by array_reverse
      let n = 0;
      return fromEntries(Object.entries(v).reverse().map(([k, x]) => [arrayIndex(k) !== null ? String(n++) : k, x]));
    }
    return v;
  },
});

const listCount = mapper({
  identifier: "list-count",
  name: "List: Count",
  description: "The number of elements (PHP `count`).",
  parameters: none,
  documentation: `Counts the elements of a list or object.

No parameters. Example: \`["a","b"]\` gives \`2\`. [INF] \`null\` gives 0, any other scalar 1.`,
  tests: [
    { name: "list", parameters: EMPTY, input: ["a", "b"], output: 2 },
    { name: "null", parameters: EMPTY, input: null, output: 0 },
  ],
  create: () => (v) => (isPhpArray(v) ? entriesOf(v).length : v === null || v === undefined ? 0 : 1),
});

const glueSchema = z.looseObject({ glue: z.string().nullish().transform((v) => v ?? "") });

const listImplode = mapper({
  identifier: "list-implode",
  name: "List: Implode",
  description: "Joins the elements into one string with a glue (PHP `implode`).",
  parameters: glueSchema,
  documentation: `Joins the values of a list (or object) with \`glue\` (PHP \`implode\`).

- \`glue\` (string, default ""): put between elements.

Example: \`{"glue":","}\` on \`["red","blue"]\` gives \`"red,blue"\`. A scalar is returned unchanged [INF]; elements
convert the PHP way (\`true\` "1", \`null\` "").`,
  tests: [
    { name: "comma", parameters: { glue: "," }, input: ["red", "blue"], output: "red,blue" },
    { name: "scalar", parameters: { glue: "," }, input: "red", output: "red" },
  ],
  create: ({ glue }) => (v) => (isPhpArray(v) ? entriesOf(v).map(([, x]) => phpString(x)).join(glue) : v),
});

const listConcat = mapper({
  identifier: "list-concat",
  name: "List: Concatenate",
  description: "Concatenates the elements, nested lists included, with a glue.",
  parameters: glueSchema,
  documentation: `Joins the values with \`glue\`, flattening nested lists first and skipping null and empty strings.

- \`glue\` (string): put between elements.

Example: \`{"glue":" / "}\` on \`["Red","XL"]\` gives \`"Red / XL"\`.

Notes [INF]: templates use it like \`list-implode\` to build variant names from option values; the
difference is undocumented, so this one flattens and skips empty values, which builds the same
names and avoids \`"Red /  / XL"\`.`,
  tests: [
    { name: "names", parameters: { glue: " / " }, input: ["Red", "XL"], output: "Red / XL" },
    { name: "nested and empty", parameters: { glue: "-" }, input: ["a", ["b", "c"], null, ""], output: "a-b-c" },
  ],
  create: ({ glue }) => {
    const flat = (v: unknown): unknown[] => (isPhpArray(v) ? entriesOf(v).flatMap(([, x]) => flat(x)) : [v]);
    return (v) => (isPhpArray(v) ? flat(v).filter((x) => x !== null && x !== undefined && x !== "").map(phpString).join(glue) : v);
  },
});

const arraySchema = z.looseObject({
  array: z
    .unknown()
    .optional()
    .transform((v) => (isPhpArray(v) ? v : {})),
});

const listIntersectKeys = mapper({
  identifier: "list-intersect-keys",
  name: "List: Intersect keys",
  description: "Keeps only the keys present in `array` (PHP `array_intersect_key`).",
  parameters: arraySchema,
  documentation: `Keeps the keys of the value that also appear as keys of \`array\`; the values of \`array\` are ignored.

- \`array\` (object): the keys to keep.

Example (docs: "removes all properties that are not entered"): \`{"array":{"name":true,"value":true}}\` on
\`{"name":"a","value":1,"tmp":2}\` gives \`{"name":"a","value":1}\`.`,
  tests: [{ name: "keep listed keys", parameters: { array: { name: true, value: true } }, input: { name: "a", value: 1, tmp: 2 }, output: { name: "a", value: 1 } }],
  create: ({ array }) => {
    const keep = new Set(entriesOf(array).map(([k]) => k));
    return (v) => (isPhpArray(v) ? fromEntries(entriesOf(v).filter(([k]) => keep.has(k))) : v);
  },
});

const listExtendWith = mapper({
  identifier: "list-extend-with",
  name: "List: Extend with",
  description: "Adds (or overrides) the keys of `array` in the value.",
  parameters: arraySchema,
  documentation: `Merges \`array\` into the value: every key of \`array\` is set, replacing what the value held.

- \`array\` (object): the keys and values to add. Placeholders in it resolve against the value being
  mapped (\`"sku":"&{code || \`\`}"\` copies \`code\`).

Example: \`{"array":{"is_active":true}}\` on \`{"sku":"a"}\` gives \`{"sku":"a","is_active":true}\`.

Notes [INF] (prototypes.md §18.5): "extend" is read as override (like PHP \`array_replace\`), which the
template \`"sku":"&{code || \`\`}"\` needs to set \`sku\` from \`code\`. A non-array value is treated as empty.`,
  tests: [
    { name: "add a key", parameters: { array: { is_active: true } }, input: { sku: "a" }, output: { sku: "a", is_active: true } },
    { name: "placeholders against the value", parameters: { array: { sku: "&{code || ``}" } }, input: { code: "c1", sku: "old" }, output: { code: "c1", sku: "c1" } },
  ],
  create: ({ array }) => async (v, run) => {
    const extra = (await expand(array, v, run)) as PhpArray;
    const base: [string, unknown][] = isPhpArray(v) ? entriesOf(v) : [];
    const out = new Map(base);
    for (const [k, x] of entriesOf(extra)) out.set(k, x);
    return fromEntries([...out]);
  },
});

const listFillSchema = z.looseObject({ start: z.unknown().optional(), length: z.unknown().optional(), value: z.unknown().optional() });

const listFill = mapper({
  identifier: "list-fill",
  name: "List: Fill",
  description: "Builds a list of `length` elements from index `start` (PHP `array_fill`).",
  parameters: listFillSchema,
  documentation: `Builds \`length\` elements with keys \`start\`, \`start+1\`, ... (PHP \`array_fill\`), each holding the mapped value.

- \`start\` (integer, default 0): the first key. From 0 the result is a list, otherwise an object.
- \`length\` (integer or placeholder, e.g. \`"&{@}"\` = the mapped value): how many.

Example: \`{"start":0,"length":"&{@}"}\` on \`3\` gives \`[3,3,3]\` (templates build a page list from a page count).

Notes [INF]: the fill value is the mapped value (templates only use the keys); an optional \`value\`
parameter overrides it. A negative or non-numeric length gives an empty list.`,
  tests: [
    { name: "page list", parameters: { start: 0, length: "&{@}" }, input: 3, output: [3, 3, 3] },
    { name: "from 1", parameters: { start: 1, length: 2, value: "x" }, input: null, output: { "1": "x", "2": "x" } },
  ],
  create: (p) => async (v, run) => {
    const start = phpInt(await expand(p.start ?? 0, v, run));
    const length = Math.max(0, Math.min(100_000, phpInt(await expand(p.length ?? 0, v, run))));
    const fill = p.value === undefined ? v : await expand(p.value, v, run);
    if (start === 0) return Array.from({ length }, () => fill);
    return Object.fromEntries(Array.from({ length }, (_, i) => [String(start + i), fill]));
  },
});

const castInt = mapper({
  identifier: "cast-int",
  name: "Cast: Integer",
  description: "Converts to an integer (PHP `(int)`).",
  parameters: none,
  documentation: `Converts the value to an integer the PHP way: \`"10"\` -> 10, \`"10.5"\` -> 10, \`12.9\` -> 12, \`true\` -> 1,
\`null\`/\`"foo"\` -> 0, a leading number counts (\`"12abc"\` -> 12).

No parameters. Example (docs): \`"10"\` gives \`10\`. The docs guard non-numeric values with a \`type-numeric\` conditional.`,
  tests: [
    { name: "numeric string (docs)", parameters: EMPTY, input: "10", output: 10 },
    { name: "decimal string (docs)", parameters: EMPTY, input: "10.5", output: 10 },
    { name: "float", parameters: EMPTY, input: 2.99, output: 2 },
  ],
  create: () => phpInt,
});

const castFloat = mapper({
  identifier: "cast-float",
  name: "Cast: Float",
  description: "Converts to a number (PHP `(float)`).",
  parameters: none,
  documentation: "Converts to a number the PHP way: `\"10.5\"` -> 10.5, `true` -> 1, `null` and non-numeric text -> 0.\n\nNo parameters. Example: `\"12.50\"` gives `12.5`.",
  tests: [{ name: "decimal string", parameters: EMPTY, input: "12.50", output: 12.5 }],
  create: () => phpFloat,
});

const castString = mapper({
  identifier: "cast-string",
  name: "Cast: String",
  description: "Converts to a string (PHP `(string)`).",
  parameters: none,
  documentation: "Converts to a string the PHP way: `12` -> `\"12\"`, `true` -> `\"1\"`, `false`/`null` -> `\"\"`. [INF] Lists and objects become JSON.\n\nNo parameters. Example: `12` gives `\"12\"`.",
  tests: [
    { name: "number", parameters: EMPTY, input: 12, output: "12" },
    { name: "true", parameters: EMPTY, input: true, output: "1" },
  ],
  create: () => phpString,
});

const castBool = mapper({
  identifier: "cast-bool",
  name: "Cast: Boolean",
  description: "Converts to true/false (PHP `(bool)`).",
  parameters: none,
  documentation: "Converts the PHP way: `null`, `false`, `0`, `\"\"`, `\"0\"`, `[]` are false, anything else true. [INF: id inferred from the cast-* family]\n\nNo parameters. Example: `\"0\"` gives `false`.",
  tests: [{ name: "zero string", parameters: EMPTY, input: "0", output: false }],
  create: () => phpBool,
});

/** A PHP array is a list when its keys are 0..n-1 in order, so `{}` and `{"0":a,"1":b}` are lists. */
function asPhpArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asPhpArrays);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (isListKeys(keys)) return keys.map((key) => asPhpArrays(value[key]));
  return Object.fromEntries(keys.map((key) => [key, asPhpArrays(value[key])]));
}

/** PHP's `json_encode` with its default flags: PHP arrays as above, `/` as `\/`, non-ASCII as `\uXXXX`. */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(asPhpArrays(value ?? null)).replace(/[/\u0080-\uffff]/g, (c) => (c === "/" ? "\\/" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

const serializeJson = mapper({
  identifier: "serialize-json",
  name: "Serialize: JSON",
  description: "Encodes the value as a JSON string, as PHP's json_encode does.",
  parameters: none,
  documentation: `Encodes the value as JSON text, as PHP's \`json_encode\` writes it.

No parameters. Example: \`{"parent":[{"operator":"NOT EMPTY"}]}\` gives \`"{\\"parent\\":[{\\"operator\\":\\"NOT EMPTY\\"}]}"\`
(the Akeneo \`search\` query parameter in the templates).

As PHP: an empty object is \`[]\` and an object keyed 0..n-1 in order is a list (PHP arrays cannot tell them
apart), \`/\` is written \`\\/\` and non-ASCII characters \`\\uXXXX\`. The Spryker templates' own test data
(written by Alumio) holds \`"attributes":"[]"\` and \`"N\\u00e3o"\` in serialized attributes.`,
  tests: [
    { name: "search filter", parameters: EMPTY, input: { parent: [{ operator: "NOT EMPTY" }] }, output: '{"parent":[{"operator":"NOT EMPTY"}]}' },
    { name: "an emptied object is an empty PHP array", parameters: EMPTY, input: {}, output: "[]" },
    { name: "PHP escapes", parameters: EMPTY, input: { certification: "TÜV-GS", url: "https://x/y", ids: { "0": "a", "1": "b" } }, output: '{"certification":"T\\u00dcV-GS","url":"https:\\/\\/x\\/y","ids":["a","b"]}' },
  ],
  create: () => phpJsonEncode,
});

const unserializeJson = mapper({
  identifier: "unserialize-json",
  name: "Unserialize: JSON",
  description: "Decodes a JSON string.",
  parameters: none,
  documentation: "Decodes JSON text into a value; anything that is not valid JSON text is returned unchanged. [INF: id inferred as the counterpart of serialize-json]\n\nNo parameters. Example: `\"{\\\"a\\\":1}\"` gives `{\"a\":1}`.",
  tests: [{ name: "object", parameters: EMPTY, input: '{"a":1}', output: { a: 1 } }],
  create: () => (v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  },
});

const deserializeSchema = z.looseObject({ deserializer: z.unknown() });

const deserialize = mapper({
  identifier: "deserialize",
  name: "Deserialize",
  description: "Decodes a string value with a deserializer (plain text, JSON, YAML, CSV, ...).",
  parameters: deserializeSchema,
  documentation: `Decodes a string with a deserializer, the way an HTTP subscriber decodes a response body. Alumio's forum shows it in a value mapper with the plain-text deserializer: the text ends up as data under the configured key.

- \`deserializer\` (required): a deserializer prototype, \`{"prototype":"plain-text","parameters":{"key":"token"}}\`, or its bare id (\`"yaml"\`); \`{}\` is the default deserializer (JSON).

Example: \`{"deserializer":{"prototype":"plain-text","parameters":{"key":"token"}}}\` on \`"abc123"\` gives \`{"token":"abc123"}\`;
\`{"deserializer":{"prototype":"json","parameters":{"pattern":"data"}}}\` on \`"{\\"data\\":[1,2]}"\` gives \`[1,2]\`.

Notes [INF]:
- A deserializer gives a list of items. When it gives exactly one item the mapper returns that item (so plain text gives the text or the keyed object, as the forum describes, and a JSON or YAML object gives the object); otherwise it returns the list (none: \`[]\`). A list of a single element therefore comes back as that element, also a one-row CSV: use \`unserialize-json\` to decode JSON as a whole document.
- A value that is not a string (already decoded, a number, null) is returned unchanged.
- A string the deserializer cannot decode (invalid JSON or YAML) fails the step with the deserializer's error, rather than passing the text on.`,
  tests: [
    { name: "plain text under a key (forum)", parameters: { deserializer: { prototype: "plain-text", parameters: { key: "token" } } }, input: "abc123", output: { token: "abc123" } },
    { name: "json items at a pattern", parameters: { deserializer: { prototype: "json", parameters: { pattern: "data" } } }, input: '{"data":[{"id":1},{"id":2}]}', output: [{ id: 1 }, { id: 2 }] },
    { name: "one yaml document", parameters: { deserializer: "yaml" }, input: "sku: a\nqty: 2\n", output: { sku: "a", qty: 2 } },
    { name: "not a string", parameters: { deserializer: "json" }, input: { already: "decoded" }, output: { already: "decoded" } },
  ],
  create: async ({ deserializer }, builder) => {
    const decoder = await builder.build("deserializer", deserializer, ["deserializer"]);
    return async (v, run) => {
      // Deserializers also take parsed values (their items at the pattern); a mapper leaves those alone.
      if (typeof v !== "string") return v;
      const items = await decoder.deserialize(v, run);
      return items.length === 1 ? items[0] : items;
    };
  },
});

const dictionarySchema = z.looseObject({
  map: z
    .union([z.array(z.union([z.array(z.unknown()), z.looseObject({ from: z.unknown(), to: z.unknown() })])), z.record(z.string(), z.unknown())])
    .nullish()
    .transform((v): [unknown, unknown][] => {
      if (!v) return [];
      if (!Array.isArray(v)) return Object.entries(v);
      return v.map((pair) => (Array.isArray(pair) ? [pair[0] ?? null, pair[1] ?? null] : [pair.from ?? null, pair.to ?? null]));
    }),
  comparator: z.unknown().optional(),
});

const dictionaryMap = mapper({
  identifier: "dictionary-map",
  name: "Dictionary map",
  description: "Replaces the value by the `to` of the first `[from, to]` pair whose `from` matches.",
  parameters: dictionarySchema,
  documentation: `Looks the value up in a dictionary.

- \`map\` (list of \`[from, to]\` pairs; \`{"from":..,"to":..}\` objects or a \`{from: to}\` object are accepted too).
- \`comparator\` (condition id, default \`equals\`): how \`from\` is compared with the value; built as that
  condition with \`{"value": from}\` (e.g. \`equals-adaptive\` for loose matching).

The first matching pair wins; no match leaves the value unchanged.

Example: \`{"map":[["simpleselect","select"],["metric","text"]],"comparator":"equals"}\` on \`"metric"\` gives \`"text"\`.`,
  tests: [
    { name: "match", parameters: { map: [["simpleselect", "select"], ["metric", "text"]], comparator: "equals" }, input: "metric", output: "text" },
    { name: "no match", parameters: { map: [["simpleselect", "select"]], comparator: "equals" }, input: "other", output: "other" },
    { name: "loose", parameters: { map: [[1, "one"]], comparator: "equals-adaptive" }, input: "1", output: "one" },
  ],
  create: async ({ map, comparator }, builder) => {
    const id = comparator === undefined || comparator === null || comparator === "" ? "equals" : comparator;
    const conditions: Condition[] = [];
    for (let i = 0; i < map.length; i++) {
      const spec = typeof id === "string" ? { prototype: id, parameters: { value: map[i][0] } } : id;
      conditions.push(await builder.build("condition", spec, ["comparator"]));
    }
    return async (v, run) => {
      for (let i = 0; i < map.length; i++) if (await conditions[i](v, run)) return map[i][1];
      return v;
    };
  },
});

const standardSchema = z.looseObject({ from: z.unknown().optional(), to: z.unknown().optional() });

const standard = mapper({
  identifier: "standard",
  name: "Standard map",
  description: "Replaces the value `from` by `to`; other values stay.",
  parameters: standardSchema,
  documentation: `Maps one value: when the value strictly equals \`from\`, it becomes \`to\`.

- \`from\`: the value to replace.
- \`to\`: its replacement.

Example (docs): \`{"from":"high","to":20}\` on \`"high"\` gives \`20\` (\`{"tax_rate":"high"}\` -> \`{"tax_rate":20}\` in a value-mapper).

Notes [INF]: strict comparison, as \`equals\`.`,
  tests: [
    { name: "tax rate (docs)", parameters: { from: "high", to: 20 }, input: "high", output: 20 },
    { name: "other value", parameters: { from: "high", to: 20 }, input: "low", output: "low" },
  ],
  create: ({ from, to }) => (v) => (strictEquals(v, from ?? null) ? (to ?? null) : v),
});

const mapperChainSchema = z.looseObject({ mappers: specList, transformers: specList });

/**
 * A step of a mapper-level chain or conditional listed under `transformers`: Alumio's docs list data
 * transformers there (a value-mapper), which then transform the mapped value as data. A mapper listed
 * there is accepted too [INF].
 */
async function buildValueStep(builder: Builder, spec: unknown, path: (string | number)[]): Promise<Mapper> {
  let transformer: DataTransformer;
  try {
    transformer = await builder.build("data-transformer", spec, path);
  } catch (error) {
    try {
      return await builder.build("mapper", spec, path);
    } catch {
      throw error;
    }
  }
  // a mapper must leave its value alone: the transformer's plain call works on a copy
  return (v, run) => transformer(v, run);
}

/** The steps of a mapper-level `transformers` list, in order. */
async function buildValueSteps(builder: Builder, key: string, specs: unknown[]): Promise<Mapper[]> {
  const built: Mapper[] = [];
  for (let i = 0; i < specs.length; i++) built.push(await buildValueStep(builder, specs[i], [key, i]));
  return built;
}

const mapperChain = mapper({
  identifier: "chain",
  name: "Chain mappers",
  description: "Applies a list of mappers in order.",
  parameters: mapperChainSchema,
  documentation: `Runs mappers one after the other (the developers' docs show a mapper-level \`chain\`).

- \`transformers\` (data transformer list): as in Alumio's docs; each transforms the value as data, so a
  \`value-mapper\` with a key accessor changes a field of an object value. Mappers are accepted in this list too [INF].
- \`mappers\` (mapper list) [INF]: mappers run in order on the value.

Example (docs): \`{"transformers":[{"prototype":"value-mapper","parameters":{"mappers":[{"prototype":"string-prepend","parameters":{"prepend":"EXPLOSIVE-"}},{"prototype":"string-upper"}],"accessor":{"prototype":"key","parameters":{"keys":["sku"]}}}}]}\`
on \`{"sku":"tnt"}\` gives \`{"sku":"EXPLOSIVE-TNT"}\`;
\`{"mappers":[{"prototype":"string-prepend","parameters":{"prepend":"EXPLOSIVE-"}},{"prototype":"string-upper"}]}\` on \`"tnt"\` gives \`"EXPLOSIVE-TNT"\`.`,
  tests: [
    {
      name: "prepend then upper (docs)",
      parameters: { mappers: [{ prototype: "string-prepend", parameters: { prepend: "EXPLOSIVE-" } }, { prototype: "string-upper" }] },
      input: "tnt",
      output: "EXPLOSIVE-TNT",
    },
    {
      name: "transformers on the value (docs)",
      parameters: {
        transformers: [
          {
            prototype: "value-mapper",
            parameters: { mappers: [{ prototype: "string-prepend", parameters: { prepend: "EXPLOSIVE-" } }, { prototype: "string-upper" }], accessor: { prototype: "key", parameters: { keys: ["sku"] } } },
          },
        ],
      },
      input: { sku: "tnt" },
      output: { sku: "EXPLOSIVE-TNT" },
    },
  ],
  create: async ({ mappers, transformers }, builder) => {
    const built = mappers.length > 0 ? await buildList(builder, "mapper", ["mappers"], mappers) : await buildValueSteps(builder, "transformers", transformers);
    return (v, run) => applyMappers(built, v, run);
  },
});

const conditionalMapperSchema = z.looseObject({ filters: specList, transformers: specList, elseTransformers: specList });

const conditionalMapper = mapper({
  identifier: "conditional",
  name: "Conditional mapper",
  description: "Transforms the value only when it passes filters.",
  parameters: conditionalMapperSchema,
  documentation: `Makes mapping conditional (the developers' docs show a mapper-level \`conditional\`).

- \`filters\` (filter list): tested on the value as data; all must pass.
- \`transformers\` (data transformer list): run on the value when the filters pass (mappers are accepted too [INF]).
- \`elseTransformers\` (data transformer list, optional) [INF]: run otherwise; without them the value is unchanged.

Example (docs): filters \`[{"prototype":"value-condition","parameters":{"accessor":{"prototype":"key","parameters":{"keys":["number"]}},"conditions":[{"prototype":"type-numeric"}]}}]\`
and transformers \`[{"prototype":"value-mapper","parameters":{"accessor":{"prototype":"key","parameters":{"keys":["number"]}},"mappers":[{"prototype":"cast-int"}]}}]\`:
\`{"number":"10"}\` gives \`{"number":10}\`, \`{"number":"10.5"}\` gives \`{"number":10}\`, \`{"number":"foo"}\` stays.`,
  tests: [
    {
      name: "cast numeric values only (docs)",
      parameters: {
        filters: [{ prototype: "value-condition", parameters: { accessor: { prototype: "key", parameters: { keys: ["number"] } }, conditions: [{ prototype: "type-numeric" }] } }],
        transformers: [{ prototype: "value-mapper", parameters: { accessor: { prototype: "key", parameters: { keys: ["number"] } }, mappers: [{ prototype: "cast-int" }] } }],
      },
      input: { number: "10.5" },
      output: { number: 10 },
    },
  ],
  create: async ({ filters, transformers, elseTransformers }, builder) => {
    const checks = await buildList(builder, "filter", ["filters"], filters);
    const then = await buildValueSteps(builder, "transformers", transformers);
    const otherwise = await buildValueSteps(builder, "elseTransformers", elseTransformers);
    return (v, run) => after(passes(checks, v, run), (ok) => applyMappers(ok ? then : otherwise, v, run));
  },
});

const operatorSchema = z.looseObject({ operator: z.string() });

const operatorMapper = mapper({
  identifier: "operator",
  name: "Operator",
  description: "Combines a list of operands with an operator (addition, division, array-merge, ...).",
  parameters: operatorSchema,
  documentation: `The value is the list of operands; the result is \`op1 <operator> op2 <operator> ...\` (left to right).

- \`operator\`: ${OPERATORS.map((o) => `\`${o}\``).join(", ")}.

Examples from Alumio's operator reference: \`addition\` \`[10,15,2]\` -> 27, \`subtraction\` \`[10,2,4]\` -> 4,
\`division\` \`[120,10,4]\` -> 3, \`max\` \`[12,7,14]\` -> 14, \`min\` -> 7, \`mod\` \`[11,2]\` -> 1, \`pow\` \`[2,3]\` -> 8,
\`concat\` \`["foo","bar"]\` -> "foobar", \`logical-and\` \`[true,true]\` -> true (\`mod\`, \`pow\`, \`concat\` are the
documented codes of \`modulo\`, \`power\`, \`concatenation\`).

Numeric operators convert operands like PHP (\`"10"\` -> 10); division by zero is an error. \`max\`/\`min\` return the
largest/smallest operand compared as numbers [INF]; \`logical-and\`/\`logical-or\` convert operands to booleans the PHP way
(\`logical-or\` [INF: only \`logical-and\` is shown in the docs]). \`array-merge\` is
PHP \`array_merge\` (lists append, string keys override), \`array-union\` PHP \`+\`, \`array-diff\`/\`array-intersect\`
compare values as strings, \`-key\` variants compare keys; \`concatenation\` joins strings.

Example (templates): value-setter value \`["&{total}","&{limit}"]\` with \`{"operator":"division"}\` then \`cast-int\`:
\`[25,10]\` gives \`2.5\`, then \`2\`.

Notes [INF]: operand conventions inferred from the templates; a non-list value is one operand.
Aliases such as \`add\`, \`subtract\`, \`multiply\`, \`divide\` are accepted.`,
  tests: [
    { name: "division", parameters: { operator: "division" }, input: [25, "10"], output: 2.5 },
    { name: "multiplication", parameters: { operator: "multiplication" }, input: ["12.5", 100], output: 1250 },
    { name: "array-merge", parameters: { operator: "array-merge" }, input: [[1], [2, 3]], output: [1, 2, 3] },
    { name: "array-merge objects", parameters: { operator: "array-merge" }, input: [{ a: 1, b: 1 }, { b: 2 }], output: { a: 1, b: 2 } },
    { name: "max (docs)", parameters: { operator: "max" }, input: [12, 7, 14], output: 14 },
  ],
  create: ({ operator }) => {
    applyOperator(operator, []); // unknown operators fail at build time
    return (v) => applyOperator(operator, operands(v));
  },
});

const preparedSchema = z.looseObject({ operator: z.string(), left: z.unknown().optional(), right: z.unknown().optional() });

const preparedOperator = mapper({
  identifier: "prepared-operator",
  name: "Prepared operator",
  description: "Applies an operator between the value and prepared operands.",
  parameters: preparedSchema,
  documentation: `Computes \`left <operator> right...\` where an absent (\`null\`) side is the mapped value.

- \`operator\`: as the \`operator\` mapper.
- \`left\`: the first operand; \`null\` = the mapped value.
- \`right\`: a list of further operands (or one operand); \`null\` = the mapped value.

Placeholders in \`left\`/\`right\` resolve against the mapped value.

Example (templates): \`{"left":null,"operator":"addition","right":[2]}\` on \`3\` gives \`5\`.`,
  tests: [
    { name: "value plus 2", parameters: { left: null, operator: "addition", right: [2] }, input: 3, output: 5 },
    { name: "100 minus value", parameters: { left: 100, operator: "subtraction", right: null }, input: 30, output: 70 },
  ],
  create: ({ operator, left, right }) => {
    applyOperator(operator, []);
    return async (v, run) => {
      const l = left === undefined || left === null ? v : await expand(left, v, run);
      const r = right === undefined || right === null ? [v] : await expand(right, v, run);
      return applyOperator(operator, [l, ...(Array.isArray(r) ? r : [r])]);
    };
  },
});

// ---- strings -----------------------------------------------------------------------------------

/** String mappers leave lists and objects alone, except str_replace which maps over their elements. */
const onText = (fn: (s: string) => unknown) => (v: unknown) => (isPhpArray(v) ? v : fn(phpString(v)));

const replaceSchema = z.looseObject({
  search: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).transform((v) => (Array.isArray(v) ? v.map(String) : [String(v)])),
  replace: z
    .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])), z.null()])
    .optional()
    .transform((v) => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? "" : String(v))),
});

const stringReplace = mapper({
  identifier: "string-replace",
  name: "String: Replace",
  description: "Replaces every occurrence of `search` by `replace` (PHP `str_replace`).",
  parameters: replaceSchema,
  documentation: `Replaces text (PHP \`str_replace\`).

- \`search\` (string or list of strings): what to find.
- \`replace\` (string or list, default ""): the replacement; with two lists, element i replaces element i.

A list or object value has each of its elements replaced, keys kept (PHP \`str_replace\` on an array subject):
scalar elements are converted to strings first, nested lists and objects are left as they are. Other
scalars are converted to strings first.

Example (templates): \`{"search":"pim_catalog_"}\` on \`"pim_catalog_simpleselect"\` gives \`"simpleselect"\`.`,
  tests: [
    { name: "strip prefix", parameters: { search: "pim_catalog_" }, input: "pim_catalog_simpleselect", output: "simpleselect" },
    { name: "every occurrence", parameters: { search: "system", replace: "system." }, input: "system system", output: "system. system." },
  ],
  create: ({ search, replace }) => {
    const one = (s: string) => search.reduce((text, needle, i) => (needle === "" ? text : text.split(needle).join(Array.isArray(replace) ? (replace[i] ?? "") : replace)), s);
    const element = (v: unknown): unknown => (isPhpArray(v) ? v : one(phpString(v)));
    return (v: unknown): unknown =>
      Array.isArray(v) ? v.map(element) : isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, element(x)])) : one(phpString(v));
  },
});

const stringAppend = mapper({
  identifier: "string-append",
  name: "String: Append",
  description: "Appends text.",
  parameters: z.looseObject({ append: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? "" : String(v))) }),
  documentation: "Appends `append` to the value (converted to a string).\n\n- `append` (string).\n\nExample: `{\"append\":\"-1\"}` on `\"sku\"` gives `\"sku-1\"`.",
  tests: [{ name: "suffix", parameters: { append: "-1" }, input: "sku", output: "sku-1" }],
  create: ({ append }) => onText((s) => s + append),
});

const stringPrepend = mapper({
  identifier: "string-prepend",
  name: "String: Prepend",
  description: "Prepends text.",
  parameters: z.looseObject({ prepend: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? "" : String(v))) }),
  documentation: "Prepends `prepend` to the value (converted to a string).\n\n- `prepend` (string).\n\nExample (docs): `{\"prepend\":\"EXPLOSIVE-\"}` on `\"tnt\"` gives `\"EXPLOSIVE-tnt\"`.",
  tests: [{ name: "docs", parameters: { prepend: "EXPLOSIVE-" }, input: "tnt", output: "EXPLOSIVE-tnt" }],
  create: ({ prepend }) => onText((s) => prepend + s),
});

const simpleString = (identifier: string, name: string, what: string, fn: (s: string) => string, example: [string, string]) =>
  mapper({
    identifier,
    name,
    description: what,
    parameters: none,
    documentation: `${what} Lists and objects are left unchanged; other values are converted to strings first.\n\nNo parameters. Example: \`${JSON.stringify(example[0])}\` gives \`${JSON.stringify(example[1])}\`.`,
    tests: [{ name: "example", parameters: EMPTY, input: example[0], output: example[1] }],
    create: () => onText(fn),
  });

const slugify = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

const stringMappers = [
  simpleString("string-upper", "String: Upper case", "Converts to upper case.", (s) => s.toUpperCase(), ["tnt", "TNT"]),
  simpleString("string-lower", "String: Lower case", "Converts to lower case.", (s) => s.toLowerCase(), ["TNT", "tnt"]),
  simpleString("string-upper-first", "String: Upper case first", "Upper-cases the first character (PHP `ucfirst`).", (s) => s.charAt(0).toUpperCase() + s.slice(1), ["red shoe", "Red shoe"]),
  simpleString("string-lower-first", "String: Lower case first", "Lower-cases the first character (PHP `lcfirst`).", (s) => s.charAt(0).toLowerCase() + s.slice(1), ["Red", "red"]),
  simpleString("string-upper-words", "String: Upper case words", "Upper-cases the first character of every word (PHP `ucwords`).", (s) => s.replace(/(^|[\s\t\r\n\f\v])(\S)/g, (_, a, b) => a + b.toUpperCase()), ["red shoe", "Red Shoe"]),
  simpleString("string-trim", "String: Trim", "Removes whitespace from both ends.", (s) => s.trim(), ["  a  ", "a"]),
  simpleString("string-slugify", "String: Slugify", "Makes a URL slug: lower case ASCII letters and digits separated by single dashes (accents removed).", slugify, ["Red Shoes & Boots – Été", "red-shoes-boots-ete"]),
];

const stringCut = mapper({
  identifier: "string-cut",
  name: "String: Cut",
  description: "A part of the string (PHP `mb_substr`).",
  parameters: z.looseObject({ start: z.coerce.number().nullish().transform((v) => v ?? 0), length: z.coerce.number().nullish() }),
  documentation: `Cuts a substring by characters (not bytes).

- \`start\` (integer, default 0): first character; negative counts from the end.
- \`length\` (integer, optional): how many characters; absent = to the end; negative stops that many from the end.

Example (templates): \`{"start":0,"length":64}\` keeps at most 64 characters.`,
  tests: [
    { name: "first 3", parameters: { start: 0, length: 3 }, input: "abcdef", output: "abc" },
    { name: "from the end", parameters: { start: -2 }, input: "abcdef", output: "ef" },
  ],
  create: ({ start, length }) =>
    onText((s) => {
      const chars = [...s];
      const from = start < 0 ? Math.max(0, chars.length + start) : start;
      const to = length === null || length === undefined ? chars.length : length < 0 ? chars.length + length : from + length;
      return chars.slice(from, Math.max(from, to)).join("");
    }),
});

const HASHES = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"];

const stringHash = mapper({
  identifier: "string-hash",
  name: "String: Hash",
  description: "Hex digest of the string (PHP `hash`).",
  parameters: z.looseObject({ algo: z.string().nullish().transform((v) => (v ?? "md5").toLowerCase()) }),
  documentation: `Hashes the value (converted to a string) and returns the lowercase hex digest.

- \`algo\` (default \`md5\`): ${HASHES.join(", ")}.

Example: \`{"algo":"md5"}\` on \`"abc"\` gives \`"900150983cd24fb0d6963f7d28e17f72"\` (templates build stable identifiers this way).`,
  tests: [{ name: "md5", parameters: { algo: "md5" }, input: "abc", output: "900150983cd24fb0d6963f7d28e17f72" }],
  create: ({ algo }) => {
    if (!HASHES.includes(algo)) throw new Error(`Unsupported hash algorithm '${algo}'. Supported: ${HASHES.join(", ")}.`);
    return (v) => createHash(algo).update(phpString(v), "utf8").digest("hex");
  },
});

// ---- formats -----------------------------------------------------------------------------------

const formatNumberSchema = z.looseObject({
  decimals: z.coerce.number().int().nullish().transform((v) => v ?? 0),
  decimalPoint: z.string().nullish().transform((v) => v ?? "."),
  thousandsSeparator: z.string().nullish(),
  thousandSeparator: z.string().nullish(),
});

/** PHP `number_format` (round half away from zero). */
export function numberFormat(n: number, decimals: number, point: string, thousands: string): string {
  const d = Math.min(20, Math.max(0, decimals));
  const factor = 10 ** d;
  // the epsilon nudge makes 1.005 round up as PHP does (PHP pre-rounds to 15 significant digits)
  const fixed = (Math.round(Math.abs(n) * factor * (1 + Number.EPSILON)) / factor).toFixed(d);
  const [int, frac] = fixed.split(".");
  const grouped = thousands ? int.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) : int;
  const sign = n < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + grouped + (frac ? point + frac : "");
}

const formatNumber = mapper({
  identifier: "format-number",
  name: "Format: Number",
  description: "Formats a number as text (PHP `number_format`).",
  parameters: formatNumberSchema,
  documentation: `Rounds to \`decimals\` (half away from zero) and writes the number as text.

- \`decimals\` (integer, default 0).
- \`decimalPoint\` (string, default ".").
- \`thousandsSeparator\` (string, default ""): \`thousandSeparator\` is accepted too.

Example (templates): price \`"12.50"\` times 100 (operator) then \`{"decimals":0,"decimalPoint":","}\` gives \`"1250"\`, then \`cast-int\` 1250.

Notes [INF]: PHP's own default thousands separator is ","; here it is "" because the templates follow
\`format-number\` with \`cast-int\`, which would read "1,250" as 1. Non-numeric input converts as \`cast-float\`.`,
  tests: [
    { name: "price in cents", parameters: { decimals: 0, decimalPoint: "," }, input: 1250.0000001, output: "1250" },
    { name: "decimals", parameters: { decimals: 2, decimalPoint: ",", thousandsSeparator: "." }, input: "1234.565", output: "1.234,57" },
  ],
  create: ({ decimals, decimalPoint, thousandsSeparator, thousandSeparator }) => {
    const thousands = thousandsSeparator ?? thousandSeparator ?? "";
    return (v) => numberFormat(phpFloat(v), decimals, decimalPoint, thousands);
  },
});

const formatDateSchema = z.looseObject({
  toFormat: z.string().nullish().transform((v) => v || "Y-m-d H:i:s"),
  fromFormat: z.string().nullish(),
  format: z.string().nullish(),
});

const formatDate = mapper({
  identifier: "format-date",
  name: "Format: Date",
  description: "Re-formats a date with a PHP date format.",
  parameters: formatDateSchema,
  documentation: `Parses the value as a date and writes it with a PHP \`date()\` format.

- \`toFormat\` (PHP format, default \`Y-m-d H:i:s\`): e.g. \`Y-m-d\`, \`d/m/Y H:i\`, \`c\`, \`U\`.
- \`fromFormat\` (PHP format, optional): how to read the value; without it ISO 8601 text
  (\`2024-05-01T10:00:00+02:00\`, \`2024-05-01 10:00:00\`), a number of seconds since 1970, or a
  relative text as PHP reads it (Alumio's docs: "tomorrow", "-3 days", "+1 week"): \`now\`, \`today\`,
  \`midnight\`, \`noon\`, \`tomorrow\`, \`yesterday\` and \`+N\`/\`-N\`/\`N ... ago\` seconds, minutes, hours,
  days, weeks, fortnights, months or years, also after an absolute date (\`2024-01-31 +1 day\`).
  An empty value is the current time (the docs' way to create a date).

Example (docs): \`{"fromFormat":"mdy","toFormat":"d-m-Y"}\` on \`"021822"\` gives \`"18-02-2022"\`.

Example: \`{"toFormat":"Y-m-d H:i:s"}\` on \`"2024-05-01T10:00:00+02:00"\` gives \`"2024-05-01 08:00:00"\`.

Notes [INF]: only \`toFormat\` appears in exports. Dates are written in UTC; text without an offset is
read as UTC. A value that cannot be read as a date is returned unchanged. Relative
texts cover the common forms only: weekday names ("Monday next week") are not read [INF].`,
  tests: [
    { name: "ISO to PHP format", parameters: { toFormat: "Y-m-d H:i:s" }, input: "2024-05-01T10:00:00+02:00", output: "2024-05-01 08:00:00" },
    { name: "from a format", parameters: { fromFormat: "d/m/Y", toFormat: "Y-m-d" }, input: "31/12/2023", output: "2023-12-31" },
  ],
  create: ({ toFormat, fromFormat, format }) => {
    const out = format && toFormat === "Y-m-d H:i:s" ? format : toFormat;
    return (v) => {
      const date = toDate(v, fromFormat ?? null);
      return date && !Number.isNaN(date.getTime()) ? formatPhpDate(date, out) : v;
    };
  },
});

// ---- operator as a data transformer ------------------------------------------------------------

const operatorTransformerSchema = z.looseObject({
  operator: z.string(),
  left: z.string(),
  right: z.string(),
  destination: z.string().nullish(),
});

/** `operator` registered as a data transformer too (prototype-frequency.md: once in data.transformers). */
export const operatorTransformer: Prototype<z.infer<typeof operatorTransformerSchema>, "data-transformer"> = {
  type: "data-transformer",
  identifier: "operator",
  name: "Operator",
  description: "Computes `left <operator> right` from two paths and writes it to a destination.",
  parameters: operatorTransformerSchema,
  documentation: `Reads two values from the data, combines them and writes the result.

- \`left\` (dot path): the first operand.
- \`right\` (dot path): the second operand.
- \`operator\`: as the \`operator\` mapper (\`addition\`, \`array-merge\`, ...).
- \`destination\` (dot path, optional): where to write; default \`left\`.

Example (templates): \`{"left":"product","right":"children","operator":"array-merge"}\` on
\`{"product":[{"sku":"a"}],"children":[{"sku":"b"}]}\` sets \`product\` to \`[{"sku":"a"},{"sku":"b"}]\`.

Notes [INF] (prototypes.md §18.16): the one template instance has no destination and removes \`right\`
afterwards, so the result replaces \`left\`. A missing operand is \`null\`.`,
  tests: [
    {
      name: "merge children into product",
      parameters: { left: "product", right: "children", operator: "array-merge" },
      input: { product: [{ sku: "a" }], children: [{ sku: "b" }] },
      output: { product: [{ sku: "a" }, { sku: "b" }], children: [{ sku: "b" }] },
    },
    { name: "sum to a destination", parameters: { left: "a", right: "b", operator: "addition", destination: "sum" }, input: { a: 1, b: "2" }, output: { a: 1, b: "2", sum: 3 } },
  ],
  create: ({ operator, left, right, destination }) => {
    applyOperator(operator, []);
    const l = parsePath(left);
    const r = parsePath(right);
    const to = parsePath(destination ?? left);
    // the result may hold parts of the data (array-merge): written as a copy
    return inPlaceTransformer((data) => setIn(data, to, cloneData(applyOperator(operator, [getPath(data, l) ?? null, getPath(data, r) ?? null]))));
  },
};

export const mappers: Prototype[] = [
  listValues,
  listKeys,
  listReverse,
  listCount,
  listImplode,
  listConcat,
  listIntersectKeys,
  listExtendWith,
  listFill,
  castInt,
  castFloat,
  castString,
  castBool,
  serializeJson,
  unserializeJson,
  deserialize,
  dictionaryMap,
  standard,
  mapperChain,
  conditionalMapper,
  operatorMapper,
  preparedOperator,
  stringReplace,
  stringAppend,
  stringPrepend,
  ...stringMappers,
  stringCut,
  stringHash,
  formatNumber,
  formatDate,
] as Prototype[];

export const prototypes: Prototype[] = [...mappers, operatorTransformer as Prototype];

