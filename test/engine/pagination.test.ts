import { describe, expect, it } from "vitest";
import { registry } from "../../src/engine";
import { nextFromLinkHeader, prototypes } from "../../src/engine/prototypes/pagination";
import { runPrototypeTest } from "../../src/engine/testing";
import { testRunContext } from "./run-context";

const run = testRunContext();
const pagination = (prototype: string, parameters: unknown) => registry().build("pagination", { prototype, parameters });
const page = (p: { url: string; body?: unknown; headers?: Record<string, string>; itemCount?: number; pageNumber?: number }) => ({
  url: p.url,
  body: p.body ?? null,
  headers: new Headers(p.headers ?? {}),
  itemCount: p.itemCount ?? 10,
  pageNumber: p.pageNumber ?? 1,
});

describe("pagination: their own test cases", () => {
  for (const prototype of prototypes) {
    for (const testCase of prototype.tests) {
      it(`${prototype.identifier}: ${testCase.name}`, async () => {
        const result = await runPrototypeTest(registry(), prototype, "pagination", testCase, run);
        expect(result.error).toBeUndefined();
        expect(result.actual).toEqual(testCase.output);
      });
    }
  }
});

describe("next", () => {
  it("follows until there is no next link, within the page limit", async () => {
    const p = await pagination("next", { pattern: "_links.next", pageLimit: 1000 });
    expect(p.next(page({ url: "https://a.test/x", body: { _links: { next: { href: "https://a.test/x?search_after=abc" } } } }), run)).toBe("https://a.test/x?search_after=abc");
    expect(p.next(page({ url: "https://a.test/x", body: { _links: { next: null } } }), run)).toBeNull();
    expect(p.next(page({ url: "https://a.test/x", body: { _links: { next: { href: "https://a.test/y" } } }, pageNumber: 1000 }), run)).toBeNull();
  });

  it("reads quoted keys (OData) and ignores the same URL", async () => {
    const p = await pagination("next", { pattern: '"@odata.nextLink"' });
    expect(p.next(page({ url: "https://a.test/x", body: { "@odata.nextLink": "https://a.test/x?$skip=10" } }), run)).toBe("https://a.test/x?$skip=10");
    expect(p.next(page({ url: "https://a.test/x", body: { "@odata.nextLink": "https://a.test/x" } }), run)).toBeNull();
  });

  it("accepts a string page limit as PHP exports may write it, and refuses a pattern-less config", async () => {
    await expect(pagination("next", { pattern: "next", pageLimit: "5" })).resolves.toBeDefined();
    await expect(pagination("next", {})).rejects.toMatchObject({ violations: [{ propertyPath: "parameters.pattern" }] });
  });
});

describe("link header", () => {
  it("parses RFC 8288 links", () => {
    expect(nextFromLinkHeader('<https://x.test/a?b=1,2>; rel="next"; title="n"')).toBe("https://x.test/a?b=1,2");
    expect(nextFromLinkHeader("<https://x.test/2>; rel=next, <https://x.test/9>; rel=last")).toBe("https://x.test/2");
    expect(nextFromLinkHeader('<https://x.test/2>; rel="prev next"')).toBe("https://x.test/2");
    expect(nextFromLinkHeader('<https://x.test/1>; rel="previous"')).toBeNull();
    expect(nextFromLinkHeader(null)).toBeNull();
  });

  it("resolves relative targets and honours the page limit", async () => {
    const p = await pagination("link-header", { pageLimit: 3 });
    expect(p.next(page({ url: "https://x.test/items?page=1", headers: { Link: '</items?page=2>; rel="next"' } }), run)).toBe("https://x.test/items?page=2");
    expect(p.next(page({ url: "https://x.test/items?page=3", headers: { Link: '</items?page=4>; rel="next"' }, pageNumber: 3 }), run)).toBeNull();
  });
});

describe("offset and page", () => {
  it("offset walks through full pages and stops on a short one", async () => {
    const p = await pagination("offset", { limit: 3, limitParameter: "limit" });
    let url: string | null = "https://api.test/items";
    const counts = [3, 3, 2];
    const urls: string[] = [];
    for (let i = 0; url && i < counts.length; i++) {
      urls.push(url);
      url = p.next(page({ url, itemCount: counts[i], pageNumber: i + 1 }), run);
    }
    expect(urls).toEqual(["https://api.test/items", "https://api.test/items?offset=3&limit=3", "https://api.test/items?offset=6&limit=3"]);
    expect(url).toBeNull();
  });

  it("page starts from the configured first page", async () => {
    const p = await pagination("page", { start: 0, limit: 2 });
    expect(p.next(page({ url: "https://api.test/items", itemCount: 2, pageNumber: 1 }), run)).toBe("https://api.test/items?page=1");
  });

  it("requires a limit for offset", async () => {
    await expect(pagination("offset", {})).rejects.toMatchObject({ violations: [{ propertyPath: "parameters.limit" }] });
  });
});

describe("audit: Alumio behaviours", () => {
  // forum.alumio.com/t/963: "Follow next links" is meant for OData's nextLink, whose key holds a dot
  it("next: a pattern naming a key that holds dots, written unquoted, still finds it", async () => {
    const p = await pagination("next", { pattern: "@odata.nextLink" });
    expect(p.next(page({ url: "https://a.test/x", body: { value: [], "@odata.nextLink": "https://a.test/x?$skiptoken=2" } }), run)).toBe("https://a.test/x?$skiptoken=2");
    expect(p.next(page({ url: "https://a.test/x", body: { value: [] } }), run)).toBeNull();
  });

  // PHP exports write an emptied optional number as "" or 0
  it("an empty or zero page limit means no limit", async () => {
    for (const pageLimit of ["", 0, "0"]) {
      const p = await pagination("next", { pattern: "next", pageLimit });
      expect(p.next(page({ url: "https://a.test/x", body: { next: "https://a.test/x?p=9" }, pageNumber: 8 }), run)).toBe("https://a.test/x?p=9");
    }
  });
});
