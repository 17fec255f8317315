import { and, eq, inArray } from "drizzle-orm";
import { ulid } from "ulid";
import { z } from "zod";
import type { Database } from "../db/client";
import { configurations } from "../db/schema";
import { ApiError, propertyPath, VIOLATION_TYPE, type Violation } from "../lib/errors";
import { nowIso } from "../lib/time";
import { asStoredContext, isConfigurationType, validateObject } from "./configuration-types";
import { relationships } from "./configuration-references";
import { inSpace, StoreConfigurations, type ConfigurationRow } from "./configurations";

export const EXPORT_SCHEMA = "https://di.schema.alumio.com/register.configuration.json";

/** One line of an Alumio export. */
const ExportedConfiguration = z.looseObject({
  $schema: z.string().optional(),
  type: z.string().min(1),
  identifier: z
    .string()
    .min(2)
    .max(255)
    .regex(/^[a-z0-9]+[a-z0-9-]*[a-z0-9]+$/, "Use lower-case letters, digits and inner dashes."),
  name: z.string().min(1).max(255),
  description: z.string().max(64000).nullish(),
  object: z.record(z.string(), z.unknown()),
  owner: z.string().nullish(),
  disabled: z.boolean().optional(),
});
type Exported = z.infer<typeof ExportedConfiguration>;

/** JSON array, a single JSON object, or NDJSON (one configuration per line). */
export function parseConfigurations(text: string): { items: unknown[]; violations: Violation[] } {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return { items: parsed, violations: [] };
    } catch {
      return { items: [], violations: [{ propertyPath: "", title: "The body is not a valid JSON array.", type: VIOLATION_TYPE }] };
    }
  }
  const items: unknown[] = [];
  const violations: Violation[] = [];
  trimmed.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      items.push(JSON.parse(line));
    } catch {
      violations.push({ propertyPath: `[line ${i + 1}]`, title: "Not valid JSON.", type: VIOLATION_TYPE });
    }
  });
  return { items, violations };
}

export interface ImportResult {
  type: string;
  identifier: string;
  decision: "create" | "update" | "unchanged" | "invalid";
  action: string;
  relationships: ReturnType<typeof relationships>;
  violations: Violation[];
}

const sameConfiguration = (row: ConfigurationRow, item: Exported) =>
  row.name === item.name &&
  row.description === (item.description ?? "") &&
  (row.owner ?? null) === (item.owner ?? null) &&
  row.disabled === (item.disabled ?? false) &&
  JSON.stringify(row.object) === JSON.stringify(item.object);


const chunks = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/**
 * Validates every configuration against the store plus the batch itself (references may point at
 * each other), decides create/update/unchanged/invalid, and, unless `dryRun` or anything is invalid,
 * writes all of it in one D1 batch (atomic).
 */
export async function importConfigurations(
  db: Database,
  space: string,
  editor: string,
  items: unknown[],
  options: { dryRun: boolean; validateVariables?: (object: unknown) => Promise<Violation[]> },
) {
  const results: ImportResult[] = [];
  const resolver = new StoreConfigurations(db, space);
  // Real exports repeat a configuration now and then: the last line of a (type, identifier) wins.
  const lastIndex = new Map<string, number>();
  items.forEach((raw, index) => {
    const r = (raw ?? {}) as { type?: unknown; identifier?: unknown };
    lastIndex.set(`${String(r.type)}\n${String(r.identifier)}`, index);
  });
  const valid: Exported[] = [];
  items.forEach((raw, index) => {
    const record = (raw ?? {}) as { type?: unknown; identifier?: unknown };
    if (lastIndex.get(`${String(record.type)}\n${String(record.identifier)}`) !== index) {
      results[index] = { type: String(record.type), identifier: String(record.identifier), decision: "unchanged", action: "superseded by a later line", relationships: [], violations: [] };
      return;
    }
    const parsed = ExportedConfiguration.safeParse(raw);
    if (!parsed.success) {
      results[index] = {
        type: String(record.type ?? ""),
        identifier: String(record.identifier ?? ""),
        decision: "invalid",
        action: "skip",
        relationships: [],
        violations: parsed.error.issues.map((issue) => ({ propertyPath: propertyPath(issue.path), title: issue.message, type: VIOLATION_TYPE })),
      };
      return;
    }
    valid.push(parsed.data);
    resolver.stage(parsed.data.type, parsed.data.identifier, parsed.data.object);
  });

  // Existing rows of the batch's types, in one query (an import is mostly one space's flows).
  const existing = new Map<string, ConfigurationRow>();
  const types = [...new Set(valid.map((c) => c.type))];
  if (types.length) {
    const wanted = new Set(valid.map((c) => `${c.type}\n${c.identifier}`));
    const rows = await db.select().from(configurations).where(and(inSpace(space), inArray(configurations.type, types)));
    for (const row of rows) if (wanted.has(`${row.type}\n${row.identifier}`)) existing.set(`${row.type}\n${row.identifier}`, row);
  }

  const built = new Map<string, unknown>();
  let validIndex = 0;
  for (let index = 0; index < items.length; index++) {
    if (results[index]) continue;
    const item = valid[validIndex++];
    const key = `${item.type}\n${item.identifier}`;
    const violations: Violation[] = [];
    if (!isConfigurationType(item.type)) violations.push({ propertyPath: "type", title: `Unknown configuration type '${item.type}'.`, type: VIOLATION_TYPE });
    else violations.push(...(await validateObject(item.type, item.object, resolver, built)));
    if (options.validateVariables) violations.push(...(await options.validateVariables(item.object)));
    const current = existing.get(key);
    const decision = violations.length ? "invalid" : !current ? "create" : sameConfiguration(current, item) ? "unchanged" : "update";
    results[index] = {
      type: item.type,
      identifier: item.identifier,
      decision,
      action: decision === "invalid" || decision === "unchanged" ? "skip" : options.dryRun ? decision : `${decision}d`,
      relationships: relationships(item.object, item.owner, ownerTypeOf(item.type)),
      violations,
    };
  }

  const isValid = results.every((r) => r.decision !== "invalid");
  if (isValid && !options.dryRun) await writeImport(db, space, editor, valid, results, existing);
  return {
    valid: isValid,
    title: isValid ? (options.dryRun ? "Dry run: nothing was written" : "Imported") : "Invalid configurations: nothing was written",
    detail: summarise(results),
    results,
  };
}

/** Tests belong to what they test: the owner's type follows from the test's type. */
function ownerTypeOf(type: string): string | undefined {
  return { "transformer-test": "list-transformer", "incoming-transformer-test": "incoming-configuration", "http-client-test": "http-client" }[type];
}

function summarise(results: ImportResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.decision, (counts.get(r.decision) ?? 0) + 1);
  return [...counts].map(([decision, n]) => `${n} ${decision}`).join(", ");
}

async function writeImport(db: Database, space: string, editor: string, items: Exported[], results: ImportResult[], existing: Map<string, ConfigurationRow>) {
  const now = nowIso();
  const decisions = new Map(results.map((r) => [`${r.type}\n${r.identifier}`, r.decision]));
  const rows: ConfigurationRow[] = [];
  for (const item of items) {
    const key = `${item.type}\n${item.identifier}`;
    const decision = decisions.get(key);
    if (decision !== "create" && decision !== "update") continue;
    const current = existing.get(key);
    rows.push({
      space,
      type: item.type,
      identifier: item.identifier,
      name: item.name,
      description: item.description ?? "",
      object: item.object,
      context: asStoredContext(current?.context),
      owner: item.owner ?? null,
      removable: current?.removable ?? true,
      resettable: current?.resettable ?? false,
      disabled: item.disabled ?? false,
      editor,
      labels: current?.labels ?? [],
      tags: current?.tags ?? [],
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    });
  }
  if (rows.length === 0) return;
  // One prepared upsert bound per row and one INSERT ... SELECT for the history, in one D1 batch
  // (one transaction): binding a prepared statement costs far less than building SQL per chunk.
  const d1 = db.$client;
  const upsert = d1.prepare(
    `insert into configurations (space, type, identifier, name, description, object, context, owner, removable, resettable, disabled, editor, labels, tags, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (space, type, identifier) do update set name = excluded.name, description = excluded.description, object = excluded.object,
       owner = excluded.owner, disabled = excluded.disabled, editor = excluded.editor, context = excluded.context, updated_at = excluded.updated_at`,
  );
  // The history snapshots are copied inside D1 from the rows just written: the objects cross the
  // wire once. Each ULID keeps this moment's time part with 16 random hex digits (hex is a subset
  // of ULID's alphabet).
  const history = d1
    .prepare(
      `insert into configuration_history (ulid, space, type, identifier, action, name, description, object, disabled, labels, editor, created_at)
       select ? || upper(hex(randomblob(8))), space, type, identifier, 'import', name, description, object, disabled, labels, editor, ?
       from configurations where space = ? and editor = ? and updated_at = ?`,
    )
    .bind(ulid().slice(0, 10), now, space, editor, now);
  await d1.batch([
    ...rows.map((r) =>
      upsert.bind(r.space, r.type, r.identifier, r.name, r.description, JSON.stringify(r.object), JSON.stringify(r.context), r.owner, r.removable ? 1 : 0, r.resettable ? 1 : 0, r.disabled ? 1 : 0, r.editor, JSON.stringify(r.labels), JSON.stringify(r.tags), r.createdAt, r.updatedAt),
    ),
    history,
  ]);
}


/** NDJSON lines in Alumio's export format, in a stable order (type, then identifier). */
export async function exportConfigurations(db: Database, space: string, selection: { type: string; identifier?: string }[] | { type: string; identifiers?: string[] }) {
  // Per type: every configuration of it (null) or the named ones.
  const wanted = new Map<string, Set<string> | null>();
  const add = (type: string, identifier?: string) => {
    if (!identifier) return void wanted.set(type, null);
    const current = wanted.get(type);
    if (current === null) return;
    wanted.set(type, (current ?? new Set()).add(identifier));
  };
  if (Array.isArray(selection)) for (const s of selection) add(s.type, s.identifier);
  else if (selection.identifiers?.length) for (const id of selection.identifiers) add(selection.type, id);
  else add(selection.type);
  if (wanted.size === 0) throw ApiError.invalid("objects", "Name at least one configuration to export.");

  // D1 binds at most 100 parameters per statement: identifiers go in chunks.
  const queries = [...wanted].flatMap(([type, identifiers]) =>
    identifiers === null
      ? [and(inSpace(space), eq(configurations.type, type))]
      : chunks([...identifiers], 90).map((part) => and(inSpace(space), eq(configurations.type, type), inArray(configurations.identifier, part))),
  );
  const rows: ConfigurationRow[] = [];
  for (const where of queries) rows.push(...(await db.select().from(configurations).where(where)));
  rows.sort((a, b) => (a.type === b.type ? (a.identifier < b.identifier ? -1 : 1) : a.type < b.type ? -1 : 1));
  return rows
    .map((row) =>
      JSON.stringify({
        $schema: EXPORT_SCHEMA,
        type: row.type,
        identifier: row.identifier,
        name: row.name,
        description: row.description,
        object: row.object,
        owner: row.owner,
        disabled: row.disabled,
      }),
    )
    .join("\n")
    .concat(rows.length ? "\n" : "");
}
