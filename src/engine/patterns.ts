/**
 * Alumio patterns (prototypes.md §3.7): a dot path whose unquoted segments are globs over object
 * keys and list indexes: `*` any key (one level), `?` one character, `[abc]` one of the characters.
 * Double-quoted segments are literal keys. Every `*` is a capture, referenced as `$1..$n` in
 * replacements (`fillCaptures`). `""` addresses the root itself.
 */
import { arrayIndex, child, formatPath, isRecord } from "./paths";

type Segment = { literal: string } | { regex: RegExp; captures: number };

export interface PatternMatch {
  /** Segments from the root; numbers for list indexes. */
  path: (string | number)[];
  /** The matched path as a dot path (segments holding dots or quotes are double-quoted). */
  key: string;
  value: unknown;
  /** What each `*` matched, in order. */
  captures: string[];
}

const compiled = new Map<string, Segment[]>();
const CACHE_LIMIT = 5_000;

/** Whether a pattern has any wildcard (brancher requires one; deserializer item patterns have none). */
export function hasWildcard(pattern: string): boolean {
  return compilePattern(pattern).some((s) => "regex" in s);
}

export function compilePattern(pattern: string): Segment[] {
  let segments = compiled.get(pattern);
  if (segments) return segments;
  segments = [];
  if (pattern !== "") {
    // Split on dots outside quotes, remembering which segments were quoted (those are literal).
    let current = "";
    let quoted = false;
    let wasQuoted = false;
    const push = () => {
      segments!.push(wasQuoted ? { literal: current } : globSegment(current));
      current = "";
      wasQuoted = false;
    };
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (quoted) {
        if (c === "\\" && (pattern[i + 1] === '"' || pattern[i + 1] === "\\")) current += pattern[++i];
        else if (c === '"') quoted = false;
        else current += c;
      } else if (c === '"') quoted = wasQuoted = true;
      else if (c === ".") push();
      else current += c;
    }
    push();
  }
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(pattern, segments);
  return segments;
}

/** An unquoted segment: a literal unless it holds glob characters. */
function globSegment(text: string): Segment {
  if (!/[*?[]/.test(text)) return { literal: text };
  let source = "";
  let captures = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "*") {
      source += "(.*)";
      captures++;
    } else if (c === "?") source += ".";
    else if (c === "[") {
      const end = text.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        const body = text.slice(i + 1, end);
        // fnmatch negation `[!abc]` -> regex `[^abc]`
        source += `[${body.startsWith("!") ? "^" + escapeClass(body.slice(1)) : escapeClass(body)}]`;
        i = end;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return { regex: new RegExp(`^${source}$`, "s"), captures };
}

const escapeClass = (body: string) => body.replace(/[\\\]^]/g, "\\$&");

/** Every location in `data` the pattern matches, in document order. */
export function matchPattern(data: unknown, pattern: string): PatternMatch[] {
  const segments = compilePattern(pattern);
  const out: PatternMatch[] = [];
  const walk = (value: unknown, depth: number, path: (string | number)[], captures: string[]) => {
    if (depth === segments.length) {
      out.push({ path, key: formatPath(path), value, captures });
      return;
    }
    const segment = segments[depth];
    if ("literal" in segment) {
      const next = child(value, segment.literal);
      if (next === undefined) return;
      const step = Array.isArray(value) ? arrayIndex(segment.literal)! : segment.literal;
      walk(next, depth + 1, [...path, step], captures);
      return;
    }
    const visit = (key: string, step: string | number, next: unknown) => {
      const m = segment.regex.exec(key);
      if (!m) return;
      walk(next, depth + 1, [...path, step], segment.captures ? [...captures, ...m.slice(1)] : captures);
    };
    if (Array.isArray(value)) value.forEach((next, i) => visit(String(i), i, next));
    else if (isRecord(value)) for (const key of Object.keys(value)) visit(key, key, value[key]);
  };
  walk(data, 0, [], []);
  return out;
}

/**
 * Replaces `$1..$n` in a replacement path with the captures (`values.$1$2`, `customAttributes.$1.$1`).
 * A reference beyond the captures is left as written.
 */
export function fillCaptures(template: string, captures: string[]): string {
  if (!template.includes("$")) return template;
  return template.replace(/\$(\d+)/g, (whole, digits: string) => {
    // `$12` with fewer than 12 captures: read `$1` followed by the literal `2`.
    for (let len = digits.length; len > 0; len--) {
      const n = Number(digits.slice(0, len));
      if (n >= 1 && n <= captures.length) return captures[n - 1] + digits.slice(len);
    }
    return whole;
  });
}
