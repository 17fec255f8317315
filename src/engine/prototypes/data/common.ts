/**
 * Helpers shared by the data transformers: parameter schemas for nested prototypes, running
 * mapper/condition lists (steps.ts), and the merge used by `merger` and
 * `recursively-copy-values-to-children`.
 */
import { z } from "zod";
import { isRecord } from "../../paths";

export { isRecord };

/** A nested prototype spec; validated when it is built, so that violations point at it. */
export const specSchema = z.unknown();
/** A list of nested prototype specs; PHP writes an empty list or object as `[]`, absent = none. */
export { buildList, specList as specListSchema } from "../../specs";

export { allConditions, applyMappers, isPromise } from "../../steps";

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
