import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { spaces, spaceUsers, tokens, type Role } from "../db/schema";
import { ApiError } from "./errors";
import { verifyApiToken } from "./jwt";
import { nowIso } from "./time";

export interface Principal {
  email: string;
  systemAdministrator: boolean;
  /** The API token in use; null for the bootstrap token. */
  tokenId: string | null;
}

/** The bootstrap token acts as this user, a system administrator. */
export const BOOTSTRAP_USER = "bootstrap@system.local";

export const SPACE_ROLES = ["ROLE_USER", "ROLE_EDITOR", "ROLE_ADMINISTRATOR"] as const satisfies readonly Role[];
export const SYSTEM_ROLE = "ROLE_SYSTEM_ADMINISTRATOR";

/**
 * Who may call an operation. Space levels nest: an administrator is an editor is a user.
 * `authenticated` needs any valid token, whatever the space; `system` needs a system administrator.
 */
export type Access = "public" | "authenticated" | "user" | "editor" | "administrator" | "system";

const LEVEL_ROLE: Record<"user" | "editor" | "administrator", Role> = {
  user: "ROLE_USER",
  editor: "ROLE_EDITOR",
  administrator: "ROLE_ADMINISTRATOR",
};

const IMPLIED: Record<Role, Role[]> = {
  ROLE_ADMINISTRATOR: ["ROLE_ADMINISTRATOR", "ROLE_EDITOR", "ROLE_USER"],
  ROLE_EDITOR: ["ROLE_EDITOR", "ROLE_USER"],
  ROLE_USER: ["ROLE_USER"],
};

export function hasLevel(roles: readonly string[], level: "user" | "editor" | "administrator"): boolean {
  const needed = LEVEL_ROLE[level];
  return roles.some((role) => IMPLIED[role as Role]?.includes(needed));
}

/*
 * Token and role look-ups are cached per isolate for a few seconds so that a request costs no
 * D1 round trip; every write to tokens, memberships or administrators clears the cache here, and
 * other isolates see such a change within CACHE_TTL_MS.
 */
const CACHE_TTL_MS = 10_000;
const LAST_USED_EVERY_MS = 60_000;

interface CachedToken {
  principal: Principal;
  expiresAt: string | null;
  lastUsed: number;
  cachedAt: number;
}
const tokenCache = new Map<string, CachedToken>();
const roleCache = new Map<string, { roles: string[] | null; cachedAt: number }>();

export function forgetCachedAccess(): void {
  tokenCache.clear();
  roleCache.clear();
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

export interface AuthSecrets {
  BOOTSTRAP_TOKEN: string;
  JWT_SECRET: string;
}

/** Resolves the bearer token to a principal, or throws a 401 saying why. */
export async function authenticate(
  db: Database,
  secrets: AuthSecrets,
  authorization: string | undefined,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) throw ApiError.unauthorized("A bearer token is required: send 'Authorization: Bearer <token>'.");
  const token = match[1];

  if (secrets.BOOTSTRAP_TOKEN && constantTimeEqual(token, secrets.BOOTSTRAP_TOKEN)) {
    return { email: BOOTSTRAP_USER, systemAdministrator: true, tokenId: null };
  }

  const claims = await verifyApiToken(secrets.JWT_SECRET, token);
  if (!claims) throw ApiError.unauthorized("The bearer token is invalid or has expired.");

  const now = Date.now();
  let cached = tokenCache.get(claims.jti);
  if (!cached || now - cached.cachedAt > CACHE_TTL_MS) {
    const [row] = await db
      .select({
        email: tokens.email,
        expiresAt: tokens.expiresAt,
        lastUsed: tokens.lastUsed,
        // Spelled out: drizzle renders columns unqualified here, and an unqualified "email" inside
        // the subquery would compare the administrators' table with itself.
        systemAdministrator: sql<number>`exists (select 1 from system_administrators sa where sa.email = "tokens"."email")`,
      })
      .from(tokens)
      .where(eq(tokens.identifier, claims.jti));
    if (!row) {
      tokenCache.delete(claims.jti);
      throw ApiError.unauthorized("The bearer token has been revoked.");
    }
    cached = {
      principal: { email: row.email, systemAdministrator: Boolean(row.systemAdministrator), tokenId: claims.jti },
      expiresAt: row.expiresAt,
      lastUsed: row.lastUsed ? Date.parse(row.lastUsed) : 0,
      cachedAt: now,
    };
    tokenCache.set(claims.jti, cached);
  }
  if (cached.expiresAt && Date.parse(cached.expiresAt) <= now) throw ApiError.unauthorized("The bearer token has expired.");
  if (cached.principal.email !== claims.sub) throw ApiError.unauthorized("The bearer token is invalid.");

  if (now - cached.lastUsed > LAST_USED_EVERY_MS) {
    cached.lastUsed = now;
    waitUntil(db.update(tokens).set({ lastUsed: nowIso() }).where(eq(tokens.identifier, claims.jti)).run());
  }
  return cached.principal;
}

/**
 * The principal's roles in `space`: all of them for a system administrator (404 when the space
 * does not exist), the membership's for anyone else (null when not a member).
 */
export async function rolesInSpace(db: Database, principal: Principal, space: string): Promise<string[] | null> {
  const key = `${space}\n${principal.email}\n${principal.systemAdministrator}`;
  const now = Date.now();
  const cached = roleCache.get(key);
  if (cached && now - cached.cachedAt <= CACHE_TTL_MS) return cached.roles;

  let roles: string[] | null;
  if (principal.systemAdministrator) {
    const [row] = await db.select({ identifier: spaces.identifier }).from(spaces).where(eq(spaces.identifier, space));
    roles = row ? [...SPACE_ROLES] : null;
  } else {
    const [row] = await db
      .select({ roles: spaceUsers.roles })
      .from(spaceUsers)
      .where(and(eq(spaceUsers.space, space), eq(spaceUsers.email, principal.email)));
    roles = row ? row.roles : null;
  }
  roleCache.set(key, { roles, cachedAt: now });
  return roles;
}
