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
 * `setPath` copies only the containers along the path and leaves its input alone; `setIn` and
 * `deleteIn` change data the caller owns in place (steps.ts).
 */

const pathCache = new Map<string, string[]>();
const CACHE_LIMIT = 10_000;

/**
 * Splits a dot path into segments; `""` is the root (no segments). Segments are read as Alumio
 * reads them (`str_getcsv` with `.` as separator, mediact/data-container PathParserTrait): a
 * double quote opens a quoted segment only at the start of a segment (`fo"o` is literal), inside
 * one `""` is a literal quote (`"fo""o.x"` is the key `fo"o.x`) and a backslash before a quote
 * keeps both characters without closing it (PHP's CSV escape).
 */
export function parsePath(path: string): string[] {
  const cached = pathCache.get(path);
  if (cached) return cached;
  const segments: string[] = [];
  if (path !== "") {
    let current = "";
    let quoted = false;
    let start = true;
    for (let i = 0; i < path.length; i++) {
      const c = path[i];
      if (quoted) {
        if (c === '"') {
          if (path[i + 1] === '"') current += path[++i];
          else quoted = false;
        } else if (c === "\\" && path[i + 1] === '"') current += c + path[++i];
        else current += c;
      } else if (c === '"' && start) quoted = true;
      else if (c === ".") {
        segments.push(current);
        current = "";
        start = true;
        continue;
      } else current += c;
      start = false;
    }
    segments.push(current);
  }
  if (pathCache.size >= CACHE_LIMIT) pathCache.clear();
  pathCache.set(path, segments);
  return segments;
}

/**
 * Quotes a segment as Alumio does (mediact/data-container KeyQuoterTrait): a key holding a dot is
 * enclosed in double quotes with its quotes doubled (`"fo""o.bar"`); other keys stay as they are.
 * [INF] A key starting with a quote is quoted too, so that `parsePath` reads it back unchanged.
 */
export function formatSegment(segment: string | number): string {
  const s = String(segment);
  if (!s.includes(".") && s[0] !== '"') return s;
  // a quote after a backslash stays single: `parsePath` keeps `\"` as it is
  return `"${s.replace(/(?<!\\)"/g, '""')}"`;
}

/** Joins segments back into a path that `parsePath` reads the same way. */
export function formatPath(segments: readonly (string | number)[]): string {
  return segments.map(formatSegment).join(".");
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** PHP `array_is_list` over an array's keys: 0, 1, 2, ... in order (no keys at all is a list too). */
export function isListKeys(keys: Iterable<string>): boolean {
  let i = 0;
  for (const key of keys) if (key !== String(i++)) return false;
  return true;
}

/** A canonical non-negative integer (`"0"`, `"12"`, not `"01"` or `"-1"`), as PHP would use as an array key. */
export function arrayIndex(segment: string | number): number | null {
  if (typeof segment === "number") return Number.isInteger(segment) && segment >= 0 ? segment : null;
  // by hand rather than a regex: this runs for every list access
  const length = segment.length;
  if (length === 0 || length > 15 || (length > 1 && segment.charCodeAt(0) === 48)) return null;
  let index = 0;
  for (let i = 0; i < length; i++) {
    const digit = segment.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    index = index * 10 + digit;
  }
  return index;
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

// ---- in place ----------------------------------------------------------------------------------

/**
 * `container[key] = value`, also for a key named `__proto__` (an own key in JSON data). The
 * rebuild loop (`withoutKeys`) and `setIn` write the check inline, so their plain store stays in
 * their own fast path.
 */
function assign(container: Record<string, unknown>, key: string, value: unknown): void {
  if (key === PROTO) defineOwn(container, key, value);
  else container[key] = value;
}

const PROTO = "__proto__";
const defineOwn = (container: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });

/** A list as the PHP array it is: an object keyed by its indexes (less the index `skip`). */
export const listToObject = (list: unknown[], skip = -1): Record<string, unknown> => {
  const object: Record<string, unknown> = {};
  for (let k = 0; k < list.length; k++) if (k !== skip) object[String(k)] = list[k];
  return object;
};

/**
 * Sets `value` at `segments` in `data`, in place, creating missing containers (semantics as
 * `setPath`). Returns the data: a new root only when the root had to be replaced.
 */
export function setIn(data: unknown, segments: readonly (string | number)[], value: unknown, from = 0): unknown {
  if (from === segments.length) return value;
  const segment = segments[from];
  if (Array.isArray(data)) {
    const i = arrayIndex(segment);
    if (i !== null && i <= data.length) {
      data[i] = setIn(data[i], segments, value, from + 1);
      return data;
    }
    const object = listToObject(data);
    assign(object, String(segment), setIn(undefined, segments, value, from + 1));
    return object;
  }
  if (isRecord(data)) {
    const key = String(segment);
    const next = from + 1 === segments.length ? value : setIn(Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined, segments, value, from + 1);
    if (key === PROTO) defineOwn(data, key, next);
    else data[key] = next;
    return data;
  }
  const inner = setIn(undefined, segments, value, from + 1);
  if (arrayIndex(segment) === 0) return [inner];
  const object: Record<string, unknown> = {};
  assign(object, String(segment), inner);
  return object;
}

/**
 * Removes one child: a list loses its last element in place; otherwise the result is a new
 * container (a list losing another element becomes an object, as in PHP). Objects are rebuilt
 * without the key rather than `delete`d: V8 turns an object that lost a key into a slow
 * dictionary, which every later step on it would pay for.
 */
function removeChild(container: unknown, segment: string | number): unknown {
  if (Array.isArray(container)) {
    const i = arrayIndex(segment)!;
    if (i === container.length - 1) {
      container.pop();
      return container;
    }
    return listToObject(container, i);
  }
  const removed = String(segment);
  return withoutKeys(container as Record<string, unknown>, (key) => key === removed);
}

/** A copy of an object without the keys `removed` picks (rebuilding beats `delete`, see removeChild). */
export function withoutKeys(object: Record<string, unknown>, removed: (key: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in object) {
    if (removed(key)) continue;
    if (key === PROTO) defineOwn(out, key, object[key]);
    else out[key] = object[key];
  }
  return out;
}

function isEmptyObject(value: Record<string, unknown>): boolean {
  for (const _ in value) return false;
  return true;
}

/**
 * Deletes the value at `segments` in place. With `prune`, a parent *object* left empty goes too,
 * and so does every ancestor (object or list) left empty by that; a list emptied by removing its
 * own elements stays (see pattern-move). The root is never removed. Returns the data: a new root
 * only when the root list became an object.
 */
export function deleteIn(data: unknown, segments: readonly (string | number)[], prune = false): unknown {
  if (segments.length === 0) return data;
  // a key of the root: nothing above it to re-attach or prune
  if (segments.length === 1) return hasChild(data, segments[0]) ? removeChild(data, segments[0]) : data;
  const parents: unknown[] = [data];
  for (let i = 0; i < segments.length - 1; i++) {
    const next = child(parents[i], segments[i]);
    if (next === undefined) return data;
    parents.push(next);
  }
  let depth = segments.length - 1;
  if (!hasChild(parents[depth], segments[depth])) return data;
  let updated = removeChild(parents[depth], segments[depth]);
  let pruned = false;
  while (depth > 0) {
    const replaced = updated !== parents[depth];
    depth--;
    const empty = isRecord(updated) ? isEmptyObject(updated) : pruned && Array.isArray(updated) && updated.length === 0;
    if (prune && empty) {
      pruned = true;
      updated = removeChild(parents[depth], segments[depth]);
      continue;
    }
    if (!replaced) return data;
    prune = false;
    const parent = parents[depth];
    if (Array.isArray(parent)) parent[arrayIndex(segments[depth])!] = updated;
    else assign(parent as Record<string, unknown>, String(segments[depth]), updated);
    updated = parent;
  }
  return updated;
}
