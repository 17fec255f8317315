import { and, asc, eq, or } from "drizzle-orm";
import { ulid } from "ulid";
import type { Database } from "../db/client";
import { compileFilter, findPage, type FieldMap } from "../db/filter";
import { spaceUsers, tokens, users } from "../db/schema";
import { forgetCachedAccess, hasLevel, rolesInSpace, type Principal } from "../lib/auth";
import { ApiError } from "../lib/errors";
import { signApiToken } from "../lib/jwt";
import { nowIso } from "../lib/time";

type TokenRow = typeof tokens.$inferSelect;

export const TOKEN_FIELDS: FieldMap = {
  identifier: tokens.identifier,
  name: tokens.name,
  user: tokens.email,
  createdBy: tokens.createdBy,
  createdAt: tokens.createdAt,
  lastUsed: tokens.lastUsed,
};

export const toToken = (row: TokenRow) => ({
  identifier: row.identifier,
  name: row.name,
  description: row.description ?? "",
  user: row.email,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  expiresAt: row.expiresAt,
  lastUsed: row.lastUsed,
});

/** Tokens the principal may see and manage: its own and those it issued; all for a system administrator. */
const visibleTo = (principal: Principal) =>
  principal.systemAdministrator ? undefined : or(eq(tokens.email, principal.email), eq(tokens.createdBy, principal.email));

export async function listTokens(db: Database, principal: Principal, rawFilter: string | undefined) {
  const filter = compileFilter(rawFilter, TOKEN_FIELDS, { order: [asc(tokens.createdAt)] });
  const page = await findPage(db, tokens, filter, visibleTo(principal));
  return { metadata: { totalCount: page.totalCount }, results: page.rows.map(toToken) };
}

export async function getToken(db: Database, principal: Principal, identifier: string): Promise<TokenRow> {
  const [row] = await db.select().from(tokens).where(eq(tokens.identifier, identifier));
  if (!row) throw ApiError.notFound(`Token '${identifier}'`);
  if (!principal.systemAdministrator && row.email !== principal.email && row.createdBy !== principal.email) {
    throw ApiError.forbidden("You may only manage your own tokens and the tokens you issued.");
  }
  return row;
}

export interface NewToken {
  name: string;
  description?: string;
  user?: string;
  expiresAt?: string;
}

/**
 * Issues an API token. Without `user` it acts for the caller; with it (a service user) the caller
 * must be a system administrator or an administrator of `space` where that user is a member.
 */
export async function createToken(db: Database, jwtSecret: string, principal: Principal, space: string, input: NewToken) {
  const owner = (input.user ?? principal.email).toLowerCase();
  if (owner !== principal.email && !principal.systemAdministrator) {
    const roles = await rolesInSpace(db, principal, space);
    if (!roles || !hasLevel(roles, "administrator")) {
      throw ApiError.forbidden(`Issuing a token for another user needs ROLE_ADMINISTRATOR in space '${space}'.`);
    }
    const [member] = await db.select().from(spaceUsers).where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, owner)));
    if (!member) throw ApiError.invalid("user", `'${owner}' is not a member of space '${space}'.`);
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : undefined;
  const identifier = ulid().toLowerCase();
  const now = nowIso();
  const accessToken = await signApiToken(jwtSecret, {
    jti: identifier,
    sub: owner,
    exp: expiresAt ? Math.floor(expiresAt.getTime() / 1000) : undefined,
  });
  await db.batch([
    db.insert(users).values({ email: owner, createdAt: now, updatedAt: now }).onConflictDoNothing(),
    db.insert(tokens).values({
      identifier,
      email: owner,
      name: input.name,
      description: input.description ?? null,
      createdBy: principal.email,
      createdAt: now,
      expiresAt: expiresAt?.toISOString() ?? null,
    }),
  ]);
  return { access_token: accessToken, identifier };
}

export async function updateToken(db: Database, principal: Principal, identifier: string, input: { name?: string; description?: string }) {
  await getToken(db, principal, identifier);
  const [row] = await db
    .update(tokens)
    .set({ ...(input.name !== undefined && { name: input.name }), ...(input.description !== undefined && { description: input.description }) })
    .where(eq(tokens.identifier, identifier))
    .returning();
  return row;
}

export async function revokeToken(db: Database, principal: Principal, identifier: string) {
  await getToken(db, principal, identifier);
  await db.delete(tokens).where(eq(tokens.identifier, identifier));
  forgetCachedAccess();
  return { message: `Token '${identifier}' was revoked.` };
}
