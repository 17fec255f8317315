/**
 * Storage prototypes: read and write Alumio storages (key -> JSON entity stores) from transformers
 * and filters. Everything goes through `run.storages`, which is strongly consistent: a step that
 * stores and a later step (or entity) of the same run that checks see the same data.
 */
import { z } from "zod";
import { getPath, hasPath, isRecord, listToObject, parsePath, setIn } from "../paths";
import { inPlaceTransformer, unchanging } from "../steps";
import { expand, stringify } from "../placeholders";
import type { Builder, DataFilter, Entity, Prototype, RunContext, StoredEntity } from "../types";

const StorageRef = z.string().min(1).describe("Identifier of the storage configuration.");
const StorageKey = z.union([z.string(), z.number()]).transform(String).describe("The entity key; supports &{} placeholders.");
const Path = z.string().describe("Dot path in the data (`a.b.0.c`).");

/** The key a `storageKey` template yields for `data`; "" when its placeholders resolve to nothing. */
async function resolveKey(template: string, data: unknown, run: RunContext): Promise<string> {
  return stringify(await expand(template, data, run));
}

// ---- storage-get-entity-from-storage ----------------------------------------------------------

const GetParameters = z.object({
  storage: StorageRef,
  storageKey: StorageKey,
  destination: Path.optional().describe("Where the stored value is set; absent or empty: the stored value replaces the data."),
});

const getEntityFromStorage: Prototype<z.infer<typeof GetParameters>, "data-transformer"> = {
  type: "data-transformer",
  identifier: "storage-get-entity-from-storage",
  name: "Get entity from storage",
  description: "Loads the entity stored under a key and sets it at a destination path; leaves the data untouched when nothing is stored.",
  parameters: GetParameters,
  documentation: `Loads the value stored in \`storage\` under \`storageKey\` and writes it at \`destination\`.

- \`storage\`: the storage identifier.
- \`storageKey\`: the key, usually built from placeholders: \`&{sku}\`, \`&{fk_locale}|&{fk_product}\`.
- \`destination\`: dot path where the value goes (\`id_product\`, \`_config.id_tax_set\`).

When nothing is stored under the key the data comes out **unchanged**: the destination is not
set at all (not even to null), so a following \`key-condition\` with \`key-exists-condition\` on the
destination tells found from not found.

[INF] A key whose placeholders resolve to nothing (empty string) finds nothing.
[INF] Without \`destination\` (or with \`""\`) the stored value replaces the whole data.

Example: storage \`spryker-concrete-product-sku-to-id\` holds \`"sku-1" -> 42\`;
\`{"sku":"sku-1"}\` with \`storageKey: "&{sku}", destination: "id_product"\` becomes
\`{"sku":"sku-1","id_product":42}\`.`,
  tests: [
    {
      name: "nothing stored: the destination is not set",
      parameters: { storage: "sku-to-id", storageKey: "&{sku}", destination: "id_product" },
      input: { sku: "sku-1" },
      output: { sku: "sku-1" },
    },
  ],
  // what the store returns is a copy of its own (parsed from R2, cloned in memory): written as it is
  create: (p) =>
    inPlaceTransformer(async (data, run) => {
      const key = await resolveKey(p.storageKey, data, run);
      if (key === "") return data;
      const stored = await run.storages.get(p.storage, key);
      if (!stored) return data;
      return setIn(data, parsePath(p.destination ?? ""), stored.value);
    }),
};

// ---- storage-save-entity-in-storage -----------------------------------------------------------

const SaveParameters = z.object({
  storage: StorageRef,
  storageKey: StorageKey,
  source: Path.optional().describe("The value to store; absent or empty: the whole data."),
});

const saveEntityInStorage: Prototype<z.infer<typeof SaveParameters>, "data-transformer"> = {
  type: "data-transformer",
  identifier: "storage-save-entity-in-storage",
  name: "Save entity in storage",
  description: "Stores the value at a source path (or the whole data) in a storage under a key; the data passes unchanged.",
  parameters: SaveParameters,
  documentation: `Writes a value into \`storage\` under \`storageKey\`, replacing what was stored there.
The data itself passes through unchanged.

- \`storage\`: the storage identifier.
- \`storageKey\`: the key, usually with placeholders (\`&{sku}\`, \`&{fk_stock}|&{fk_product}\`).
- \`source\`: dot path of the value to store; without it the whole data is stored.

A later \`storage-get-entity-from-storage\` or \`storage-entity-filter\` in the same run (even for
the next entity) sees the value at once.

[INF] When \`source\` does not exist in the data nothing is stored (and nothing is deleted).
[INF] A key whose placeholders resolve to nothing (empty string) stores nothing; a warning is logged.

Example: \`{"sku":"sku-1","id_product":42}\` with \`storageKey: "&{sku}", source: "id_product"\` stores
\`42\` under \`sku-1\`.`,
  tests: [
    {
      name: "stores the source value; the data is unchanged",
      parameters: { storage: "sku-to-id", storageKey: "&{sku}", source: "id_product" },
      input: { sku: "sku-1", id_product: 42 },
      output: { sku: "sku-1", id_product: 42 },
    },
  ],
  create: (p) =>
    unchanging(async (data, run) => {
      const key = await resolveKey(p.storageKey, data, run);
      if (key === "") {
        run.log("warning", `storage-save-entity-in-storage: the storage key '${p.storageKey}' resolved to an empty string; nothing was stored in '${p.storage}'.`);
        return data;
      }
      const segments = parsePath(p.source ?? "");
      if (!hasPath(data, segments)) return data;
      await run.storages.put(p.storage, key, getPath(data, segments));
      return data;
    }),
};

// ---- storage-filter-stored-entity -------------------------------------------------------------

const ComparatorSpec = z.union([z.string().min(1), z.object({ prototype: z.string().min(1), parameters: z.unknown().optional() }).loose()]);

const FilterStoredParameters = z.object({
  storage: StorageRef,
  addEntityToStorage: z.boolean().default(true).describe("Store every entity that passes, so the next run filters it."),
  comparator: ComparatorSpec.optional().describe("Condition deciding whether the stored entity equals the new one; default strict equality."),
});


/** JSON equality: same types and values, object keys in any order, lists in order. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEquals(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEquals(a[k], b[k]));
  }
  return false;
}

const numeric = (v: unknown): number | null =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : null;

/** PHP's truthiness of a scalar. */
const truthy = (v: unknown): boolean => !(v === false || v === 0 || v === "" || v === "0" || v === null || v === undefined);

/** PHP-like loose equality (`==`), applied through lists and objects. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const container = (v: unknown): v is unknown[] | Record<string, unknown> => Array.isArray(v) || isRecord(v);
  if (container(a) || container(b)) {
    if (!container(a) || !container(b)) {
      const [array, other] = container(a) ? [a, b] : [b as unknown[] | Record<string, unknown>, a];
      const empty = Object.keys(array).length === 0;
      // PHP: an array against null or a boolean compares as booleans; against anything else it differs.
      if (other === null || other === undefined || other === false) return empty;
      return other === true ? !empty : false;
    }
    // PHP: a list and an object with keys 0..n-1 are the same array.
    const x = Array.isArray(a) ? listToObject(a) : a;
    const y = Array.isArray(b) ? listToObject(b) : b;
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && looseEquals(x[k], y[k]));
  }
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) {
    const other = a === null || a === undefined ? b : a;
    if (other === null || other === undefined) return true;
    // PHP: null against a string compares with "", against anything else as booleans.
    return typeof other === "string" ? other === "" : !truthy(other);
  }
  if (typeof a === "boolean" || typeof b === "boolean") return truthy(a) === truthy(b);
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null && y !== null) return x === y;
  return String(a) === String(b);
}

/** Canonical JSON (sorted object keys), for the content key of entities without an identifier. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The storage key of an entity: its identifier; without one, a SHA-256 of its content. */
export async function entityStorageKey(entity: Entity): Promise<string> {
  if (entity.identifier !== undefined && entity.identifier !== null && entity.identifier !== "") return String(entity.identifier);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(entity.data)));
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

type Same = (stored: unknown, current: unknown, run: RunContext) => Promise<boolean>;

function comparatorOf(spec: z.infer<typeof ComparatorSpec> | undefined): Same {
  const id = typeof spec === "string" ? spec : spec?.prototype;
  if (id === undefined || id === "equals") return async (a, b) => jsonEquals(a, b);
  if (id === "equals-adaptive") return async (a, b) => looseEquals(a, b);
  // Any other condition prototype: built per entity with the stored value as its `value`.
  const extra = typeof spec === "object" && isRecord(spec.parameters) ? spec.parameters : {};
  return async (stored, current, run) => {
    const condition = await run.registry.build("condition", { prototype: id, parameters: { ...extra, value: stored } });
    return Boolean(await condition(current, run));
  };
}

const filterStoredEntity: Prototype<z.infer<typeof FilterStoredParameters>, "list-transformer"> = {
  type: "list-transformer",
  identifier: "storage-filter-stored-entity",
  name: "Filter previously stored entities",
  description: "Drops entities that are stored unchanged under their identifier (a delta filter); stores the ones that pass.",
  parameters: FilterStoredParameters,
  documentation: `A delta filter: passes only entities that are new or changed since they were last stored.

For each entity, in order: look up its key in \`storage\`; when the stored value equals the entity's
data the entity is **dropped**; otherwise it passes and, with \`addEntityToStorage\`, its data is
stored under the key (so the next run, or a later duplicate in this run, is dropped).

- \`storage\`: the storage identifier.
- \`addEntityToStorage\`: store the entities that pass (true in every known export).
- \`comparator\`: the condition that decides "unchanged": \`equals\` (default, strict JSON equality,
  object key order ignored) or \`equals-adaptive\` (loose, PHP \`==\`: \`"1"\` equals \`1\`); any other
  condition prototype id is built with \`value\` = the stored data and tested on the new data.

The key is the entity identifier (set from the entity type's \`identifierPath\`, which is why
exports put a \`type-setter\` right before this step).
[INF] **Fallback:** an entity without an identifier is keyed by the content hash of its data,
\`sha256:<hex of canonical JSON>\`, so identical data is still recognised and dropped (but a changed
entity is stored as a new key rather than replacing its previous version).
[INF] \`addEntityToStorage\` defaults to true.

Example: the list \`[{"code":"a"},{"code":"a"}]\` (no identifiers, empty storage) comes out as
\`[{"code":"a"}]\`: the first is stored, the second is then an unchanged duplicate.`,
  tests: [
    {
      name: "a duplicate within the run is dropped (store, then check)",
      parameters: { storage: "delta", addEntityToStorage: true },
      input: [{ code: "a", name: "A" }, { code: "b" }, { name: "A", code: "a" }],
      output: [{ code: "a", name: "A" }, { code: "b" }],
    },
  ],
  create: (p) => {
    const same = comparatorOf(p.comparator);
    return async (entities, run) => {
      const out: Entity[] = [];
      for (const entity of entities) {
        const key = await entityStorageKey(entity);
        const stored = await run.storages.get(p.storage, key);
        if (stored && (await same(stored.value, entity.data, run))) continue;
        if (p.addEntityToStorage) await run.storages.put(p.storage, key, entity.data);
        out.push(entity);
      }
      return out;
    };
  },
};

// ---- storage-entity-filter + storage conditions -----------------------------------------------

const EntityFilterParameters = z.object({
  storage: StorageRef,
  storageKey: StorageKey,
  condition: z.unknown().optional().describe("A storage-condition prototype naming what is filtered away; default storage-entity-does-not-exists."),
  store: z
    .object({ addEntityToStorage: z.boolean().default(false) })
    .loose()
    .optional()
    .describe("With addEntityToStorage, the data that passes is stored under the key."),
});

const entityFilter: Prototype<z.infer<typeof EntityFilterParameters>, "filter"> = {
  type: "filter",
  identifier: "storage-entity-filter",
  name: "In storage condition",
  description: "Filters away the data its storage condition matches, by what a storage holds under a key (e.g. keeps only entities stored before).",
  parameters: EntityFilterParameters,
  documentation: `Looks up \`storageKey\` in \`storage\` and evaluates \`condition\` (a storage condition) on what
it finds. The condition names what the filter removes: data it matches is filtered away, the rest
passes. So \`storage-entity-does-not-exists\` keeps the entities the storage already knows, which is how
the templates use it: "if this SKU was stored, fetch its id" before updating instead of creating.

- \`storage\`: the storage identifier.
- \`storageKey\`: the key, with placeholders (\`&{fk_category}|&{fk_product_abstract}\`).
- \`condition\`: \`{"prototype":"storage-entity-does-not-exists","parameters":[]}\` (filters away what is not
  stored) or \`storage-entity-exists\` (filters away what is). A storage condition receives the stored
  entity \`{value, updatedAt}\`, or \`null\` when nothing is stored.
- \`store.addEntityToStorage\`: when true and the filter passes, the whole data is stored under the key.

[INF] Which way the condition works is not documented. All 14 uses in Alumio's Spryker templates are
\`conditional\` filters with \`storage-entity-does-not-exists\` whose branch reads the id from the same
storage and key (\`spryker-set-id-abstract-product\`, "Set ID ... based on its SKU"): that branch can only
ever find something if the filter passes for stored keys, so this is the reading that makes them work.
Remembering what was seen (pass new entities once) is \`storage-entity-exists\` with \`addEntityToStorage\`.
[INF] Without \`condition\`, \`storage-entity-does-not-exists\` applies.
[INF] "Store" happens only when the filter passes.
[INF] A key whose placeholders resolve to nothing (empty string) is treated as not stored.

Example: storage holding \`sku-1\`, data \`{"sku":"sku-1"}\`, \`storageKey: "&{sku}"\`, does-not-exist condition: passes;
\`{"sku":"sku-2"}\` is filtered away.`,
  tests: [
    {
      name: "nothing stored under the key: filtered away",
      parameters: {
        storage: "sku-to-id",
        storageKey: "&{sku}",
        condition: { prototype: "storage-entity-does-not-exists", parameters: [] },
        store: { addEntityToStorage: false },
      },
      input: { sku: "sku-1" },
      output: false,
    },
  ],
  create: async (p, builder: Builder) => {
    const condition = await builder.build("storage-condition", p.condition ?? "storage-entity-does-not-exists", ["condition"]);
    const store = p.store?.addEntityToStorage ?? false;
    return async (data, run) => {
      const key = await resolveKey(p.storageKey, data, run);
      const stored: StoredEntity | null = key === "" ? null : await run.storages.get(p.storage, key);
      // the condition names what is filtered away (see the documentation)
      const pass = !(await condition(stored, run));
      if (pass && store && key !== "") await run.storages.put(p.storage, key, data);
      return pass;
    };
  },
};

const NoParameters = z.object({}).loose();

const doesNotExist: Prototype<z.infer<typeof NoParameters>, "storage-condition"> = {
  type: "storage-condition",
  identifier: "storage-entity-does-not-exists",
  name: "Entity does not exist in storage",
  description: "Matches when nothing is stored under the key (storage-entity-filter then filters the data away).",
  parameters: NoParameters,
  documentation: `The storage condition of \`storage-entity-filter\`: matches when the storage holds nothing
under the filter's key, so the filter removes those entities. No parameters (exports write \`[]\`).

[INF] Its input is what the filter found: the stored entity \`{value, updatedAt}\`, or \`null\` when
nothing is stored. Example: \`null\` -> true.`,
  tests: [
    { name: "nothing stored: matches", parameters: [], input: null, output: true },
    { name: "something stored: no match", parameters: [], input: { value: 1, updatedAt: "2026-01-01T00:00:00.000Z" }, output: false },
  ],
  create: (): DataFilter => async (stored) => stored === null || stored === undefined,
};

const exists: Prototype<z.infer<typeof NoParameters>, "storage-condition"> = {
  type: "storage-condition",
  identifier: "storage-entity-exists",
  name: "Entity exists in storage",
  description: "Matches when something is stored under the key (the inverse of storage-entity-does-not-exists).",
  parameters: NoParameters,
  documentation: `[INF] Not seen in exports: the natural inverse of \`storage-entity-does-not-exists\`. Matches when the
storage holds a value under the key, so \`storage-entity-filter\` removes what was stored before: with
\`addEntityToStorage\` it passes each entity once.`,
  tests: [{ name: "something stored: matches", parameters: [], input: { value: 1, updatedAt: "2026-01-01T00:00:00.000Z" }, output: true }],
  create: (): DataFilter => async (stored) => stored !== null && stored !== undefined,
};

export const prototypes: Prototype[] = [getEntityFromStorage, saveEntityInStorage, filterStoredEntity, entityFilter, doesNotExist, exists];
