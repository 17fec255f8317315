import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import template from "../test/fixtures/alumio-templates/spryker-templates/spryker-from-akeneo-template.ndjson?raw";

/**
 * `npm run bench:import`: imports spryker-from-akeneo-template.ndjson (about 1 MB) into an empty
 * space through the API (parse, validate every object with the engine, decide, write with history),
 * against inserting the same rows through one raw D1 batch, side by side in one run.
 * Target: the import within 3x of the raw insert.
 */
const ROUNDS = 5;
const lines = template.trim().split("\n");
const api = (method: string, path: string, body?: BodyInit, contentType = "application/json") =>
  exports.default.fetch(
    new Request(`http://localhost/api/v1${path}`, { method, body, headers: { authorization: `Bearer ${env.BOOTSTRAP_TOKEN}`, "content-type": contentType } }),
  );

async function newSpace(identifier: string) {
  const res = await api("POST", "/spaces", JSON.stringify({ object: { identifier, name: identifier, purpose: "dev" }, users: [], dataEngines: [] }));
  expect(res.status).toBe(200);
}

async function importThroughApi(space: string) {
  const res = await api("POST", `/configurations/import?space=${space}`, template, "application/x-ndjson");
  const body = (await res.json()) as { valid: boolean; detail: string };
  expect(body.valid).toBe(true);
}

/** The same configurations as plain INSERTs in one D1 batch: no validation, no history. */
async function rawInsert(space: string) {
  const now = new Date().toISOString();
  const seen = new Map<string, Record<string, unknown>>();
  for (const line of lines) {
    const c = JSON.parse(line);
    seen.set(`${c.type}\n${c.identifier}`, c);
  }
  const statement = env.DB.prepare(
    "INSERT INTO configurations (space, type, identifier, name, description, object, context, owner, removable, resettable, disabled, editor, labels, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '{}', ?, 1, 0, ?, 'bench', '[]', '[]', ?, ?)",
  );
  await env.DB.batch(
    [...seen.values()].map((c) =>
      statement.bind(space, c.type, c.identifier, c.name, c.description ?? "", JSON.stringify(c.object), c.owner ?? null, c.disabled ? 1 : 0, now, now),
    ),
  );
}

it("import vs raw D1 batch", async () => {
  const time = async (fn: (space: string) => Promise<void>, prefix: string) => {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const space = `${prefix}-${i}`;
      await newSpace(space);
      const started = performance.now();
      await fn(space);
      times.push(performance.now() - started);
    }
    return Math.min(...times);
  };
  // One warm-up of each, so neither side pays for the first JIT.
  await newSpace("warm-api");
  await importThroughApi("warm-api");
  await newSpace("warm-raw");
  await rawInsert("warm-raw");

  const importMs = await time(importThroughApi, "api");
  const rawMs = await time(rawInsert, "raw");
  const ratio = importMs / rawMs;
  console.log(
    [
      "",
      `spryker-from-akeneo-template.ndjson: ${(template.length / 1024).toFixed(0)} KiB, ${lines.length} lines; best of ${ROUNDS}, in workerd`,
      `  import through the API: ${importMs.toFixed(1)} ms`,
      `  one raw D1 batch:       ${rawMs.toFixed(1)} ms`,
      `  ratio:                  ${ratio.toFixed(2)}x (target <= 3x): ${ratio <= 3 ? "met" : "NOT met"}`,
      "",
    ].join("\n"),
  );
}, 300_000);
