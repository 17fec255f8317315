import { describe, expect, it } from "vitest";
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
