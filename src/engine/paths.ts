/**
 * Dot paths as Alumio writes them in `key`, `root`, `path`, `destination` and `source` fields:
 * `a.b.c`, numeric segments index lists (`products.0.sku`), and double-quoted segments are
 * literal keys that may hold dots (`product."product.sku"`, `values."locale:|scope:".x`).
 *
 * Data is JSON as PHP sees it: a list is a PHP array with keys 0..n-1. Writes and deletes keep
 * PHP's `json_encode` behaviour so results match Alumio's:
 * - writing index n into a list of length n appends; writing a non-numeric key or an index past
 *   the end turns the list into an object (PHP array with non-sequential keys);
 * - a missing container is created as a list when the first key written is `0`, else an object;
 * - deleting the last element of a list keeps a list, deleting any other element leaves an object
 *   keyed by the remaining indexes (PHP `unset` leaves holes; templates re-index with
 *   `list-values`). Callers removing several matches of one list should delete in reverse match
 *   order, so a list emptied element by element stays `[]`.
 * All writers copy only the containers along the path (no deep copies).
 */

const pathCache = new Map<string, string[]>();
const CACHE_LIMIT = 10_000;

/** Splits a dot path into segments; `""` is the root (no segments). Quotes are removed from quoted segments. */
export function parsePath(path: string): string[] {
  const cached = pathCache.get(path);
  if (cached) return cached;
  const segments: string[] = [];
  if (path !== "") {
    let current = "";
    let quoted = false;
    for (let i = 0; i < path.length; i++) {
      const c = path[i];
      if (quoted) {
        if (c === "\\" && (path[i + 1] === '"' || path[i + 1] === "\\")) current += path[++i];
        else if (c === '"') quoted = false;
        else current += c;
      } else if (c === '"') quoted = true;
      else if (c === ".") {
        segments.push(current);
        current = "";
      } else current += c;
    }
    segments.push(current);
  }
  if (pathCache.size >= CACHE_LIMIT) pathCache.clear();
  pathCache.set(path, segments);
  return segments;
}

/** Quotes a segment when it would not survive `parsePath` as written. */
export function formatSegment(segment: string | number): string {
  const s = String(segment);
  return /[."\\]/.test(s) ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"` : s;
}

/** Joins segments back into a path that `parsePath` reads the same way. */
export function formatPath(segments: readonly (string | number)[]): string {
  return segments.map(formatSegment).join(".");
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A canonical non-negative integer (`"0"`, `"12"`, not `"01"` or `"-1"`), as PHP would use as an array key. */
export function arrayIndex(segment: string | number): number | null {
  if (typeof segment === "number") return Number.isInteger(segment) && segment >= 0 ? segment : null;
  return /^(0|[1-9]\d{0,14})$/.test(segment) ? Number(segment) : null;
}

/** One step down: a list element by index, or an object's own key. `undefined` when absent. */
export function child(container: unknown, segment: string | number): unknown {
  if (Array.isArray(container)) {
    const i = arrayIndex(segment);
    return i === null ? undefined : container[i];
  }
  if (isRecord(container)) {
    const key = String(segment);
    return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
  }
  return undefined;
}

function hasChild(container: unknown, segment: string | number): boolean {
  if (Array.isArray(container)) {
    const i = arrayIndex(segment);
    return i !== null && i < container.length;
  }
  return isRecord(container) && Object.prototype.hasOwnProperty.call(container, String(segment));
}

/** The value at `segments`, or `undefined` when the path does not exist. */
export function getPath(data: unknown, segments: readonly (string | number)[]): unknown {
  let current = data;
  for (const segment of segments) {
    current = child(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

/** Whether the path exists (a key holding `null` exists). */
export function hasPath(data: unknown, segments: readonly (string | number)[]): boolean {
  let current = data;
  for (const segment of segments) {
    if (!hasChild(current, segment)) return false;
    current = child(current, segment);
  }
  return true;
}

/** A copy of `container` with `segment` set to `value` (PHP array semantics, see the file comment). */
function withChild(container: unknown, segment: string | number, value: unknown): unknown {
  if (Array.isArray(container)) {
    const i = arrayIndex(segment);
    if (i !== null && i <= container.length) {
      const copy = container.slice();
      copy[i] = value;
      return copy;
    }
    return { ...Object.fromEntries(container.map((v, k) => [String(k), v])), [String(segment)]: value };
  }
  if (isRecord(container)) return { ...container, [String(segment)]: value };
  // Missing or scalar: PHP creates an array, which is a list when its first key is 0.
  return arrayIndex(segment) === 0 ? [value] : { [String(segment)]: value };
}

/** A copy of `data` with `value` at `segments`, creating missing containers. An empty path replaces the data. */
export function setPath(data: unknown, segments: readonly (string | number)[], value: unknown): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments;
  const existing = child(data, head);
  return withChild(data, head, rest.length === 0 ? value : setPath(existing, rest, value));
}

/** A copy of `data` without the value at `segments`; `data` itself when the path does not exist. */
export function deletePath(data: unknown, segments: readonly (string | number)[]): unknown {
  if (segments.length === 0) return undefined;
  if (!hasChild(data, segments[0])) return data;
  const [head, ...rest] = segments;
  if (rest.length > 0) {
    const inner = child(data, head);
    const updated = deletePath(inner, rest);
    return updated === inner ? data : withChild(data, head, updated);
  }
  if (Array.isArray(data)) {
    const i = arrayIndex(head)!;
    if (i === data.length - 1) return data.slice(0, -1);
    const out: Record<string, unknown> = {};
    data.forEach((v, k) => {
      if (k !== i) out[String(k)] = v;
    });
    return out;
  }
  const { [String(head)]: _removed, ...others } = data as Record<string, unknown>;
  return others;
}
