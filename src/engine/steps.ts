/**
 * Running built steps per entity, fast.
 *
 * A chain runs dozens of small steps per entity over tens of thousands of entities, so two costs
 * dominate when done naively: a promise per step, and a copy of the touched containers per step.
 *
 * - Steps return a value or a promise (`MaybePromise`); the helpers below only wait when a step
 *   really returned a promise, so synchronous chains never leave the current call.
 * - Data transformers may offer `inPlace`: the same transformation on data the caller *owns*,
 *   free to change it in place. Ownership rules:
 *   1. owned data is referenced from nowhere else: not the caller's input, not a parameter, not a
 *      second place in the same data;
 *   2. an in-place step returns owned data: whatever it writes that does not move out of the data
 *      itself (a configured value, a mapper's result, a copied value) is written as a clone;
 *   3. the plain call of every data transformer leaves its input alone (`inPlaceTransformer`
 *      clones before running the in-place form). A prototype without an in-place form gets one
 *      from the registry: its plain call, with the result cloned.
 *   A list transformer clones an entity's data once, runs its in-place steps, and returns a list
 *   marked as owned (`ownedList`): every entity in it holds data of its own, so the next list
 *   transformer takes the data as it is instead of cloning it. A returned list belongs to the
 *   caller; passing it to two transformers would let both change the same data, so copy first.
 *   Any other list (a new array from a transformer that may share data) is cloned on the way in.
 */
import type { Condition, DataTransformer, Entity, InPlaceTransformer, Mapper, MaybePromise, RunContext } from "./types";

export const isPromise = (v: unknown): v is Promise<unknown> => v instanceof Promise;

/** `fn(value)`, waiting for `value` first only when it is a promise. */
export function after<T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(value) ? value.then(fn) : fn(value);
}

/** Whether `test(i)` holds for every i < count, in order, stopping at the first failure. */
export function every(count: number, test: (i: number) => MaybePromise<boolean>, from = 0): MaybePromise<boolean> {
  for (let i = from; i < count; i++) {
    const ok = test(i);
    if (isPromise(ok)) return ok.then((v) => (v ? every(count, test, i + 1) : false));
    if (!ok) return false;
  }
  return true;
}

/** Runs `step(i)` for every i < count, in order. */
export function forEach(count: number, step: (i: number) => MaybePromise<void>, from = 0): MaybePromise<void> {
  for (let i = from; i < count; i++) {
    const done = step(i);
    if (isPromise(done)) return done.then(() => forEach(count, step, i + 1));
  }
}

/** Runs a value through mappers in order. */
export function applyMappers(mappers: Mapper[], value: unknown, run: RunContext, from = 0): unknown {
  let current = value;
  for (let i = from; i < mappers.length; i++) {
    current = mappers[i](current, run);
    if (isPromise(current)) return current.then((v) => applyMappers(mappers, v, run, i + 1));
  }
  return current;
}

/** Whether the data passes every filter (an empty list passes). Written out rather than with `every`: it runs per entity and per node. */
export function passes(filters: ((data: unknown, run: RunContext) => MaybePromise<boolean>)[], data: unknown, run: RunContext, from = 0): MaybePromise<boolean> {
  for (let i = from; i < filters.length; i++) {
    const ok = filters[i](data, run);
    if (isPromise(ok)) return ok.then((v) => (v ? passes(filters, data, run, i + 1) : false));
    if (!ok) return false;
  }
  return true;
}

/** Whether the value satisfies every condition (an empty list holds). */
export const allConditions: (conditions: Condition[], value: unknown, run: RunContext) => MaybePromise<boolean> = passes;

// ---- ownership --------------------------------------------------------------------------------

/**
 * A deep copy of JSON data: plain objects and lists are copied, anything else (strings, numbers,
 * bytes from a binary deserializer) is shared, as nothing changes those in place.
 */
export function cloneData<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const copy = value.slice();
    for (let i = 0; i < copy.length; i++) if (typeof copy[i] === "object" && copy[i] !== null) copy[i] = cloneData(copy[i]);
    return copy as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  // Spread copies an object's own keys (`__proto__` included) in one fast step; then the
  // containers inside are cloned.
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const v = copy[key];
    if (typeof v === "object" && v !== null) copy[key] = cloneData(v);
  }
  return copy as T;
}

const ownedLists = new WeakSet<Entity[]>();

/** Marks a list whose entities each hold data of their own, which its receiver may change in place. */
export function ownedList(entities: Entity[]): Entity[] {
  ownedLists.add(entities);
  return entities;
}

/** Whether the list was marked by `ownedList`. */
export const isOwnedList = (entities: Entity[]): boolean => ownedLists.has(entities);

/** For one list: how to get each entity's data ready to change in place (a clone unless the list is owned). */
export function dataTaker(entities: Entity[]): (entity: Entity) => unknown {
  return isOwnedList(entities) ? (entity) => entity.data : (entity) => cloneData(entity.data);
}

/** A data transformer from its in-place form; the plain call runs it on a clone. */
export function inPlaceTransformer(inPlace: InPlaceTransformer): DataTransformer {
  const transformer: DataTransformer = (data, run) => inPlace(cloneData(data), run);
  transformer.inPlace = inPlace;
  return transformer;
}

/** A data transformer that never changes its data (it stores, logs or throws): its plain form serves in place too. */
export function unchanging(transformer: DataTransformer): DataTransformer {
  transformer.inPlace = transformer;
  return transformer;
}

/** Runs built steps (the registry gives each an in-place form) on owned data. */
export function runInPlace(steps: DataTransformer[], data: unknown, run: RunContext, from = 0): MaybePromise<unknown> {
  let current = data;
  for (let i = from; i < steps.length; i++) {
    const out = steps[i].inPlace!(current, run);
    if (isPromise(out)) return out.then((v) => runInPlace(steps, v, run, i + 1));
    current = out;
  }
  return current;
}
