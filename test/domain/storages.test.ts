import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  clearStorage,
  copyStorage,
  createStorageEntity,
  deleteStorageEntities,
  exportStorageEntities,
  listStorageEntities,
  pruneStorage,
  R2StorageStore,
  storageMetadata,
  storagePrefix,
  storagesOf,
} from "../../src/domain/storages";
import { ApiError } from "../../src/lib/errors";
import { unique } from "../helpers/api";

const newStore = () => new R2StorageStore(env.FILES, unique("space"));

async function fill(store: R2StorageStore, storage: string, count: number, prefix = "k") {
  for (let i = 0; i < count; i++) await store.put(storage, `${prefix}${String(i).padStart(3, "0")}`, { n: i });
}

async function violationsOf(promise: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    return (error as ApiError).violations;
  }
  throw new Error("expected a 400");
}

describe("R2StorageStore", () => {
  it("reads its own writes at once, with updatedAt, and deletes", async () => {
    const store = newStore();
    expect(await store.get("s", "a")).toBeNull();
    await store.put("s", "a", { sku: "a", n: 1 });
    const hit = await store.get("s", "a");
    expect(hit?.value).toEqual({ sku: "a", n: 1 });
    expect(Date.parse(hit!.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    await store.put("s", "a", [1, 2]);
    expect((await store.get("s", "a"))?.value).toEqual([1, 2]);
    await store.delete("s", "a");
    expect(await store.get("s", "a")).toBeNull();
  });

  it("keys may hold any characters; storages and spaces are separate", async () => {
    const store = newStore();
    const keys = ["a/b/c", "with space", "100%", "ü|€|😀", "..", "a?b#c&d=e", "x::y"];
    for (const key of keys) await store.put("s", key, key);
    for (const key of keys) expect((await store.get("s", key))?.value).toBe(key);
    expect(await store.get("other", "a/b/c")).toBeNull();
    expect(await new R2StorageStore(env.FILES, unique("space")).get("s", "a/b/c")).toBeNull();
    // The R2 key is storages/<space>/<storage>/<encoded entity>.
    const head = await env.FILES.head(`${storagePrefix(store.space, "s")}${encodeURIComponent("a/b/c")}`);
    expect(head?.customMetadata?.updatedAt).toBeTruthy();
    const { results } = await listStorageEntities(store, "s", JSON.stringify({ limit: 100 }));
    expect(results.map((r) => r.identifier).sort()).toEqual([...keys].sort());
  });

  it("stores scalars and null as JSON", async () => {
    const store = newStore();
    for (const value of [null, 0, "", false, "text", 12.5]) {
      await store.put("s", "k", value);
      expect((await store.get("s", "k"))?.value).toEqual(value);
    }
  });

  it("refuses an empty or oversized key", async () => {
    const store = newStore();
    await expect(store.put("s", "", 1)).rejects.toThrow(ApiError);
    await expect(store.put("s", "x".repeat(1100), 1)).rejects.toThrow(/too long/);
  });

  it("creates only when the key is free", async () => {
    const store = newStore();
    expect(await store.create("s", "k", 1)).toMatchObject({ value: 1 });
    expect(await store.create("s", "k", 2)).toBeNull();
    expect((await store.get("s", "k"))?.value).toBe(1);
    await expect(createStorageEntity(store, "s", "k", 3)).rejects.toMatchObject({ status: 409 });
  });

  it("engine listing: pages with a cursor and a prefix", async () => {
    const store = newStore();
    await fill(store, "s", 5);
    await store.put("s", "other", 1);
    const first = await store.list("s", { prefix: "k", limit: 2 });
    expect(first.entries.map((e) => e.key)).toEqual(["k000", "k001"]);
    expect(first.entries[0].value).toEqual({ n: 0 });
    const second = await store.list("s", { prefix: "k", limit: 2, cursor: first.cursor });
    const third = await store.list("s", { prefix: "k", limit: 2, cursor: second.cursor });
    expect([...second.entries, ...third.entries].map((e) => e.key)).toEqual(["k002", "k003", "k004"]);
    expect(third.cursor).toBeUndefined();
  });
});

describe("listing entities", () => {
  it("pages through with next until it is empty, with totalCount of every match", async () => {
    const store = newStore();
    await fill(store, "s", 7);
    const seen: string[] = [];
    let next: string[] = [];
    let pages = 0;
    do {
      const page = await listStorageEntities(store, "s", JSON.stringify({ limit: 3, ...(next.length ? { next } : {}) }));
      expect(page.metadata.totalCount).toBe(7);
      seen.push(...page.results.map((r) => r.identifier));
      for (const r of page.results) expect(Object.keys(r).sort()).toEqual(["identifier", "updatedAt"]);
      next = page.next;
      pages++;
    } while (next.length && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(["k000", "k001", "k002", "k003", "k004", "k005", "k006"]);
  });

  it("filters on identifier (eq, like, inq, between, or) and orders", async () => {
    const store = newStore();
    await fill(store, "s", 5);
    await store.put("s", "SKU-x", 1);
    const ids = async (filter: object) => (await listStorageEntities(store, "s", JSON.stringify(filter))).results.map((r) => r.identifier);
    expect(await ids({ where: { identifier: "k001" } })).toEqual(["k001"]);
    expect(await ids({ where: { identifier: { like: "sku%" } } })).toEqual(["SKU-x"]);
    expect(await ids({ where: { identifier: { nlike: "k%" } } })).toEqual(["SKU-x"]);
    expect(await ids({ where: { identifier: { inq: ["k003", "k000", "nope"] } } })).toEqual(["k000", "k003"]);
    expect(await ids({ where: { identifier: { between: ["k001", "k003"] } } })).toEqual(["k001", "k002", "k003"]);
    expect(await ids({ where: { or: [{ identifier: "k004" }, { identifier: { lt: "k001" } }] } })).toEqual(["SKU-x", "k000", "k004"]);
    expect(await ids({ where: { identifier: { neq: "k000" } }, order: "identifier desc", limit: 2 })).toEqual(["k004", "k003"]);
    expect(await ids({ skip: 4, limit: 10 })).toEqual(["k003", "k004"]);
  });

  it("filters on updatedAt and pages in updatedAt order", async () => {
    const store = newStore();
    await store.put("s", "old", 1, "2020-01-01T00:00:00.000Z");
    await store.put("s", "mid", 1, "2023-06-01T00:00:00.000Z");
    await store.put("s", "new", 1, "2026-01-01T00:00:00.000Z");
    const recent = await listStorageEntities(store, "s", JSON.stringify({ where: { updatedAt: { gte: "2023-01-01" } } }));
    expect(recent.results.map((r) => r.identifier)).toEqual(["mid", "new"]);
    expect(recent.metadata.totalCount).toBe(2);
    expect(recent.results[0].updatedAt).toBe("2023-06-01T00:00:00.000Z");

    const first = await listStorageEntities(store, "s", JSON.stringify({ order: "updatedAt desc", limit: 2 }));
    expect(first.results.map((r) => r.identifier)).toEqual(["new", "mid"]);
    expect(first.next).toEqual(["2023-06-01T00:00:00.000Z", "mid"]);
    const second = await listStorageEntities(store, "s", JSON.stringify({ order: "updatedAt desc", limit: 2, next: first.next }));
    expect(second.results.map((r) => r.identifier)).toEqual(["old"]);
    expect(second.next).toEqual([]);
  });

  it("pages correctly over more entities than one R2 listing page", async () => {
    const store = newStore();
    const keys = Array.from({ length: 1205 }, (_, i) => `e${String(i).padStart(4, "0")}`);
    for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map((k) => store.put("s", k, 1)));
    const last = await listStorageEntities(store, "s", JSON.stringify({ order: "identifier desc", skip: 1200, limit: 10 }));
    expect(last.metadata.totalCount).toBe(1205);
    expect(last.results.map((r) => r.identifier)).toEqual(["e0004", "e0003", "e0002", "e0001", "e0000"]);
    expect(last.next).toEqual([]);
    const page = await listStorageEntities(store, "s", JSON.stringify({ limit: 1000, next: ["e0100"] }));
    expect(page.results).toHaveLength(1000);
    expect(page.results[0].identifier).toBe("e0101");
    expect(page.next).toEqual(["e1100"]);
    expect((await deleteStorageEntities(store, "s", { where: { identifier: { gte: "e0005" } } })).count).toBe(1200);
    expect((await listStorageEntities(store, "s", undefined)).metadata.totalCount).toBe(5);
  });

  it("rejects bad filters with violations (the shared grammar)", async () => {
    const store = newStore();
    const v1 = await violationsOf(listStorageEntities(store, "s", JSON.stringify({ where: { value: 1, identifier: { regexp: "x" } } })));
    expect(v1.map((v) => v.propertyPath).sort()).toEqual(["filter.where.identifier.regexp", "filter.where.value"]);
    const v2 = await violationsOf(listStorageEntities(store, "s", "{not json"));
    expect(v2[0].propertyPath).toBe("filter");
    const v3 = await violationsOf(listStorageEntities(store, "s", JSON.stringify({ limit: 5000, next: 5 })));
    expect(v3.map((v) => v.propertyPath).sort()).toEqual(["filter.limit", "filter.next"]);
    const v4 = await violationsOf(listStorageEntities(store, "s", JSON.stringify({ order: "size asc" })));
    expect(v4[0].propertyPath).toBe("filter.order");
  });
});

describe("bulk operations", () => {
  it("copies a storage, keeping updatedAt", async () => {
    const store = newStore();
    await fill(store, "src", 3);
    await store.put("src", "dated", { d: 1 }, "2021-01-01T00:00:00.000Z");
    await store.put("dst", "kept", 1);
    const result = await copyStorage(store, "src", "dst");
    expect(result.count).toBe(4);
    expect((await store.get("dst", "k002"))?.value).toEqual({ n: 2 });
    expect((await store.get("dst", "dated"))?.updatedAt).toBe("2021-01-01T00:00:00.000Z");
    expect((await store.get("dst", "kept"))?.value).toBe(1);
    expect((await store.get("src", "k000"))?.value).toEqual({ n: 0 });
    await expect(copyStorage(store, "src", "src")).rejects.toMatchObject({ status: 400 });
  });

  it("clears a storage and nothing else", async () => {
    const store = newStore();
    await fill(store, "a", 4);
    await fill(store, "b", 2);
    expect((await clearStorage(store, "a")).count).toBe(4);
    expect((await listStorageEntities(store, "a", undefined)).metadata.totalCount).toBe(0);
    expect((await listStorageEntities(store, "b", undefined)).metadata.totalCount).toBe(2);
  });

  it("deletes by filter, every match regardless of the default limit", async () => {
    const store = newStore();
    await fill(store, "s", 60, "a");
    await fill(store, "s", 3, "b");
    const result = await deleteStorageEntities(store, "s", JSON.stringify({ where: { identifier: { like: "a%" } } }));
    expect(result.count).toBe(60);
    expect((await listStorageEntities(store, "s", undefined)).results.map((r) => r.identifier)).toEqual(["b000", "b001", "b002"]);
    const limited = await deleteStorageEntities(store, "s", { order: "identifier desc", limit: 1 });
    expect(limited.count).toBe(1);
    expect(await store.get("s", "b002")).toBeNull();
    await violationsOf(() => deleteStorageEntities(store, "s", { where: { nope: 1 } }));
    // A blank filter is not "every entity" (alumio-api-reference.txt 1638: the filter selects what is removed).
    expect((await violationsOf(deleteStorageEntities(store, "s", "")))[0].propertyPath).toBe("filter");
    expect((await listStorageEntities(store, "s", undefined)).metadata.totalCount).toBe(2);
  });

  it("prunes entities last written before a time", async () => {
    const store = newStore();
    await store.put("s", "old", 1, "2020-01-01T00:00:00.000Z");
    await store.put("s", "new", 2);
    expect(await pruneStorage(store, "s", new Date(Date.now() - 86_400_000))).toBe(1);
    expect(await store.get("s", "old")).toBeNull();
    expect((await store.get("s", "new"))?.value).toBe(2);
  });

  it("exports NDJSON as a stream, filtered", async () => {
    const store = newStore();
    await fill(store, "s", 30);
    const stream = exportStorageEntities(store, "s", { where: { identifier: { gte: "k010" } } });
    expect(stream).toBeInstanceOf(ReadableStream);
    const lines = (await new Response(stream).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toMatchObject({ identifier: "k010", value: { n: 10 } });
    expect(typeof lines[0].updatedAt).toBe("string");
    const ordered = await new Response(exportStorageEntities(store, "s", { order: "identifier desc", limit: 2 })).text();
    expect(ordered.trim().split("\n").map((l) => JSON.parse(l).identifier)).toEqual(["k029", "k028"]);
    expect(() => exportStorageEntities(store, "s", { where: { bad: 1 } })).toThrow(ApiError);
  });

  it("reports storage sizes from R2 and lists storages", async () => {
    const store = newStore();
    await store.put("a", "k1", "xx"); // "\"xx\"" = 4 bytes
    await store.put("a", "k2", 12345); // 5 bytes
    await store.put("b/c", "k", { a: 1 }); // {"a":1} = 7 bytes
    const meta = await storageMetadata(env.FILES, store.space, undefined);
    expect(meta).toEqual({
      metadata: { totalCount: 2 },
      results: [
        { identifier: "a", sizeInBytes: 9 },
        { identifier: "b/c", sizeInBytes: 7 },
      ],
    });
    const big = await storageMetadata(env.FILES, store.space, JSON.stringify({ where: { sizeInBytes: { gt: 8 } } }));
    expect(big.results.map((r) => r.identifier)).toEqual(["a"]);
    expect(await storagesOf(env.FILES, store.space)).toEqual(["a", "b/c"]);
  });
});
