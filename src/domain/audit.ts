import { desc, eq } from "drizzle-orm";
import { ulid } from "ulid";
import type { Database } from "../db/client";
import { compileFilter, findPage, MAX_LIMIT, type FieldMap } from "../db/filter";
import { auditTrail } from "../db/schema";
import { ApiError } from "../lib/errors";
import { redact } from "../lib/redact";
import { nowIso } from "../lib/time";

export type AuditRow = typeof auditTrail.$inferSelect;

export interface AuditInput {
  space: string | null;
  user: string | null;
  ipAddress: string | null;
  category: string;
  action: string;
  message: string;
  request: Record<string, unknown>;
}

export async function recordAudit(db: Database, entry: AuditInput): Promise<void> {
  await db.insert(auditTrail).values({ identifier: ulid(), createdAt: nowIso(), ...entry, request: redact(entry.request) as Record<string, unknown> });
}

export const AUDIT_FIELDS: FieldMap = {
  identifier: auditTrail.identifier,
  user: auditTrail.user,
  spaceIdentifier: auditTrail.space,
  action: auditTrail.action,
  category: auditTrail.category,
  ipAddress: auditTrail.ipAddress,
  message: auditTrail.message,
  createdAt: auditTrail.createdAt,
};

export function toAuditItem(row: AuditRow) {
  return {
    identifier: row.identifier,
    user: row.user ?? "",
    spaceIdentifier: row.space ?? "",
    action: row.action,
    category: row.category,
    ipAddress: row.ipAddress ?? "",
    message: row.message,
    request: row.request,
    createdAt: row.createdAt,
  };
}

/** `space` null lists every space (system administrators). */
export async function listAudit(db: Database, rawFilter: string | undefined, space: string | null) {
  const filter = compileFilter(rawFilter, AUDIT_FIELDS, { order: [desc(auditTrail.createdAt)] });
  const page = await findPage(db, auditTrail, filter, space === null ? undefined : eq(auditTrail.space, space));
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toAuditItem) };
}

export async function getAudit(db: Database, identifier: string, space: string | null) {
  const [row] = await db.select().from(auditTrail).where(eq(auditTrail.identifier, identifier));
  if (!row || (space !== null && row.space !== space)) throw ApiError.notFound(`Audit trail item '${identifier}'`);
  return toAuditItem(row);
}

const CSV_COLUMNS = ["identifier", "createdAt", "spaceIdentifier", "user", "ipAddress", "category", "action", "message", "request"] as const;

function csvCell(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The filtered entries as CSV; an export without a limit takes the most allowed (1000). */
export async function exportAuditCsv(db: Database, rawFilter: string | undefined, space: string | null): Promise<string> {
  const filter = compileFilter(rawFilter, AUDIT_FIELDS, { order: [desc(auditTrail.createdAt)], limit: MAX_LIMIT });
  const page = await findPage(db, auditTrail, filter, space === null ? undefined : eq(auditTrail.space, space));
  const results = page.rows.map(toAuditItem);
  const lines = [CSV_COLUMNS.join(",")];
  for (const item of results) lines.push(CSV_COLUMNS.map((col) => csvCell(item[col])).join(","));
  return lines.join("\r\n") + "\r\n";
}
