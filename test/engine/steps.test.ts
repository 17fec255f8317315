import { describe, expect, it } from "vitest";
import { registry, Registry } from "../../src/engine";
import { prototypes as accessors } from "../../src/engine/prototypes/accessors";
import { prototypes as dataTransformers } from "../../src/engine/prototypes/data-transformers";
import { prototypes as entityTransformers } from "../../src/engine/prototypes/entity-transformers";
import { prototypes as filters } from "../../src/engine/prototypes/filters";
import { prototypes as mappers } from "../../src/engine/prototypes/mappers";
import { cloneData, dataTaker, isOwnedList, ownedList } from "../../src/engine/steps";
import type { Entity, Prototype } from "../../src/engine/types";
import { testPrototype } from "./data-transformer-fakes";
import { testRunContext } from "./run-context";

/** The engine's prototypes plus one that exists only in a test. */
const registryWith = (extra: Prototype) => new Registry().register(...accessors, ...filters, ...mappers, ...dataTransformers, ...entityTransformers, extra);

const run = testRunContext();
const entities = (...data: unknown[]): Entity[] => data.map((d) => ({ data: d }));
const datas = (list: Entity[]) => list.map((e) => e.data);
const list = (spec: unknown, r = registry()) => r.build("list-transformer", spec, {});
const data = (...transformers: unknown[]) => ({ prototype: "data", parameters: { transformers } });
const setter = (key: string, value: unknown) => ({ prototype: "value-setter", parameters: { configurations: [{ key, value, mappers: [] }] } });
const move = (pattern: string, replacement: string) => ({ prototype: "pattern-move", parameters: { pattern, replacement } });
const copy = (pattern: string, replacement: string) => ({ prototype: "pattern-copy", parameters: { pattern, replacement } });

describe("cloneData", () => {
  it("copies objects and lists deeply, shares what is not plain data", () => {
    const bytes = new Uint8Array([1, 2]);
    const original = { a: { b: [1, { c: 2 }] }, bytes, s: "x" };
    const clone = cloneData(original);
    expect(clone).toEqual(original);
    expect(clone.a).not.toBe(original.a);
    expect(clone.a.b[1]).not.toBe(original.a.b[1]);
    expect(clone.bytes).toBe(bytes);
  });
  it("keeps a `__proto__` key as data", () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"y":2}');
    const clone = cloneData(parsed);
    expect(Object.getPrototypeOf(clone)).toBe(Object.prototype);
    expect(JSON.stringify(clone)).toBe('{"__proto__":{"x":1},"y":2}');
  });
});

describe("in-place runs", () => {
  it("leave the caller's entities alone", async () => {
    const input = entities({ code: "a", labels: { en: "A" } });
    const pristine = structuredClone(input);
    const t = await list(data(move("labels.en", "name"), setter("labels.de", "B")));
    expect(datas(await t(input, run))).toEqual([{ code: "a", name: "A", labels: { de: "B" } }]);
    expect(input).toEqual(pristine);
  });

  it("never let an entity change a configured value", async () => {
    // the configured list is set on every entity, then loses its last element in place
    const t = await list(data(setter("stores", ["DE", "AT"]), move("stores.1", "last")));
    const out = datas(await t(entities({}, {}), run));
    expect(out).toEqual([
      { stores: ["DE"], last: "AT" },
      { stores: ["DE"], last: "AT" },
    ]);
  });

  it("give a copied value its own place: changing the copy leaves the source", async () => {
    const t = await list(data(copy("a", "b"), setter("b.x", 2), move("a.y", "moved")));
    expect(datas(await t(entities({ a: { x: 1, y: 1 } }), run))).toEqual([{ a: { x: 1 }, b: { x: 2, y: 1 }, moved: 1 }]);
  });

  it("copy what a placeholder reads from the data before writing it elsewhere", async () => {
    const t = await list(data(setter("copy", "&{list}"), move("list.1", "last")));
    expect(datas(await t(entities({ list: [1, 2] }), run))).toEqual([{ list: [1], copy: [1, 2], last: 2 }]);
  });

  it("mix with steps that only copy on write", async () => {
    // a test-only data transformer without an in-place form, which puts a value it keeps into the data
    const kept = { list: [1, 2] };
    const local = registryWith(testPrototype("data-transformer", "test-sharer", () => async (value: unknown) => ({ ...(value as object), kept })));
    const t = await list(data(setter("a", 1), { prototype: "test-sharer" }, move("kept.list.1", "last")), local);
    const out = await t(entities({}, {}), { ...run, registry: local });
    expect(datas(out)).toEqual([
      { a: 1, kept: { list: [1] }, last: 2 },
      { a: 1, kept: { list: [1] }, last: 2 },
    ]);
    expect(kept).toEqual({ list: [1, 2] });
  });

  it("hand owned data from one list transformer to the next", async () => {
    const first = await list(data(setter("a", 1)));
    const second = await list(data(setter("b", 2)));
    const handed = await first(entities({}), run);
    expect(isOwnedList(handed)).toBe(true);
    const out = await second(handed, run);
    expect(out[0].data).toBe(handed[0].data); // changed in place, not copied
    expect(out[0].data).toEqual({ a: 1, b: 2 });
    // a new list made of the same entities is not taken for owned: its data is copied
    const copied = await second([...out], run);
    expect(copied[0].data).not.toBe(out[0].data);
  });

  it("keep ownership through type-setter and conditional, which leave the data alone", async () => {
    const first = await list(data(setter("a", 1)));
    const typed = await list({ prototype: "type-setter", parameters: { entityType: "thing" } });
    const branch = await list({ prototype: "conditional", parameters: { filters: [], transformers: [data(setter("b", 2))] } });
    const handed = await first(entities({}), run);
    const out = await branch(await typed(handed, run), run);
    expect(isOwnedList(out)).toBe(true);
    expect(out[0].data).toBe(handed[0].data);
    expect(out[0]).toMatchObject({ type: "thing", data: { a: 1, b: 2 } });
  });

  it("do not share data when a transformer emits an entity twice", async () => {
    const local = registryWith(testPrototype("list-transformer", "test-twice", () => async (list: Entity[]) => list.flatMap((e) => [e, { ...e }])));
    const t = await list({ prototype: "chain", parameters: { transformers: [data(setter("n", "x")), { prototype: "test-twice" }, data(setter("n", "&{n}, more"))] } }, local);
    const out = await t(entities({}), { ...run, registry: local });
    expect(datas(out)).toEqual([{ n: "x, more" }, { n: "x, more" }]);
    expect(out[0].data).not.toBe(out[1].data);
  });

  it("dataTaker takes the data of an owned list as it is and clones any other", () => {
    const owned = ownedList([{ data: { a: 1 } }]);
    expect(dataTaker(owned)(owned[0])).toBe(owned[0].data);
    const foreign: Entity[] = [{ data: { c: 1 } }];
    expect(dataTaker(foreign)(foreign[0])).not.toBe(foreign[0].data);
    expect(dataTaker(foreign)(foreign[0])).toEqual(foreign[0].data);
  });
});

describe("breakpoints", () => {
  it("see each step's data as it was then, not as later steps changed it", async () => {
    const seen: { prototype: string; input: unknown; output: unknown }[] = [];
    const t = await list(data(setter("a.b", 1), move("a.b", "c")));
    await t(entities({}), { ...run, onStep: (step) => seen.push(step) });
    const steps = Object.fromEntries(seen.map((s) => [s.prototype, s]));
    expect(steps["value-setter"]).toMatchObject({ input: {}, output: { a: { b: 1 } } });
    expect(steps["pattern-move"]).toMatchObject({ input: { a: { b: 1 } }, output: { c: 1 } });
    expect(steps.data).toMatchObject({ input: [{}], output: [{ c: 1 }] });
  });
});
