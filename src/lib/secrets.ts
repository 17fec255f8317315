/**
 * Secrets at rest: AES-256-GCM through WebCrypto, for encrypted environment variables.
 *
 * Ciphertext: `v<version>:<base64 iv>:<base64 data>`: the version of the key that sealed it, a
 * random 12-byte IV, and the AES-GCM output (ciphertext followed by the 16-byte tag). Optional
 * additional data (AAD) binds a ciphertext to where it belongs (e.g. space + variable name), so a
 * value copied to another row does not decrypt there.
 *
 * Keys (secrets, base64 or base64url of exactly 32 bytes):
 * - `ENCRYPTION_KEY`: the current key. Everything new is sealed with it.
 * - `ENCRYPTION_KEY_VERSION`: the current key's version, a positive integer; 1 when absent.
 * - `ENCRYPTION_KEY_PREVIOUS`: the key before the current one (version = current - 1); setting it
 *   without `ENCRYPTION_KEY_VERSION` >= 2 is a configuration error, not a silent version clash.
 * - `ENCRYPTION_KEY_V<n>`: any older key by its version (`ENCRYPTION_KEY_V1`, ...).
 *
 * Rotation: put the old key into `ENCRYPTION_KEY_PREVIOUS` (or `ENCRYPTION_KEY_V<old version>`),
 * the new one into `ENCRYPTION_KEY`, and raise `ENCRYPTION_KEY_VERSION`. Old ciphertext keeps
 * decrypting with the key of its version; `Keyring.reencrypt` (and `reencryptVariables` in
 * src/domain/environment-variables.ts) moves values onto the current key, after which the old key
 * can be removed.
 *
 * Keys are imported once per isolate (cached by their material); nothing here logs a key or a value.
 */
import { ApiError } from "./errors";

export interface SecretsEnv {
  ENCRYPTION_KEY?: string;
  ENCRYPTION_KEY_VERSION?: string;
  ENCRYPTION_KEY_PREVIOUS?: string;
}

/** A key that is missing or malformed, an unknown version, or ciphertext that does not authenticate. */
export class SecretError extends ApiError {
  constructor(detail: string) {
    super(500, detail, { title: "Secret Error" });
    this.name = "SecretError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const IV_BYTES = 12;
const KEY_BYTES = 32;
const FORMAT = /^v([1-9][0-9]{0,8}):([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/;

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Standard or URL-safe base64, padding optional; null when it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  const normalized = text.trim().replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(normalized)) return null;
  try {
    const binary = atob(normalized.padEnd(Math.ceil(normalized.length / 4) * 4, "="));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Imported keys, per isolate, by their base64 material. */
const importedKeys = new Map<string, Promise<CryptoKey>>();

function importKey(name: string, material: string): Promise<CryptoKey> {
  let key = importedKeys.get(material);
  if (!key) {
    const raw = fromBase64(material);
    if (!raw || raw.length !== KEY_BYTES) {
      throw new SecretError(`${name} must be ${KEY_BYTES} random bytes, base64 encoded (e.g. \`openssl rand -base64 32\`).`);
    }
    key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    importedKeys.set(material, key);
  }
  return key;
}

const aadOf = (aad: string | undefined) => (aad === undefined ? {} : { additionalData: encoder.encode(aad) });

/** The keys of one configuration: the current one (for sealing) and every version that still opens. */
export class Keyring {
  /** version -> [setting name, base64 material] */
  private readonly keys: Map<number, [string, string]>;

  constructor(
    readonly currentVersion: number,
    keys: Map<number, [string, string]>,
  ) {
    this.keys = keys;
  }

  /** The key version a ciphertext was sealed with, or null when it is not in this format. */
  static versionOf(ciphertext: string): number | null {
    const m = FORMAT.exec(ciphertext);
    return m ? Number(m[1]) : null;
  }

  private key(version: number): Promise<CryptoKey> {
    const entry = this.keys.get(version);
    if (!entry) {
      throw new SecretError(
        version === this.currentVersion
          ? "ENCRYPTION_KEY is not set: encrypted values cannot be stored or read."
          : `No key for version ${version}: set ENCRYPTION_KEY_V${version} (or ENCRYPTION_KEY_PREVIOUS) to the key used before rotation.`,
      );
    }
    return importKey(entry[0], entry[1]);
  }

  /** Seals `plaintext` with the current key: `v<version>:<iv>:<data>`. */
  async encrypt(plaintext: string, aad?: string): Promise<string> {
    const key = await this.key(this.currentVersion);
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, ...aadOf(aad) }, key, encoder.encode(plaintext));
    return `v${this.currentVersion}:${toBase64(iv)}:${toBase64(new Uint8Array(data))}`;
  }

  /** Opens a ciphertext with the key of its version; throws a SecretError when it does not authenticate. */
  async decrypt(ciphertext: string, aad?: string): Promise<string> {
    const m = FORMAT.exec(ciphertext);
    const iv = m ? fromBase64(m[2]) : null;
    const data = m ? fromBase64(m[3]) : null;
    if (!m || !iv || iv.length !== IV_BYTES || !data || data.length < 16) {
      throw new SecretError("The encrypted value is not in the format v<version>:<iv>:<data>.");
    }
    const key = await this.key(Number(m[1]));
    try {
      return decoder.decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv, ...aadOf(aad) }, key, data));
    } catch {
      throw new SecretError(`The encrypted value does not decrypt with key version ${m[1]} (wrong key, or the value was altered).`);
    }
  }

  /** True when `ciphertext` was sealed with an older key than the current one. */
  isStale(ciphertext: string): boolean {
    const version = Keyring.versionOf(ciphertext);
    return version !== null && version !== this.currentVersion;
  }

  /** The same plaintext sealed with the current key; unchanged when it already is. */
  async reencrypt(ciphertext: string, aad?: string): Promise<string> {
    if (!this.isStale(ciphertext)) {
      await this.decrypt(ciphertext, aad); // still proves it opens
      return ciphertext;
    }
    return this.encrypt(await this.decrypt(ciphertext, aad), aad);
  }
}

const keyrings = new Map<string, Keyring>();

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  if (!/^[1-9][0-9]{0,8}$/.test(value.trim())) throw new SecretError(`${name} must be a positive integer.`);
  return Number(value.trim());
}

/** The keyring configured by `env` (see the module comment); cached per isolate and configuration. */
export function keyring(env: SecretsEnv): Keyring {
  const settings = env as Record<string, unknown>;
  const versioned = Object.keys(settings)
    .filter((name) => /^ENCRYPTION_KEY_V[1-9][0-9]{0,8}$/.test(name) && typeof settings[name] === "string" && settings[name] !== "")
    .sort();
  const fingerprint = JSON.stringify([env.ENCRYPTION_KEY, env.ENCRYPTION_KEY_VERSION, env.ENCRYPTION_KEY_PREVIOUS, versioned.map((n) => [n, settings[n]])]);
  const cached = keyrings.get(fingerprint);
  if (cached) return cached;

  const current = positiveInteger("ENCRYPTION_KEY_VERSION", env.ENCRYPTION_KEY_VERSION, 1);
  const keys = new Map<number, [string, string]>();
  for (const name of versioned) keys.set(Number(name.slice("ENCRYPTION_KEY_V".length)), [name, settings[name] as string]);
  if (env.ENCRYPTION_KEY_PREVIOUS && current < 2) {
    throw new SecretError("ENCRYPTION_KEY_PREVIOUS is set, so ENCRYPTION_KEY_VERSION must name the current key's version (2 or more).");
  }
  if (env.ENCRYPTION_KEY_PREVIOUS) keys.set(current - 1, ["ENCRYPTION_KEY_PREVIOUS", env.ENCRYPTION_KEY_PREVIOUS]);
  if (env.ENCRYPTION_KEY) keys.set(current, ["ENCRYPTION_KEY", env.ENCRYPTION_KEY]);
  else keys.delete(current); // never seal with a versioned key standing in for a missing current one

  const ring = new Keyring(current, keys);
  if (keyrings.size > 16) keyrings.clear();
  keyrings.set(fingerprint, ring);
  return ring;
}

/** Seals `plaintext` with the current key of `env`. */
export const encryptSecret = (env: SecretsEnv, plaintext: string, aad?: string) => keyring(env).encrypt(plaintext, aad);

/** Opens a ciphertext sealed with any configured key version. */
export const decryptSecret = (env: SecretsEnv, ciphertext: string, aad?: string) => keyring(env).decrypt(ciphertext, aad);

/** Re-seals a ciphertext with the current key (unchanged when it already uses it). */
export const reencryptSecret = (env: SecretsEnv, ciphertext: string, aad?: string) => keyring(env).reencrypt(ciphertext, aad);
