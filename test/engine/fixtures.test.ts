import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { ConfigurationError } from "../../src/engine/errors";
import { MemoryStorages } from "../../src/engine/memory";
import type { Entity, PrototypeSpec } from "../../src/engine/types";
import { testRunContext } from "./run-context";

/**
 * Every transformer-test and incoming-transformer-test of the real Alumio exports
 * (test/fixtures/alumio-templates, MIT) runs through its owner, with references resolved among the
 * same file and outbound HTTP answered by the local stub. None may end in an engine error; the
 * outputs are committed as snapshots under __fixture-outputs__.
 *
 * Tests run as a space runs them after importing the file (`POST /configurations/{type}/{id}/test`,
 * see test/routes/configuration-tests.test.ts): owner by owner, each owner's tests in identifier
 * order, against one storage per file. So a test sees what earlier ones stored, as the templates'
 * create-then-update flows expect (a product created by one test is updated by the next).
 */
interface Line {
  type: string;
  identifier: string;
  name: string;
  object: PrototypeSpec & { parameters?: Record<string, unknown> };
  owner: string | null;
}

const files = import.meta.glob("../fixtures/alumio-templates/**/*.ndjson", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const parsed = Object.entries(files).map(([path, text]) => ({
  path: path.replace("../fixtures/alumio-templates/", ""),
  lines: text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line),
}));

// Each test once, with the first file that holds it (bundles repeat configurations); per file,
// owners in the order their tests first appear, each owner's tests in identifier order.
const seen = new Set<string>();
const cases = parsed.flatMap(({ path, lines }) => {
  const tests = lines
    .filter((l) => (l.type === "transformer-test" || l.type === "incoming-transformer-test") && l.owner)
    .filter((l) => !seen.has(`${l.type}/${l.identifier}`) && seen.add(`${l.type}/${l.identifier}`));
  const owners = [...new Set(tests.map((t) => `${t.type}/${t.owner}`))];
  const ordered = owners.flatMap((owner) =>
    tests.filter((t) => `${t.type}/${t.owner}` === owner).sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0)),
  );
  return ordered.map((test) => ({ path, test, lines }));
});
/** One storage per file, shared by its tests in the order above. */
const storages = new Map<string, MemoryStorages>();

/** Every ${NAME} the exports use: base URLs point at the local stub, credentials are dummies. */
function variablesFor(stub: string): Record<string, string> {
  return {
    AKENEO_BASE_URL: `${stub}/akeneo`,
    AKENEO_CLIENT_ID: "client-id",
    AKENEO_CLIENT_SECRET: "client-secret",
    AKENEO_USERNAME: "user",
    AKENEO_PASSWORD: "password",
    SHOPIFY_BASE_URI: `${stub}/shopify`,
    SHOPIFY_PERSONAL_ACCESS_TOKEN: "shpat-test",
    SPRYKER_BACKOFFICE_GLUE_BASE_URI: `${stub}/spryker`,
    SPRYKER_BACKOFFICE_GLUE_USERNAME: "user",
    SPRYKER_BACKOFFICE_GLUE_PASSWORD: "password",
  };
}

const ENGINE_ERROR = /unknown .*prototype|invalid parameters|placeholder|pattern|jmespath|no list-transformer configuration/i;

describe("fixture exports: transformer tests", () => {
  it("finds the tests of the exports", () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  for (const { path, test, lines } of cases) {
    it(`${path}: ${test.type} ${test.identifier}`, async () => {
      if (!storages.has(path)) storages.set(path, new MemoryStorages());
      const run = { ...testRunContext({ configurations: lines, variables: variablesFor(env.STUB_URL) }), storages: storages.get(path)! };
      const entity = (test.object.parameters ?? {}).entity;
      let transformers: PrototypeSpec[];
      if (test.type === "transformer-test") {
        transformers = [test.owner!];
      } else {
        const incoming = lines.find((l) => l.type === "incoming-configuration" && l.identifier === test.owner);
        expect(incoming, `incoming ${test.owner}`).toBeDefined();
        transformers = ((incoming!.object.parameters ?? {}).transformers as PrototypeSpec[]) ?? [];
      }
      let entities: Entity[] = [{ data: entity }];
      let error: unknown;
      try {
        for (const spec of transformers) {
          const transform = await registry().build("list-transformer", spec, { configurations: run.configurations, path: "owner" });
          entities = await transform(entities, run);
        }
      } catch (e) {
        error = e;
      }
      if (error instanceof ConfigurationError) throw error;
      const message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
      expect(message ?? "", "an engine error").not.toMatch(ENGINE_ERROR);
      const output = error === undefined ? { entities: entities.map((e) => e.data) } : { error: message };
      await expect(JSON.stringify(output, null, 2) + "\n").toMatchFileSnapshot(`./__fixture-outputs__/${test.type}/${test.identifier}.json`);
    });
  }
});
