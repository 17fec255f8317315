/**
 * HTTP client plugins (DI type `http-client-plugin`): wrap each request of a client.
 * `base-uri`, `header-append`, `header-set`, `header-remove`, `logger`.
 */
import { z } from "zod";
import type { HttpClientPlugin, LogLevel, Prototype, RunContext } from "../types";
import { RELATIVE_ORIGIN, runSecrets } from "./client";
import { pluginTest } from "./cases";
import { collectBodySecrets, collectRequestSecrets, expandEnv, maskSecrets, redactBody, redactHeaders, redactUrl, withUrl } from "./util";

/** Joins a base URI and a relative reference: the base path is prefixed (`/api` + `/items` = `/api/items`). */
export function joinBaseUri(base: string, relative: string): string {
  const b = new URL(base);
  const rel = new URL(relative, RELATIVE_ORIGIN);
  const basePath = b.pathname.replace(/\/+$/, "");
  const path = `${basePath}${rel.pathname.startsWith("/") ? "" : "/"}${rel.pathname}`;
  const query = [b.search.slice(1), rel.search.slice(1)].filter(Boolean).join("&");
  return `${b.origin}${path}${query ? `?${query}` : ""}${rel.hash}`;
}

/** Replaces the placeholder origin of a relative request with `base` (absolute requests are left alone). */
export function applyBaseUri(request: Request, base: string): Request {
  if (!request.url.startsWith(RELATIVE_ORIGIN)) return request;
  return withUrl(request, joinBaseUri(base, request.url.slice(RELATIVE_ORIGIN.length) || "/"));
}

export function baseUriPlugin(base: string | ((run: RunContext) => Promise<string>)): HttpClientPlugin {
  return {
    async handle(request, next, run) {
      if (!request.url.startsWith(RELATIVE_ORIGIN)) return next(request);
      const resolved = typeof base === "string" ? await expandEnv(base, run, "base URI") : await base(run);
      if (!resolved) return next(request);
      return next(applyBaseUri(request, resolved));
    },
  };
}

/** `{"parameters":"${BASE_URL}"}` (as exported), `{"prototype":…, "parameters":"…"}` or a plain string. */
const uriValue = z.union([z.string(), z.looseObject({ parameters: z.string() })]);

const baseUriParameters = z.looseObject({ uri: uriValue, config: z.unknown().optional(), options: z.unknown().optional() });

export const baseUri: Prototype<z.infer<typeof baseUriParameters>, "http-client-plugin"> = {
  type: "http-client-plugin",
  identifier: "base-uri",
  name: "Add base URI to requests",
  description: "Makes relative request URIs absolute against a base URI.",
  parameters: baseUriParameters,
  documentation: `# Add base URI to requests

Relative request URIs (\`/api/rest/v1/products\`, \`products\`) are resolved against \`uri\`: its scheme
and host are used and its path is prefixed (\`https://shop.test/wp-json/wc/v3\` + \`products\` =
\`https://shop.test/wp-json/wc/v3/products\`). Absolute URIs (e.g. pagination links) are left alone.

| parameter | meaning |
|---|---|
| \`uri\` | the base URI; exports wrap it as \`{"parameters": "\${BASE_URL}"}\`, a plain string works too |
| \`config\` / \`options\` | accepted, not used |

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "prefixes the base path",
      parameters: { uri: { parameters: "https://shop.example.com/wp-json/wc/v3" }, config: [] },
      input: { uri: "products?per_page=10" },
      output: { method: "GET", url: "https://shop.example.com/wp-json/wc/v3/products?per_page=10", headers: {}, body: null },
    },
  ],
  create: (p) => baseUriPlugin(typeof p.uri === "string" ? p.uri : p.uri.parameters),
  runTest: pluginTest,
};

const headersValue = z.union([
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  z.array(z.looseObject({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) })),
]);
const headerParameters = z.looseObject({ headers: headersValue.optional() });

function headerPairs(headers: z.infer<typeof headersValue> | undefined): [string, string][] {
  if (!headers) return [];
  return Array.isArray(headers) ? headers.map((h) => [h.name, String(h.value)]) : Object.entries(headers).map(([k, v]) => [k, String(v)]);
}

function headerPlugin(pairs: [string, string][], mode: "append" | "set"): HttpClientPlugin {
  return {
    async handle(request, next, run) {
      const headers = new Headers(request.headers);
      for (const [name, raw] of pairs) {
        const value = await expandEnv(raw, run, `header ${name}`);
        if (mode === "set") headers.set(name, value);
        else if (!headers.has(name)) headers.set(name, value);
        else headers.append(name, value);
      }
      return next(new Request(request, { headers }));
    },
  };
}

export const headerAppend: Prototype<z.infer<typeof headerParameters>, "http-client-plugin"> = {
  type: "http-client-plugin",
  identifier: "header-append",
  name: "Append request headers",
  description: "Adds headers to every request (appending to a header already present).",
  parameters: headerParameters,
  documentation: `# Append request headers

Adds each header of \`headers\` to every request. A header the request already has gets the value
appended (\`Accept: a, b\`). Values may use \`\${ENV}\`.

| parameter | meaning |
|---|---|
| \`headers\` | \`{"Accept": "application/json"}\` (or a list of \`{name, value}\`) |

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "adds headers",
      parameters: { headers: { Accept: "application/json", "X-Channel": "web" } },
      input: { uri: "https://api.example.com/items", headers: { "X-Channel": "b2b" } },
      output: { method: "GET", url: "https://api.example.com/items", headers: { accept: "application/json", "x-channel": "b2b, web" }, body: null },
    },
  ],
  create: (p) => headerPlugin(headerPairs(p.headers), "append"),
  runTest: pluginTest,
};

export const headerSet: Prototype<z.infer<typeof headerParameters>, "http-client-plugin"> = {
  type: "http-client-plugin",
  identifier: "header-set",
  name: "Set request headers",
  description: "Sets headers on every request, replacing values already present.",
  parameters: headerParameters,
  documentation: `# Set request headers

Sets each header of \`headers\` on every request, replacing a value the request already has.
Values may use \`\${ENV}\`.

| parameter | meaning |
|---|---|
| \`headers\` | \`{"Content-Type": "application/vnd.api+json"}\` |

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "replaces a header",
      parameters: { headers: { "X-Channel": "web" } },
      input: { uri: "https://api.example.com/items", headers: { "X-Channel": "b2b" } },
      output: { method: "GET", url: "https://api.example.com/items", headers: { "x-channel": "web" }, body: null },
    },
  ],
  create: (p) => headerPlugin(headerPairs(p.headers), "set"),
  runTest: pluginTest,
};

const headerRemoveParameters = z.looseObject({ headers: z.array(z.string()).optional() });

export const headerRemove: Prototype<z.infer<typeof headerRemoveParameters>, "http-client-plugin"> = {
  type: "http-client-plugin",
  identifier: "header-remove",
  name: "Remove request headers",
  description: "Removes headers from every request.",
  parameters: headerRemoveParameters,
  documentation: `# Remove request headers

Removes each named header from every request.

| parameter | meaning |
|---|---|
| \`headers\` | \`["X-Debug"]\` |

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "removes a header",
      parameters: { headers: ["X-Debug"] },
      input: { uri: "https://api.example.com/items", headers: { "X-Debug": "1", Accept: "text/csv" } },
      output: { method: "GET", url: "https://api.example.com/items", headers: { accept: "text/csv" }, body: null },
    },
  ],
  create: (p) => ({
    handle(request, next) {
      const headers = new Headers(request.headers);
      for (const name of p.headers ?? []) headers.delete(name);
      return next(new Request(request, { headers }));
    },
  }),
  runTest: pluginTest,
};

// ---- logger ---------------------------------------------------------------------------------------

export type LoggerFormatter = "simple" | "long" | "full";
const BODY_LIMIT = 10_000;

function clip(text: string): string {
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}… (${text.length} characters)` : text;
}

/**
 * Logs each request and response through `run.log`: `simple` one line; `long` adds headers; `full`
 * adds bodies. Authorization, cookies and token-like headers, secret-looking query parameters and
 * body fields, and every secret the run's authentications used are masked.
 */
export function loggerPlugin(formatter: LoggerFormatter = "simple", level: LogLevel = "info"): HttpClientPlugin {
  return {
    async handle(request, next, run) {
      const started = Date.now();
      const requestBody = formatter === "full" && request.body ? await request.clone().text() : "";
      // What this request carries that looks like a credential, plus what the run's authentications used.
      const secrets = new Set(runSecrets(run));
      collectRequestSecrets(request, secrets);
      if (requestBody) collectBodySecrets(requestBody, secrets);
      let response: Response;
      try {
        response = await next(request);
      } catch (error) {
        const message = maskSecrets(error instanceof Error ? error.message : String(error), secrets);
        run.log("error", `HTTP ${request.method} ${redactUrl(request.url)} failed: ${message}`, { "alumio-http": { request: { uri: redactUrl(request.url), requestMethod: request.method } } });
        throw error;
      }
      for (const s of runSecrets(run)) secrets.add(s);
      // the response's URL is the one sent: it may carry a query-param authentication's value
      const url = maskSecrets(redactUrl(response.url || request.url), secrets);
      const ms = Date.now() - started;
      const line = `HTTP ${request.method} ${url} -> ${response.status} ${response.statusText}`.trimEnd() + ` (${ms} ms)`;
      const context: Record<string, unknown> = { durationMs: ms };
      if (formatter !== "simple") {
        const req: Record<string, unknown> = { uri: url, requestMethod: request.method, headers: redactHeaders(request.headers) };
        const res: Record<string, unknown> = { statusCode: response.status, reasonPhrase: response.statusText, headers: redactHeaders(response.headers) };
        if (formatter === "full") {
          req.requestBody = clip(maskSecrets(redactBody(requestBody, request.headers.get("content-type")), secrets));
          const text = await response.clone().text();
          res.responseBody = clip(maskSecrets(redactBody(text, response.headers.get("content-type")), secrets));
        }
        context["alumio-http"] = { request: req, response: res };
      }
      run.log(response.status >= 400 ? "warning" : level, maskSecrets(line, secrets), context);
      return response;
    },
  };
}

const loggerParameters = z.looseObject({
  formatter: z.enum(["simple", "long", "full"]).optional().default("simple"),
  level: z.enum(["debug", "info", "notice", "warning", "error"]).optional(),
});

export const logger: Prototype<z.infer<typeof loggerParameters>, "http-client-plugin"> = {
  type: "http-client-plugin",
  identifier: "logger",
  name: "Log requests",
  description: "Logs every request and its response.",
  parameters: loggerParameters,
  documentation: `# Log requests

Writes one log entry per request to the run's log (task / incoming / process logs).

| parameter | meaning |
|---|---|
| \`formatter\` | \`simple\`: method, URL, status, duration; \`long\`: + request and response headers; \`full\`: + request and response bodies (each clipped at 10 000 characters) |
| \`level\` | log level of successful requests, default \`info\`; responses >= 400 log as \`warning\`, failures as \`error\` |

The context of \`long\`/\`full\` entries is \`{"alumio-http": {"request": {uri, requestMethod, headers, requestBody}, "response": {statusCode, reasonPhrase, headers, responseBody}}}\`, the shape Alumio's HTTP logs have.

Secrets never reach the log: \`Authorization\`, \`Proxy-Authorization\`, cookies and any header whose name
looks like a token, key, secret, password, signature or session are shown as \`[redacted]\`; so are
secret-looking query parameters and JSON/form body fields, and every credential or token an
authentication of the run used. Plugins run before authentications, so the logged request never
carries the authentication's own header in the first place.

Test cases: the logger does not change the request: input request -> the request as sent.`,
  tests: [
    {
      name: "passes the request through unchanged",
      parameters: { formatter: "full" },
      input: { uri: "https://api.example.com/items", method: "POST", payload: { sku: "A1" } },
      output: { method: "POST", url: "https://api.example.com/items", headers: { "content-type": "application/json" }, body: { sku: "A1" } },
    },
  ],
  create: (p) => loggerPlugin(p.formatter, p.level ?? "info"),
  runTest: pluginTest,
};

export const pluginPrototypes = [baseUri, headerAppend, headerSet, headerRemove, logger] as Prototype[];
