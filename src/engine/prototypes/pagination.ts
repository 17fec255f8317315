/**
 * Pagination (prototypes.md §11): after each page the HTTP subscriber asks for the next URL;
 * null ends the run. `pageNumber` is the 1-based number of the page just read, `itemCount` the
 * number of items it yielded, `body` the response body (text or already parsed).
 */
import { z } from "zod";
import { getPath, isRecord, parsePath } from "../paths";
import type { Pagination, Prototype, RunContext } from "../types";

type PaginationPrototype<P> = Prototype<P, "pagination">;

/** Test cases give `{url, body, headers: {name: value}, itemCount, pageNumber}`; the output is the next URL or null. */
interface PageInput {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  itemCount?: number;
  pageNumber?: number;
}

async function runPaginationTest(instance: Pagination, input: unknown, run: RunContext): Promise<unknown> {
  const page = input as PageInput;
  return instance.next({ url: page.url, body: page.body ?? null, headers: new Headers(page.headers ?? {}), itemCount: page.itemCount ?? 0, pageNumber: page.pageNumber ?? 1 }, run);
}

/** The most pages to read; PHP exports write an emptied field as \`""\` or 0, which mean no limit. */
const pageLimitSchema = z
  .union([z.literal(""), z.coerce.number().int().nonnegative()])
  .nullish()
  .transform((v) => (v === "" || v === 0 ? null : v));

const TEST_DOC = `Test cases: input \`{url, body, headers, itemCount, pageNumber}\` (the page just read; \`headers\` as an object), output the next URL or null.`;

/** Stops at `pageLimit` pages and never asks for the page just read again. */
function guard(pageLimit: number | null | undefined, page: { url: string; pageNumber: number }, next: string | null): string | null {
  if (next === null || next === "") return null;
  if (pageLimit && page.pageNumber >= pageLimit) return null;
  return next === page.url ? null : next;
}

/** A link, absolute or relative to the page's URL. */
function resolveUrl(link: string, base: string): string {
  try {
    return new URL(link, base).toString();
  } catch {
    return link;
  }
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

const nextSchema = z.looseObject({ pattern: z.string(), pageLimit: pageLimitSchema });

const nextLinks: PaginationPrototype<z.infer<typeof nextSchema>> = {
  type: "pagination",
  identifier: "next",
  name: "Follow next links",
  description: "Follows the URL of the next page found in the response body.",
  parameters: nextSchema,
  documentation: `Follows next links in the body: after each page the value at \`pattern\` is the next page's URL; when it is missing, empty or null the run ends.

- \`pattern\` (string): dot path to the next URL, e.g. \`_links.next\` (Akeneo), \`"@odata.nextLink"\` (quoted: one key holding a dot). [INF] When the path finds nothing and the body has a top-level key spelled exactly as the pattern, that key is used, so \`@odata.nextLink\` written unquoted works too.
- \`pageLimit\` (integer, optional): the most pages to read; \`""\` or 0 means no limit.

The value may be a URL string or an object with \`href\` (Akeneo: \`{"_links":{"next":{"href":"..."}}}\`) [INF]. A relative URL is resolved against the page's URL; the same URL twice ends the run.

Example: \`{"pattern":"_links.next"}\` with body \`{"_links":{"next":{"href":"https://pim/api?page=2"}}}\` asks for \`https://pim/api?page=2\`.

${TEST_DOC}`,
  tests: [
    {
      name: "href object",
      parameters: { pattern: "_links.next" },
      input: { url: "https://pim.test/api/rest/v1/categories", body: { _links: { next: { href: "https://pim.test/api/rest/v1/categories?page=2" } } }, itemCount: 100, pageNumber: 1 },
      output: "https://pim.test/api/rest/v1/categories?page=2",
    },
    { name: "last page", parameters: { pattern: "_links.next" }, input: { url: "https://pim.test/a", body: { _links: { self: { href: "x" } } }, itemCount: 3, pageNumber: 4 }, output: null },
    { name: "page limit", parameters: { pattern: "next", pageLimit: 2 }, input: { url: "https://a.test/x", body: { next: "/x?p=3" }, itemCount: 10, pageNumber: 2 }, output: null },
    { name: "relative string", parameters: { pattern: "next" }, input: { url: "https://a.test/x?p=1", body: '{"next":"/x?p=2"}', itemCount: 10, pageNumber: 1 }, output: "https://a.test/x?p=2" },
  ],
  runTest: runPaginationTest,
  create: ({ pattern, pageLimit }): Pagination => {
    const segments = parsePath(pattern);
    return {
      next(page) {
        const body = parseBody(page.body);
        let value = getPath(body, segments);
        // [INF] a key holding dots written unquoted (OData's `@odata.nextLink`) is found as one key
        if (value === undefined && segments.length > 1 && isRecord(body)) value = body[pattern];
        if (isRecord(value)) value = value.href;
        return guard(pageLimit, page, typeof value === "string" && value !== "" ? resolveUrl(value, page.url) : null);
      },
    };
  },
};

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextFromLinkHeader(header: string | null, rel = "next"): string | null {
  if (!header) return null;
  // Each link: <uri-reference> followed by `;`-separated parameters; commas may appear inside <...>.
  const links = header.match(/<[^>]*>[^<]*/g) ?? [];
  for (const link of links) {
    const target = /^<([^>]*)>/.exec(link)![1];
    const relParameter = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(link);
    const rels = (relParameter?.[1] ?? relParameter?.[2] ?? "").toLowerCase().split(/\s+/);
    if (rels.includes(rel)) return target;
  }
  return null;
}

const linkSchema = z.looseObject({ pageLimit: pageLimitSchema, rel: z.string().nullish() });

const linkHeader: PaginationPrototype<z.infer<typeof linkSchema>> = {
  type: "pagination",
  identifier: "link-header",
  name: "Follow next links in the HTTP header (RFC 8288)",
  description: "Follows the rel=next link of the Link response header (Shopify, GitHub style).",
  parameters: linkSchema,
  documentation: `Follows the \`Link\` response header (RFC 8288): \`Link: <https://shop/products.json?page_info=abc>; rel="next"\`. Without a \`next\` link the run ends.

- \`pageLimit\` (integer, optional): the most pages to read.
- \`rel\` (string, default \`next\`) [INF]: the relation to follow.

A relative target is resolved against the page's URL. Notes [INF]: the prototype identifier is ours; Alumio's UI names the mode "Follow next links in the HTTP header (RFC8288)".

${TEST_DOC}`,
  tests: [
    {
      name: "next among several",
      parameters: {},
      input: { url: "https://shop.test/products.json", headers: { link: '<https://shop.test/products.json?page_info=a>; rel="previous", <https://shop.test/products.json?page_info=b>; rel="next"' }, itemCount: 50, pageNumber: 1 },
      output: "https://shop.test/products.json?page_info=b",
    },
    { name: "no next", parameters: {}, input: { url: "https://shop.test/p", headers: { link: '<https://shop.test/p?x=1>; rel="previous"' }, itemCount: 50, pageNumber: 2 }, output: null },
  ],
  runTest: runPaginationTest,
  create: ({ pageLimit, rel }): Pagination => ({
    next(page) {
      const target = nextFromLinkHeader(page.headers.get("link"), (rel ?? "next").toLowerCase());
      return guard(pageLimit, page, target === null ? null : resolveUrl(target, page.url));
    },
  }),
};

/** The URL with query parameters set (others kept). */
function withQuery(url: string, values: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(values)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

function queryNumber(url: string, name: string): number | null {
  try {
    const value = new URL(url).searchParams.get(name);
    return value === null || value.trim() === "" || !Number.isFinite(Number(value)) ? null : Number(value);
  } catch {
    return null;
  }
}

const offsetSchema = z.looseObject({
  limit: z.coerce.number().int().positive(),
  offsetParameter: z.string().nullish(),
  limitParameter: z.string().nullish(),
  start: z.coerce.number().int().nonnegative().nullish(),
  pageLimit: pageLimitSchema,
});

const offset: PaginationPrototype<z.infer<typeof offsetSchema>> = {
  type: "pagination",
  identifier: "offset",
  name: "Offset in a query parameter",
  description: "Pages by an offset query parameter; stops when a page has fewer items than expected.",
  parameters: offsetSchema,
  documentation: `Pages with an offset in the query: the next URL is the current one with the offset parameter raised by \`limit\`. A page with fewer items than \`limit\` (the expected number of items) is the last one.

- \`limit\` (integer): the expected number of items per page, and the step of the offset.
- \`offsetParameter\` (string, default \`offset\`): the offset query parameter.
- \`limitParameter\` (string, optional): when set, the next URL also carries \`<limitParameter>=<limit>\`.
- \`start\` (integer, default 0): the offset of the first page when the URL has none.
- \`pageLimit\` (integer, optional): the most pages to read.

Note: the count is of the items the page yielded to the subscriber (its deserializer), before any incoming transformer. Alumio counts the entities left after the incoming transformers, so a filtering transformer there can end its pagination early (forum.alumio.com/t/665); here it does not. [INF] parameter names are ours.

Example: \`{"limit":2}\` after \`https://api.test/items?offset=4\` returned 2 items asks for \`https://api.test/items?offset=6\`.

${TEST_DOC}`,
  tests: [
    { name: "full page", parameters: { limit: 2 }, input: { url: "https://api.test/items?offset=4", itemCount: 2, pageNumber: 3 }, output: "https://api.test/items?offset=6" },
    { name: "short page", parameters: { limit: 2 }, input: { url: "https://api.test/items?offset=4", itemCount: 1, pageNumber: 3 }, output: null },
    {
      name: "first page without offset",
      parameters: { limit: 50, offsetParameter: "skip", limitParameter: "take" },
      input: { url: "https://api.test/items", itemCount: 50, pageNumber: 1 },
      output: "https://api.test/items?skip=50&take=50",
    },
  ],
  runTest: runPaginationTest,
  create: ({ limit, offsetParameter, limitParameter, start, pageLimit }): Pagination => {
    const name = offsetParameter || "offset";
    return {
      next(page) {
        if (page.itemCount < limit) return null;
        const current = queryNumber(page.url, name) ?? (start ?? 0) + (page.pageNumber - 1) * limit;
        return guard(pageLimit, page, withQuery(page.url, { [name]: String(current + limit), ...(limitParameter ? { [limitParameter]: String(limit) } : {}) }));
      },
    };
  },
};

const pageSchema = z.looseObject({
  pageParameter: z.string().nullish(),
  limit: z.coerce.number().int().positive().nullish(),
  limitParameter: z.string().nullish(),
  start: z.coerce.number().int().nonnegative().nullish(),
  pageLimit: pageLimitSchema,
});

const pageNumber: PaginationPrototype<z.infer<typeof pageSchema>> = {
  type: "pagination",
  identifier: "page",
  name: "Page number in a query parameter",
  description: "Pages by a page-number query parameter; stops on a short or empty page.",
  parameters: pageSchema,
  documentation: `Pages with a page number in the query (Magento 2 \`searchCriteria[currentPage]\`, WooCommerce \`page\`): the next URL is the current one with the page parameter raised by one. With \`limit\`, a page with fewer items than \`limit\` is the last one; without it, an empty page is.

- \`pageParameter\` (string, default \`page\`): the page query parameter.
- \`limit\` (integer, optional): the expected number of items per page.
- \`limitParameter\` (string, optional): when set (with \`limit\`), the next URL also carries \`<limitParameter>=<limit>\`.
- \`start\` (integer, default 1): the number of the first page when the URL has none.
- \`pageLimit\` (integer, optional): the most pages to read.

[INF] parameter names are ours. Example: \`{"limit":100}\` after \`https://shop.test/orders?page=2\` returned 100 items asks for \`https://shop.test/orders?page=3\`.

${TEST_DOC}`,
  tests: [
    { name: "full page", parameters: { limit: 100 }, input: { url: "https://shop.test/orders?page=2", itemCount: 100, pageNumber: 2 }, output: "https://shop.test/orders?page=3" },
    { name: "short page", parameters: { limit: 100 }, input: { url: "https://shop.test/orders?page=2", itemCount: 7, pageNumber: 2 }, output: null },
    {
      name: "bracketed parameter, no limit",
      parameters: { pageParameter: "searchCriteria[currentPage]" },
      input: { url: "https://m2.test/rest/V1/products?searchCriteria[pageSize]=10", itemCount: 10, pageNumber: 1 },
      output: "https://m2.test/rest/V1/products?searchCriteria%5BpageSize%5D=10&searchCriteria%5BcurrentPage%5D=2",
    },
    { name: "empty page", parameters: {}, input: { url: "https://shop.test/orders?page=5", itemCount: 0, pageNumber: 5 }, output: null },
  ],
  runTest: runPaginationTest,
  create: ({ pageParameter, limit, limitParameter, start, pageLimit }): Pagination => {
    const name = pageParameter || "page";
    return {
      next(page) {
        if (limit ? page.itemCount < limit : page.itemCount === 0) return null;
        const current = queryNumber(page.url, name) ?? (start ?? 1) + page.pageNumber - 1;
        return guard(pageLimit, page, withQuery(page.url, { [name]: String(current + 1), ...(limitParameter && limit ? { [limitParameter]: String(limit) } : {}) }));
      },
    };
  },
};

export const prototypes: Prototype[] = [nextLinks, linkHeader, offset, pageNumber];
