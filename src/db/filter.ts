import { and, asc, between, count, desc, eq, gt, gte, inArray, isNotNull, isNull, like, lt, lte, ne, notInArray, notLike, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";
import { ApiError, VIOLATION_TYPE, type Violation } from "../lib/errors";

/**
 * The `filter` query parameter (LoopBack-style JSON) compiled to parameterised SQL.
 * Field names are looked up in a per-resource whitelist, so neither they nor operators ever reach
 * the SQL text; values are always bound parameters.
 */
export type FieldMap = Record<string, AnyColumn | JsonArrayField>;

/** A JSON array column (labels, tags) filtered by membership: `{"label":"prod"}`, `{"label":{"inq":[...]}}`. */
export interface JsonArrayField {
  jsonArray: AnyColumn;
}

const isJsonArray = (field: AnyColumn | JsonArrayField): field is JsonArrayField => "jsonArray" in field;

/** Membership conditions over a JSON array column, through SQLite's json_each. */
function arrayCondition(field: JsonArrayField, op: Operator, value: unknown, path: string, errors: FilterErrors): SQL | undefined {
  const member = (test: SQL) => sql`exists (select 1 from json_each(${field.jsonArray}) where ${test})`;
  const v = sql.raw("value");
  switch (op) {
    case "eq":
    case "neq": {
      const one = scalar(value, path, errors);
      if (one === undefined || one === null) {
        if (one === null) errors.add(path, "Compare array members with a value, not null.");
        return undefined;
      }
      return op === "eq" ? member(sql`${v} = ${one}`) : sql`not ${member(sql`${v} = ${one}`)}`;
    }
    case "inq":
    case "nin": {
      const list = scalarList(value, path, errors);
      if (!list) return undefined;
      const test = member(sql`${v} in (${sql.join(list.map((x) => sql`${x}`), sql`, `)})`);
      return op === "inq" ? test : sql`not ${test}`;
    }
    case "like":
    case "nlike": {
      const pattern = scalar(value, path, errors);
      if (typeof pattern !== "string") {
        errors.add(path, `'${op}' needs a string pattern.`);
        return undefined;
      }
      const test = member(sql`${v} like ${pattern}`);
      return op === "like" ? test : sql`not ${test}`;
    }
    default:
      errors.add(path, `'${op}' does not apply to a list field; use eq, neq, inq, nin, like or nlike.`);
      return undefined;
  }
}

export interface CompiledFilter {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

const OPERATORS = ["eq", "neq", "gt", "gte", "lt", "lte", "inq", "nin", "like", "nlike", "between"] as const;
type Operator = (typeof OPERATORS)[number];
type Scalar = string | number | null;

class FilterErrors {
  readonly violations: Violation[] = [];
  add(propertyPath: string, title: string) {
    this.violations.push({ propertyPath, title, type: VIOLATION_TYPE });
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function scalar(value: unknown, path: string, errors: FilterErrors): Scalar | undefined {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  errors.add(path, "Expected a string, number, boolean or null.");
  return undefined;
}

function scalarList(value: unknown, path: string, errors: FilterErrors, exactly?: number): Scalar[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || (exactly !== undefined && value.length !== exactly)) {
    errors.add(path, exactly ? `Expected an array of ${exactly} values.` : "Expected a non-empty array.");
    return undefined;
  }
  const out = value.map((v, i) => scalar(v, `${path}[${i}]`, errors));
  return out.some((v) => v === undefined) ? undefined : (out as Scalar[]);
}

function condition(column: AnyColumn, op: Operator, value: unknown, path: string, errors: FilterErrors): SQL | undefined {
  if (op === "inq" || op === "nin") {
    const list = scalarList(value, path, errors);
    if (!list) return undefined;
    return op === "inq" ? inArray(column, list) : notInArray(column, list);
  }
  if (op === "between") {
    const list = scalarList(value, path, errors, 2);
    return list ? between(column, list[0], list[1]) : undefined;
  }
  const v = scalar(value, path, errors);
  if (v === undefined) return undefined;
  if (v === null) {
    if (op === "eq") return isNull(column);
    if (op === "neq") return isNotNull(column);
    errors.add(path, `'${op}' cannot compare with null.`);
    return undefined;
  }
  switch (op) {
    case "eq":
      return eq(column, v);
    case "neq":
      return ne(column, v);
    case "gt":
      return gt(column, v);
    case "gte":
      return gte(column, v);
    case "lt":
      return lt(column, v);
    case "lte":
      return lte(column, v);
    case "like":
    case "nlike": {
      if (typeof v !== "string") {
        errors.add(path, `'${op}' needs a string pattern.`);
        return undefined;
      }
      return op === "like" ? like(column, v) : notLike(column, v);
    }
  }
}

function compileWhere(where: unknown, fields: FieldMap, path: string, errors: FilterErrors): SQL | undefined {
  if (!isPlainObject(where)) {
    errors.add(path, "Expected an object of field conditions.");
    return undefined;
  }
  const parts: (SQL | undefined)[] = [];
  for (const [key, value] of Object.entries(where)) {
    const here = `${path}.${key}`;
    if (key === "and" || key === "or") {
      if (!Array.isArray(value) || value.length === 0) {
        errors.add(here, `'${key}' needs a non-empty array of conditions.`);
        continue;
      }
      const subs = value.map((sub, i) => compileWhere(sub, fields, `${here}[${i}]`, errors));
      parts.push(key === "and" ? and(...subs) : or(...subs));
      continue;
    }
    const column = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!column) {
      errors.add(here, `Unknown field '${key}'. Filterable fields: ${Object.keys(fields).join(", ")}.`);
      continue;
    }
    if (isPlainObject(value)) {
      const ops = Object.entries(value);
      if (ops.length === 0) errors.add(here, "Expected at least one operator.");
      for (const [op, operand] of ops) {
        if (!(OPERATORS as readonly string[]).includes(op)) {
          errors.add(`${here}.${op}`, `Unknown operator '${op}'. Operators: ${OPERATORS.join(", ")}.`);
          continue;
        }
        parts.push(isJsonArray(column) ? arrayCondition(column, op as Operator, operand, `${here}.${op}`, errors) : condition(column, op as Operator, operand, `${here}.${op}`, errors));
      }
    } else {
      parts.push(isJsonArray(column) ? arrayCondition(column, "eq", value, here, errors) : condition(column, "eq", value, here, errors));
    }
  }
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? and(...present) : undefined;
}

function compileOrder(order: unknown, fields: FieldMap, errors: FilterErrors): SQL[] {
  const items = typeof order === "string" ? order.split(",") : Array.isArray(order) ? order : null;
  if (!items) {
    errors.add("filter.order", "Expected 'field asc|desc' or an array of those.");
    return [];
  }
  const out: SQL[] = [];
  items.forEach((item, i) => {
    const path = Array.isArray(order) ? `filter.order[${i}]` : "filter.order";
    const m = typeof item === "string" ? /^\s*([A-Za-z0-9_.]+)(?:\s+(asc|desc))?\s*$/i.exec(item) : null;
    if (!m) {
      errors.add(path, "Expected 'field asc|desc'.");
      return;
    }
    const column = Object.hasOwn(fields, m[1]) ? fields[m[1]] : undefined;
    if (!column || isJsonArray(column)) {
      errors.add(path, `Unknown or unsortable field '${m[1]}'. Sortable fields: ${Object.entries(fields).filter(([, f]) => !isJsonArray(f)).map(([k]) => k).join(", ")}.`);
      return;
    }
    out.push(m[2]?.toLowerCase() === "desc" ? desc(column) : asc(column));
  });
  return out;
}

function nonNegativeInteger(value: unknown, path: string, errors: FilterErrors): number | undefined {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    errors.add(path, "Expected a non-negative integer.");
    return undefined;
  }
  return n;
}

/** Parses and compiles `filter`; throws a 400 with one violation per problem. */
export function compileFilter(
  raw: string | Record<string, unknown> | undefined,
  fields: FieldMap,
  defaults: { order?: SQL[]; limit?: number } = {},
): CompiledFilter {
  const errors = new FilterErrors();
  let filter: unknown = raw ?? {};
  if (typeof raw === "string") {
    try {
      filter = raw.trim() === "" ? {} : JSON.parse(raw);
    } catch {
      throw ApiError.invalid("filter", "The filter is not valid JSON.");
    }
  }
  if (!isPlainObject(filter)) throw ApiError.invalid("filter", "The filter must be a JSON object.");

  let where: SQL | undefined;
  let orderBy = defaults.order ?? [];
  let limit = defaults.limit ?? DEFAULT_LIMIT;
  let offset = 0;
  for (const [key, value] of Object.entries(filter)) {
    switch (key) {
      case "where":
        where = compileWhere(value, fields, "filter.where", errors);
        break;
      case "order":
        orderBy = compileOrder(value, fields, errors);
        break;
      case "limit": {
        const n = nonNegativeInteger(value, "filter.limit", errors);
        if (n !== undefined && n > MAX_LIMIT) errors.add("filter.limit", `The limit is at most ${MAX_LIMIT}.`);
        else if (n !== undefined) limit = n;
        break;
      }
      case "skip":
      case "offset": {
        const n = nonNegativeInteger(value, `filter.${key}`, errors);
        if (n !== undefined) offset = n;
        break;
      }
      default:
        errors.add(`filter.${key}`, `Unknown filter key '${key}'. Keys: where, order, limit, skip.`);
    }
  }
  if (errors.violations.length) throw new ApiError(400, "The filter is invalid.", { violations: errors.violations });
  return { where, orderBy, limit, offset };
}

/** Combines the mandatory scope (e.g. the space) with the filter's own conditions. */
export function scoped(scope: SQL | undefined, filter: CompiledFilter): SQL | undefined {
  return scope && filter.where ? and(scope, filter.where) : (scope ?? filter.where);
}


/**
 * One page of `table` under `scope` (the space, the user...) and the filter, with the total count
 * of matches, in one D1 round trip.
 */
export async function findPage<T extends SQLiteTable>(
  db: Database,
  table: T,
  filter: CompiledFilter,
  scope?: SQL,
): Promise<{ totalCount: number; rows: T["$inferSelect"][] }> {
  const where = scoped(scope, filter);
  const [rows, totals] = await db.batch([
    db.select().from(table as SQLiteTable).where(where).orderBy(...filter.orderBy).limit(filter.limit).offset(filter.offset),
    db.select({ n: count() }).from(table as SQLiteTable).where(where),
  ]);
  return { totalCount: totals[0]?.n ?? 0, rows: rows as T["$inferSelect"][] };
}
