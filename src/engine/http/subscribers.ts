/**
 * Subscribers (DI type `subscriber`): where an incoming configuration's entities come from.
 * `http-subscriber` (request, deserializer, pagination, input transformer), `storage-subscriber`,
 * `all-from-storage-subscriber`, `webhook-subscriber`.
 */
import { z } from "zod";
import { ApiError } from "../../lib/errors";
import { ConfigurationError } from "../errors";
import type { Builder, DataTransformer, Deserializer, Entity, EntityTransformer, HttpClient, HttpResponseData, Pagination, Prototype, RunContext, Subscriber } from "../types";
import { resolveClient, runSecrets } from "./client";
import { clientSchema, prepareClient, prepareRequest, renderRequest, REQUEST_DOC, requestSchema } from "./request";
import { excerpt, looseBoolean, maskSecrets, parseBody, redactBody, redactUrl } from "./util";

/** Deserializes with the configured deserializer, else: JSON body -> a list's elements, any other value as one item. */
export async function deserializeItems(deserializer: Deserializer | undefined, body: string | unknown, run: RunContext, contentType?: string | null): Promise<unknown[]> {
  if (deserializer) return deserializer.deserialize(body, run);
  const text = body instanceof Uint8Array ? new TextDecoder().decode(body) : body instanceof ArrayBuffer ? new TextDecoder().decode(body) : body;
  const value = typeof text === "string" ? parseBody(text, contentType) : text;
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A page's items; a body the deserializer cannot read fails naming the request and showing the body's start. */
async function deserializePage(deserializer: Deserializer | undefined, response: HttpResponseData, method: string, pageNumber: number, run: RunContext): Promise<unknown[]> {
  const contentType = response.headers.get("content-type");
  try {
    return await deserializeItems(deserializer, response.body, run, contentType);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const body = maskSecrets(redactBody(response.body, contentType), runSecrets(run));
    const uri = maskSecrets(redactUrl(response.url), runSecrets(run));
    throw new ApiError(502, `The answer to ${method.toUpperCase()} ${uri} (page ${pageNumber}) could not be deserialized: ${(error as Error).message}. Body: ${excerpt(body, 300)}`, {
      title: "Deserialization Error",
      context: { method: method.toUpperCase(), uri, pageNumber, contentType },
    });
  }
}

const isEmptySpec = (spec: unknown) => spec === undefined || spec === null || spec === "" || (Array.isArray(spec) && spec.length === 0);

async function buildDeserializer(spec: unknown, builder: Builder, at: string): Promise<Deserializer | undefined> {
  return isEmptySpec(spec) ? undefined : builder.build("deserializer", spec, [at]);
}

/**
 * The input transformer: a data transformer (`value-setter`) or an entity transformer (`chain`),
 * whichever DI type knows the prototype.
 */
async function buildInputTransformer(spec: unknown, builder: Builder): Promise<DataTransformer | undefined> {
  if (isEmptySpec(spec)) return undefined;
  try {
    return await builder.build("data-transformer", spec, ["transformer"]);
  } catch (error) {
    if (!(error instanceof ConfigurationError) || !/Unknown data-transformer prototype/.test(error.message)) throw error;
    const entities: EntityTransformer = await builder.build("list-transformer", spec, ["transformer"]);
    return async (data, run) => {
      const out = await entities([{ data }], run);
      return out.length ? out[0].data : data;
    };
  }
}

/** Collects a subscriber's entity data: how subscriber test cases run (`input` is the subscriber's input). */
export async function subscriberTest(subscriber: Subscriber, input: unknown, run: RunContext): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const entity of subscriber.subscribe(run, input ?? undefined)) out.push(entity.data);
  return out;
}

/** Stops pagination that would never end (a next link pointing back, or a runaway API). */
const MAX_PAGES = 100_000;

// ---- http-subscriber ------------------------------------------------------------------------------

const httpSubscriberParameters = z.looseObject({
  client: clientSchema,
  request: requestSchema,
  deserializer: z.unknown().optional(),
  pagination: z.unknown().optional(),
  transformer: z.unknown().optional(),
  requestListeners: z.unknown().optional(),
});

export const httpSubscriber: Prototype<z.infer<typeof httpSubscriberParameters>, "subscriber"> = {
  type: "subscriber",
  identifier: "http-subscriber",
  name: "HTTP subscriber",
  description: "Fetches entities from an HTTP API, page by page.",
  parameters: httpSubscriberParameters,
  documentation: `# HTTP subscriber

1. The input transformer (\`transformer\`) runs on the subscriber's input (\`{}\` for a scheduled run)
   and builds request variables, e.g. a \`value-setter\` that sets \`search\` to a JSON filter.
2. The request is built with placeholders against that output and sent through the client.
3. The body is deserialized (\`deserializer\`, e.g. \`json\` with \`pattern: "_embedded.items"\`); every
   item becomes one entity for the incoming's transformers.
4. \`pagination\` gives the next page's URL from the response (\`next\` with \`pattern: "_links.next"\`,
   \`link-header\`, \`page\`, \`offset\`); relative links are resolved against the current page's URL.
   Next pages repeat the method, headers and authentication; a GET's payload is not added again
   (the next link carries its query). Pagination stops when there is no next URL, the pagination's
   own limit (\`pageLimit\`) is reached, a URL repeats (the first page's included), or a page
   answers exactly the same body as the page before (an API ignoring the page parameter) [INF]; the
   last two log a warning and yield nothing more.
5. A failing status fails the run (see the client's \`enableErrorHandling\`); so does a body the
   deserializer cannot read (e.g. an HTML error page for \`json\`), with the URL, page number and the
   body's start in the message.

| parameter | meaning |
|---|---|
| \`client\` | \`http-client\` configuration identifier or inline client; absent: the \`default\` client |
| \`request\` | the request object, below |
| \`deserializer\` | a deserializer prototype (or its bare id, e.g. \`"binary"\`); absent: a JSON list gives one entity per element, any other JSON value (or text) one entity, and an empty first answer one empty entity \`{}\` (the exports' trigger idiom \`GET https://httpbin.org/status/200\` that runs storage-updating transformers once) [INF] |
| \`pagination\` | a pagination prototype; absent: one request |
| \`transformer\` | input transformer: a data transformer (\`value-setter\`) or entity transformer (\`chain\`) |
| \`requestListeners\` | accepted (always \`[]\` in exports), not used |

${REQUEST_DOC}

Example (as exported): \`{"prototype":"http-subscriber","parameters":{"client":"akeneo-http-client","request":{"uri":"/api/rest/v1/categories","payload":[],"plugins":[],"payloadType":"data","authentications":[]},"pagination":{"prototype":"next","parameters":{"pattern":"_links.next","pageLimit":10000}},"deserializer":{"prototype":"json","parameters":{"pattern":"_embedded.items","readMethod":"wholeFile","encodeInput":false}}}}\`

Test cases use \`data:\` URIs (answered locally, no network); \`input\` is the subscriber's input and
the output the list of entity data it yields.`,
  tests: [
    {
      name: "one entity per element of a JSON list",
      parameters: { request: { uri: 'data:application/json,[{"code":"a"},{"code":"b"}]', payload: [], payloadType: "data", plugins: [], authentications: [] } },
      input: null,
      output: [{ code: "a" }, { code: "b" }],
    },
    { name: "an empty answer without deserializer is one empty entity", parameters: { request: { uri: "data:text/plain," } }, input: null, output: [{}] },
  ],
  async create(p, builder) {
    const client: HttpClient | string | undefined = await prepareClient(p.client, builder);
    const request = await prepareRequest(p.request, builder);
    const deserializer = await buildDeserializer(p.deserializer, builder, "deserializer");
    const pagination: Pagination | undefined = isEmptySpec(p.pagination) ? undefined : await builder.build("pagination", p.pagination, ["pagination"]);
    const inputTransformer = await buildInputTransformer(p.transformer, builder);
    return {
      async *subscribe(run: RunContext, input?: unknown): AsyncIterable<Entity> {
        let data: unknown = input ?? {};
        if (inputTransformer) data = await inputTransformer(data, run);
        const resolved = await resolveClient(client, run);
        let spec = await renderRequest(request, data, run);
        const seen = new Set<string>();
        let previousBody: string | undefined;
        for (let pageNumber = 1; ; pageNumber++) {
          const response = await resolved.request(spec, run);
          seen.add(response.url);
          const contentType = response.headers.get("content-type");
          const text = response.body;
          if (pageNumber > 1 && text.trim() !== "" && text === previousBody) {
            // [INF] an API that ignores the page/offset parameter answers every page alike: stop instead of running to MAX_PAGES
            run.log("warning", `Pagination stopped: page ${pageNumber} answered the same body as page ${pageNumber - 1}.`, { pageNumber });
            return;
          }
          previousBody = text;
          // [TPL] the exports' trigger idiom (GET https://httpbin.org/status/200, no deserializer) yields one empty entity
          const items = !deserializer && pageNumber === 1 && text.trim() === "" ? [{}] : await deserializePage(deserializer, response, spec.method ?? "GET", pageNumber, run);
          for (const item of items) yield { data: item };
          if (!pagination || pageNumber >= MAX_PAGES) return;
          const body = parseBody(response.body, contentType);
          const next = pagination.next({ url: response.url, body, headers: response.headers, itemCount: items.length, pageNumber }, run);
          if (!next) return;
          let url = next;
          try {
            if (!/^data:/i.test(response.url)) url = new URL(next, response.url).toString();
          } catch {
            // keep what the pagination gave
          }
          if (seen.has(url) || url === response.url) {
            run.log("warning", `Pagination stopped: the next page URL repeats a page already fetched.`, { pageNumber });
            return;
          }
          seen.add(url);
          const bodyless = ["GET", "HEAD"].includes(spec.method ?? "GET");
          spec = { ...spec, uri: url, query: undefined, payload: bodyless ? undefined : spec.payload };
        }
      },
    };
  },
  runTest: subscriberTest,
};

// ---- storage subscribers ---------------------------------------------------------------------------

const storageSubscriberParameters = z.looseObject({
  storage: z.string().min(1),
  groupItems: looseBoolean.optional(),
  // a cleared field (`""`, null) means the default
  groupSize: z
    .union([z.literal(""), z.null(), z.coerce.number().int().positive()])
    .optional()
    .transform((v) => (v === "" || v === null ? undefined : v)),
  prefix: z.string().optional(),
});

async function* storageEntries(run: RunContext, storage: string, prefix?: string) {
  let cursor: string | undefined;
  do {
    const page = await run.storages.list(storage, { prefix, cursor, limit: 1000 });
    for (const entry of page.entries) yield entry;
    cursor = page.cursor;
  } while (cursor);
}

export const storageSubscriber: Prototype<z.infer<typeof storageSubscriberParameters>, "subscriber"> = {
  type: "subscriber",
  identifier: "storage-subscriber",
  name: "Storage subscriber",
  description: "Yields the entities stored in a storage, one by one or in groups.",
  parameters: storageSubscriberParameters,
  documentation: `# Storage subscriber

Iterates a storage in key order and yields one entity per stored item (its data is the stored
value, its identifier the storage key).

| parameter | meaning |
|---|---|
| \`storage\` | the storage identifier |
| \`groupItems\` | yield groups instead of single items |
| \`groupSize\` | items per group; absent, \`""\` or null: 100 [INF] |
| \`prefix\` | only keys starting with this (ours) |

Grouping [INF]: a group is one entity whose data is an object keyed by storage key
(\`{"<key1>": value1, "<key2>": value2, …}\`), so the templates' \`pattern-move "*" -> "products.$1"\`
moves every item under \`products\`.

Example (as exported): \`{"prototype":"storage-subscriber","parameters":{"storage":"shopify-product-title-to-id","groupSize":1000,"groupItems":true}}\`

Test case: a storage with nothing stored yields nothing.`,
  tests: [{ name: "an empty storage yields no entities", parameters: { storage: "open-alumio-test-empty-storage" }, input: null, output: [] }],
  create: (p) => ({
    async *subscribe(run: RunContext): AsyncIterable<Entity> {
      if (!p.groupItems) {
        for await (const entry of storageEntries(run, p.storage, p.prefix)) yield { data: entry.value, identifier: entry.key };
        return;
      }
      const size = p.groupSize ?? 100;
      let group: Record<string, unknown> = {};
      let count = 0;
      for await (const entry of storageEntries(run, p.storage, p.prefix)) {
        group[entry.key] = entry.value;
        if (++count >= size) {
          yield { data: group };
          group = {};
          count = 0;
        }
      }
      if (count > 0) yield { data: group };
    },
  }),
  runTest: subscriberTest,
};

const allFromStorageParameters = z.looseObject({ storage: z.string().min(1), prefix: z.string().optional() });

export const allFromStorageSubscriber: Prototype<z.infer<typeof allFromStorageParameters>, "subscriber"> = {
  type: "subscriber",
  identifier: "all-from-storage-subscriber",
  name: "All from storage subscriber",
  description: "Yields one entity holding every item of a storage.",
  parameters: allFromStorageParameters,
  documentation: `# All from storage subscriber

Yields a single entity whose data is the list of every value in the storage, in key order
("All From Storage Subscriber" in Alumio's documentation; identifier and list shape [INF]).
Nothing is yielded when the storage is empty.

| parameter | meaning |
|---|---|
| \`storage\` | the storage identifier |
| \`prefix\` | only keys starting with this (ours) |

Test case: a storage with nothing stored yields nothing.`,
  tests: [{ name: "an empty storage yields no entity", parameters: { storage: "open-alumio-test-empty-storage" }, input: null, output: [] }],
  create: (p) => ({
    async *subscribe(run: RunContext): AsyncIterable<Entity> {
      const values: unknown[] = [];
      for await (const entry of storageEntries(run, p.storage, p.prefix)) values.push(entry.value);
      if (values.length) yield { data: values };
    },
  }),
  runTest: subscriberTest,
};

// ---- webhook-subscriber --------------------------------------------------------------------------

const webhookParameters = z.looseObject({ deserializer: z.unknown().optional(), parser: z.unknown().optional() });

export const webhookSubscriber: Prototype<z.infer<typeof webhookParameters>, "subscriber"> = {
  type: "subscriber",
  identifier: "webhook-subscriber",
  name: "Webhook subscriber",
  description: "Turns the body a webhook received into entities.",
  parameters: webhookParameters,
  documentation: `# Webhook subscriber

The subscriber of incoming configurations that a webhook feeds. Its input is the body the webhook
received (text, bytes or already parsed JSON); the parser turns it into items and each item becomes
one entity.

| parameter | meaning |
|---|---|
| \`deserializer\` (alias \`parser\`) | \`json\` (with \`pattern\` to the items), \`csv\`, \`xml\`, \`binary\`, …; absent: a JSON list gives one entity per element, any other JSON value one entity [INF] |

Without input (an incoming run by the scheduler) it yields nothing. Webhook request processors
(header/query token checks, HMAC signatures, IP allow lists) run before the subscriber, in the
webhook endpoint.

Test case: \`input\` is the received body; the output the entity data.`,
  tests: [
    { name: "one entity per element of a JSON list", parameters: {}, input: '[{"id":1},{"id":2}]', output: [{ id: 1 }, { id: 2 }] },
    { name: "a JSON object is one entity", parameters: [], input: '{"order":{"id":7}}', output: [{ order: { id: 7 } }] },
  ],
  async create(p, builder) {
    const spec = isEmptySpec(p.deserializer) ? p.parser : p.deserializer;
    const deserializer = await buildDeserializer(spec, builder, isEmptySpec(p.deserializer) ? "parser" : "deserializer");
    return {
      async *subscribe(run: RunContext, input?: unknown): AsyncIterable<Entity> {
        if (input === undefined || input === null || input === "") return;
        for (const item of await deserializeItems(deserializer, input, run)) yield { data: item };
      },
    };
  },
  runTest: subscriberTest,
};

export const subscriberPrototypes = [httpSubscriber, storageSubscriber, allFromStorageSubscriber, webhookSubscriber] as Prototype[];
