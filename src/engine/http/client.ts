/**
 * The HTTP client every HTTP prototype uses: request spec -> `Request` -> plugins -> authentications
 * -> `run.fetch` (the platform's one outbound client: private-network refusal, retries with
 * backoff on 429/5xx). Relative URIs travel through the plugins with a placeholder origin until a
 * `base-uri` plugin (or a vendor client's base URL) makes them absolute.
 */
import { ApiError } from "../../lib/errors";
import type { HttpAuthentication, HttpClient, HttpClientPlugin, HttpRequestSpec, HttpResponseData, RunContext, Serializer } from "../types";
import { appendQuery, base64, buildQuery, collectRequestSecrets, dataUriResponse, expandEnv, HttpStatusError, isRecord, maskSecrets, redactBody, redactUrl, runCache } from "./util";

/** Origin given to relative request URIs until a base URI replaces it. */
export const RELATIVE_ORIGIN = "http://relative.open-alumio.invalid";

/** What this module's clients accept beyond the contract's `HttpRequestSpec`. */
export interface RequestOptions extends HttpRequestSpec {
  /** Per-request plugins (the request object's `plugins`), run before the client's own. */
  plugins?: HttpClientPlugin[];
  /** Per-request authentications, applied after the client's own. */
  authentications?: HttpAuthentication[];
  /** DELETE normally carries its payload in the query string; true sends it as the body. */
  sendPayloadWithDelete?: boolean;
  /** How payloads appended to a query string are encoded: RFC 1738 (space as `+`, default) or RFC 3986 (`%20`). */
  uriEncoder?: "rfc1738" | "rfc3986";
}

export interface ErrorRange {
  from: number;
  to: number;
}

export interface ClientOptions {
  /** For log lines and errors. */
  name: string;
  plugins?: HttpClientPlugin[];
  authentications?: HttpAuthentication[];
  /** Whole-request timeout in milliseconds (`connection.timeout` is seconds). */
  timeoutMs?: number;
  /** "Abort process on errors": throw for statuses inside `errorRanges`. */
  errorHandling?: boolean;
  errorRanges?: ErrorRange[];
  /** Headers every request carries unless it sets them itself. */
  defaultHeaders?: Record<string, string>;
}

export const DEFAULT_ERROR_RANGES: ErrorRange[] = [
  { from: 400, to: 500 },
  { from: 500, to: 600 },
];

/** Values that must never appear in an error or a log line during this run (tokens, passwords). */
export function runSecrets(run: RunContext): Set<string> {
  const cache = runCache(run);
  let secrets = cache.get("secrets") as Set<string> | undefined;
  if (!secrets) cache.set("secrets", (secrets = new Set()));
  return secrets;
}

export function isEmptyPayload(payload: unknown): boolean {
  return payload === undefined || payload === null || payload === "" || (Array.isArray(payload) && payload.length === 0) || (isRecord(payload) && Object.keys(payload).length === 0);
}

const BODYLESS = new Set(["GET", "HEAD", "OPTIONS"]);

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError(504, `${what} timed out after ${ms} ms.`, { title: "HTTP Timeout" })), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class GenericHttpClient implements HttpClient {
  constructor(readonly options: ClientOptions) {}

  /** Builds the `Request` a spec describes (payload as query for GET/HEAD/DELETE, else as the body). */
  async toRequest(spec: RequestOptions, run: RunContext): Promise<Request> {
    const method = (spec.method || "GET").toUpperCase();
    const encoder = spec.uriEncoder ?? "rfc1738";
    let uri = spec.uri;
    if (spec.query && Object.keys(spec.query).length) uri = appendQuery(uri, buildQuery(spec.query, encoder));
    const headers = new Headers(this.options.defaultHeaders);
    for (const [name, value] of Object.entries(spec.headers ?? {})) headers.set(name, String(value));
    let body: string | undefined;
    const payload = spec.payload;
    if (!isEmptyPayload(payload)) {
      const inQuery = BODYLESS.has(method) || (method === "DELETE" && !spec.sendPayloadWithDelete);
      if (inQuery) {
        uri = appendQuery(uri, typeof payload === "string" ? payload.replace(/^\?/, "") : buildQuery(payload, encoder));
      } else if (spec.serializer) {
        body = await spec.serializer.serialize(payload, run);
        if (!headers.has("content-type")) headers.set("content-type", spec.serializer.contentType);
      } else if (spec.payloadType && /form|urlencoded/i.test(spec.payloadType) && typeof payload !== "string") {
        body = buildQuery(payload, encoder);
        if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
      } else if (typeof payload === "string") {
        body = payload;
      } else {
        body = JSON.stringify(payload);
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
    }
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(uri);
    const url = absolute ? uri : `${RELATIVE_ORIGIN}${uri.startsWith("/") ? "" : "/"}${uri}`;
    return new Request(url, { method, headers, body });
  }

  async request(spec: RequestOptions, run: RunContext): Promise<HttpResponseData> {
    const method = (spec.method || "GET").toUpperCase();
    if (/^data:/i.test(spec.uri.trim())) {
      // A data: URI answers locally: no plugins, no authentication, no network.
      const response = dataUriResponse(spec.uri.trim());
      return { status: 200, headers: response.headers, body: await response.text(), url: spec.uri };
    }
    const request = await this.toRequest(spec, run);
    const plugins = [...(spec.plugins ?? []), ...(this.options.plugins ?? [])];
    const authentications = [...(this.options.authentications ?? []), ...(spec.authentications ?? [])];
    let finalUrl = request.url;
    const send = async (req: Request): Promise<Response> => {
      for (const authentication of authentications) req = await authentication.authenticate(req, run);
      if (req.url.startsWith(RELATIVE_ORIGIN)) {
        const relative = req.url.slice(RELATIVE_ORIGIN.length);
        throw new ApiError(400, `The request URI '${redactUrl(relative)}' is relative and the HTTP client '${this.options.name}' has no base URI.`);
      }
      finalUrl = req.url;
      collectRequestSecrets(req, runSecrets(run));
      const init: RequestInit = { method: req.method, headers: req.headers, redirect: "follow" };
      if (req.body !== null) {
        const bytes = await req.arrayBuffer();
        if (bytes.byteLength > 0 || !BODYLESS.has(req.method)) init.body = bytes;
      }
      const pending = run.fetch(req.url, init);
      return this.options.timeoutMs ? withTimeout(pending, this.options.timeoutMs, `${req.method} ${maskSecrets(redactUrl(req.url), runSecrets(run))}`) : pending;
    };
    const dispatch = (index: number, req: Request): Promise<Response> =>
      index < plugins.length ? plugins[index].handle(req, (next) => dispatch(index + 1, next), run) : send(req);
    const response = await dispatch(0, request);
    const body = await response.text();
    const data: HttpResponseData = { status: response.status, headers: response.headers, body, url: response.url || finalUrl };
    const ranges = this.options.errorRanges ?? DEFAULT_ERROR_RANGES;
    if ((this.options.errorHandling ?? true) && ranges.some((r) => response.status >= r.from && response.status < r.to)) {
      const safeBody = maskSecrets(redactBody(body, response.headers.get("content-type")), runSecrets(run));
      throw new HttpStatusError({ status: response.status, url: data.url, body: safeBody }, method, runSecrets(run));
    }
    return data;
  }
}

/** A JSON serializer, used when a request names `json` and no serializer prototype of that id is registered. */
export const jsonSerializer: Serializer = {
  contentType: "application/json",
  serialize: (value) => JSON.stringify(value),
};

/** cURL's `httpauth` option of the generic client: basic credentials as `user:password`. */
export function curlHttpAuth(auth: unknown, userpwd: unknown): HttpAuthentication | undefined {
  if (typeof userpwd !== "string" || !userpwd) return undefined;
  const kind = String(auth ?? "basic").toLowerCase();
  if (!["basic", "1", "any", "anysafe", ""].includes(kind)) return undefined;
  return {
    async authenticate(request, run) {
      const credentials = await expandEnv(userpwd, run, "httpauth.authuserpwd");
      runSecrets(run).add(credentials);
      const headers = new Headers(request.headers);
      headers.set("authorization", `Basic ${base64(credentials)}`);
      return new Request(request, { headers });
    },
  };
}

/**
 * The client a `client` parameter names: an inline built client, a configuration identifier
 * (resolved through `run.configurations`, type `http-client`), or nothing (the `default`
 * configuration when one exists, else the default prototype without plugins). Built once per run.
 */
export async function resolveClient(ref: HttpClient | string | undefined | null, run: RunContext): Promise<HttpClient> {
  if (ref && typeof ref === "object") return ref;
  const identifier = typeof ref === "string" && ref ? ref : "default";
  const cache = runCache(run);
  const key = `client:${identifier}`;
  let pending = cache.get(key) as Promise<HttpClient> | undefined;
  if (!pending) {
    pending = (async () => {
      const spec = await run.configurations.get("http-client", identifier);
      if (!spec) {
        if (identifier === "default") return run.registry.build("http-client", { parameters: {} }, { configurations: run.configurations });
        throw new ApiError(400, `No http-client configuration '${identifier}' exists.`, { violations: [{ propertyPath: "client", title: `No http-client configuration '${identifier}' exists.` }] });
      }
      return run.registry.build("http-client", spec, { configurations: run.configurations, path: `http-client(${identifier}).object` });
    })();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
