import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { compileFilter, findPage, type FieldMap } from "../db/filter";
import { spaces, spaceUsers, users, type Role, type SpacePurpose } from "../db/schema";
import { forgetCachedAccess, type Principal } from "../lib/auth";
import { hmacSha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { allowPrivateNetwork, outboundFetch } from "../lib/http-client";
import { nowIso } from "../lib/time";
import { registeredStatements } from "./configurations";

export type SpaceRow = typeof spaces.$inferSelect;

/** Words that are fixed path segments beside /spaces/{identifier}: never a space's identifier. */
export const RESERVED_SPACE_IDENTIFIERS = ["workers", "statistics"];

export const SPACE_FIELDS: FieldMap = {
  identifier: spaces.identifier,
  name: spaces.name,
  purpose: spaces.purpose,
  status: spaces.status,
  createdAt: spaces.createdAt,
  updatedAt: spaces.updatedAt,
};

export function toSpace(row: SpaceRow) {
  return {
    identifier: row.identifier,
    name: row.name,
    description: row.description,
    purpose: row.purpose,
    workers: row.workers,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    isLocked: row.isLocked,
    termsAgreed: row.termsAgreed,
    createUser: row.createUser,
    expireDate: row.expireDate,
    cancelUser: row.cancelUser,
    cancelDate: row.cancelDate,
    status: row.status,
    syncStatus: row.syncStatus,
    syncMessage: row.syncMessage,
    syncedAt: row.syncedAt,
  };
}

export async function findSpace(db: Database, identifier: string): Promise<SpaceRow> {
  const [row] = await db.select().from(spaces).where(eq(spaces.identifier, identifier));
  if (!row) throw ApiError.notFound(`Space '${identifier}'`);
  return row;
}

/** Spaces the principal can see: all for a system administrator, their memberships otherwise. */
export async function listSpaces(db: Database, principal: Principal, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, SPACE_FIELDS, { order: [sql`${spaces.identifier} asc`] });
  const scope = principal.systemAdministrator
    ? undefined
    : inArray(spaces.identifier, db.select({ space: spaceUsers.space }).from(spaceUsers).where(eq(spaceUsers.email, principal.email)));
  const page = await findPage(db, spaces, filter, scope);
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toSpace) };
}

export async function getVisibleSpace(db: Database, principal: Principal, identifier: string) {
  const row = await findSpace(db, identifier);
  if (!principal.systemAdministrator) {
    const [member] = await db
      .select({ email: spaceUsers.email })
      .from(spaceUsers)
      .where(and(eq(spaceUsers.space, identifier), eq(spaceUsers.email, principal.email)));
    if (!member) throw ApiError.forbidden(`You have no access to space '${identifier}'.`);
  }
  return row;
}

function assertNotReserved(identifier: string, path: string) {
  if (RESERVED_SPACE_IDENTIFIERS.includes(identifier)) {
    throw ApiError.invalid(path, `'${identifier}' is reserved: it is a fixed path segment under /spaces.`);
  }
}

export interface NewSpace {
  identifier: string;
  name: string;
  description?: string;
  purpose: SpacePurpose;
  termsAgreed?: boolean;
}

export interface SpaceMember {
  email: string;
  roles: Role[];
}

export interface SyncSettings {
  PROVISIONING_WEBHOOK_URL?: string;
  PROVISIONING_WEBHOOK_SECRET?: string;
  ALLOW_PRIVATE_NETWORK?: string;
}

/**
 * Creates a space with its first users and workers: `new` on insert, `initialized` once users and
 * workers are in place (one D1 batch), then synced to the provisioning webhook (`active`).
 */
export async function createSpace(
  db: Database,
  settings: SyncSettings,
  creator: string,
  space: NewSpace,
  members: SpaceMember[],
  workers: number,
): Promise<SpaceRow> {
  assertNotReserved(space.identifier, "object.identifier");
  const [existing] = await db.select({ identifier: spaces.identifier }).from(spaces).where(eq(spaces.identifier, space.identifier));
  if (existing) throw ApiError.conflict(`Space '${space.identifier}' already exists.`);
  const now = nowIso();
  await db.batch([
    db.insert(spaces).values({
      identifier: space.identifier,
      name: space.name,
      description: space.description ?? "",
      purpose: space.purpose,
      workers,
      termsAgreed: space.termsAgreed ? 1 : 0,
      status: "new",
      createUser: creator,
      createdAt: now,
      updatedAt: now,
    }),
    ...memberStatements(db, space.identifier, members, now),
    ...registeredStatements(db, space.identifier, now),
    db.update(spaces).set({ status: "initialized" }).where(eq(spaces.identifier, space.identifier)),
  ]);
  forgetCachedAccess();
  return syncSpace(db, settings, space.identifier);
}

/** Insert-or-update statements for members of a space (and their user rows). */
export function memberStatements(db: Database, space: string, members: SpaceMember[], now = nowIso()) {
  return members.flatMap((m) => [
    db.insert(users).values({ email: m.email, createdAt: now, updatedAt: now }).onConflictDoNothing(),
    db
      .insert(spaceUsers)
      .values({ space, email: m.email, roles: m.roles, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [spaceUsers.space, spaceUsers.email], set: { roles: m.roles, updatedAt: now } }),
  ]);
}

export async function upsertSpace(db: Database, settings: SyncSettings, creator: string, space: NewSpace): Promise<SpaceRow> {
  assertNotReserved(space.identifier, "identifier");
  const [existing] = await db.select().from(spaces).where(eq(spaces.identifier, space.identifier));
  if (!existing) return createSpace(db, settings, creator, space, [], 0);
  const [row] = await db
    .update(spaces)
    .set({ name: space.name, description: space.description ?? existing.description, purpose: space.purpose, updatedAt: nowIso() })
    .where(eq(spaces.identifier, space.identifier))
    .returning();
  return row;
}

/**
 * Sends an initialized space to PROVISIONING_WEBHOOK_URL (HMAC-SHA256 signed) and records the
 * outcome; without a webhook the space becomes active at once. A failed sync leaves it
 * `initialized` so it can be retried.
 */
export async function syncSpace(db: Database, settings: SyncSettings, identifier: string): Promise<SpaceRow> {
  const space = await findSpace(db, identifier);
  if (space.status !== "initialized") {
    throw ApiError.conflict(`Space '${identifier}' is ${space.status}; only an initialized space can be synced.`);
  }
  let outcome: { status: "succeeded" | "failed" | "skipped"; message: string };
  if (!settings.PROVISIONING_WEBHOOK_URL) {
    outcome = { status: "skipped", message: "No provisioning webhook is configured." };
  } else if (!settings.PROVISIONING_WEBHOOK_SECRET) {
    outcome = { status: "failed", message: "PROVISIONING_WEBHOOK_SECRET is not set, so the request cannot be signed." };
  } else {
    outcome = await postToProvisioning(settings, space);
  }
  const now = nowIso();
  const [row] = await db
    .update(spaces)
    .set({
      status: outcome.status === "failed" ? "initialized" : "active",
      syncStatus: outcome.status,
      syncMessage: outcome.message,
      syncedAt: now,
      updatedAt: now,
    })
    .where(and(eq(spaces.identifier, identifier), eq(spaces.status, "initialized")))
    .returning();
  return row ?? (await findSpace(db, identifier));
}

async function postToProvisioning(settings: SyncSettings, space: SpaceRow) {
  const body = JSON.stringify({ event: "space.sync", space: toSpace(space) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = await hmacSha256Hex(settings.PROVISIONING_WEBHOOK_SECRET!, `${timestamp}.${body}`);
  try {
    const response = await outboundFetch(
      settings.PROVISIONING_WEBHOOK_URL!,
      {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-open-alumio-timestamp": timestamp,
          "x-open-alumio-signature": `sha256=${signature}`,
        },
      },
      { allowPrivateNetwork: allowPrivateNetwork(settings), timeoutMs: 10_000, retries: 1 },
    );
    await response.body?.cancel();
    return response.ok
      ? { status: "succeeded" as const, message: `Provisioning answered ${response.status}.` }
      : { status: "failed" as const, message: `Provisioning answered ${response.status}.` };
  } catch (error) {
    return { status: "failed" as const, message: error instanceof Error ? error.message : String(error) };
  }
}
