import { jwtVerify, SignJWT } from "jose";

export interface ApiTokenClaims {
  /** token identifier = the `tokens` row that keeps the token alive */
  jti: string;
  /** email of the user the token acts for */
  sub: string;
  exp?: number;
}

// Importing the HMAC key costs more than verifying a signature; keep one per secret.
const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signApiToken(secret: string, claims: ApiTokenClaims): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setJti(claims.jti).setSubject(claims.sub).setIssuedAt();
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(keyFor(secret));
}

/** Returns the claims of a valid, unexpired token signed with `secret`, or null. */
export async function verifyApiToken(secret: string, token: string): Promise<ApiTokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { algorithms: ["HS256"] });
    if (typeof payload.jti !== "string" || typeof payload.sub !== "string") return null;
    return { jti: payload.jti, sub: payload.sub, exp: payload.exp };
  } catch {
    return null;
  }
}
