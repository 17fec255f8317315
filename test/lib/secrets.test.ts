import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, fromBase64, Keyring, keyring, reencryptSecret, SecretError, toBase64 } from "../../src/lib/secrets";

const newKey = () => toBase64(crypto.getRandomValues(new Uint8Array(32)));
const OLD = newKey();
const NEW = newKey();

async function rejects(promise: Promise<unknown> | (() => unknown)): Promise<SecretError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretError);
    return error as SecretError;
  }
  throw new Error("expected a SecretError");
}

describe("secrets (AES-GCM)", () => {
  it("round-trips text in the format v<version>:<iv>:<data>, with a fresh IV each time", async () => {
    const plain = "s3cr3t €ü 🔑 ".repeat(3);
    const a = await encryptSecret(env, plain);
    const b = await encryptSecret(env, plain);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cr3t");
    expect(await decryptSecret(env, a)).toBe(plain);
    expect(await decryptSecret(env, b)).toBe(plain);
    expect(await decryptSecret(env, await encryptSecret(env, ""))).toBe("");
    expect(Keyring.versionOf(a)).toBe(1);
  });

  it("refuses tampered data, a tampered IV, a wrong key and the wrong additional data", async () => {
    const sealed = await encryptSecret(env, "value", "space-a:NAME");
    const [version, iv, data] = sealed.split(":");
    const bytes = fromBase64(data)!;
    bytes[0] ^= 1;
    await rejects(decryptSecret(env, `${version}:${iv}:${toBase64(bytes)}`, "space-a:NAME"));
    const ivBytes = fromBase64(iv)!;
    ivBytes[3] ^= 0x80;
    await rejects(decryptSecret(env, `${version}:${toBase64(ivBytes)}:${data}`, "space-a:NAME"));
    await rejects(decryptSecret(env, sealed, "space-b:NAME"));
    await rejects(decryptSecret(env, sealed));
    await rejects(decryptSecret({ ENCRYPTION_KEY: newKey() }, sealed, "space-a:NAME"));
    await rejects(decryptSecret(env, "not-a-ciphertext"));
    await rejects(decryptSecret(env, `v9:${iv}:${data}`, "space-a:NAME"));
    expect(await decryptSecret(env, sealed, "space-a:NAME")).toBe("value");
  });

  it("refuses a missing or malformed key with a clear message that does not echo the key", async () => {
    expect((await rejects(encryptSecret({}, "x"))).message).toMatch(/ENCRYPTION_KEY is not set/);
    const short = await rejects(encryptSecret({ ENCRYPTION_KEY: "change-me-to-32-random-bytes-base64" }, "x"));
    expect(short.message).toMatch(/32 random bytes/);
    expect(short.message).not.toContain("change-me");
    await rejects(() => keyring({ ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_VERSION: "zero" }));
    // PREVIOUS without a version would make the new key version 1 too: refused.
    await rejects(() => keyring({ ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_PREVIOUS: OLD }));
  });

  it("rotation: old versions still decrypt (PREVIOUS or V<n>), new values use the current key, re-encryption moves them", async () => {
    const before = { ENCRYPTION_KEY: OLD };
    const sealedV1 = await encryptSecret(before, "rotate me", "ctx");
    expect(Keyring.versionOf(sealedV1)).toBe(1);

    const after = { ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_VERSION: "2", ENCRYPTION_KEY_PREVIOUS: OLD };
    expect(await decryptSecret(after, sealedV1, "ctx")).toBe("rotate me");
    const fresh = await encryptSecret(after, "new", "ctx");
    expect(Keyring.versionOf(fresh)).toBe(2);
    expect(keyring(after).isStale(sealedV1)).toBe(true);
    expect(keyring(after).isStale(fresh)).toBe(false);

    const moved = await reencryptSecret(after, sealedV1, "ctx");
    expect(Keyring.versionOf(moved)).toBe(2);
    expect(await reencryptSecret(after, moved, "ctx")).toBe(moved);
    // Once moved, the old key is no longer needed.
    const newOnly = { ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_VERSION: "2" };
    expect(await decryptSecret(newOnly, moved, "ctx")).toBe("rotate me");
    expect((await rejects(decryptSecret(newOnly, sealedV1, "ctx"))).message).toMatch(/ENCRYPTION_KEY_V1/);

    // Explicitly versioned keys: three generations.
    const third = newKey();
    const later = { ENCRYPTION_KEY: third, ENCRYPTION_KEY_VERSION: "3", ENCRYPTION_KEY_V1: OLD, ENCRYPTION_KEY_V2: NEW } as Record<string, string>;
    expect(await decryptSecret(later, sealedV1, "ctx")).toBe("rotate me");
    expect(await decryptSecret(later, fresh, "ctx")).toBe("new");
    expect(Keyring.versionOf(await reencryptSecret(later, fresh, "ctx"))).toBe(3);
  });

  it("caches the keyring per configuration", () => {
    expect(keyring(env)).toBe(keyring(env));
    expect(keyring({ ENCRYPTION_KEY: NEW })).not.toBe(keyring(env));
  });
});
