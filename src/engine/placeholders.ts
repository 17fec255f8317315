/**
 * Placeholders (prototypes.md §3): values interpolated into configuration strings at run time.
 *
 * - `&{expr}`  JMESPath `expr` against the current data. `&{@}` is the whole data.
 * - `?{expr}`  the same, but a failing expression gives null instead of an error.
 * - `${NAME}`  an environment variable (`run.variables`).
 * - `@{globals.x}` / `@{scope.x}`  process variables (`run.globals`, `run.scope`), as JMESPath
 *   over `{globals, scope}`.
 *
 * Choices [INF] (prototypes.md §3.1, §18):
 * - A missing path is not an error: `&{a.b}` on data without `a.b` gives null (JMESPath's own
 *   answer), so the templates' `&{x || \`default\`}` idiom works and a lone missing placeholder
 *   yields null. Only an expression that cannot be parsed or evaluated (syntax error, a function
 *   applied to the wrong type) throws for `&{}`; `?{}` and `@{}` give null then.
 * - A string that is exactly one placeholder keeps the value's type (object, list, number, bool,
 *   null). Embedded in a longer string: null -> "", strings as is, integers in full, fractions
 *   as PHP writes a float (14 significant digits: a computed 0.1 + 0.2 reads "0.3"), booleans
 *   "true"/"false", objects and lists as JSON.
 * - An unknown `${NAME}` is left as written, so the failure is visible where it is used.
 * - JMESPath dialect: the `jmespath` package already reads a back-tick literal that is not JSON
 *   as a raw string (`` `approved` ``, `` `` `` = ""), like jmespath.php. Alumio's dot-numeric
 *   paths (`products.0.sku`) are rewritten to `products[0].sku` when the expression is not
 *   valid JMESPath as written. Plain paths follow PHP array semantics (a list is an object keyed
 *   "0".."n-1"), and `sort()` compares numbers as numbers (jmespath.js compares them as strings).
 * - Objects and lists are expanded leaf by leaf; object keys holding placeholders are expanded
 *   too (to strings). Parts without placeholders are returned as they are (shared, not copied):
 *   callers must not mutate what `expand` returns in place.
 */
import * as jmespath from "jmespath";
import { arrayIndex, isRecord } from "./paths";
import { after, cloneData } from "./steps";
import type { MaybePromise, RunContext } from "./types";

// `compile` exists in the package but is missing from its type declarations.
const { compile, search } = jmespath as unknown as { compile(expr: string): unknown; search(data: unknown, expr: string): unknown };

type Kind = "&" | "?" | "$" | "@";
type Part = string | { kind: Kind; expr: string; raw: string };

const CACHE_LIMIT = 10_000;
const expressions = new Map<string, (data: unknown) => unknown>();

// ---- JMESPath ---------------------------------------------------------------------------------

/** Evaluates a JMESPath expression (Alumio dialect) against `data`; throws on invalid expressions. */
export function evaluate(expr: string, data: unknown): unknown {
  return expression(expr)(data);
}

/** The compiled evaluator of an expression (cached); a missing result is null. */
function expression(expr: string): (data: unknown) => unknown {
  let fn = expressions.get(expr);
  if (!fn) {
    const compiled = compileExpression(expr);
    fn = (data) => {
      const result = compiled(data);
      return result === undefined ? null : result;
    };
    if (expressions.size >= CACHE_LIMIT) expressions.clear();
    expressions.set(expr, fn);
  }
  return fn;
}

type Ast = { type: string; name?: string; value?: unknown; children?: Ast[] };

function compileExpression(expr: string): (data: unknown) => unknown {
  let source = expr;
  let ast: Ast;
  try {
    ast = compile(source) as unknown as Ast;
  } catch (error) {
    const rewritten = rewriteDotNumeric(expr);
    try {
      if (rewritten === expr) throw error;
      source = rewritten;
      ast = compile(source) as unknown as Ast;
    } catch {
      const message = `Invalid expression '${expr}': ${error instanceof Error ? error.message : String(error)}`;
      return () => {
        throw new Error(message);
      };
    }
  }
  // jmespath.js sorts numbers as strings (`sort([10,6,8])` gives `[10,6,8]`): `sort(x)` is run as
  // the equivalent `sort_by(x, &@)`, which compares numbers as numbers.
  if (source.includes("sort")) {
    const sorted = rewriteSort(source);
    if (sorted !== source) {
      try {
        compile(sorted);
        source = sorted;
      } catch {
        // keep the expression as written
      }
    }
  }
  // The package exports no interpreter for a compiled AST; plain paths (most placeholders) are
  // evaluated here from the AST, anything else through `search` (which parses again).
  return simple(ast) ?? ((data) => search(data, source));
}

/** `sort(x)` -> `sort_by(x, &@)` outside quoted identifiers, raw strings and literals. */
function rewriteSort(expr: string): string {
  return rewriteOutsideQuotes(expr, (i) => {
    const call = /^sort\s*\(/.exec(expr.slice(i, i + 64));
    if (!call || (i > 0 && /[A-Za-z0-9_]/.test(expr[i - 1]))) return null;
    const open = i + call[0].length;
    const close = closing(expr, open, "(", ")");
    return close > 0 ? [`sort_by(${rewriteSort(expr.slice(open, close))}, &@)`, close + 1] : null;
  });
}

/** JMESPath falsiness: null, false, "", [] and {}. */
const isFalse = (v: unknown) =>
  v === null || v === undefined || v === false || v === "" || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

/** A direct evaluator for the AST nodes of plain paths, with JMESPath semantics; null when the AST has others. */
function simple(ast: Ast): ((data: unknown) => unknown) | null {
  switch (ast.type) {
    case "Current":
    case "Identity":
      return (d) => d;
    case "Literal": {
      const value = ast.value;
      return () => value;
    }
    // PHP arrays (what Alumio's jmespath.php sees) do not tell a list from an object keyed
    // "0".."n-1": a numeric field reads a list element (`items."0"`) and an index reads such a key
    // (`labels.1` / `labels[1]` on `{"1": ...}`). Only here, for plain paths.
    case "Field": {
      const name = ast.name!;
      const index = arrayIndex(name);
      return (d) =>
        isRecord(d) ? (Object.prototype.hasOwnProperty.call(d, name) ? d[name] : null) : index !== null && Array.isArray(d) ? (d[index] ?? null) : null;
    }
    case "Index": {
      const i = ast.value as number;
      const key = String(i);
      return (d) =>
        Array.isArray(d) ? (d[i < 0 ? d.length + i : i] ?? null) : i >= 0 && isRecord(d) && Object.prototype.hasOwnProperty.call(d, key) ? d[key] : null;
    }
    case "Subexpression":
    case "IndexExpression": {
      const [l, r] = ast.children!.map(simple);
      if (!l || !r) return null;
      return (d) => r(l(d));
    }
    case "OrExpression": {
      const [l, r] = ast.children!.map(simple);
      if (!l || !r) return null;
      return (d) => {
        const left = l(d);
        return isFalse(left) ? r(d) : left;
      };
    }
    default:
      return null;
  }
}

/** `a.0.b` -> `a[0].b` outside quoted identifiers, raw strings and literals. */
function rewriteDotNumeric(expr: string): string {
  return rewriteOutsideQuotes(expr, (i) => {
    const atStart = i === 0 || /[\s(,|&{[]/.test(expr[i - 1]);
    const m = /^(\.|)(\d+)(?=$|[.[\s|&}),])/.exec(expr.slice(i));
    return m && (m[1] === "." || (atStart && expr[i + m[0].length] === ".")) ? [`[${m[2]}]`, i + m[0].length] : null;
  });
}

/**
 * Rewrites a JMESPath expression outside quoted identifiers, raw strings and literals: `at(i)`
 * gives the text replacing what starts at `i` and the index after it, or null to keep the character.
 */
function rewriteOutsideQuotes(expr: string, at: (i: number) => [string, number] | null): string {
  let out = "";
  for (let i = 0; i < expr.length; ) {
    if (expr[i] === '"' || expr[i] === "'" || expr[i] === "`") {
      const end = skipQuoted(expr, i);
      out += expr.slice(i, end);
      i = end;
      continue;
    }
    const replaced = at(i);
    if (replaced) [out, i] = [out + replaced[0], replaced[1]];
    else out += expr[i++];
  }
  return out;
}

/** Index just past the quoted run starting at `start` (backslash escapes honoured). */
function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}

// ---- templates --------------------------------------------------------------------------------

/** Whether a string holds any placeholder. */
export function hasPlaceholders(text: string): boolean {
  return compileTemplate(text).render !== null;
}

/** Splits a string into literal text and placeholders; null when it has none (compiled templates cache the result). */
function parseTemplate(text: string): Part[] | null {
  let parts: Part[] | null = null;
  if (text.includes("{")) {
    const found: Part[] = [];
    let literal = "";
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if ((c === "&" || c === "?" || c === "$" || c === "@") && text[i + 1] === "{") {
        const end = closing(text, i + 2);
        const expr = end < 0 ? "" : text.slice(i + 2, end);
        // `${...}` only for variable names, so literal `{}` and JavaScript template strings stay text.
        if (end >= 0 && (c !== "$" || /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(expr))) {
          if (literal) found.push(literal);
          literal = "";
          found.push({ kind: c, expr: expr.trim(), raw: text.slice(i, end + 1) });
          i = end + 1;
          continue;
        }
      }
      literal += c;
      i++;
    }
    if (literal) found.push(literal);
    if (found.some((p) => typeof p !== "string")) parts = found;
  }
  return parts;
}

/** The `close` (`}` of a placeholder, `)` of a call) matching an `open` before `from`: nested pairs and quoted runs are skipped; -1 when none. */
function closing(text: string, from: number, open = "{", close = "}"): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") i = skipQuoted(text, i) - 1;
    else if (c === open) depth++;
    else if (c === close) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** How a value reads inside a longer string. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  // an integer PHP holds as an int (below PHP_INT_MAX) prints all its digits
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 9.2e18 ? String(value) : phpFloat(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/**
 * A fractional number as PHP's string conversion writes it [INF]: 14 significant digits
 * (`precision`), so a computed `0.1 + 0.2` reads `0.3`, with an exponent from 1e-5 down or 1e14 up
 * (`1.0E-5`, `1.5E+14`).
 */
function phpFloat(value: number): string {
  if (!Number.isFinite(value)) return value !== value ? "NAN" : value > 0 ? "INF" : "-INF";
  const [mantissa, power] = value.toExponential(13).split("e");
  const exponent = Number(power);
  if (exponent < -4 || exponent >= 14) {
    const digits = mantissa.replace(/\.?0+$/, "");
    return `${digits.includes(".") ? digits : `${digits}.0`}E${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
  }
  return String(Number(value.toPrecision(14)));
}

interface Scope {
  data: unknown;
  run: RunContext;
  variables: Map<string, string | undefined>;
  /** Render a value that shares nothing with the data or the configuration (see `expandCopy`). */
  copy: boolean;
}

/** How one placeholder resolves against a scope. */
function resolver(part: Exclude<Part, string>): (scope: Scope) => unknown {
  switch (part.kind) {
    case "&": {
      const evaluate = expression(part.expr);
      return (scope) => {
        try {
          return evaluate(scope.data);
        } catch (error) {
          throw new Error(`Placeholder ${part.raw}: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
    }
    case "?": {
      const evaluate = expression(part.expr);
      return (scope) => {
        try {
          return evaluate(scope.data);
        } catch {
          return null;
        }
      };
    }
    case "@": {
      const evaluate = expression(part.expr);
      return (scope) => {
        try {
          return evaluate({ globals: scope.run.globals ?? {}, scope: scope.run.scope ?? {} });
        } catch {
          return null;
        }
      };
    }
    case "$":
      return (scope) => {
        const value = scope.variables.get(part.expr);
        return value === undefined ? part.raw : value;
      };
  }
}

/**
 * A configured value compiled once, since the same configuration serves every entity: `render`
 * builds the expanded value (null when nothing inside has a placeholder: the value is used as it
 * is); `variables` lists every `${NAME}` inside, fetched once before rendering.
 */
interface Template {
  render: ((scope: Scope) => unknown) | null;
  variables: string[];
}

const STATIC: Template = { render: null, variables: [] };
const compiledStrings = new Map<string, Template>();
const compiledObjects = new WeakMap<object, Template>();

function compileTemplate(value: unknown): Template {
  if (typeof value === "string") {
    let template = compiledStrings.get(value);
    if (!template) {
      template = compileString(value);
      if (compiledStrings.size >= CACHE_LIMIT) compiledStrings.clear();
      compiledStrings.set(value, template);
    }
    return template;
  }
  if (typeof value !== "object" || value === null) return STATIC;
  let template = compiledObjects.get(value);
  if (!template) {
    template = Array.isArray(value) ? compileList(value) : compileObject(value as Record<string, unknown>);
    compiledObjects.set(value, template);
  }
  return template;
}

function compileString(text: string): Template {
  const parts = parseTemplate(text);
  if (!parts) return STATIC;
  const variables = parts.flatMap((p) => (typeof p !== "string" && p.kind === "$" ? [p.expr] : []));
  const pieces = parts.map((p) => (typeof p === "string" ? p : resolver(p)));
  // exactly one placeholder: the value keeps its type (and may be a part of the data)
  if (pieces.length === 1) {
    const resolve = pieces[0] as (scope: Scope) => unknown;
    return { render: (scope) => (scope.copy ? cloneData(resolve(scope)) : resolve(scope)), variables };
  }
  return {
    render: (scope) => {
      let out = "";
      for (const piece of pieces) out += typeof piece === "string" ? piece : stringify(piece(scope));
      return out;
    },
    variables,
  };
}

const variablesOf = (templates: Template[]) => [...new Set(templates.flatMap((t) => t.variables))];

function compileList(list: unknown[]): Template {
  const items = list.map(compileTemplate);
  if (items.every((t) => t.render === null)) return STATIC;
  return {
    render: (scope) => {
      const out = list.slice();
      for (let i = 0; i < items.length; i++) {
        const render = items[i].render;
        if (render) out[i] = render(scope);
        else if (scope.copy) out[i] = cloneData(out[i]);
      }
      return out;
    },
    variables: variablesOf(items),
  };
}

function compileObject(object: Record<string, unknown>): Template {
  const entries = Object.keys(object).map((key) => ({ key, name: compileString(key), value: compileTemplate(object[key]) }));
  if (entries.every((e) => e.name.render === null && e.value.render === null)) return STATIC;
  return {
    render: (scope) => {
      const out: Record<string, unknown> = {};
      for (const { key, name, value } of entries) {
        const rendered = value.render ? value.render(scope) : scope.copy ? cloneData(object[key]) : object[key];
        const k = name.render ? stringify(name.render(scope)) : key;
        if (k === "__proto__") Object.defineProperty(out, k, { value: rendered, enumerable: true, writable: true, configurable: true });
        else out[k] = rendered;
      }
      return out;
    },
    variables: variablesOf(entries.flatMap((e) => [e.name, e.value])),
  };
}

/**
 * Renders a value against `data`: compiled once, synchronous unless `${NAME}` variables must be
 * fetched. With `copy`, the result shares nothing with `data` or `value`.
 */
function render(value: unknown, data: unknown, run: RunContext, copy: boolean): MaybePromise<unknown> {
  const template = compileTemplate(value);
  if (!template.render) return copy ? cloneData(value) : value;
  if (template.variables.length === 0) return template.render({ data, run, variables: NO_VARIABLES, copy });
  return scopeFor(template.variables, run).then((variables) => template.render!({ data, run, variables, copy }));
}

async function scopeFor(names: string[], run: RunContext): Promise<Map<string, string | undefined>> {
  const values = new Map<string, string | undefined>();
  for (const name of names) values.set(name, await run.variables.get(name));
  return values;
}

const NO_VARIABLES = new Map<string, string | undefined>();

/**
 * Resolves every placeholder in `value` (a string, or any JSON value, leaf by leaf) against
 * `data`. A string that is exactly one placeholder becomes the value itself. Objects are
 * analysed once and remembered by identity (they are configuration values): do not mutate an
 * object after passing it here. Without placeholders the value itself comes back.
 */
export function expand(value: unknown, data: unknown, run: RunContext): MaybePromise<unknown> {
  return render(value, data, run, false);
}

/** `expand`, for a value written into data that changes in place: the result shares nothing with `data` or `value`. */
export function expandCopy(value: unknown, data: unknown, run: RunContext): MaybePromise<unknown> {
  return render(value, data, run, true);
}

/** Resolves placeholders in a key or path (`variants.&{variant.code}`): always a string. */
export function expandKey(key: string, data: unknown, run: RunContext): MaybePromise<string> {
  return after(render(key, data, run, false), stringify);
}
