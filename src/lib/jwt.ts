import { jwtVerify, SignJWT } from "jose";

export interface ApiTokenClaims {
  /** token identifier = the `tokens` row that keeps the token alive */
  jti: string;
  /** email of the user the token acts for */
  sub: string;
  exp?: number;
}

// Importing the HMAC key costs more than checking a signature: import once per secret.
const keys = new Map<string, Promise<CryptoKey>>();
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

// A token string whose signature checked out once needs no second check (expiry is still read).
const VERIFIED_MAX = 1000;
const verified = new Map<string, ApiTokenClaims>();

export async function signApiToken(secret: string, claims: ApiTokenClaims): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setJti(claims.jti).setSubject(claims.sub).setIssuedAt();
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(await keyFor(secret));
}

/** Returns the claims of a valid, unexpired token signed with `secret`, or null. */
export async function verifyApiToken(secret: string, token: string): Promise<ApiTokenClaims | null> {
  const cacheKey = `${secret.length}:${token}`;
  let claims = verified.get(cacheKey);
  if (!claims) {
    try {
      const { payload } = await jwtVerify(token, await keyFor(secret), { algorithms: ["HS256"] });
      if (typeof payload.jti !== "string" || typeof payload.sub !== "string") return null;
      claims = { jti: payload.jti, sub: payload.sub, exp: payload.exp };
    } catch {
      return null;
    }
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, claims);
  }
  if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) return null;
  return claims;
}
