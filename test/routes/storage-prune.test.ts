import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { parseTtl, R2StorageStore } from "../../src/domain/storages";
import { call, createSpace, expectProblem, tokenFor } from "../helpers/api";

/** POST /storages/prune: entities older than their storage configuration's TTL go. */
const DAY = 86_400;
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

async function storage(space: string, identifier: string, parameters: Record<string, unknown>) {
  const res = await call("POST", "/configurations", { query: { space }, body: { type: "storage", identifier, name: identifier, object: { parameters: { path: identifier, ...parameters } } } });
  expect(res.status, res.text).toBe(200);
}

describe("TTL forms", () => {
  it("reads exports' {parameters: ...}, units, ISO-8601 durations and seconds", () => {
    expect(parseTtl({ parameters: "30 days" })).toBe(30 * DAY);
    expect(parseTtl({ prototype: "ttl", parameters: "12 hours" })).toBe(12 * 3600);
    expect(parseTtl("1 day 6 hours")).toBe(DAY + 6 * 3600);
    expect(parseTtl("1 Day, 30 min")).toBe(DAY + 1800);
    expect(parseTtl("+2 weeks")).toBe(14 * DAY);
    expect(parseTtl("90s")).toBe(90);
    expect(parseTtl("1 month")).toBe(30 * DAY);
    expect(parseTtl("P30D")).toBe(30 * DAY);
    expect(parseTtl("PT12H")).toBe(12 * 3600);
    expect(parseTtl("P1DT6H30M")).toBe(DAY + 6 * 3600 + 1800);
    expect(parseTtl(3600)).toBe(3600);
    expect(parseTtl("3600")).toBe(3600);
    for (const none of [undefined, null, "", [], { parameters: null }]) expect(parseTtl(none)).toBeNull();
    for (const bad of ["soon", "30 fortnights", "P", "PT", 0, -5, "0 days", true, { value: 3 }, "30 days ago please"]) expect(() => parseTtl(bad), String(bad)).toThrow();
  });
});

describe("POST /storages/prune", () => {
  it("prunes every storage with a TTL, skips enablePruning: false, reports per storage", async () => {
    const space = await createSpace();
    const store = new R2StorageStore(env.FILES, space);
    await storage(space, "month", { ttl: { parameters: "30 days" } });
    await storage(space, "hours", { ttl: "PT12H", enablePruning: true });
    await storage(space, "off", { ttl: "1 day", enablePruning: false });
    await storage(space, "forever", {});
    for (const s of ["month", "hours", "off", "forever"]) {
      await store.put(s, "fresh", 1);
      await store.put(s, "day-old", 2, ago(DAY + 60));
      await store.put(s, "ancient", 3, ago(40 * DAY));
    }
    // A storage without configuration is left alone.
    await store.put("unconfigured", "ancient", 3, ago(40 * DAY));

    const editor = await tokenFor(["ROLE_EDITOR"], space);
    const res = await call("POST", "/storages/prune", { token: editor.token, query: { space } });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.message).toBe("3 entities were pruned from 2 storages.");
    expect(res.body.results.map((r: { identifier: string; ttl: number; pruned: number; skipped?: string }) => [r.identifier, r.ttl, r.pruned, r.skipped ?? null])).toEqual([
      ["hours", 12 * 3600, 2, null],
      ["month", 30 * DAY, 1, null],
      ["off", DAY, 0, "Pruning is disabled (enablePruning: false)."],
    ]);
    const left = async (s: string) => (await call("GET", `/storages/${s}/entities`, { query: { space } })).body.results.map((r: { identifier: string }) => r.identifier);
    expect(await left("hours")).toEqual(["fresh"]);
    expect(await left("month")).toEqual(["day-old", "fresh"]);
    expect(await left("off")).toEqual(["ancient", "day-old", "fresh"]);
    expect(await left("forever")).toEqual(["ancient", "day-old", "fresh"]);
    expect(await left("unconfigured")).toEqual(["ancient"]);

    // Again: nothing left to prune.
    expect((await call("POST", "/storages/prune", { query: { space } })).body.count).toBe(0);
  });

  it("?identifier= prunes one storage; unknown is 404, a storage without TTL is skipped", async () => {
    const space = await createSpace();
    const store = new R2StorageStore(env.FILES, space);
    await storage(space, "a", { ttl: "1 day" });
    await storage(space, "b", { ttl: "1 day" });
    await storage(space, "plain", {});
    for (const s of ["a", "b"]) await store.put(s, "old", 1, ago(2 * DAY));
    const one = await call("POST", "/storages/prune", { query: { space, identifier: "a" } });
    expect(one.body.results).toEqual([{ identifier: "a", ttl: DAY, olderThan: expect.any(String), pruned: 1 }]);
    expect(await store.get("b", "old")).not.toBeNull();
    const plain = await call("POST", "/storages/prune", { query: { space, identifier: "plain" } });
    expect(plain.body.results).toEqual([{ identifier: "plain", ttl: null, olderThan: null, pruned: 0, skipped: "The storage has no TTL." }]);
    expectProblem(await call("POST", "/storages/prune", { query: { space, identifier: "nope" } }), 404);
    expectProblem(await call("POST", "/storages/prune", { query: { space, identifier: "" } }), 400);
  });

  it("a TTL that cannot be read is a 400 and nothing is pruned; viewers may not prune", async () => {
    const space = await createSpace();
    const store = new R2StorageStore(env.FILES, space);
    await storage(space, "good", { ttl: "1 day" });
    await storage(space, "bad", { ttl: "whenever" });
    await store.put("good", "old", 1, ago(2 * DAY));
    const problem = expectProblem(await call("POST", "/storages/prune", { query: { space } }), 400);
    expect(problem.violations.map((v) => v.propertyPath)).toEqual(["storages[bad].object.parameters.ttl"]);
    expect(await store.get("good", "old")).not.toBeNull();

    const viewer = await tokenFor(["ROLE_USER"], space);
    expectProblem(await call("POST", "/storages/prune", { token: viewer.token, query: { space, identifier: "good" } }), 403);
    expect(await store.get("good", "old")).not.toBeNull();
  });
});

describe("the cron trigger", () => {
  const tick = async (scheduledTime: number) => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime, cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
  };

  it("prunes expired entities once an hour, in every space; an unreadable TTL skips only its storage", async () => {
    const first = await createSpace();
    const second = await createSpace();
    const stores = [new R2StorageStore(env.FILES, first), new R2StorageStore(env.FILES, second)];
    await storage(first, "day", { ttl: "1 day" });
    await storage(first, "bad", { ttl: "whenever" });
    await storage(second, "hour", { ttl: "PT1H" });
    await stores[0].put("day", "old", 1, ago(2 * DAY));
    await stores[0].put("day", "new", 2);
    await stores[0].put("bad", "old", 3, ago(2 * DAY));
    await stores[1].put("hour", "old", 4, ago(3 * 3600));

    const at = (minute: number) => {
      const time = new Date();
      time.setUTCMinutes(minute, 0, 0);
      return time.getTime();
    };
    await tick(at(7)); // not on the hour: nothing happens
    expect(await stores[0].get("day", "old")).not.toBeNull();

    await tick(at(0));
    expect(await stores[0].get("day", "old")).toBeNull();
    expect(await stores[0].get("day", "new")).not.toBeNull();
    expect(await stores[0].get("bad", "old")).not.toBeNull();
    expect(await stores[1].get("hour", "old")).toBeNull();
  });
});
