import { createServer, type IncomingMessage, type Server } from "node:http";

/**
 * The one outbound target of the test suite: a real HTTP server on 127.0.0.1 that the worker under
 * test calls. It records what it receives and answers as the path asks:
 *   ANY /status/<code>[/...]   answer <code> with a JSON echo of the request
 *   ANY /<anything else>        answer 200 with a JSON echo of the request
 *   GET /__requests?path=<p>    the requests recorded for path <p> (prefix match), oldest first
 *   DELETE /__requests          forget everything recorded
 *   ANY /http-stub/pages/<n>?total=<t>       HAL page n of t: `_embedded.items` (2 items), `_links.next.href` (same query) until n = t
 *   ANY /http-stub/link-pages/<n>?total=<t>  a JSON list of 2 items, `Link: <...>; rel="next"` until n = t
 *   POST /http-stub/graphql                  `{"data":{"echo":{"query","variables"}}}` of the posted GraphQL request
 *   ANY /http-stub/flaky/<key>?failures=<n>  503 for the first n requests per key, then 200 `{attempt}`
 *   ANY /http-stub/slow/<ms>                 200 after <ms> milliseconds (at most 5000)
 *   ANY /http-stub/auth-fail/...             401 `{"error":"invalid_grant","received":<body>}` (a refusing token endpoint)
 *   POST /provisioning          the space provisioning webhook: 200, or 503 for a space whose
 *                               identifier was listed with PUT /__fail-provisioning/<identifier>
 *                               (DELETE the same path to let it succeed)
 *   POST .../token              any token endpoint (Akeneo /api/oauth/v1/token, Spryker /token):
 *                               a bearer token, as OAuth2 password and client-credential grants answer
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function startStubServer(): Promise<{ url: string; server: Server }> {
  const recorded: RecordedRequest[] = [];
  const failingSpaces = new Set<string>();
  const flaky = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/__requests") {
      if (req.method === "DELETE") {
        recorded.length = 0;
        return send(200, { cleared: true });
      }
      const prefix = url.searchParams.get("path") ?? "/";
      return send(200, recorded.filter((r) => r.path.startsWith(prefix)));
    }
    const failing = /^\/__fail-provisioning\/(.+)$/.exec(url.pathname);
    if (failing) {
      if (req.method === "DELETE") failingSpaces.delete(failing[1]);
      else failingSpaces.add(failing[1]);
      return send(200, { failing: [...failingSpaces] });
    }
    const entry: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: await readBody(req),
    };
    recorded.push(entry);
    if (url.pathname === "/provisioning") {
      let identifier = "";
      try {
        identifier = JSON.parse(entry.body).space?.identifier ?? "";
      } catch {
        // not JSON: answered 200 like any other request
      }
      return send(failingSpaces.has(identifier) ? 503 : 200, { received: entry });
    }
    // HTTP engine routes (test/engine/http): paged resources, a GraphQL echo, a flaky endpoint, a refusing token endpoint.
    const httpStub = /^\/http-stub\/([a-z-]+)(?:\/([^/]+))?/.exec(url.pathname);
    if (httpStub) {
      const [, kind, arg] = httpStub;
      const origin = `http://${req.headers.host}`;
      const total = Number(url.searchParams.get("total") ?? 3);
      const page = Number(arg ?? 1);
      const items = [{ id: `${page}-1` }, { id: `${page}-2` }];
      if (kind === "pages") {
        const next = page < total ? { href: `${origin}/http-stub/pages/${page + 1}${url.search}` } : undefined;
        return send(200, { _embedded: { items }, _links: { self: { href: `${origin}${url.pathname}${url.search}` }, ...(next ? { next } : {}) } });
      }
      if (kind === "link-pages") {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (page < total) headers.link = `<${origin}/http-stub/link-pages/${page + 1}${url.search}>; rel="next"`;
        res.writeHead(200, headers);
        return res.end(JSON.stringify(items));
      }
      if (kind === "graphql") {
        let request: { query?: unknown; variables?: unknown } = {};
        try {
          request = JSON.parse(entry.body);
        } catch {
          // answered with nulls
        }
        return send(200, { data: { echo: { query: request.query ?? null, variables: request.variables ?? null } } });
      }
      if (kind === "flaky") {
        const key = `${arg}`;
        const seen = (flaky.get(key) ?? 0) + 1;
        flaky.set(key, seen);
        return send(seen <= Number(url.searchParams.get("failures") ?? 1) ? 503 : 200, { attempt: seen });
      }
      if (kind === "auth-fail") return send(401, { error: "invalid_grant", received: entry.body });
      if (kind === "slow") {
        await new Promise((resolve) => setTimeout(resolve, Math.min(Number(arg) || 0, 5000)));
        return send(200, { slow: true });
      }
    }
    if (req.method === "POST" && url.pathname.endsWith("/token")) {
      return send(200, { access_token: "stub-access-token", token_type: "bearer", expires_in: 3600, refresh_token: "stub-refresh-token" });
    }
    const status = /^\/status\/(\d{3})/.exec(url.pathname);
    send(status ? Number(status[1]) : 200, { received: entry });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}
