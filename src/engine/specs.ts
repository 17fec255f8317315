import { z } from "zod";
import type { Builder, InstanceTypes } from "./types";

/**
 * A list of nested prototype specs. PHP exports write an absent list as null, and a PHP array
 * that lost elements (keys 0, 2, ...) as a JSON object: its values are the list, in key order.
 */
export const specList = z
  .union([z.array(z.unknown()), z.record(z.string().regex(/^(0|[1-9]\d*)$/), z.unknown())])
  .nullish()
  .transform((v) => (v ? (Array.isArray(v) ? v : Object.values(v)) : []));

/**
 * Builds the specs found at `at` of the parameters, one after the other, so that when several
 * are invalid the violation reported first is the first in the list.
 */
export async function buildList<T extends keyof InstanceTypes>(builder: Builder, type: T, at: (string | number)[], specs: unknown[]): Promise<InstanceTypes[T][]> {
  const built: InstanceTypes[T][] = [];
  for (let i = 0; i < specs.length; i++) built.push(await builder.build(type, specs[i], [...at, i]));
  return built;
}
