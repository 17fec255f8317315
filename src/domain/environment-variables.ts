/**
 * Environment variables: `${NAME}` in configurations, substituted at execution time.
 *
 * - Names follow Alumio's `EnvironmentVariableName` (`^[a-zA-Z0-9_-]+$`, here at most 255
 *   characters) and are case-sensitive. `candidates` is reserved: `/environment-variables/candidates`
 *   is a fixed path that wins over `/environment-variables/{name}`.
 * - Encrypted values are stored AES-GCM encrypted (src/lib/secrets.ts), bound to their space and
 *   name. Only the response that creates a variable shows its value; after that an encrypted value
 *   reads as `******`. Updating with a blank value (absent, `""`, or the mask `******` itself, so a
 *   read-modify-write round trip is harmless) keeps the stored secret.
 * - System-provided variables (`default: true`), computed per space and never stored:
 *     `SPACE`          the space's identifier
 *     `SPACE_NAME`     the space's name
 *     `SPACE_PURPOSE`  the space's purpose (prod, uat, test, dev)
 *   A user variable with the same name overrides one (create it with POST, or PUT the name); deleting
 *   the override brings the system value back. A system variable itself cannot be deleted.
 * - Candidates: `${NAME}` references in the space's configurations that no variable (user or system)
 *   defines. Usages: the configurations that reference a variable.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { compileFilter, type FieldMap } from "../db/filter";
import { configurations, environmentVariables, spaces } from "../db/schema";
import type { VariablesResolver } from "../engine/types";
import { ApiError, VIOLATION_TYPE, type Violation } from "../lib/errors";
import { keyring, type SecretsEnv } from "../lib/secrets";
import { nowIso } from "../lib/time";

type VariableRow = typeof environmentVariables.$inferSelect;

export const VARIABLE_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const VARIABLE_NAME_MAX_LENGTH = 255;
export const RESERVED_VARIABLE_NAMES: readonly string[] = ["candidates"];
/** What an encrypted value reads as after creation. */
export const MASKED_VALUE = "******";

/** The API's shape of a variable. */
export interface EnvironmentVariable {
  name: string;
  description: string;
  value: string;
  encrypted: boolean;
  default: boolean;
}

export interface SystemVariable {
  name: string;
  description: string;
  value: string;
}

interface SpaceFacts {
  identifier: string;
  name?: string;
  purpose?: string;
}

/** The system-provided variables of a space (see the module comment). */
export function systemVariables(space: SpaceFacts): SystemVariable[] {
  const out: SystemVariable[] = [{ name: "SPACE", description: "System: the identifier of the space the run works in.", value: space.identifier }];
  if (space.name !== undefined) out.push({ name: "SPACE_NAME", description: "System: the name of the space.", value: space.name });
  if (space.purpose !== undefined) {
    out.push({ name: "SPACE_PURPOSE", description: "System: the purpose of the space (prod, uat, test or dev).", value: space.purpose });
  }
  return out;
}

const spaceFactsQuery = (db: Database, space: string) =>
  db.select({ identifier: spaces.identifier, name: spaces.name, purpose: spaces.purpose }).from(spaces).where(eq(spaces.identifier, space));

const factsOf = (space: string, rows: SpaceFacts[]): SpaceFacts => rows[0] ?? { identifier: space };

async function systemVariablesOf(db: Database, space: string): Promise<SystemVariable[]> {
  return systemVariables(factsOf(space, await spaceFactsQuery(db, space)));
}

/** Additional authenticated data: a ciphertext opens only for the variable and space it was sealed for. */
export const secretContext = (space: string, name: string) => `environment-variable:${space}:${name}`;

export function toVariable(row: VariableRow, plaintext?: string): EnvironmentVariable {
  return {
    name: row.name,
    description: row.description,
    value: row.encrypted ? (plaintext ?? MASKED_VALUE) : row.value,
    encrypted: row.encrypted,
    default: false,
  };
}

const fromSystem = (v: SystemVariable): EnvironmentVariable => ({ ...v, encrypted: false, default: true });

/** Checks a name for creation: Alumio's pattern, a length limit, and the reserved words. */
export function assertVariableName(name: string, propertyPath = "name"): void {
  if (!VARIABLE_NAME_PATTERN.test(name)) {
    throw ApiError.invalid(propertyPath, "Use letters, digits, underscores and dashes only (^[a-zA-Z0-9_-]+$).");
  }
  if (name.length > VARIABLE_NAME_MAX_LENGTH) throw ApiError.invalid(propertyPath, `At most ${VARIABLE_NAME_MAX_LENGTH} characters.`);
  if (RESERVED_VARIABLE_NAMES.includes(name)) {
    throw ApiError.invalid(propertyPath, `'${name}' is reserved: it is a fixed path segment under /environment-variables.`);
  }
}

// ---- list -------------------------------------------------------------------------------------

/**
 * The list reads a merged view, user variables plus the system variables they do not override,
 * built as a subquery under this stand-in table's name (it is never created), so the filter
 * grammar compiles against it like against any table.
 */
const merged = sqliteTable("merged_environment_variables", {
  name: text("name").notNull(),
  description: text("description").notNull(),
  value: text("value").notNull(),
  encrypted: integer("encrypted", { mode: "boolean" }).notNull(),
  isDefault: integer("is_default", { mode: "boolean" }).notNull(),
});

/** Filterable and sortable fields. Never `value`: a filter must not probe an encrypted value. */
export const ENVIRONMENT_VARIABLE_FIELDS: FieldMap = {
  name: merged.name,
  description: merged.description,
  encrypted: merged.encrypted,
  default: merged.isDefault,
};

function mergedView(space: string, system: SystemVariable[]): SQL {
  const ev = environmentVariables;
  const user = sql`SELECT ${ev.name} AS name, ${ev.description} AS description, ${ev.value} AS value, ${ev.encrypted} AS encrypted, 0 AS is_default FROM ${ev} WHERE ${ev.space} = ${space}`;
  const rows = sql.join(
    system.map((v) => sql`(${v.name}, ${v.description}, ${v.value})`),
    sql`, `,
  );
  const defaults = sql`SELECT column1 AS name, column2 AS description, column3 AS value, 0 AS encrypted, 1 AS is_default FROM (VALUES ${rows}) WHERE column1 NOT IN (SELECT ${ev.name} FROM ${ev} WHERE ${ev.space} = ${space})`;
  return sql`(${user} UNION ALL ${defaults}) AS ${merged}`;
}

interface MergedRow {
  name: string;
  description: string;
  value: string;
  encrypted: number;
  is_default: number;
}

export async function listEnvironmentVariables(db: Database, space: string, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, ENVIRONMENT_VARIABLE_FIELDS, { order: [asc(merged.name)] });
  const view = mergedView(space, await systemVariablesOf(db, space));
  const where = filter.where ? sql` WHERE ${filter.where}` : sql.empty();
  const order = sql.join([...filter.orderBy, asc(merged.name)], sql`, `);
  // Raw statements cannot join a D1 batch through drizzle: two statements, sent together.
  const [rows, totals] = await Promise.all([
    db.all<MergedRow>(
      sql`SELECT ${merged.name}, ${merged.description}, ${merged.value}, ${merged.encrypted}, ${merged.isDefault} FROM ${view}${where} ORDER BY ${order} LIMIT ${filter.limit} OFFSET ${filter.offset}`,
    ),
    db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${view}${where}`),
  ]);
  return {
    metadata: { totalCount: totals[0]?.n ?? 0 },
    results: rows.map(
      (r): EnvironmentVariable => ({
        name: r.name,
        description: r.description,
        value: r.encrypted ? MASKED_VALUE : r.value,
        encrypted: Boolean(r.encrypted),
        default: Boolean(r.is_default),
      }),
    ),
  };
}

// ---- one variable -----------------------------------------------------------------------------

async function findVariable(db: Database, space: string, name: string): Promise<VariableRow | undefined> {
  const [row] = await db
    .select()
    .from(environmentVariables)
    .where(and(eq(environmentVariables.space, space), eq(environmentVariables.name, name)));
  return row;
}

export async function getEnvironmentVariable(db: Database, space: string, name: string): Promise<EnvironmentVariable> {
  const row = await findVariable(db, space, name);
  if (row) return toVariable(row);
  const system = (await systemVariablesOf(db, space)).find((v) => v.name === name);
  if (system) return fromSystem(system);
  throw ApiError.notFound(`Environment variable '${name}'`);
}

export interface NewEnvironmentVariable {
  name: string;
  description?: string;
  value: string;
  encrypted?: boolean;
}

/** Creates a variable (409 when the name exists); the answer shows the value this once. */
export async function createEnvironmentVariable(db: Database, env: SecretsEnv, space: string, input: NewEnvironmentVariable): Promise<EnvironmentVariable> {
  assertVariableName(input.name);
  const encrypted = input.encrypted ?? false;
  const stored = encrypted ? await keyring(env).encrypt(input.value, secretContext(space, input.name)) : input.value;
  const now = nowIso();
  const [row] = await db
    .insert(environmentVariables)
    .values({ space, name: input.name, description: input.description ?? "", value: stored, encrypted, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  if (!row) throw ApiError.conflict(`Environment variable '${input.name}' already exists.`);
  return toVariable(row, encrypted ? input.value : undefined);
}

export interface EnvironmentVariableChanges {
  description?: string;
  value?: string;
  encrypted?: boolean;
}

const isBlank = (value: string | undefined) => value === undefined || value === "" || value === MASKED_VALUE;

/**
 * Updates description, value and/or the encrypted flag. For an encrypted variable a blank value
 * keeps the secret; turning encryption off needs a new value (a secret is never revealed). PUT on
 * a system variable that no user variable overrides creates the override (a value is required).
 */
export async function updateEnvironmentVariable(
  db: Database,
  env: SecretsEnv,
  space: string,
  name: string,
  input: EnvironmentVariableChanges,
): Promise<EnvironmentVariable> {
  const row = await findVariable(db, space, name);
  if (!row) {
    const system = (await systemVariablesOf(db, space)).find((v) => v.name === name);
    if (!system) throw ApiError.notFound(`Environment variable '${name}'`);
    if (input.value === undefined) throw ApiError.invalid("value", `A value is required to override the system variable '${name}'.`);
    const created = await createEnvironmentVariable(db, env, space, {
      name,
      description: input.description,
      value: input.value,
      encrypted: input.encrypted,
    });
    return created.encrypted ? { ...created, value: MASKED_VALUE } : created;
  }

  const encrypted = input.encrypted ?? row.encrypted;
  const context = secretContext(space, name);
  let value: string;
  if (row.encrypted) {
    if (isBlank(input.value)) {
      if (!encrypted) throw ApiError.invalid("value", "Give the new value when turning encryption off: an encrypted value is never revealed.");
      value = row.value;
    } else value = encrypted ? await keyring(env).encrypt(input.value!, context) : input.value!;
  } else {
    const plain = input.value ?? row.value;
    value = encrypted ? await keyring(env).encrypt(plain, context) : plain;
  }
  const [updated] = await db
    .update(environmentVariables)
    .set({ description: input.description ?? row.description, value, encrypted, updatedAt: nowIso() })
    .where(and(eq(environmentVariables.space, space), eq(environmentVariables.name, name)))
    .returning();
  if (!updated) throw ApiError.notFound(`Environment variable '${name}'`);
  return toVariable(updated);
}

export async function deleteEnvironmentVariable(db: Database, space: string, name: string) {
  const [deleted] = await db
    .delete(environmentVariables)
    .where(and(eq(environmentVariables.space, space), eq(environmentVariables.name, name)))
    .returning({ name: environmentVariables.name });
  if (deleted) return { message: `Environment variable '${name}' was deleted.` };
  if ((await systemVariablesOf(db, space)).some((v) => v.name === name)) {
    throw ApiError.invalid("name", `'${name}' is provided by the system and cannot be deleted (a variable of that name overrides it).`);
  }
  throw ApiError.notFound(`Environment variable '${name}'`);
}

// ---- references in configurations ------------------------------------------------------------

/** `${NAME}` as the engine reads it (src/engine/placeholders.ts): a name-like text between the braces. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;
const PREVIEW_LENGTH = 255;

export interface VariableReference {
  name: string;
  /** Where in the configuration: `object.parameters.request.uri`. */
  propertyPath: string;
  /** The string that holds the reference (cut at 255 characters). */
  value: string;
}

function referencesIn(text: string, propertyPath: string, out: VariableReference[]) {
  if (!text.includes("${")) return;
  const seen = new Set<string>();
  for (const m of text.matchAll(REFERENCE)) {
    if (seen.has(m[1])) continue;
    seen.add(m[1]);
    out.push({ name: m[1], propertyPath, value: text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text });
  }
}

/** Every `${NAME}` in a JSON value, string leaves and object keys, with where it is. */
export function findVariableReferences(value: unknown, path = "object", out: VariableReference[] = [], depth = 0): VariableReference[] {
  if (depth > 64) return out;
  if (typeof value === "string") referencesIn(value, path, out);
  else if (Array.isArray(value)) value.forEach((v, i) => findVariableReferences(v, `${path}[${i}]`, out, depth + 1));
  else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      referencesIn(key, here, out);
      findVariableReferences(v, here, out, depth + 1);
    }
  }
  return out;
}

/** LIKE with `\` as the escape character, for a literal fragment. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The space's configurations whose stored object contains `fragment` (a cheap pre-filter; callers check exactly). */
function configurationsContaining(db: Database, space: string, fragment: string) {
  return db
    .select({ type: configurations.type, identifier: configurations.identifier, name: configurations.name, object: configurations.object })
    .from(configurations)
    .where(and(eq(configurations.space, space), sql`${configurations.object} LIKE ${`%${likeLiteral(fragment)}%`} ESCAPE '\\'`))
    .orderBy(asc(configurations.type), asc(configurations.identifier));
}

export interface CandidateMatch {
  type: "configuration";
  metadata: { type: string; identifier: string; name: string };
  payload: { propertyPath: string; value: string };
}

/** `${NAME}` references in the space's configurations that no user or system variable defines. */
export async function environmentVariableCandidates(db: Database, space: string) {
  const [configs, defined, facts] = await db.batch([
    configurationsContaining(db, space, "${"),
    db.select({ name: environmentVariables.name }).from(environmentVariables).where(eq(environmentVariables.space, space)),
    spaceFactsQuery(db, space),
  ]);
  const known = new Set([...defined.map((d) => d.name), ...systemVariables(factsOf(space, facts)).map((v) => v.name)]);
  const candidates = new Map<string, CandidateMatch[]>();
  for (const config of configs) {
    for (const ref of findVariableReferences(config.object)) {
      if (known.has(ref.name)) continue;
      let matches = candidates.get(ref.name);
      if (!matches) candidates.set(ref.name, (matches = []));
      matches.push({
        type: "configuration",
        metadata: { type: config.type, identifier: config.identifier, name: config.name },
        payload: { propertyPath: ref.propertyPath, value: ref.value },
      });
    }
  }
  const results = [...candidates.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, matches]) => ({ name, matches }));
  return { metadata: { totalCount: results.length }, results };
}

/**
 * `?validate-variables=true` of an import: a checker that reports every `${NAME}` (the scanner
 * above) that no user or system variable of the space defines, one violation per use, its
 * propertyPath pointing into `object`. The defined names are read once.
 */
export async function undefinedVariablesChecker(db: Database, space: string): Promise<(object: unknown) => Promise<Violation[]>> {
  const [defined, facts] = await db.batch([
    db.select({ name: environmentVariables.name }).from(environmentVariables).where(eq(environmentVariables.space, space)),
    spaceFactsQuery(db, space),
  ]);
  const known = new Set([...defined.map((d) => d.name), ...systemVariables(factsOf(space, facts)).map((v) => v.name)]);
  return async (object) =>
    findVariableReferences(object)
      .filter((ref) => !known.has(ref.name))
      .map((ref) => ({ propertyPath: ref.propertyPath, title: `No environment variable '${ref.name}' is defined in space '${space}'.`, type: VIOLATION_TYPE }));
}

/** The configurations of the space that reference `${name}`. */
export async function environmentVariableUsages(db: Database, space: string, name: string) {
  const reference = `\${${name}}`;
  const configs = await configurationsContaining(db, space, reference);
  const results = configs
    .filter((c) => findVariableReferences(c.object).some((ref) => ref.name === name))
    .map((c) => ({ type: c.type, identifier: c.identifier, name: c.name }));
  return { metadata: { totalCount: results.length }, results };
}

// ---- execution time ---------------------------------------------------------------------------

/**
 * `${NAME}` for a run in `space`: the space's variables (user over system), read once per run on
 * first use, each encrypted one decrypted only when a configuration asks for it, then cached for
 * the run. Create one per run.
 */
export class D1Variables implements VariablesResolver {
  private rows?: Promise<Map<string, { value: string; encrypted: boolean }>>;
  private readonly resolved = new Map<string, Promise<string | undefined>>();
  private readonly secrets = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly env: SecretsEnv,
    readonly space: string,
  ) {}

  get(name: string): Promise<string | undefined> {
    let value = this.resolved.get(name);
    if (!value) {
      value = this.resolve(name);
      this.resolved.set(name, value);
    }
    return value;
  }

  /** The plaintexts of encrypted variables this run has read so far, for masking them in logs. */
  secretValues(): string[] {
    return [...this.secrets];
  }

  private load() {
    this.rows ??= (async () => {
      const [rows, facts] = await this.db.batch([
        this.db
          .select({ name: environmentVariables.name, value: environmentVariables.value, encrypted: environmentVariables.encrypted })
          .from(environmentVariables)
          .where(eq(environmentVariables.space, this.space)),
        spaceFactsQuery(this.db, this.space),
      ]);
      const map = new Map<string, { value: string; encrypted: boolean }>();
      for (const v of systemVariables(factsOf(this.space, facts))) map.set(v.name, { value: v.value, encrypted: false });
      for (const r of rows) map.set(r.name, { value: r.value, encrypted: r.encrypted });
      return map;
    })();
    return this.rows;
  }

  private async resolve(name: string): Promise<string | undefined> {
    const variable = (await this.load()).get(name);
    if (!variable) return undefined;
    if (!variable.encrypted) return variable.value;
    const plain = await keyring(this.env).decrypt(variable.value, secretContext(this.space, name));
    if (plain !== "") this.secrets.add(plain);
    return plain;
  }
}

// ---- key rotation -----------------------------------------------------------------------------

/**
 * Re-seals every encrypted variable (of one space, or all) that uses an older key version with the
 * current key; run after rotating `ENCRYPTION_KEY` (see src/lib/secrets.ts). Each row is written
 * only if it still holds the ciphertext that was read (compare-and-set). Returns how many moved.
 */
export async function reencryptEnvironmentVariables(db: Database, env: SecretsEnv, space?: string): Promise<number> {
  const ring = keyring(env);
  const rows = await db
    .select({ space: environmentVariables.space, name: environmentVariables.name, value: environmentVariables.value })
    .from(environmentVariables)
    .where(and(eq(environmentVariables.encrypted, true), space === undefined ? undefined : eq(environmentVariables.space, space)));
  const stale = rows.filter((r) => ring.isStale(r.value));
  const updates = [];
  for (const r of stale) {
    const value = await ring.reencrypt(r.value, secretContext(r.space, r.name));
    updates.push(
      db
        .update(environmentVariables)
        .set({ value })
        .where(and(eq(environmentVariables.space, r.space), eq(environmentVariables.name, r.name), eq(environmentVariables.value, r.value))),
    );
  }
  for (let i = 0; i < updates.length; i += 50) {
    const chunk = updates.slice(i, i + 50);
    await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk]);
  }
  return stale.length;
}
