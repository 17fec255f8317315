/**
 * Alumio patterns (prototypes.md §3.7): a dot path whose unquoted segments are globs over object
 * keys and list indexes: `*` any key (one level), `?` one character, `[abc]` one of the characters.
 * Double-quoted segments are literal keys. Every glob (`*`, `?` and `[abc]`, left to right) is a
 * capture, referenced as `$1..$n` in replacements (`fillCaptures`), as in Alumio's
 * mediact/data-container (`expand('categories.?a?', 'cat.$1a$2')`). `""` addresses the root itself.
 */
import { arrayIndex, child, formatPath, isRecord } from "./paths";

/** One segment of a pattern: a literal key, `*` (any key, captured), or a glob. */
export interface Segment {
  literal: string | null;
  /** A lone `*`: matches every key without a regex. */
  any: boolean;
  regex: RegExp | null;
  captures: number;
}

/** A location the pattern matched. */
export class PatternMatch {
  constructor(
    /** Segments from the root; numbers for list indexes. */
    readonly path: (string | number)[],
    readonly value: unknown,
    /** What each glob (`*`, `?`, `[abc]`) matched, in order. */
    readonly captures: string[],
  ) {}

  /** The matched path as a dot path (segments holding dots or quotes are double-quoted). */
  get key(): string {
    return formatPath(this.path);
  }
}

const compiled = new Map<string, Segment[]>();
const CACHE_LIMIT = 5_000;

/** The path a pattern without wildcards addresses, or null when it has one. */
export function literalPath(segments: readonly Segment[]): string[] | null {
  return segments.every((s) => s.literal !== null) ? segments.map((s) => s.literal!) : null;
}

/** Whether a pattern has any wildcard (brancher requires one; deserializer item patterns have none). */
export function hasWildcard(pattern: string): boolean {
  return compilePattern(pattern).some((s) => s.literal === null);
}

export function compilePattern(pattern: string): Segment[] {
  let segments = compiled.get(pattern);
  if (segments) return segments;
  segments = [];
  if (pattern !== "") {
    // Split on dots outside quotes, remembering which segments were quoted (those are literal).
    // (quotes as `parsePath` reads them: `""` inside a quoted segment is a quote)
    let current = "";
    let quoted = false;
    let wasQuoted = false;
    let start = true;
    const push = () => {
      segments!.push(wasQuoted ? literalSegment(current) : globSegment(current));
      current = "";
      wasQuoted = false;
    };
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (quoted) {
        if (c === '"') {
          if (pattern[i + 1] === '"') current += pattern[++i];
          else quoted = false;
        } else if (c === "\\" && pattern[i + 1] === '"') current += c + pattern[++i];
        else current += c;
      } else if (c === '"' && start) quoted = wasQuoted = true;
      else if (c === ".") {
        push();
        start = true;
        continue;
      } else current += c;
      start = false;
    }
    push();
  }
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(pattern, segments);
  return segments;
}

const literalSegment = (text: string): Segment => ({ literal: text, any: false, regex: null, captures: 0 });

/** An unquoted segment: a literal unless it holds glob characters. */
function globSegment(text: string): Segment {
  if (!/[*?[]/.test(text)) return literalSegment(text);
  if (text === "*") return { literal: null, any: true, regex: null, captures: 1 };
  let source = "";
  let captures = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "*") {
      source += "(.*)";
      captures++;
    } else if (c === "?") {
      source += "(.)";
      captures++;
    } else if (c === "[") {
      const end = text.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        const body = text.slice(i + 1, end);
        // fnmatch negation `[!abc]` -> regex `[^abc]`
        source += `([${body.startsWith("!") ? "^" + escapeClass(body.slice(1)) : escapeClass(body)}])`;
        captures++;
        i = end;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^${source}$`, "s");
  } catch {
    // a class fnmatch accepts but a regex does not (`[z-a]`, an empty range): matches nothing, as in fnmatch
    regex = /(?!)/;
  }
  return { literal: null, any: false, regex, captures };
}

const escapeClass = (body: string) => body.replace(/[\\\]^]/g, "\\$&");

/** Every location in `data` the pattern (text, or compiled once with `compilePattern`) matches, in document order. */
export function matchPattern(data: unknown, pattern: string | readonly Segment[]): PatternMatch[] {
  const segments = typeof pattern === "string" ? compilePattern(pattern) : pattern;
  const out: PatternMatch[] = [];
  walk(data, segments, 0, [], NO_CAPTURES, out);
  return out;
}

const NO_CAPTURES: string[] = [];

/** Depth-first over the data; `path` is one shared stack, copied for each match. */
function walk(value: unknown, segments: readonly Segment[], depth: number, path: (string | number)[], captures: string[], out: PatternMatch[]): void {
  if (depth === segments.length) {
    out.push(new PatternMatch(path.slice(), value, captures));
    return;
  }
  const segment = segments[depth];
  if (segment.literal !== null) {
    const next = child(value, segment.literal);
    if (next === undefined) return;
    path.push(Array.isArray(value) ? arrayIndex(segment.literal)! : segment.literal);
    walk(next, segments, depth + 1, path, captures, out);
    path.pop();
    return;
  }
  const visit = (key: string, step: string | number, next: unknown) => {
    let found = captures;
    if (segment.any) found = [...captures, key];
    else {
      const m = segment.regex!.exec(key);
      if (!m) return;
      if (segment.captures) found = [...captures, ...m.slice(1)];
    }
    path.push(step);
    walk(next, segments, depth + 1, path, found, out);
    path.pop();
  };
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(String(i), i, value[i]);
  else if (isRecord(value)) for (const key of Object.keys(value)) visit(key, key, value[key]);
}

/**
 * Replaces `$1..$n` in a replacement path with the captures (`values.$1$2`, `customAttributes.$1.$1`)
 * and `$0` with the whole matched path (`whole`, when given), as Alumio's ReplaceByPatternTrait
 * (mediact/data-container) does: the digits after `$` are read as one number, and a reference
 * to no capture (`$3` with two captures, `$12` with one) is left as written.
 */
export function fillCaptures(template: string, captures: string[], whole?: string): string {
  if (!template.includes("$")) return template;
  return template.replace(/\$(\d+)/g, (reference, digits: string) => {
    if (digits.length > 1 && digits[0] === "0") return reference;
    const n = Number(digits);
    if (n === 0) return whole ?? reference;
    return n <= captures.length ? captures[n - 1] : reference;
  });
}
