import { describe, expect, it } from "vitest";
import { registry } from "../../../src/engine";
import { DEFAULT_NUM_TASKS } from "../../../src/engine/http/scheduler";
import type { Subscriber } from "../../../src/engine/types";
import { build, recorded, runWith, STUB, uniquePath } from "./helpers";

async function collect(subscriber: Subscriber, run: ReturnType<typeof runWith>, input?: unknown) {
  const out: { data: unknown; identifier?: string | null }[] = [];
  for await (const entity of subscriber.subscribe(run, input)) out.push(entity);
  return out;
}

describe("http-subscriber", () => {
  it("follows `next` pagination across stub pages with the vendor client's token on every page", async () => {
    const tag = crypto.randomUUID();
    const run = runWith({
      configurations: [
        {
          type: "http-client",
          identifier: "akeneo-http-client",
          object: { prototype: "akeneo-http-client-v2", parameters: { key: "", baseUri: `${STUB()}/http-stub`, clientId: "c", clientSecret: "s", username: "u", password: "p" } },
        },
      ],
    });
    const subscriber = await build(
      "subscriber",
      {
        prototype: "http-subscriber",
        parameters: {
          client: "akeneo-http-client",
          request: { uri: `/pages/1?total=3&tag=${tag}`, payload: [], plugins: [], payloadType: "data", authentications: [] },
          pagination: { prototype: "next", parameters: { pattern: "_links.next", pageLimit: 10000 } },
          deserializer: { prototype: "json", parameters: { pattern: "_embedded.items", readMethod: "wholeFile", encodeInput: false } },
        },
      },
      run,
    );
    const entities = await collect(subscriber, run);
    expect(entities.map((e) => e.data)).toEqual([{ id: "1-1" }, { id: "1-2" }, { id: "2-1" }, { id: "2-2" }, { id: "3-1" }, { id: "3-2" }]);
    const pages = (await recorded("/http-stub/pages/")).filter((r) => r.query.tag === tag);
    expect(pages.map((r) => r.path)).toEqual(["/http-stub/pages/1", "/http-stub/pages/2", "/http-stub/pages/3"]);
    for (const page of pages) expect(page.headers.authorization).toBe("Bearer stub-access-token");
    expect((await recorded("/http-stub/api/oauth/v1/token")).length).toBeGreaterThanOrEqual(1);
  });

  it("stops at pageLimit", async () => {
    const run = runWith();
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: {
        request: { uri: `\${STUB_URL}/http-stub/pages/1?total=5&tag=${crypto.randomUUID()}` },
        pagination: { prototype: "next", parameters: { pattern: "_links.next", pageLimit: 2 } },
        deserializer: { prototype: "json", parameters: { pattern: "_embedded.items" } },
      },
    });
    expect(await collect(subscriber, run)).toHaveLength(4);
  });

  it("follows Link headers", async () => {
    const run = runWith();
    const tag = crypto.randomUUID();
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: { request: { uri: `\${STUB_URL}/http-stub/link-pages/1?total=2&tag=${tag}` }, pagination: { prototype: "link-header", parameters: {} }, deserializer: "json" },
    });
    expect((await collect(subscriber, run)).map((e) => e.data)).toEqual([{ id: "1-1" }, { id: "1-2" }, { id: "2-1" }, { id: "2-2" }]);
  });

  it("runs the input transformer before building the request", async () => {
    const path = uniquePath("subscriber-input");
    const run = runWith();
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: {
        request: { uri: `\${STUB_URL}${path}?limit=100&search=&{search}`, payload: [], plugins: [], payloadType: "data", authentications: [], serializer: { prototype: "json", parameters: [] } },
        transformer: { meta: [], prototype: "value-setter", parameters: { configurations: [{ key: "search", value: '{"parent":[{"operator":"EMPTY"}]}', mappers: [] }] } },
        deserializer: { prototype: "json", parameters: { pattern: "received.query" } },
      },
    });
    const entities = await collect(subscriber, run);
    expect(entities).toHaveLength(1);
    const [sent] = await recorded(path);
    expect(JSON.parse(sent.query.search)).toEqual({ parent: [{ operator: "EMPTY" }] });
  });
});

describe("storage and webhook subscribers", () => {
  it("storage-subscriber yields stored items, singly or grouped by key", async () => {
    const run = runWith();
    for (const key of ["a", "b", "c", "d", "e"]) await run.storages.put("products", key, { sku: key });
    const single = await build("subscriber", { prototype: "storage-subscriber", parameters: { storage: "products" } });
    expect(await collect(single, run)).toEqual(["a", "b", "c", "d", "e"].map((k) => ({ data: { sku: k }, identifier: k })));
    const grouped = await build("subscriber", { prototype: "storage-subscriber", parameters: { storage: "products", groupItems: true, groupSize: 2 } });
    expect((await collect(grouped, run)).map((e) => e.data)).toEqual([{ a: { sku: "a" }, b: { sku: "b" } }, { c: { sku: "c" }, d: { sku: "d" } }, { e: { sku: "e" } }]);
    const all = await build("subscriber", { prototype: "all-from-storage-subscriber", parameters: { storage: "products" } });
    expect((await collect(all, run)).map((e) => e.data)).toEqual([["a", "b", "c", "d", "e"].map((k) => ({ sku: k }))]);
  });

  it("webhook-subscriber parses the received body with its deserializer", async () => {
    const run = runWith();
    const subscriber = await build("subscriber", { prototype: "webhook-subscriber", parameters: { deserializer: { prototype: "json", parameters: { pattern: "orders" } } } });
    expect((await collect(subscriber, run, '{"orders":[{"id":1},{"id":2}]}')).map((e) => e.data)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await collect(subscriber, run)).toEqual([]);
  });
});

describe("publishers and scheduler jobs", () => {
  it("http-publisher POSTs the entity by default", async () => {
    const path = uniquePath("publisher");
    const run = runWith();
    const publisher = await build("publisher", { prototype: "http-publisher", parameters: { request: { uri: `\${STUB_URL}${path}/products` } } });
    await publisher.publish({ data: { sku: "a" } }, run);
    const [sent] = await recorded(path);
    expect(sent.method).toBe("POST");
    expect(JSON.parse(sent.body)).toEqual({ sku: "a" });
  });

  it("scheduler jobs turn into queue commands", async () => {
    const incoming = await build("scheduler-job", { prototype: "run-incoming", parameters: { incoming: "akeneo-fetch-categories" } });
    const outgoing = await build("scheduler-job", { prototype: "run-outgoing", parameters: { route: "r", numTasks: 15 } });
    expect([...incoming.commands(), ...outgoing.commands()]).toEqual([
      { command: "incoming:run", arguments: { incoming: "akeneo-fetch-categories" } },
      { command: "route:run", arguments: { route: "r", numTasks: 15 } },
    ]);
  });
});

// ---- the exports' shapes and edge cases (prototypes.md §9, §11, §13) ---------------------------------

type Config = { type: string; identifier: string; object: Record<string, unknown> };

function fixtureConfigurations(): Config[] {
  const files = (import.meta as unknown as { glob(p: string, o: object): Record<string, string> }).glob("../../fixtures/alumio-templates/**/*.ndjson", {
    query: "?raw",
    import: "default",
    eager: true,
  });
  const out: Config[] = [];
  for (const text of Object.values(files)) for (const line of text.split("\n").filter(Boolean)) out.push(JSON.parse(line));
  return out;
}

/** The distinct subscriber, publisher and scheduler-job specifications of the exports, by shape (keys and value types). */
function distinctShapes(configs: Config[]) {
  const shape = (v: unknown): unknown =>
    Array.isArray(v) ? (v.length ? [shape(v[0])] : []) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]).sort()) : typeof v;
  const found = new Map<string, { type: "subscriber" | "publisher" | "scheduler-job"; spec: unknown; from: string }>();
  const add = (type: "subscriber" | "publisher" | "scheduler-job", spec: unknown, from: string) => {
    const key = `${type}:${(spec as { prototype?: string }).prototype}:${JSON.stringify(shape(spec))}`;
    if (!found.has(key)) found.set(key, { type, spec, from });
  };
  for (const c of configs) {
    const p = (c.object as { parameters?: Record<string, unknown> }).parameters ?? {};
    if (c.type === "incoming-configuration") add("subscriber", p.subscriber, c.identifier);
    if (c.type === "outgoing-configuration") add("publisher", p.publisher, c.identifier);
    if (c.type === "scheduler-entry") for (const job of p.job as unknown[]) add("scheduler-job", job, c.identifier);
  }
  return [...found.values()];
}

describe("the exports' subscribers, publishers and scheduler jobs", () => {
  it("every distinct shape builds without a violation, its references resolved against the exports", async () => {
    const configs = fixtureConfigurations();
    const shapes = distinctShapes(configs);
    const run = runWith({ configurations: configs.map((c) => ({ type: c.type, identifier: c.identifier, object: c.object as never })) });
    const types = new Set(shapes.map((s) => `${s.type}/${(s.spec as { prototype: string }).prototype}`));
    expect([...types].sort()).toEqual(["publisher/no-action-publisher", "scheduler-job/run-incoming", "scheduler-job/run-outgoing", "subscriber/http-subscriber", "subscriber/storage-subscriber"]);
    expect(shapes.length).toBeGreaterThanOrEqual(10);
    for (const { type, spec, from } of shapes) {
      await expect(registry().build(type, spec, { configurations: run.configurations }), `${type} of ${from}`).resolves.toBeDefined();
    }
  });

  it("run-outgoing without numTasks (as exported) builds and gets the default", async () => {
    const job = await build("scheduler-job", { prototype: "run-outgoing", parameters: { route: "akeneo-to-shopify-synchronize-categories" } });
    expect(job.commands()).toEqual([{ command: "route:run", arguments: { route: "akeneo-to-shopify-synchronize-categories", numTasks: DEFAULT_NUM_TASKS } }]);
  });
});

/** A run whose requests are answered by `answer(url)` (no network); `urls` lists the requests sent. */
function answering(answer: (url: string, n: number) => { body: string; type?: string; status?: number; headers?: Record<string, string> }) {
  const urls: string[] = [];
  const logs: { level: string; message: string }[] = [];
  const base = runWith({ logs });
  const run: ReturnType<typeof runWith> = {
    ...base,
    fetch: async (input) => {
      urls.push(String(input));
      if (urls.length > 50) throw new Error("runaway pagination: more than 50 requests");
      const a = answer(String(input), urls.length);
      return new Response(a.body, { status: a.status ?? 200, headers: { ...(a.type ? { "content-type": a.type } : {}), ...a.headers } });
    },
  };
  return { run, urls, logs };
}

describe("http-subscriber edge cases", () => {
  it("the exports' trigger idiom (an empty 200 answer, no deserializer) yields one empty entity", async () => {
    // [TPL] incoming "akeneo-to-shopify-update-storages": subscriber GET https://httpbin.org/status/200 (empty body,
    // no deserializer) exists only to run its storage-updating transformers once; prototypes.md §9 "produces one (empty) entity".
    const { run } = answering(() => ({ body: "", type: "text/html; charset=utf-8" }));
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: { request: { uri: "https://httpbin.org/status/200", payload: [], plugins: [], payloadType: "data", authentications: [] } },
    });
    expect((await collect(subscriber, run)).map((e) => e.data)).toEqual([{}]);
  });

  it("an API answering an empty list yields no entity, with or without a deserializer", async () => {
    const { run } = answering(() => ({ body: '{"data":[]}', type: "application/json" }));
    const plain = await build("subscriber", { prototype: "http-subscriber", parameters: { request: { uri: "https://api.test/a" }, deserializer: { prototype: "json", parameters: { pattern: "data" } } } });
    expect(await collect(plain, run)).toEqual([]);
    const { run: run2 } = answering(() => ({ body: "[]", type: "application/json" }));
    const bare = await build("subscriber", { prototype: "http-subscriber", parameters: { request: { uri: "https://api.test/a" } } });
    expect(await collect(bare, run2)).toEqual([]);
  });

  it("a non-JSON answer without a deserializer is one entity holding the text", async () => {
    const { run } = answering(() => ({ body: "<html>ok</html>", type: "text/html" }));
    const subscriber = await build("subscriber", { prototype: "http-subscriber", parameters: { request: { uri: "https://api.test/page" } } });
    expect((await collect(subscriber, run)).map((e) => e.data)).toEqual(["<html>ok</html>"]);
  });

  it("a non-JSON answer to a json deserializer fails naming the request, not with a bare SyntaxError", async () => {
    const { run } = answering(() => ({ body: "<html>maintenance</html>", type: "text/html" }));
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: { request: { uri: "https://api.test/products?limit=100" }, deserializer: { prototype: "json", parameters: { pattern: "_embedded.items", readMethod: "wholeFile" } } },
    });
    const error = await collect(subscriber, run).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.name).not.toBe("SyntaxError");
    expect(error?.message).toContain("GET https://api.test/products?limit=100");
    expect(error?.message).toMatch(/could not be deserialized/);
    expect(error?.message).toContain("<html>maintenance</html>");
  });

  it("a next link pointing back to the first page stops without fetching it again", async () => {
    // A -> B -> A: the first page's URL counts as fetched, so its items are not yielded twice.
    const { run, urls, logs } = answering((url) => {
      const page = url.endsWith("/b") ? "b" : "a";
      return { body: JSON.stringify({ items: [{ id: `${page}1` }], next: page === "a" ? "https://api.test/b" : "https://api.test/a" }), type: "application/json" };
    });
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: { request: { uri: "https://api.test/a" }, pagination: { prototype: "next", parameters: { pattern: "next" } }, deserializer: { prototype: "json", parameters: { pattern: "items" } } },
    });
    expect((await collect(subscriber, run)).map((e) => e.data)).toEqual([{ id: "a1" }, { id: "b1" }]);
    expect(urls).toEqual(["https://api.test/a", "https://api.test/b"]);
    expect(logs.some((l) => l.level === "warning" && /repeats/.test(l.message))).toBe(true);
  });

  it("page pagination against an API that ignores the page parameter stops when a page repeats the last one", async () => {
    // Every URL differs (?page=2, 3, …) but the answer never changes: without a guard this runs to the page cap.
    const { run, urls, logs } = answering(() => ({ body: '[{"id":1},{"id":2}]', type: "application/json" }));
    const subscriber = await build("subscriber", {
      prototype: "http-subscriber",
      parameters: { request: { uri: "https://api.test/orders" }, pagination: { prototype: "page", parameters: {} } },
    });
    expect((await collect(subscriber, run)).map((e) => e.data)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(urls).toHaveLength(2);
    expect(logs.some((l) => l.level === "warning" && /same/.test(l.message))).toBe(true);
  });

  it("a failing page fails the run with the status and URL", async () => {
    const { run } = answering((url) => (url.includes("page=2") ? { body: '{"message":"boom"}', status: 500, type: "application/json" } : { body: '[{"id":1}]', type: "application/json" }));
    const subscriber = await build("subscriber", { prototype: "http-subscriber", parameters: { request: { uri: "https://api.test/orders" }, pagination: { prototype: "page", parameters: {} } } });
    await expect(collect(subscriber, run)).rejects.toThrow(/answered HTTP 500/);
  });
});

describe("emptied numeric fields (a PHP form writes a cleared field as \"\" or null)", () => {
  it("run-outgoing with numTasks \"\" or null uses the default; a numeric string is a number", async () => {
    for (const numTasks of ["", null]) {
      const job = await build("scheduler-job", { prototype: "run-outgoing", parameters: { route: "r", numTasks } });
      expect(job.commands()).toEqual([{ command: "route:run", arguments: { route: "r", numTasks: DEFAULT_NUM_TASKS } }]);
    }
    const job = await build("scheduler-job", { prototype: "run-outgoing", parameters: { route: "r", numTasks: "20" } });
    expect(job.commands()[0].arguments.numTasks).toBe(20);
  });

  it("storage-subscriber with groupSize \"\" or null groups by the default size", async () => {
    const run = runWith();
    for (const key of ["a", "b"]) await run.storages.put("s", key, key);
    for (const groupSize of ["", null]) {
      const grouped = await build("subscriber", { prototype: "storage-subscriber", parameters: { storage: "s", groupItems: true, groupSize } });
      expect((await collect(grouped, run)).map((e) => e.data)).toEqual([{ a: "a", b: "b" }]);
    }
  });
});
