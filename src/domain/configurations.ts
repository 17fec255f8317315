import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { ulid } from "ulid";
import type { Database } from "../db/client";
import { compileFilter, findPage, type FieldMap } from "../db/filter";
import { configurationHistory, configurations, favourites } from "../db/schema";
import type { ConfigurationResolver, PrototypeSpec } from "../engine/types";
import { ApiError } from "../lib/errors";
import { nowIso } from "../lib/time";
import { asStoredContext, isConfigurationType, REGISTERED_CONFIGURATIONS, validateObject } from "./configuration-types";

export type ConfigurationRow = typeof configurations.$inferSelect;

/** Every query of the store goes through this scope, so none can read another space. */
export const inSpace = (space: string) => eq(configurations.space, space);
const byKey = (space: string, type: string, identifier: string) =>
  and(inSpace(space), eq(configurations.type, type), eq(configurations.identifier, identifier));

export const CONFIGURATION_FIELDS: FieldMap = {
  type: configurations.type,
  identifier: configurations.identifier,
  name: configurations.name,
  description: configurations.description,
  owner: configurations.owner,
  disabled: configurations.disabled,
  editor: configurations.editor,
  createdAt: configurations.createdAt,
  updatedAt: configurations.updatedAt,
  label: { jsonArray: configurations.labels },
  tag: { jsonArray: configurations.tags },
};

export function toConfiguration(row: ConfigurationRow) {
  return {
    type: row.type,
    identifier: row.identifier,
    name: row.name,
    description: row.description,
    object: row.object,
    context: row.context,
    owner: row.owner,
    removable: row.removable,
    resettable: row.resettable,
    disabled: row.disabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    editor: row.editor ?? "",
    label: row.labels,
    tag: row.tags,
  };
}

/** Resolves references inside the engine from the store (and, during an import, the batch first). */
export class StoreConfigurations implements ConfigurationResolver {
  private readonly overlay = new Map<string, PrototypeSpec>();
  private readonly cache = new Map<string, PrototypeSpec | undefined>();

  constructor(
    private readonly db: Database,
    private readonly space: string,
  ) {}

  /** Makes `object` visible as (type, identifier) before it is written (imports validate as a whole). */
  stage(type: string, identifier: string, object: PrototypeSpec) {
    this.overlay.set(`${type}\n${identifier}`, object);
  }

  async get(type: string, identifier: string): Promise<PrototypeSpec | undefined> {
    const key = `${type}\n${identifier}`;
    if (this.overlay.has(key)) return this.overlay.get(key);
    if (!this.cache.has(key)) {
      const [row] = await this.db.select({ object: configurations.object }).from(configurations).where(byKey(this.space, type, identifier));
      this.cache.set(key, row?.object as PrototypeSpec | undefined);
    }
    return this.cache.get(key);
  }
}

/** Stored = made or changed by a user; registered ones nobody touched are only "available". */
export const isStored = sql`coalesce(json_extract(${configurations.context}, '$.registered'), 0) = 0`;

/** Inserts the registered configurations of a new space (statements for the space's creation batch). */
export function registeredStatements(db: Database, space: string, now = nowIso()) {
  return REGISTERED_CONFIGURATIONS.map((c) =>
    db
      .insert(configurations)
      .values({ space, ...c, object: c.object as unknown as Record<string, unknown>, context: { registered: true }, removable: false, resettable: true, editor: null, createdAt: now, updatedAt: now })
      .onConflictDoNothing(),
  );
}

export async function listConfigurations(db: Database, space: string, rawFilter: string | Record<string, unknown> | undefined, scope?: SQL, type?: string) {
  const filter = compileFilter(rawFilter, CONFIGURATION_FIELDS, { order: [asc(configurations.type), asc(configurations.identifier)] });
  const page = await findPage(db, configurations, filter, and(inSpace(space), scope, type ? eq(configurations.type, type) : undefined));
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toConfiguration) };
}

export async function getConfiguration(db: Database, space: string, type: string, identifier: string): Promise<ConfigurationRow> {
  const [row] = await db.select().from(configurations).where(byKey(space, type, identifier));
  if (!row) throw ApiError.notFound(`Configuration ${type} '${identifier}'`);
  return row;
}

export interface ConfigurationInput {
  type: string;
  identifier?: string;
  name: string;
  description?: string | null;
  object: Record<string, unknown>;
  context?: Record<string, unknown>;
  owner?: string | null;
  removable?: boolean;
  resettable?: boolean;
  disabled?: boolean;
}

/** `My HTTP client!` -> `my-http-client`. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 255);
}

async function assertValid(db: Database, space: string, input: { type: string; object: unknown }) {
  if (!isConfigurationType(input.type)) throw ApiError.invalid("type", `Unknown configuration type '${input.type}'.`);
  const violations = await validateObject(input.type, input.object, new StoreConfigurations(db, space));
  if (violations.length) throw new ApiError(400, `The ${input.type} configuration is invalid.`, { violations });
}

function historyEntry(space: string, row: Omit<ConfigurationRow, "space">, action: string, editor: string | null) {
  return {
    ulid: ulid(),
    space,
    type: row.type,
    identifier: row.identifier,
    action,
    name: row.name,
    description: row.description,
    object: row.object,
    disabled: row.disabled,
    labels: row.labels,
    editor,
    createdAt: nowIso(),
  };
}

export async function createConfiguration(db: Database, space: string, editor: string, input: ConfigurationInput) {
  const identifier = input.identifier ?? slugify(input.name);
  if (!identifier) throw ApiError.invalid("identifier", "An identifier is needed: the name has no letters or digits to derive one from.");
  await assertValid(db, space, input);
  const [existing] = await db.select({ identifier: configurations.identifier }).from(configurations).where(byKey(space, input.type, identifier));
  if (existing) throw ApiError.conflict(`A ${input.type} configuration '${identifier}' already exists.`);
  const now = nowIso();
  const row: ConfigurationRow = {
    space,
    type: input.type,
    identifier,
    name: input.name,
    description: input.description ?? "",
    object: input.object,
    context: input.context ?? {},
    owner: input.owner ?? null,
    removable: input.removable ?? true,
    resettable: input.resettable ?? false,
    disabled: input.disabled ?? false,
    editor,
    labels: [],
    tags: [],
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([db.insert(configurations).values(row), db.insert(configurationHistory).values(historyEntry(space, row, "create", editor))]);
  return row;
}

/** PUT (replace: every field from the input) or PATCH (only the fields given). */
export async function updateConfiguration(db: Database, space: string, editor: string, input: Partial<ConfigurationInput> & { type: string; identifier: string }, mode: "replace" | "patch") {
  const current = await getConfiguration(db, space, input.type, input.identifier);
  const pick = <K extends keyof ConfigurationInput>(key: K, fallback: ConfigurationRow[K & keyof ConfigurationRow]) =>
    input[key] !== undefined ? input[key] : mode === "patch" ? current[key as keyof ConfigurationRow] : fallback;
  const next: ConfigurationRow = {
    ...current,
    name: pick("name", current.name) as string,
    description: (pick("description", "") as string | null) ?? "",
    object: pick("object", current.object) as Record<string, unknown>,
    context: asStoredContext(pick("context", {}) as Record<string, unknown>),
    owner: (pick("owner", null) as string | null) ?? null,
    removable: pick("removable", current.removable) as boolean,
    resettable: pick("resettable", current.resettable) as boolean,
    disabled: pick("disabled", false) as boolean,
    editor,
    updatedAt: nowIso(),
  };
  if (input.object !== undefined) await assertValid(db, space, next);
  await db.batch([
    db.update(configurations).set(next).where(byKey(space, next.type, next.identifier)),
    db.insert(configurationHistory).values(historyEntry(space, next, mode === "patch" ? "patch" : "update", editor)),
  ]);
  return next;
}

export async function deleteConfiguration(db: Database, space: string, editor: string, type: string, identifier: string) {
  const current = await getConfiguration(db, space, type, identifier);
  if (!current.removable) throw ApiError.forbidden(`The ${type} configuration '${identifier}' is not removable.`);
  await db.batch([
    db.delete(configurations).where(byKey(space, type, identifier)),
    db.insert(configurationHistory).values(historyEntry(space, current, "delete", editor)),
  ]);
  return { message: `The ${type} configuration '${identifier}' was deleted.` };
}

export async function setStatus(db: Database, space: string, editor: string, type: string, identifier: string, disabled: boolean) {
  return updateConfiguration(db, space, editor, { type, identifier, disabled }, "patch");
}

export async function setLabels(db: Database, space: string, editor: string, type: string, identifier: string, labels: string[]) {
  const current = await getConfiguration(db, space, type, identifier);
  const next = { ...current, labels: [...new Set(labels)], editor, updatedAt: nowIso() };
  await db.batch([
    db.update(configurations).set({ labels: next.labels, editor, updatedAt: next.updatedAt }).where(byKey(space, type, identifier)),
    db.insert(configurationHistory).values(historyEntry(space, next, "labels", editor)),
  ]);
  return { metadata: { totalCount: next.labels.length }, results: next.labels.map((name) => ({ name })) };
}

/** Deletes the removable configurations of `type` matching the filter; answers how many. */
export async function deleteByFilter(db: Database, space: string, editor: string, type: string, rawFilter: string | Record<string, unknown> | undefined) {
  const filter = compileFilter(rawFilter, CONFIGURATION_FIELDS, { limit: 1000 });
  const scope = and(inSpace(space), eq(configurations.type, type), eq(configurations.removable, true));
  const page = await findPage(db, configurations, filter, scope);
  if (page.rows.length === 0) return { deleted: 0 };
  const statements = page.rows.flatMap((row) => [
    db.delete(configurations).where(byKey(space, row.type, row.identifier)),
    db.insert(configurationHistory).values(historyEntry(space, row, "delete", editor)),
  ]);
  await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  return { deleted: page.rows.length };
}

// ---- history and restore ---------------------------------------------------------------------

export const HISTORY_FIELDS: FieldMap = {
  ulid: configurationHistory.ulid,
  action: configurationHistory.action,
  editor: configurationHistory.editor,
  createdAt: configurationHistory.createdAt,
};

const toHistory = (row: typeof configurationHistory.$inferSelect) => ({
  type: row.type,
  identifier: row.identifier,
  ulid: row.ulid,
  action: row.action,
  name: row.name,
  editor: row.editor ?? "",
  description: row.description,
  object: row.object,
  createdAt: row.createdAt,
  disabled: row.disabled,
  label: row.labels,
});

export async function listHistory(db: Database, space: string, type: string, identifier: string, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, HISTORY_FIELDS, { order: [desc(configurationHistory.ulid)] });
  const scope = and(eq(configurationHistory.space, space), eq(configurationHistory.type, type), eq(configurationHistory.identifier, identifier));
  const page = await findPage(db, configurationHistory, filter, scope);
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toHistory) };
}

/** Makes an earlier snapshot current again (re-creating a deleted configuration); itself a new history entry. */
export async function restoreConfiguration(db: Database, space: string, editor: string, type: string, identifier: string, ulidToRestore: string) {
  const [snapshot] = await db
    .select()
    .from(configurationHistory)
    .where(and(eq(configurationHistory.space, space), eq(configurationHistory.type, type), eq(configurationHistory.identifier, identifier), eq(configurationHistory.ulid, ulidToRestore)));
  if (!snapshot) throw ApiError.notFound(`History entry '${ulidToRestore}' of ${type} '${identifier}'`);
  const [current] = await db.select().from(configurations).where(byKey(space, type, identifier));
  const now = nowIso();
  const restored: ConfigurationRow = {
    ...(current ?? { space, type, identifier, context: {}, owner: null, removable: true, resettable: false, tags: [], createdAt: now }),
    name: snapshot.name,
    description: snapshot.description,
    object: snapshot.object,
    disabled: snapshot.disabled,
    labels: snapshot.labels,
    editor,
    updatedAt: now,
  };
  const entry = historyEntry(space, restored, "restore", editor);
  await db.batch([
    current ? db.update(configurations).set(restored).where(byKey(space, type, identifier)) : db.insert(configurations).values(restored),
    db.insert(configurationHistory).values(entry),
  ]);
  return toHistory({ ...entry, editor });
}

// ---- favourites --------------------------------------------------------------------------------

export async function toggleFavourite(db: Database, space: string, email: string, type: string, identifier: string) {
  await getConfiguration(db, space, type, identifier);
  const where = and(eq(favourites.space, space), eq(favourites.email, email), eq(favourites.type, type), eq(favourites.identifier, identifier));
  const [existing] = await db.select().from(favourites).where(where);
  const now = nowIso();
  if (existing) {
    await db.delete(favourites).where(where);
    return { id: existing.id, identifier, type, space, user: email, tag: [] as string[], favourite: false, createdAt: existing.createdAt, updatedAt: now };
  }
  const id = ulid();
  await db.insert(favourites).values({ id, space, email, type, identifier, createdAt: now });
  return { id, identifier, type, space, user: email, tag: ["favourite"], favourite: true, createdAt: now, updatedAt: now };
}

export async function favouriteKeys(db: Database, space: string, email: string) {
  const rows = await db.select({ type: favourites.type, identifier: favourites.identifier }).from(favourites).where(and(eq(favourites.space, space), eq(favourites.email, email)));
  return new Set(rows.map((r) => `${r.type}\n${r.identifier}`));
}

