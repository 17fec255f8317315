/**
 * Storages (Alumio's key -> entity stores) on R2: one object per entity at
 * `storages/<space>/<storage>/<entity>`, every segment URL-encoded, the value as JSON and the last
 * write time in the `updatedAt` custom metadata. R2 is strongly consistent, so a transformer that
 * stores and then checks in one run sees its own write.
 *
 * Listing, filtering and counting read R2 listings (keys, sizes, metadata), never the values; the
 * export streams values a few at a time.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { configurations, spaces } from "../db/schema";
import { compileMatcher, violation, type FieldType, type MatchFilter, type Row } from "../db/filter-match";
import type { StorageStore, StoredEntity } from "../engine/types";
import { ApiError, type Violation } from "../lib/errors";
import { nowIso } from "../lib/time";
import { inSpace } from "./configurations";

/** R2 keys are at most 1024 bytes. */
const MAX_R2_KEY_BYTES = 1024;
/** Objects fetched at once when values are needed (export, copy, engine listings). */
const FETCH_CONCURRENCY = 25;
/** R2 deletes at most 1000 keys per call. */
const DELETE_BATCH = 1000;

export const ENTITY_FIELDS: Record<string, FieldType> = { identifier: "text", updatedAt: "text" };
export const METADATA_FIELDS: Record<string, FieldType> = { identifier: "text", sizeInBytes: "number" };

/** One stored entity as an R2 listing describes it (no value). */
export interface EntityInfo {
  identifier: string;
  updatedAt: string;
  /** Bytes of the stored JSON. */
  size: number;
}

const enc = encodeURIComponent;
const byteLength = (s: string) => new TextEncoder().encode(s).length;

export function spacePrefix(space: string): string {
  return `storages/${enc(space)}/`;
}

export function storagePrefix(space: string, storage: string): string {
  return `${spacePrefix(space)}${enc(storage)}/`;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** A strongly consistent StorageStore for one space, on the FILES bucket. */
export class R2StorageStore implements StorageStore {
  constructor(
    readonly bucket: R2Bucket,
    readonly space: string,
  ) {}

  prefix(storage: string): string {
    return storagePrefix(this.space, storage);
  }

  /** The R2 key of an entity; throws when the key cannot be stored (empty or too long). */
  key(storage: string, entity: string): string {
    if (typeof entity !== "string" || entity === "") throw ApiError.invalid("entity", "The entity key must be a non-empty string.");
    const key = this.prefix(storage) + enc(entity);
    if (byteLength(key) > MAX_R2_KEY_BYTES) {
      throw ApiError.invalid("entity", `The entity key is too long: encoded with its storage and space it must fit in ${MAX_R2_KEY_BYTES} bytes.`);
    }
    return key;
  }

  async get(storage: string, key: string): Promise<StoredEntity | null> {
    const object = await this.bucket.get(this.key(storage, key));
    if (!object) return null;
    return { value: await object.json(), updatedAt: updatedAtOf(object) };
  }

  async put(storage: string, key: string, value: unknown, updatedAt = nowIso()): Promise<void> {
    await this.bucket.put(this.key(storage, key), serialize(value), options(updatedAt));
  }

  /** Stores only when nothing is stored under the key yet; null when something is. */
  async create(storage: string, key: string, value: unknown): Promise<StoredEntity | null> {
    const updatedAt = nowIso();
    const put = await this.bucket.put(this.key(storage, key), serialize(value), {
      ...options(updatedAt),
      onlyIf: new Headers({ "if-none-match": "*" }),
    });
    return put ? { value, updatedAt } : null;
  }

  async delete(storage: string, key: string): Promise<void> {
    await this.bucket.delete(this.key(storage, key));
  }

  async head(storage: string, key: string): Promise<EntityInfo | null> {
    const object = await this.bucket.head(this.key(storage, key));
    return object ? { identifier: key, updatedAt: updatedAtOf(object), size: object.size } : null;
  }

  /**
   * The engine's listing: entries in key order (of the encoded keys), `cursor` = the last key of
   * the page when more may follow; pass it back to continue after it.
   */
  async list(storage: string, options: { prefix?: string; cursor?: string; limit?: number } = {}) {
    const base = this.prefix(storage);
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const listed = await this.bucket.list({
      prefix: base + enc(options.prefix ?? ""),
      startAfter: options.cursor !== undefined ? base + enc(options.cursor) : undefined,
      limit,
    });
    const keys = listed.objects.map((o) => decode(o.key.slice(base.length))).filter((k): k is string => k !== null);
    const entries: { key: string; value: unknown; updatedAt: string }[] = [];
    for (const hit of await this.getMany(storage, keys)) if (hit.entity) entries.push({ key: hit.key, ...hit.entity });
    return { entries, cursor: listed.truncated && keys.length ? keys[keys.length - 1] : undefined };
  }

  /** Every entity of a storage (key, updatedAt, size; no values), one R2 listing page at a time. */
  async *scan(storage: string): AsyncGenerator<EntityInfo[]> {
    const base = this.prefix(storage);
    let cursor: string | undefined;
    do {
      const listed = await this.bucket.list({ prefix: base, cursor, limit: 1000, include: ["customMetadata"] });
      const page: EntityInfo[] = [];
      for (const object of listed.objects) {
        const identifier = decode(object.key.slice(base.length));
        if (identifier !== null && identifier !== "") page.push({ identifier, updatedAt: updatedAtOf(object), size: object.size });
      }
      if (page.length) yield page;
      cursor = listed.truncated ? listed.cursor : undefined;
    } while (cursor);
  }

  /** Values for `keys`, fetched a few at a time; `entity` is null for a key deleted meanwhile. */
  async getMany(storage: string, keys: string[]): Promise<{ key: string; entity: StoredEntity | null }[]> {
    const out: { key: string; entity: StoredEntity | null }[] = [];
    for (let i = 0; i < keys.length; i += FETCH_CONCURRENCY) {
      const chunk = keys.slice(i, i + FETCH_CONCURRENCY);
      const got = await Promise.all(chunk.map((key) => this.get(storage, key)));
      chunk.forEach((key, j) => out.push({ key, entity: got[j] }));
    }
    return out;
  }

  async deleteMany(storage: string, keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      await this.bucket.delete(keys.slice(i, i + DELETE_BATCH).map((k) => this.key(storage, k)));
    }
  }
}

function serialize(value: unknown): string {
  // `undefined` has no JSON form; store it as null so the object is always valid JSON.
  return JSON.stringify(value === undefined ? null : value);
}

const options = (updatedAt: string): R2PutOptions => ({
  httpMetadata: { contentType: "application/json" },
  customMetadata: { updatedAt },
});

function updatedAtOf(object: R2Object): string {
  return object.customMetadata?.updatedAt ?? object.uploaded.toISOString();
}

// ---- the API's operations ---------------------------------------------------------------------

export interface StorageEntity {
  value: unknown;
  updatedAt: string;
}

const entityRow = (info: EntityInfo): Row => ({ identifier: info.identifier, updatedAt: info.updatedAt });

/** `next`: an array of strings, the sort values of the last result (the filter's order, then identifier). */
function nextShape(extra: Record<string, unknown>): Violation[] {
  const next = extra.next;
  if (next === undefined || typeof next === "string") return [];
  if (!Array.isArray(next) || next.some((v) => typeof v !== "string")) {
    return [violation("filter.next", "Expected the array of strings a previous page returned as `next`.")];
  }
  return [];
}

function entityMatcher(raw: string | Record<string, unknown> | undefined): { filter: MatchFilter; cursor: Row | null } {
  const filter = compileMatcher(raw, ENTITY_FIELDS, { key: "identifier", extensions: ["next"] }, nextShape);
  const next = filter.extensions.next as string | string[] | undefined;
  const values = typeof next === "string" ? [next] : next;
  if (!values?.length) return { filter, cursor: null };
  if (values.length !== filter.order.length) {
    throw new ApiError(400, "The filter is invalid.", {
      violations: [violation("filter.next", `Expected ${filter.order.length} value(s): the \`next\` of a previous page with the same order.`)],
    });
  }
  return { filter, cursor: Object.fromEntries(filter.order.map((t, i) => [t.field, values[i]])) };
}

/**
 * Keeps the first `size` rows in `compare` order, counting all it was offered. Rows are buffered
 * and the buffer is sorted and cut back to `size` whenever it doubles: O(n log size) overall.
 */
class Window<T> {
  private buffer: T[] = [];
  offered = 0;
  constructor(
    private readonly size: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}
  offer(row: T) {
    this.offered++;
    if (this.size <= 0) return;
    this.buffer.push(row);
    if (this.buffer.length >= 2 * Math.max(this.size, 500)) this.trim();
  }
  private trim() {
    this.buffer.sort(this.compare);
    if (this.buffer.length > this.size) this.buffer.length = this.size;
  }
  get rows(): T[] {
    this.trim();
    return this.buffer;
  }
}

/**
 * Matching entities of a storage in the filter's order: `totalCount` counts every match (the
 * cursor aside), `rows` the first `size` matches after the cursor, `after` how many matches follow it.
 */
async function selectEntities(store: R2StorageStore, storage: string, filter: MatchFilter, cursor: Row | null, size: number) {
  const window = new Window<EntityInfo>(size, (a, b) => filter.compare(entityRow(a), entityRow(b)));
  let totalCount = 0;
  for await (const page of store.scan(storage)) {
    for (const info of page) {
      const row = entityRow(info);
      if (!filter.matches(row)) continue;
      totalCount++;
      if (cursor && filter.compare(row, cursor) <= 0) continue;
      window.offer(info);
    }
  }
  return { totalCount, rows: window.rows, after: window.offered };
}

/** getStorageEntities: `{metadata: {totalCount}, results: [{identifier, updatedAt}], next}`. */
export async function listStorageEntities(store: R2StorageStore, storage: string, rawFilter: string | undefined) {
  const { filter, cursor } = entityMatcher(rawFilter);
  const { totalCount, rows, after } = await selectEntities(store, storage, filter, cursor, filter.offset + filter.limit);
  const page = rows.slice(filter.offset, filter.offset + filter.limit);
  const last = page[page.length - 1];
  const more = last !== undefined && after > filter.offset + page.length;
  return {
    metadata: { totalCount },
    results: page.map((info) => ({ identifier: info.identifier, updatedAt: info.updatedAt })),
    next: more ? filter.order.map((t) => String(entityRow(last)[t.field] ?? "")) : [],
  };
}

export async function getStorageEntity(store: R2StorageStore, storage: string, entity: string): Promise<StorageEntity> {
  const hit = await store.get(storage, entity);
  if (!hit) throw ApiError.notFound(`Entity '${entity}' in storage '${storage}'`);
  return hit;
}

export async function putStorageEntity(store: R2StorageStore, storage: string, entity: string, value: unknown): Promise<StorageEntity> {
  const updatedAt = nowIso();
  await store.put(storage, entity, value, updatedAt);
  return { value: value === undefined ? null : value, updatedAt };
}

export async function createStorageEntity(store: R2StorageStore, storage: string, entity: string, value: unknown): Promise<StorageEntity> {
  const created = await store.create(storage, entity, value === undefined ? null : value);
  if (!created) throw ApiError.conflict(`Entity '${entity}' already exists in storage '${storage}'.`);
  return created;
}

export async function deleteStorageEntity(store: R2StorageStore, storage: string, entity: string) {
  if (!(await store.head(storage, entity))) throw ApiError.notFound(`Entity '${entity}' in storage '${storage}'`);
  await store.delete(storage, entity);
  return { message: `Entity '${entity}' was deleted from storage '${storage}'.` };
}

/**
 * deleteStorageEntities: every entity matching `where` is deleted; `order`, `limit` and `skip`
 * narrow that only when the filter gives them (the list's default limit does not apply). A blank
 * filter is refused like a missing one: `{}` is how to select every entity.
 */
export async function deleteStorageEntities(store: R2StorageStore, storage: string, rawFilter: string | Record<string, unknown>) {
  if (typeof rawFilter === "string" && rawFilter.trim() === "") {
    throw ApiError.invalid("filter", "Give the entities to delete as a filter: `{}` selects every entity (DELETE /storages/{identifier}/entities clears the storage).");
  }
  const filter = compileMatcher(rawFilter, ENTITY_FIELDS, { key: "identifier" });
  let deleted = 0;
  if (!filter.given.order && !filter.given.limit && !filter.given.skip) {
    for await (const page of store.scan(storage)) {
      const keys = page.filter((info) => filter.matches(entityRow(info))).map((info) => info.identifier);
      await store.deleteMany(storage, keys);
      deleted += keys.length;
    }
  } else {
    const size = filter.offset + (filter.given.limit ? filter.limit : Number.MAX_SAFE_INTEGER);
    const { rows } = await selectEntities(store, storage, filter, null, size);
    const keys = rows.slice(filter.offset).map((info) => info.identifier);
    await store.deleteMany(storage, keys);
    deleted = keys.length;
  }
  return { message: `${deleted} ${deleted === 1 ? "entity was" : "entities were"} deleted from storage '${storage}'.`, count: deleted };
}

/** clearStorage: removes every entity. */
export async function clearStorage(store: R2StorageStore, storage: string) {
  let deleted = 0;
  for await (const page of store.scan(storage)) {
    await store.deleteMany(storage, page.map((info) => info.identifier));
    deleted += page.length;
  }
  return { message: `Storage '${storage}' was cleared: ${deleted} ${deleted === 1 ? "entity" : "entities"} removed.`, count: deleted };
}

/**
 * copyStorage: every entity of `source` is written to `target` under the same key, keeping its
 * `updatedAt` (so TTL pruning treats the copy like the original); entities already in `target`
 * under other keys stay.
 */
export async function copyStorage(store: R2StorageStore, source: string, target: string) {
  if (source === target) throw ApiError.invalid("target", "The target storage must differ from the source storage.");
  let copied = 0;
  for await (const page of store.scan(source)) {
    const hits = await store.getMany(source, page.map((info) => info.identifier));
    for (let i = 0; i < hits.length; i += FETCH_CONCURRENCY) {
      const chunk = hits.slice(i, i + FETCH_CONCURRENCY).filter((h) => h.entity);
      await Promise.all(chunk.map((h) => store.put(target, h.key, h.entity!.value, h.entity!.updatedAt)));
      copied += chunk.length;
    }
  }
  return { message: `${copied} ${copied === 1 ? "entity was" : "entities were"} copied from storage '${source}' to '${target}'.`, count: copied };
}

/**
 * exportStorageEntities: NDJSON, one `{"identifier","value","updatedAt"}` per line. The filter is
 * checked before the stream starts (a bad filter is a 400, not a broken stream); values are read
 * a few at a time while the client consumes the stream. Without `order`, `limit` or `skip` every
 * match is exported in storage order.
 */
export function exportStorageEntities(store: R2StorageStore, storage: string, rawFilter: string | Record<string, unknown> | undefined): ReadableStream<Uint8Array> {
  const filter = compileMatcher(rawFilter, ENTITY_FIELDS, { key: "identifier" });
  async function* keys(): AsyncGenerator<string[]> {
    if (!filter.given.order && !filter.given.limit && !filter.given.skip) {
      for await (const page of store.scan(storage)) {
        const matching = page.filter((info) => filter.matches(entityRow(info))).map((info) => info.identifier);
        for (let i = 0; i < matching.length; i += FETCH_CONCURRENCY) yield matching.slice(i, i + FETCH_CONCURRENCY);
      }
      return;
    }
    const size = filter.offset + (filter.given.limit ? filter.limit : Number.MAX_SAFE_INTEGER);
    const { rows } = await selectEntities(store, storage, filter, null, size);
    const selected = rows.slice(filter.offset).map((info) => info.identifier);
    for (let i = 0; i < selected.length; i += FETCH_CONCURRENCY) yield selected.slice(i, i + FETCH_CONCURRENCY);
  }
  async function* lines(): AsyncGenerator<string> {
    for await (const chunk of keys()) {
      let text = "";
      for (const hit of await store.getMany(storage, chunk)) {
        if (hit.entity) text += `${JSON.stringify({ identifier: hit.key, value: hit.entity.value, updatedAt: hit.entity.updatedAt })}\n`;
      }
      if (text) yield text;
    }
  }
  const encoder = new TextEncoder();
  const source = lines();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await source.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}

/**
 * getStorageMetadata: every storage of the space that holds entities, with the bytes its values
 * take (sums of the R2 object sizes), filterable on `identifier` and `sizeInBytes`.
 */
export async function storageMetadata(bucket: R2Bucket, space: string, rawFilter: string | undefined) {
  const filter = compileMatcher(rawFilter, METADATA_FIELDS, { key: "identifier" });
  const base = spacePrefix(space);
  const sizes = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: base, cursor, limit: 1000 });
    for (const object of listed.objects) {
      const rest = object.key.slice(base.length);
      const slash = rest.indexOf("/");
      const storage = slash > 0 ? decode(rest.slice(0, slash)) : null;
      if (storage !== null) sizes.set(storage, (sizes.get(storage) ?? 0) + object.size);
    }
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  const rows = [...sizes].map(([identifier, sizeInBytes]) => ({ identifier, sizeInBytes })).filter((row) => filter.matches(row));
  rows.sort(filter.compare);
  return { metadata: { totalCount: rows.length }, results: rows.slice(filter.offset, filter.offset + filter.limit) };
}

/** Deletes the entities of `storage` last written before `olderThan` (TTL pruning); returns how many. */
export async function pruneStorage(store: R2StorageStore, storage: string, olderThan: Date | string): Promise<number> {
  const limit = typeof olderThan === "string" ? olderThan : olderThan.toISOString();
  let deleted = 0;
  for await (const page of store.scan(storage)) {
    const keys = page.filter((info) => info.updatedAt < limit).map((info) => info.identifier);
    await store.deleteMany(storage, keys);
    deleted += keys.length;
  }
  return deleted;
}

/** The storages of a space that hold at least one entity (for pruning every storage). */
export async function storagesOf(bucket: R2Bucket, space: string): Promise<string[]> {
  const base = spacePrefix(space);
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: base, cursor, delimiter: "/" });
    for (const prefix of listed.delimitedPrefixes) {
      const name = decode(prefix.slice(base.length, -1));
      if (name !== null) names.push(name);
    }
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  return names.sort();
}

// ---- TTL pruning (pruneStorages) --------------------------------------------------------------

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, mo: 2_592_000, y: 31_536_000 };
const UNIT_ALIASES: [RegExp, keyof typeof SECONDS][] = [
  [/^(s|secs?|seconds?)$/, "s"],
  [/^(m|mins?|minutes?)$/, "m"],
  [/^(h|hrs?|hours?)$/, "h"],
  [/^(d|days?)$/, "d"],
  [/^(w|weeks?)$/, "w"],
  [/^(months?)$/, "mo"],
  [/^(y|years?)$/, "y"],
];
const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Thrown by `parseTtl` for a TTL it cannot read. */
export class TtlError extends Error {}

/**
 * A storage configuration's `ttl` in seconds; null when it has none (`undefined`, null, "", []).
 * Accepted forms (months count 30 days, years 365):
 * - the prototype form of real exports, `{"parameters": <ttl>}` (also with a `prototype`), unwrapped;
 * - a number, or a string of digits: seconds (`86400`, `"86400"`);
 * - amounts with units, case-insensitive, one or more: `"30 days"`, `"12 hours"`, `"1 day 6 hours"`,
 *   `"90 min"`, `"2w"`, `"45s"` (units: s/sec/second(s), m/min/minute(s), h/hr/hour(s), d/day(s),
 *   w/week(s), month(s), y/year(s));
 * - an ISO-8601 duration: `"P30D"`, `"PT12H"`, `"P1DT6H"`, `"P2W"`.
 * Anything else, and a TTL of zero or less, throws a TtlError.
 */
export function parseTtl(raw: unknown): number | null {
  let value = raw;
  for (let depth = 0; value && typeof value === "object" && !Array.isArray(value) && depth < 4; depth++) {
    if (!Object.hasOwn(value, "parameters")) throw new TtlError('Expected a duration or {"parameters": <duration>}.');
    value = (value as { parameters: unknown }).parameters;
  }
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return null;
  let seconds: number;
  if (typeof value === "number") seconds = value;
  else if (typeof value !== "string") throw new TtlError("Expected a duration such as \"30 days\", \"PT12H\" or a number of seconds.");
  else seconds = durationSeconds(value.trim());
  if (!Number.isFinite(seconds) || seconds <= 0) throw new TtlError(`The TTL must be a positive duration, not '${String(value)}'.`);
  return seconds;
}

const UNIT_AMOUNTS = /^(\d+(?:\.\d+)?\s*[a-z]+)(?:\s*,?\s*(?:and\s+)?\d+(?:\.\d+)?\s*[a-z]+)*$/;

function durationSeconds(raw: string): number {
  // PHP's relative formats ("+30 days", "-30 days") name the same span.
  const text = raw.replace(/^[+-]\s*/, "");
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const iso = ISO_DURATION.exec(text);
  if (iso && /\d/.test(text)) {
    const [, y, mo, w, d, h, m, s] = iso.map((part) => Number(part ?? 0));
    return y * SECONDS.y + mo * SECONDS.mo + w * SECONDS.w + d * SECONDS.d + h * SECONDS.h + m * SECONDS.m + s;
  }
  const lower = text.toLowerCase();
  if (!UNIT_AMOUNTS.test(lower)) throw new TtlError(`Cannot read '${raw}' as a duration: use e.g. "30 days", "12 hours", "PT12H" or a number of seconds.`);
  let total = 0;
  for (const [, amount, unit] of lower.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/g)) {
    const known = UNIT_ALIASES.find(([pattern]) => pattern.test(unit));
    if (!known) throw new TtlError(`Unknown unit '${unit}' in '${raw}': use seconds, minutes, hours, days, weeks, months or years.`);
    total += Number(amount) * SECONDS[known[1]];
  }
  return total;
}

/** The storage configurations of the space (or the one named) with their TTL settings. */
export async function storageTtls(db: Database, space: string, identifier?: string): Promise<StorageTtl[]> {
  const rows = await db
    .select({ identifier: configurations.identifier, object: configurations.object })
    .from(configurations)
    .where(and(inSpace(space), eq(configurations.type, "storage"), identifier === undefined ? undefined : eq(configurations.identifier, identifier)))
    .orderBy(configurations.identifier);
  if (identifier !== undefined && rows.length === 0) throw ApiError.notFound(`Storage configuration '${identifier}'`);
  return rows.map((row) => {
    const parameters = (row.object.parameters ?? {}) as Record<string, unknown>;
    return { identifier: row.identifier, ttl: parameters.ttl, enablePruning: parameters.enablePruning };
  });
}

export interface StorageTtl {
  identifier: string;
  /** `object.parameters.ttl` as stored. */
  ttl: unknown;
  /** `object.parameters.enablePruning`; only `false` turns pruning off. */
  enablePruning?: unknown;
}

export interface PruneResult {
  identifier: string;
  /** The TTL in seconds. */
  ttl: number;
  /** Entities last written before this time were removed. */
  olderThan: string;
  pruned: number;
  /** Why nothing was pruned, when the storage was skipped. */
  skipped?: string;
}

/**
 * pruneStorages: every storage with a TTL (and `enablePruning` not `false`) loses the entities last
 * written more than TTL ago. Every TTL is read first: one that cannot be read is a 400 (pointing at
 * `storages[<identifier>].object.parameters.ttl`) and nothing is pruned. With `only` (one named
 * storage), a storage without TTL is reported as skipped.
 */
export async function pruneStorages(store: R2StorageStore, storages: StorageTtl[], options: { only?: string; now?: number } = {}) {
  const now = options.now ?? Date.now();
  const plan: { storage: StorageTtl; seconds: number | null }[] = [];
  const violations: Violation[] = [];
  for (const storage of storages) {
    try {
      plan.push({ storage, seconds: parseTtl(storage.ttl) });
    } catch (error) {
      if (!(error instanceof TtlError)) throw error;
      violations.push(violation(`storages[${storage.identifier}].object.parameters.ttl`, error.message));
    }
  }
  if (violations.length) throw new ApiError(400, "A storage's TTL cannot be read: nothing was pruned.", { violations });
  const results: (PruneResult | (Omit<PruneResult, "ttl" | "olderThan"> & { ttl: null; olderThan: null }))[] = [];
  for (const { storage, seconds } of plan) {
    if (seconds === null) {
      if (options.only) results.push({ identifier: storage.identifier, ttl: null, olderThan: null, pruned: 0, skipped: "The storage has no TTL." });
      continue;
    }
    const olderThan = new Date(now - seconds * 1000).toISOString();
    if (storage.enablePruning === false) {
      results.push({ identifier: storage.identifier, ttl: seconds, olderThan, pruned: 0, skipped: "Pruning is disabled (enablePruning: false)." });
      continue;
    }
    results.push({ identifier: storage.identifier, ttl: seconds, olderThan, pruned: await pruneStorage(store, storage.identifier, olderThan) });
  }
  const count = results.reduce((sum, r) => sum + r.pruned, 0);
  const pruned = results.filter((r) => !r.skipped).length;
  return {
    message: `${count} ${count === 1 ? "entity was" : "entities were"} pruned from ${pruned} ${pruned === 1 ? "storage" : "storages"}.`,
    count,
    results,
  };
}

/**
 * The scheduled TTL prune (the cron trigger, once an hour): in every space, every storage with a
 * readable TTL loses its expired entities. Unlike `POST /storages/prune`, a TTL that cannot be
 * read skips only its own storage, and a failing space does not stop the others.
 */
export async function pruneExpiredStorages(db: Database, bucket: R2Bucket, now = Date.now()) {
  const report: { space: string; count: number; error?: string }[] = [];
  for (const { identifier: space } of await db.select({ identifier: spaces.identifier }).from(spaces).orderBy(spaces.identifier)) {
    try {
      const readable = (await storageTtls(db, space)).filter((storage) => {
        try {
          return parseTtl(storage.ttl) !== null;
        } catch {
          return false;
        }
      });
      if (readable.length === 0) continue;
      const { count } = await pruneStorages(new R2StorageStore(bucket, space), readable, { now });
      report.push({ space, count });
    } catch (error) {
      report.push({ space, count: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
