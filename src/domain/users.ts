import { and, asc, eq, sql } from "drizzle-orm";
import { ulid } from "ulid";
import type { Database } from "../db/client";
import { compileFilter, findPage, type FieldMap } from "../db/filter";
import { spacePreferences, spaceUsers, systemAdministrators, tableFilters, users, type SystemRole } from "../db/schema";
import { forgetCachedAccess, SYSTEM_ROLE, type Principal } from "../lib/auth";
import { ApiError } from "../lib/errors";
import { mergePatch } from "../lib/merge-patch";
import { nowIso } from "../lib/time";
import { findSpace, memberStatements, type SpaceMember } from "./spaces";

type Preferences = Record<string, unknown>;

// ---- members of a space -------------------------------------------------------------------

export const MEMBER_FIELDS: FieldMap = { email: spaceUsers.email, roles: spaceUsers.roles, createdAt: spaceUsers.createdAt };

export const toMember = (row: typeof spaceUsers.$inferSelect) => ({ email: row.email, space: row.space, roles: row.roles });

export async function listMembers(db: Database, space: string, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, MEMBER_FIELDS, { order: [asc(spaceUsers.email)] });
  const page = await findPage(db, spaceUsers, filter, eq(spaceUsers.space, space));
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toMember) };
}

export async function getMember(db: Database, space: string, email: string) {
  const [row] = await db.select().from(spaceUsers).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, email.toLowerCase())));
  if (!row) throw ApiError.notFound(`User '${email}' in space '${space}'`);
  return row;
}

const normalise = (m: SpaceMember): SpaceMember => ({ email: m.email.toLowerCase(), roles: [...new Set(m.roles)] });

export async function addMember(db: Database, space: string, member: SpaceMember) {
  const m = normalise(member);
  await findSpace(db, space);
  const [existing] = await db.select().from(spaceUsers).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, m.email)));
  if (existing) throw ApiError.conflict(`User '${m.email}' is already a member of space '${space}'.`);
  await db.batch(memberStatements(db, space, [m]) as [ReturnType<typeof memberStatements>[number]]);
  forgetCachedAccess();
  return getMember(db, space, m.email);
}

/** Replaces the member's email and roles (renaming moves the membership). */
export async function updateMember(db: Database, space: string, email: string, member: SpaceMember) {
  const current = await getMember(db, space, email);
  const m = normalise(member);
  const now = nowIso();
  if (m.email !== current.email) {
    const [taken] = await db.select().from(spaceUsers).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, m.email)));
    if (taken) throw ApiError.conflict(`User '${m.email}' is already a member of space '${space}'.`);
    await db.batch([
      db.insert(users).values({ email: m.email, createdAt: now, updatedAt: now }).onConflictDoNothing(),
      db.update(spaceUsers).set({ email: m.email, roles: m.roles, updatedAt: now }).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, current.email))),
    ]);
  } else {
    await db.update(spaceUsers).set({ roles: m.roles, updatedAt: now }).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, current.email)));
  }
  forgetCachedAccess();
  return getMember(db, space, m.email);
}

export async function removeMember(db: Database, space: string, email: string) {
  const current = await getMember(db, space, email);
  await db.delete(spaceUsers).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, current.email)));
  forgetCachedAccess();
  return { message: `User '${current.email}' was removed from space '${space}'.` };
}

/** Adds the listed users to the space or updates their roles, in one batch; others keep their access. */
export async function assignMembers(db: Database, space: string, members: SpaceMember[]) {
  await findSpace(db, space);
  const statements = memberStatements(db, space, members.map(normalise));
  if (statements.length) await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  forgetCachedAccess();
}

// ---- the current user -----------------------------------------------------------------------

interface Profile {
  preferences: Preferences;
  spacePreferences: Preferences;
  termsAcceptedAt: string | null;
}

/*
 * Every client page asks for /users/me, so profiles are cached per isolate for a few seconds;
 * the writes below clear the caller's entries here. Elsewhere a preference change shows within
 * PROFILE_TTL_MS, which is harmless for preferences.
 */
const PROFILE_TTL_MS = 10_000;
const profiles = new Map<string, { profile: Profile; at: number }>();
const forgetProfile = (email: string) => {
  for (const key of profiles.keys()) if (key.endsWith(`\n${email}`)) profiles.delete(key);
};

async function loadProfile(db: Database, email: string, space: string): Promise<Profile> {
  const key = `${space}\n${email}`;
  const hit = profiles.get(key);
  if (hit && Date.now() - hit.at <= PROFILE_TTL_MS) return hit.profile;
  const row = await db.get<{ preferences: string | null; termsAcceptedAt: string | null; spacePreferences: string | null }>(sql`
    select u.preferences as preferences, u.terms_accepted_at as termsAcceptedAt, sp.preferences as spacePreferences
    from (select ${email} as email) as me
    left join users u on u.email = me.email
    left join space_preferences sp on sp.email = me.email and sp.space = ${space}`);
  const profile = {
    preferences: row?.preferences ? (JSON.parse(row.preferences) as Preferences) : {},
    spacePreferences: row?.spacePreferences ? (JSON.parse(row.spacePreferences) as Preferences) : {},
    termsAcceptedAt: row?.termsAcceptedAt ?? null,
  };
  profiles.set(key, { profile, at: Date.now() });
  return profile;
}

/** The caller's profile in `space`: email, roles there, preferences. */
export async function currentUser(db: Database, principal: Principal, space: string, roles: string[]) {
  const profile = await loadProfile(db, principal.email, space);
  return {
    email: principal.email,
    roles: principal.systemAdministrator ? [...roles, SYSTEM_ROLE] : roles,
    ...profile,
  };
}

async function ensureUser(db: Database, email: string) {
  const now = nowIso();
  await db.insert(users).values({ email, createdAt: now, updatedAt: now }).onConflictDoNothing();
}

export async function mergeUserPreferences(db: Database, email: string, patch: Preferences) {
  await ensureUser(db, email);
  const [row] = await db.select({ preferences: users.preferences }).from(users).where(eq(users.email, email));
  const merged = mergePatch(row?.preferences ?? {}, patch) as Preferences;
  await db.update(users).set({ preferences: merged, updatedAt: nowIso() }).where(eq(users.email, email));
  forgetProfile(email);
}

export async function mergeSpacePreferences(db: Database, space: string, email: string, patch: Preferences) {
  const [row] = await db
    .select({ preferences: spacePreferences.preferences })
    .from(spacePreferences)
    .where(and(eq(spacePreferences.space, space), eq(spacePreferences.email, email)));
  const merged = mergePatch(row?.preferences ?? {}, patch) as Preferences;
  await db
    .insert(spacePreferences)
    .values({ space, email, preferences: merged, updatedAt: nowIso() })
    .onConflictDoUpdate({ target: [spacePreferences.space, spacePreferences.email], set: { preferences: merged, updatedAt: nowIso() } });
  forgetProfile(email);
}

export async function acceptTerms(db: Database, email: string) {
  await ensureUser(db, email);
  await db.update(users).set({ termsAcceptedAt: nowIso(), updatedAt: nowIso() }).where(eq(users.email, email));
  forgetProfile(email);
}

// ---- table filters (per user) ---------------------------------------------------------------

export const TABLE_FILTER_FIELDS: FieldMap = {
  identifier: tableFilters.identifier,
  tableKey: tableFilters.tableKey,
  name: tableFilters.name,
  createdAt: tableFilters.createdAt,
};

const toTableFilter = (row: typeof tableFilters.$inferSelect) => ({
  identifier: row.identifier,
  user: row.email,
  tableKey: row.tableKey,
  name: row.name,
  filter: row.filter,
});

export interface TableFilterInput {
  tableKey: string;
  name: string;
  filter: Record<string, unknown>;
}

export async function listTableFilters(db: Database, email: string, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, TABLE_FILTER_FIELDS, { order: [asc(tableFilters.createdAt)] });
  const page = await findPage(db, tableFilters, filter, eq(tableFilters.email, email));
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toTableFilter) };
}

export async function createTableFilter(db: Database, email: string, input: TableFilterInput) {
  const now = nowIso();
  const [row] = await db.insert(tableFilters).values({ identifier: ulid(), email, ...input, createdAt: now, updatedAt: now }).returning();
  return toTableFilter(row);
}

export async function updateTableFilter(db: Database, email: string, identifier: string, input: TableFilterInput) {
  const [row] = await db
    .update(tableFilters)
    .set({ ...input, updatedAt: nowIso() })
    .where(and(eq(tableFilters.identifier, identifier), eq(tableFilters.email, email)))
    .returning();
  if (!row) throw ApiError.notFound(`Table filter '${identifier}'`);
  return toTableFilter(row);
}

export async function deleteTableFilter(db: Database, email: string, identifier: string) {
  const [row] = await db
    .delete(tableFilters)
    .where(and(eq(tableFilters.identifier, identifier), eq(tableFilters.email, email)))
    .returning({ identifier: tableFilters.identifier });
  if (!row) throw ApiError.notFound(`Table filter '${identifier}'`);
  return { message: `Table filter '${identifier}' was deleted.` };
}

// ---- system administrators ------------------------------------------------------------------

export const SYSTEM_ADMINISTRATOR_FIELDS: FieldMap = { email: systemAdministrators.email, createdAt: systemAdministrators.createdAt };

const toSystemAdministrator = (row: typeof systemAdministrators.$inferSelect) => ({ email: row.email, roles: row.roles });

export async function listSystemAdministrators(db: Database, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, SYSTEM_ADMINISTRATOR_FIELDS, { order: [asc(systemAdministrators.email)] });
  const page = await findPage(db, systemAdministrators, filter);
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toSystemAdministrator) };
}

export async function getSystemAdministrator(db: Database, email: string) {
  const [row] = await db.select().from(systemAdministrators).where(eq(systemAdministrators.email, email.toLowerCase()));
  if (!row) throw ApiError.notFound(`System administrator '${email}'`);
  return toSystemAdministrator(row);
}

export async function createSystemAdministrator(db: Database, input: { email: string; roles: SystemRole[] }) {
  const email = input.email.toLowerCase();
  const now = nowIso();
  const [existing] = await db.select().from(systemAdministrators).where(eq(systemAdministrators.email, email));
  if (existing) throw ApiError.conflict(`'${email}' is already a system administrator.`);
  await db.batch([
    db.insert(users).values({ email, createdAt: now, updatedAt: now }).onConflictDoNothing(),
    db.insert(systemAdministrators).values({ email, roles: [...new Set(input.roles)], createdAt: now, updatedAt: now }),
  ]);
  forgetCachedAccess();
  return getSystemAdministrator(db, email);
}

export async function updateSystemAdministrator(db: Database, email: string, input: { email: string; roles: SystemRole[] }) {
  const current = await getSystemAdministrator(db, email);
  const next = input.email.toLowerCase();
  if (next !== current.email) {
    const [taken] = await db.select().from(systemAdministrators).where(eq(systemAdministrators.email, next));
    if (taken) throw ApiError.conflict(`'${next}' is already a system administrator.`);
  }
  await db
    .update(systemAdministrators)
    .set({ email: next, roles: [...new Set(input.roles)], updatedAt: nowIso() })
    .where(eq(systemAdministrators.email, current.email));
  forgetCachedAccess();
  return getSystemAdministrator(db, next);
}

export async function deleteSystemAdministrator(db: Database, principal: Principal, email: string) {
  const current = await getSystemAdministrator(db, email);
  if (current.email === principal.email) throw ApiError.invalid("email", "You cannot remove yourself as system administrator.");
  await db.delete(systemAdministrators).where(eq(systemAdministrators.email, current.email));
  forgetCachedAccess();
  return { message: `'${current.email}' is no longer a system administrator.` };
}

