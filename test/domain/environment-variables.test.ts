import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { configurations, environmentVariables } from "../../src/db/schema";
import {
  createEnvironmentVariable,
  D1Variables,
  deleteEnvironmentVariable,
  environmentVariableCandidates,
  environmentVariableUsages,
  findVariableReferences,
  listEnvironmentVariables,
  reencryptEnvironmentVariables,
  systemVariables,
  updateEnvironmentVariable,
} from "../../src/domain/environment-variables";
import { expand } from "../../src/engine/placeholders";
import type { RunContext } from "../../src/engine/types";
import { Keyring, toBase64 } from "../../src/lib/secrets";
import { unique } from "../helpers/api";

const db = createDb(env.DB);

async function insertConfiguration(space: string, type: string, identifier: string, object: Record<string, unknown>, name = identifier) {
  const now = new Date().toISOString();
  await db.insert(configurations).values({ space, type, identifier, name, object, createdAt: now, updatedAt: now });
}

/** A space with no spaces row: system variables then hold only SPACE. */
const newSpace = () => unique("evspace");

describe("references in configurations", () => {
  it("finds ${NAME} in string leaves and keys, with property paths, and ignores what is not a name", () => {
    const refs = findVariableReferences({
      parameters: {
        baseUri: "${AKENEO_BASE_URL}",
        request: { uri: "/rest/${MAGENTO_STORE}/V1/products/&{code}", headers: [{ Authorization: "Bearer ${TOKEN} ${TOKEN}" }] },
        "${KEY_NAME}": 1,
        literal: "searchCriteria={} and ${ not a name } and $ {X} and &{sku}",
        concatenated: "${WOOCOMMERCE_BASE_URI}${WOOCOMMERCE_URI}",
      },
    });
    expect(refs.map((r) => [r.name, r.propertyPath])).toEqual([
      ["AKENEO_BASE_URL", "object.parameters.baseUri"],
      ["MAGENTO_STORE", "object.parameters.request.uri"],
      ["TOKEN", "object.parameters.request.headers[0].Authorization"],
      ["KEY_NAME", "object.parameters.${KEY_NAME}"],
      ["WOOCOMMERCE_BASE_URI", "object.parameters.concatenated"],
      ["WOOCOMMERCE_URI", "object.parameters.concatenated"],
    ]);
    expect(refs[1].value).toBe("/rest/${MAGENTO_STORE}/V1/products/&{code}");
  });

  it("candidates: references no variable defines, grouped by name with every location; defined and system names are not candidates", async () => {
    const space = newSpace();
    await insertConfiguration(space, "http-client", "akeneo-client", {
      prototype: "akeneo",
      parameters: { baseUri: "${AKENEO_BASE_URL}", clientId: "${AKENEO_CLIENT_ID}", secret: "${AKENEO_CLIENT_SECRET}", space: "${SPACE}" },
    }, "Akeneo client");
    await insertConfiguration(space, "outgoing-configuration", "to-magento", {
      parameters: { publisher: { parameters: { request: { uri: "/rest/${MAGENTO_STORE}/V1/x", base: "${AKENEO_BASE_URL}" } } } },
    });
    await insertConfiguration(space, "route", "no-variables", { parameters: { incoming: "a", outgoing: "b", literal: "{}" } });
    // Another space's references and variables do not count.
    const other = newSpace();
    await insertConfiguration(other, "http-client", "elsewhere", { parameters: { x: "${ONLY_ELSEWHERE}" } });
    await createEnvironmentVariable(db, env, other, { name: "AKENEO_CLIENT_ID", value: "other" });

    await createEnvironmentVariable(db, env, space, { name: "AKENEO_CLIENT_ID", value: "id" });
    await createEnvironmentVariable(db, env, space, { name: "AKENEO_CLIENT_SECRET", value: "s", encrypted: true });

    const { metadata, results } = await environmentVariableCandidates(db, space);
    expect(metadata.totalCount).toBe(2);
    expect(results.map((r) => r.name)).toEqual(["AKENEO_BASE_URL", "MAGENTO_STORE"]);
    expect(results[0].matches).toEqual([
      {
        type: "configuration",
        metadata: { type: "http-client", identifier: "akeneo-client", name: "Akeneo client" },
        payload: { propertyPath: "object.parameters.baseUri", value: "${AKENEO_BASE_URL}" },
      },
      {
        type: "configuration",
        metadata: { type: "outgoing-configuration", identifier: "to-magento", name: "to-magento" },
        payload: { propertyPath: "object.parameters.publisher.parameters.request.base", value: "${AKENEO_BASE_URL}" },
      },
    ]);
    expect(results[1].matches[0].payload.propertyPath).toBe("object.parameters.publisher.parameters.request.uri");

    // Defining one removes it from the candidates.
    await createEnvironmentVariable(db, env, space, { name: "MAGENTO_STORE", value: "default" });
    expect((await environmentVariableCandidates(db, space)).results.map((r) => r.name)).toEqual(["AKENEO_BASE_URL"]);
  });

  it("usages: the configurations referencing exactly that name (LIKE wildcards and case do not leak in)", async () => {
    const space = newSpace();
    await insertConfiguration(space, "http-client", "a", { parameters: { x: "${MY_VAR}" } }, "A");
    await insertConfiguration(space, "incoming-configuration", "b", { parameters: { y: ["pre-${MY_VAR}-post"] } }, "B");
    await insertConfiguration(space, "route", "c", { parameters: { z: "${MYXVAR} ${my_var} ${MY_VAR_2}" } }, "C");
    await insertConfiguration(newSpace(), "route", "d", { parameters: { z: "${MY_VAR}" } }, "D");

    expect(await environmentVariableUsages(db, space, "MY_VAR")).toEqual({
      metadata: { totalCount: 2 },
      results: [
        { type: "http-client", identifier: "a", name: "A" },
        { type: "incoming-configuration", identifier: "b", name: "B" },
      ],
    });
    expect((await environmentVariableUsages(db, space, "my_var")).results.map((r) => r.identifier)).toEqual(["c"]);
    expect((await environmentVariableUsages(db, space, "MY_VAR_2")).results.map((r) => r.identifier)).toEqual(["c"]);
    expect((await environmentVariableUsages(db, space, "%")).metadata.totalCount).toBe(0);
  });
});

describe("system variables and the run-time resolver", () => {
  it("provides SPACE (and SPACE_NAME/SPACE_PURPOSE for a known space); a user variable overrides it", async () => {
    expect(systemVariables({ identifier: "acme", name: "Acme", purpose: "dev" }).map((v) => [v.name, v.value])).toEqual([
      ["SPACE", "acme"],
      ["SPACE_NAME", "Acme"],
      ["SPACE_PURPOSE", "dev"],
    ]);
    const space = newSpace();
    expect(await new D1Variables(db, env, space).get("SPACE")).toBe(space);
    expect((await listEnvironmentVariables(db, space, undefined)).results).toEqual([
      { name: "SPACE", description: expect.any(String), value: space, encrypted: false, default: true },
    ]);

    await createEnvironmentVariable(db, env, space, { name: "SPACE", value: "override" });
    expect(await new D1Variables(db, env, space).get("SPACE")).toBe("override");
    expect((await listEnvironmentVariables(db, space, undefined)).results).toEqual([
      { name: "SPACE", description: "", value: "override", encrypted: false, default: false },
    ]);
    await deleteEnvironmentVariable(db, space, "SPACE");
    expect(await new D1Variables(db, env, space).get("SPACE")).toBe(space);
  });

  it("decrypts at execution time, caches per run, reports the secrets it handed out, and feeds ${NAME} placeholders", async () => {
    const space = newSpace();
    await createEnvironmentVariable(db, env, space, { name: "BASE", value: "https://shop.test" });
    await createEnvironmentVariable(db, env, space, { name: "TOKEN", value: "t0ps3cret", encrypted: true });
    const vars = new D1Variables(db, env, space);
    expect(vars.secretValues()).toEqual([]);
    expect(await vars.get("TOKEN")).toBe("t0ps3cret");
    expect(await vars.get("MISSING")).toBeUndefined();
    expect(vars.secretValues()).toEqual(["t0ps3cret"]);

    // Read once per run: a change after the first read is seen by the next run only.
    await updateEnvironmentVariable(db, env, space, "BASE", { value: "https://later.test" });
    expect(await vars.get("BASE")).toBe("https://shop.test");
    expect(await new D1Variables(db, env, space).get("BASE")).toBe("https://later.test");

    const run = { variables: new D1Variables(db, env, space) } as unknown as RunContext;
    expect(await expand({ uri: "${BASE}/api?space=${SPACE}", auth: "Bearer ${TOKEN}", unknown: "${NOPE}" }, {}, run)).toEqual({
      uri: `https://later.test/api?space=${space}`,
      auth: "Bearer t0ps3cret",
      unknown: "${NOPE}",
    });
  });

  it("a ciphertext copied to another variable or space does not decrypt there", async () => {
    const space = newSpace();
    await createEnvironmentVariable(db, env, space, { name: "A", value: "secret-a", encrypted: true });
    await createEnvironmentVariable(db, env, space, { name: "B", value: "secret-b", encrypted: true });
    const [a] = await db.select().from(environmentVariables).where(and(eq(environmentVariables.space, space), eq(environmentVariables.name, "A")));
    await db.update(environmentVariables).set({ value: a.value }).where(and(eq(environmentVariables.space, space), eq(environmentVariables.name, "B")));
    await expect(new D1Variables(db, env, space).get("B")).rejects.toThrow(/does not decrypt/);
    expect(await new D1Variables(db, env, space).get("A")).toBe("secret-a");
  });

  it("re-encrypts stored secrets after a key rotation", async () => {
    const space = newSpace();
    await createEnvironmentVariable(db, env, space, { name: "ROTATED", value: "keep me", encrypted: true });
    await createEnvironmentVariable(db, env, space, { name: "PLAIN", value: "plain" });
    const rotated = {
      ENCRYPTION_KEY: toBase64(crypto.getRandomValues(new Uint8Array(32))),
      ENCRYPTION_KEY_VERSION: "2",
      ENCRYPTION_KEY_PREVIOUS: env.ENCRYPTION_KEY,
    };
    expect(await new D1Variables(db, rotated, space).get("ROTATED")).toBe("keep me");
    expect(await reencryptEnvironmentVariables(db, rotated, space)).toBe(1);
    const [row] = await db.select().from(environmentVariables).where(and(eq(environmentVariables.space, space), eq(environmentVariables.name, "ROTATED")));
    expect(Keyring.versionOf(row.value)).toBe(2);
    expect(await new D1Variables(db, { ENCRYPTION_KEY: rotated.ENCRYPTION_KEY, ENCRYPTION_KEY_VERSION: "2" }, space).get("ROTATED")).toBe("keep me");
    expect(await reencryptEnvironmentVariables(db, rotated, space)).toBe(0);
    expect(await new D1Variables(db, rotated, space).get("PLAIN")).toBe("plain");
  });
});
