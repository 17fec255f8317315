/**
 * Helpers shared by the data transformers: parameter schemas for nested prototypes, running
 * mapper/condition lists, a copy-on-write draft for batched edits, and the merge used by
 * `merger` and `recursively-copy-values-to-children`.
 */
import { z } from "zod";
import { arrayIndex, child, isRecord } from "../../paths";
import type { Condition, Mapper, RunContext } from "../../types";

export { isRecord };

/** A nested prototype spec; validated when it is built, so that violations point at it. */
export const specSchema = z.unknown();
/** A list of nested prototype specs; PHP writes an empty list or object as `[]`, absent = none. */
export { buildList, specList as specListSchema } from "../../specs";

// Transformers run per entity over tens of thousands of entities: mappers and conditions are
// mostly synchronous, so the helpers below only await when a step really returns a promise.

const isPromise = (v: unknown): v is Promise<unknown> => v instanceof Promise;

/** Runs a value through mappers in order; a promise only when a mapper returned one. */
export function applyMappers(mappers: Mapper[], value: unknown, run: RunContext, from = 0): unknown {
  let current = value;
  for (let i = from; i < mappers.length; i++) {
    current = mappers[i](current, run);
    if (isPromise(current)) return current.then((v) => applyMappers(mappers, v, run, i + 1));
  }
  return current;
}

/** Whether every condition holds (an empty list holds); a promise only when a condition returned one. */
export function allConditions(conditions: Condition[], value: unknown, run: RunContext, from = 0): boolean | Promise<boolean> {
  for (let i = from; i < conditions.length; i++) {
    const ok = conditions[i](value, run);
    if (isPromise(ok)) return ok.then((v) => (v ? allConditions(conditions, value, run, i + 1) : false));
    if (!ok) return false;
  }
  return true;
}

export { isPromise };

/**
 * A copy-on-write view of one document for a batch of writes and deletes. Containers are copied
 * once, the first time the batch touches them; everything else is shared with the input, which is
 * never mutated. Semantics match `paths.ts` (PHP arrays): writing index n of a list of length n
 * appends, a non-numeric key or an index past the end turns the list into an object, a missing
 * container becomes a list when its first key is `0`; deleting a non-last list element leaves an
 * object keyed by the remaining indexes.
 *
 * Values written must be read before the batch starts (or be fresh): the draft mutates the
 * containers it owns, so a value read from the draft mid-batch could be shared.
 */
export class Draft {
  private readonly owned = new Set<object>();
  constructor(public root: unknown) {}

  get(segments: readonly (string | number)[]): unknown {
    let current = this.root;
    for (const segment of segments) {
      current = child(current, segment);
      if (current === undefined) return undefined;
    }
    return current;
  }

  set(segments: readonly (string | number)[], value: unknown): void {
    this.root = segments.length === 0 ? value : this.setIn(this.root, segments, 0, value);
  }

  /**
   * Deletes the value at `segments`. With `prune`, a parent *object* left empty goes too, and so
   * does every ancestor (object or list) left empty by that; a list emptied by removing its own
   * elements stays (see pattern-move).
   */
  delete(segments: readonly (string | number)[], prune = false): void {
    if (segments.length === 0) return;
    const parents: unknown[] = [this.root];
    for (let i = 0; i < segments.length - 1; i++) {
      const next = child(parents[i], segments[i]);
      if (next === undefined) return;
      parents.push(next);
    }
    let depth = segments.length - 1;
    if (child(parents[depth], segments[depth]) === undefined) return;
    let updated = this.withoutChild(parents[depth], segments[depth]);
    // Walk up: re-attach the updated container, or drop it when pruning and it became empty.
    let pruned = false;
    while (depth > 0) {
      depth--;
      const empty = isRecord(updated) ? Object.keys(updated).length === 0 : pruned && Array.isArray(updated) && updated.length === 0;
      if (prune && empty) {
        pruned = true;
        updated = this.withoutChild(parents[depth], segments[depth]);
      } else {
        prune = false;
        updated = this.withChild(parents[depth], segments[depth], updated);
      }
    }
    this.root = updated;
  }

  private setIn(container: unknown, segments: readonly (string | number)[], i: number, value: unknown): unknown {
    const next = i === segments.length - 1 ? value : this.setIn(child(container, segments[i]), segments, i + 1, value);
    return this.withChild(container, segments[i], next);
  }

  private own<T extends object>(container: T): T {
    if (this.owned.has(container)) return container;
    const copy = (Array.isArray(container) ? container.slice() : { ...container }) as T;
    this.owned.add(copy);
    return copy;
  }

  private fresh<T extends object>(container: T): T {
    this.owned.add(container);
    return container;
  }

  private withChild(container: unknown, segment: string | number, value: unknown): unknown {
    if (Array.isArray(container)) {
      const i = arrayIndex(segment);
      if (i !== null && i <= container.length) {
        const copy = this.own(container);
        copy[i] = value;
        return copy;
      }
      const object: Record<string, unknown> = {};
      container.forEach((v, k) => (object[String(k)] = v));
      object[String(segment)] = value;
      return this.fresh(object);
    }
    if (isRecord(container)) {
      const copy = this.own(container);
      copy[String(segment)] = value;
      return copy;
    }
    return this.fresh(arrayIndex(segment) === 0 ? [value] : { [String(segment)]: value });
  }

  private withoutChild(container: unknown, segment: string | number): unknown {
    if (Array.isArray(container)) {
      const i = arrayIndex(segment);
      if (i === null || i >= container.length) return container;
      if (i === container.length - 1) {
        const copy = this.own(container);
        copy.pop();
        return copy;
      }
      const object: Record<string, unknown> = {};
      container.forEach((v, k) => {
        if (k !== i) object[String(k)] = v;
      });
      return this.fresh(object);
    }
    if (isRecord(container)) {
      const copy = this.own(container);
      delete copy[String(segment)];
      return copy;
    }
    return container;
  }
}

/**
 * Merges `patch` into `target`: objects merge key by key, recursively; anything else (lists,
 * scalars) in `patch` replaces what `target` holds. Neither input is mutated; untouched branches
 * are shared.
 */
export function deepMerge(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch) || !isRecord(target)) return patch;
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    out[key] = key in target && isRecord(value) && isRecord(target[key]) ? deepMerge(target[key], value) : value;
  }
  return out;
}

/** An empty template: PHP exports write `{}` as `[]`. */
export const isEmptyTemplate = (template: unknown) =>
  template === undefined || template === null || (Array.isArray(template) && template.length === 0) || (isRecord(template) && Object.keys(template).length === 0);

/** Removes one pair of enclosing double quotes: `"product.name"` -> `product.name`. */
export const stripEnclosure = (key: string) => (key.length >= 2 && key.startsWith('"') && key.endsWith('"') ? key.slice(1, -1) : key);
