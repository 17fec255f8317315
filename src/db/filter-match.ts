import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ApiError, VIOLATION_TYPE, type Violation } from "../lib/errors";
import { compileFilter, DEFAULT_LIMIT, isPlainObject, type FieldMap } from "./filter";

/**
 * The same `filter` grammar as `compileFilter`, evaluated in memory over plain rows (for data that
 * does not live in D1, such as storage entities listed from R2).
 *
 * Validation is not repeated here: the filter first goes through `compileFilter` against
 * stand-in columns of the same names, so the accepted grammar, the operator list and every
 * violation are exactly the SQL compiler's. Only a filter that compiled is then interpreted.
 * Comparison follows SQLite's column affinity: values compared with a `text` field are compared as
 * strings, with a `number` field as numbers; `like` is SQLite's (`%`, `_`, ASCII case-insensitive).
 */
export type FieldType = "text" | "number";
export type Row = Record<string, string | number | null | undefined>;

export interface OrderTerm {
  field: string;
  desc: boolean;
}

export interface MatchFilter {
  /** Does the row satisfy `where`? */
  matches(row: Row): boolean;
  /** The order (the filter's, else the default), always ending with the tie-breaker key. */
  order: OrderTerm[];
  compare(a: Row, b: Row): number;
  limit: number;
  offset: number;
  /** Which top-level keys the filter gave explicitly. */
  given: { where: boolean; order: boolean; limit: boolean; skip: boolean };
  /** Extension keys (see `options.extensions`), removed before validation. */
  extensions: Record<string, unknown>;
}

export interface MatchOptions {
  /** The unique field that breaks ties, so the order (and a cursor over it) is total. */
  key: string;
  defaultOrder?: OrderTerm[];
  defaultLimit?: number;
  /** Top-level keys this resource adds to the grammar (e.g. a cursor); validated by the caller. */
  extensions?: string[];
}


const standInColumns = new Map<string, FieldMap>();

/** Drizzle columns with the fields' names, so `compileFilter` can check a filter for us. */
function standIns(fields: Record<string, FieldType>): FieldMap {
  const id = JSON.stringify(fields);
  let map = standInColumns.get(id);
  if (!map) {
    const table = sqliteTable(
      "in_memory",
      Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, type === "number" ? integer(name) : text(name)])),
    );
    map = Object.fromEntries(Object.keys(fields).map((name) => [name, (table as unknown as FieldMap)[name]]));
    standInColumns.set(id, map);
  }
  return map;
}

/** Parses `raw` like compileFilter does (same errors), and splits off extension keys. */
function parse(raw: string | Record<string, unknown> | undefined, extensions: string[]): { filter: Record<string, unknown>; extra: Record<string, unknown> } {
  let filter: unknown = raw ?? {};
  if (typeof raw === "string") {
    try {
      filter = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch {
      filter = undefined;
    }
  }
  // Let the SQL compiler produce its own error for anything that is not a JSON object.
  if (!isPlainObject(filter)) {
    compileFilter(typeof raw === "string" ? raw : (raw as never), {});
    throw ApiError.invalid("filter", "The filter must be a JSON object.");
  }
  const extra: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) (extensions.includes(k) ? extra : rest)[k] = v;
  return { filter: rest, extra };
}

function coerce(value: unknown, type: FieldType): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") value = value ? 1 : 0;
  if (type === "text") return String(value);
  if (typeof value === "number") return value;
  const n = Number(value);
  return typeof value === "string" && value.trim() !== "" && Number.isFinite(n) ? n : String(value);
}

function cmp(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  // SQLite: numbers sort before text.
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

function likeRegExp(pattern: string): RegExp {
  let source = "";
  for (const ch of asciiLower(pattern)) {
    if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}

type Predicate = (row: Row) => boolean;

function condition(field: string, type: FieldType, op: string, operand: unknown): Predicate {
  const get = (row: Row) => coerce(row[field], type);
  switch (op) {
    case "inq":
    case "nin": {
      const list = (operand as unknown[]).map((v) => coerce(v, type));
      return (row) => {
        const v = get(row);
        if (v === null) return false;
        const found = list.some((x) => x !== null && cmp(v, x) === 0);
        return op === "inq" ? found : !found;
      };
    }
    case "between": {
      const [lo, hi] = (operand as unknown[]).map((v) => coerce(v, type));
      return (row) => {
        const v = get(row);
        return v !== null && lo !== null && hi !== null && cmp(v, lo) >= 0 && cmp(v, hi) <= 0;
      };
    }
    case "like":
    case "nlike": {
      const re = likeRegExp(operand as string);
      return (row) => {
        const v = get(row);
        if (v === null) return false;
        const hit = re.test(asciiLower(String(v)));
        return op === "like" ? hit : !hit;
      };
    }
  }
  const x = coerce(operand, type);
  if (x === null) return op === "eq" ? (row) => get(row) === null : (row) => get(row) !== null;
  return (row) => {
    const v = get(row);
    if (v === null) return false;
    const c = cmp(v, x);
    switch (op) {
      case "eq":
        return c === 0;
      case "neq":
        return c !== 0;
      case "gt":
        return c > 0;
      case "gte":
        return c >= 0;
      case "lt":
        return c < 0;
      default:
        return c <= 0;
    }
  };
}

function where(clause: Record<string, unknown>, fields: Record<string, FieldType>): Predicate {
  const parts: Predicate[] = [];
  for (const [key, value] of Object.entries(clause)) {
    if (key === "and" || key === "or") {
      const subs = (value as Record<string, unknown>[]).map((sub) => where(sub, fields));
      parts.push(key === "and" ? (row) => subs.every((p) => p(row)) : (row) => subs.some((p) => p(row)));
    } else if (isPlainObject(value)) {
      for (const [op, operand] of Object.entries(value)) parts.push(condition(key, fields[key], op, operand));
    } else {
      parts.push(condition(key, fields[key], "eq", value));
    }
  }
  return (row) => parts.every((p) => p(row));
}

function order(raw: unknown): OrderTerm[] {
  const items = typeof raw === "string" ? raw.split(",") : (raw as string[]);
  return items.map((item) => {
    const m = /^\s*([A-Za-z0-9_.]+)(?:\s+(asc|desc))?\s*$/i.exec(item)!;
    return { field: m[1], desc: m[2]?.toLowerCase() === "desc" };
  });
}

/** Compares two rows by `terms` (field values coerced to the fields' types). */
export function compareRows(terms: OrderTerm[], fields: Record<string, FieldType>, a: Row, b: Row): number {
  for (const { field, desc } of terms) {
    const x = coerce(a[field], fields[field]);
    const y = coerce(b[field], fields[field]);
    // SQLite: NULL sorts first ascending.
    const c = x === null ? (y === null ? 0 : -1) : y === null ? 1 : cmp(x, y);
    if (c !== 0) return desc ? -c : c;
  }
  return 0;
}

/**
 * Checks `raw` with compileFilter (a 400 with violations, exactly as for D1 resources) and returns
 * an in-memory evaluator for it. `extraViolations` lets the caller add problems with its extension
 * keys, so every problem is reported in one answer.
 */
export function compileMatcher(
  raw: string | Record<string, unknown> | undefined,
  fields: Record<string, FieldType>,
  options: MatchOptions,
  validateExtensions?: (extra: Record<string, unknown>) => Violation[],
): MatchFilter {
  const { filter, extra } = parse(raw, options.extensions ?? []);
  const extraViolations = validateExtensions?.(extra) ?? [];
  try {
    compileFilter(filter, standIns(fields));
  } catch (error) {
    if (error instanceof ApiError && extraViolations.length) {
      throw new ApiError(400, error.message, { violations: [...error.violations, ...extraViolations] });
    }
    throw error;
  }
  if (extraViolations.length) throw new ApiError(400, "The filter is invalid.", { violations: extraViolations });

  const terms = Object.hasOwn(filter, "order") ? order(filter.order) : (options.defaultOrder ?? []);
  const full = terms.some((t) => t.field === options.key) ? terms : [...terms, { field: options.key, desc: false }];
  const predicate = isPlainObject(filter.where) ? where(filter.where, fields) : () => true;
  const int = (v: unknown) => (typeof v === "string" ? Number(v) : (v as number));
  const skip = filter.skip ?? filter.offset;
  return {
    matches: predicate,
    order: full,
    compare: (a, b) => compareRows(full, fields, a, b),
    limit: filter.limit === undefined ? (options.defaultLimit ?? DEFAULT_LIMIT) : int(filter.limit),
    offset: skip === undefined ? 0 : int(skip),
    given: {
      where: Object.hasOwn(filter, "where"),
      order: Object.hasOwn(filter, "order"),
      limit: Object.hasOwn(filter, "limit"),
      skip: skip !== undefined,
    },
    extensions: extra,
  };
}

export function violation(propertyPath: string, title: string): Violation {
  return { propertyPath, title, type: VIOLATION_TYPE };
}
