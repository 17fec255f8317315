/**
 * Small helpers shared by the HTTP prototypes: lenient parameter schemas (PHP exports write `{}`
 * as `[]`), `${ENV}` expansion of client parameters, query-string building, secret redaction for
 * logs and errors, `data:` URIs, and the error thrown for HTTP error statuses.
 */
import { z } from "zod";
import { ApiError } from "../../lib/errors";
import { REDACTED } from "../../lib/redact";
import { isRecord } from "../paths";
import type { RunContext } from "../types";

export { isRecord };

/** An object parameter that a PHP export may write as `[]` when empty; extra keys are kept. */
export function looseObject<S extends z.ZodRawShape>(shape: S) {
  return z.union([z.looseObject(shape), z.array(z.unknown()).max(0)]);
}

/** `[]` (PHP's empty object) or undefined -> `{}`; anything else as is. */
export function asRecord<T extends object>(value: T | unknown[] | undefined | null): Partial<T> {
  return isRecord(value) ? (value as Partial<T>) : {};
}

/** A list of prototype specs; exports may write it as `[]`, `{}` or an object keyed by index. */
export const specList = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional();

export function specListValues(value: unknown[] | Record<string, unknown> | undefined): unknown[] {
  if (!value) return [];
  return Array.isArray(value) ? value : Object.values(value);
}

/** A boolean that exports may write as "1"/"0"/"true"/"false". */
export const looseBoolean = z.union([z.boolean(), z.enum(["1", "0", "true", "false", ""]), z.number()]).transform((v) => v === true || v === "1" || v === "true" || v === 1);

const ENV = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/**
 * Expands `${NAME}` environment variables in a client/authentication parameter at request time.
 * A missing variable is an error that names the variable, never its value.
 */
export async function expandEnv(value: string | undefined, run: RunContext, what = "parameter"): Promise<string> {
  if (value === undefined || value === null) return "";
  const text = String(value);
  if (!text.includes("${")) return text;
  const names = [...text.matchAll(ENV)].map((m) => m[1]);
  const values = new Map<string, string>();
  for (const name of names) {
    const resolved = await run.variables.get(name);
    if (resolved === undefined) throw new ApiError(400, `The environment variable \${${name}} used in ${what} is not defined.`);
    values.set(name, resolved);
  }
  return text.replace(ENV, (_, name: string) => values.get(name) ?? "");
}

/** Values as `http_build_query` writes them: nested objects and lists as `a[b]=1&a[0]=2`, booleans as 1/0. */
export function buildQuery(value: unknown, encoder: "rfc1738" | "rfc3986" = "rfc1738"): string {
  const pairs: string[] = [];
  const enc = (s: string) => {
    const e = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    // PHP's urlencode (RFC 1738) also escapes `~`; rawurlencode (RFC 3986) keeps it
    return encoder === "rfc1738" ? e.replace(/%20/g, "+").replace(/~/g, "%7E") : e;
  };
  const walk = (prefix: string, v: unknown) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) v.forEach((item, i) => walk(`${prefix}[${i}]`, item));
    else if (isRecord(v)) for (const [k, item] of Object.entries(v)) walk(prefix ? `${prefix}[${k}]` : k, item);
    else pairs.push(`${enc(prefix)}=${enc(typeof v === "boolean" ? (v ? "1" : "0") : String(v))}`);
  };
  if (isRecord(value)) walk("", value);
  else if (Array.isArray(value)) value.forEach((item, i) => walk(String(i), item));
  return pairs.join("&");
}

/** Appends a query string to a URI that may already have one (keeps any fragment). */
export function appendQuery(uri: string, query: string): string {
  if (!query) return uri;
  const hash = uri.indexOf("#");
  const base = hash >= 0 ? uri.slice(0, hash) : uri;
  const fragment = hash >= 0 ? uri.slice(hash) : "";
  const sep = base.includes("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
  return `${base}${sep}${query}${fragment}`;
}

/** Header names whose values never reach a log line. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api[-_]?key|password|signature|session|auth/i;
/** Query parameter names masked in logged and reported URLs. */
const SECRET_PARAM = /token|secret|pass(word)?|api[-_]?key|signature|auth|key$|code$/i;

export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) out[name.toLowerCase()] = SECRET_HEADER.test(name) ? REDACTED : value;
  return out;
}

/**
 * Adds the credentials a request carries to `secrets`: values of secret-looking headers (and the
 * credential part of `Authorization: <scheme> <credential>`) and of secret-looking query parameters.
 */
export function collectRequestSecrets(request: Request, secrets: Set<string>): void {
  for (const [name, value] of request.headers) {
    if (!SECRET_HEADER.test(name) || !value) continue;
    secrets.add(value);
    const credential = /^\S+\s+(.+)$/.exec(value)?.[1];
    if (credential) secrets.add(credential);
  }
  try {
    for (const [name, value] of new URL(request.url).searchParams) if (SECRET_PARAM.test(name) && value) secrets.add(value);
  } catch {
    // not a URL we can read
  }
}

/** Values of secret-looking fields of a JSON or form body. */
export function collectBodySecrets(body: string, secrets: Set<string>): void {
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) (SECRET_PARAM.test(k) && (typeof x === "string" || typeof x === "number") ? secrets.add(String(x)) : walk(x));
  };
  try {
    walk(JSON.parse(body));
    return;
  } catch {
    // not JSON
  }
  if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(body)) {
    for (const [k, v] of new URLSearchParams(body)) if (SECRET_PARAM.test(k) && v) secrets.add(v);
  }
}

/** The URL without credentials in its user-info or secret-looking query parameters. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === "data:") return `data:${url.slice(5, 40)}${url.length > 40 ? "…" : ""}`;
    if (u.username || u.password) {
      u.username = u.username ? REDACTED : "";
      u.password = "";
    }
    for (const key of [...u.searchParams.keys()]) if (SECRET_PARAM.test(key)) u.searchParams.set(key, REDACTED);
    return u.toString();
  } catch {
    return url;
  }
}

/** Masks known secret values anywhere in a text (bodies logged with `full`, error excerpts). */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/** A JSON or form body with secret-looking fields masked, for `full` logging. */
export function redactBody(body: string, contentType: string | null): string {
  const ct = contentType ?? "";
  try {
    if (ct.includes("json") || /^\s*[[{]/.test(body)) {
      const redactValue = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(redactValue);
        if (!isRecord(v)) return v;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_PARAM.test(k) && typeof x !== "object" ? REDACTED : redactValue(x)]));
      };
      return JSON.stringify(redactValue(JSON.parse(body)));
    }
  } catch {
    // not JSON after all
  }
  if (ct.includes("x-www-form-urlencoded")) {
    const params = new URLSearchParams(body);
    for (const key of [...params.keys()]) if (SECRET_PARAM.test(key)) params.set(key, REDACTED);
    return params.toString();
  }
  return body;
}

/** A `data:[<mediatype>][;base64],<data>` URI as a response (no network): self-contained tests and examples. */
export function dataUriResponse(uri: string): Response {
  const comma = uri.indexOf(",");
  if (!uri.startsWith("data:") || comma < 0) throw new ApiError(400, "A data: URI needs a comma between its media type and its data.");
  const meta = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  const base64 = /;base64$/i.test(meta);
  const mediaType = (base64 ? meta.slice(0, -7) : meta) || "text/plain;charset=US-ASCII";
  let bytes: Uint8Array;
  if (base64) bytes = Uint8Array.from(atob(decodeURIComponent(payload)), (c) => c.charCodeAt(0));
  else {
    let text: string;
    try {
      text = decodeURIComponent(payload);
    } catch {
      text = payload;
    }
    bytes = new TextEncoder().encode(text);
  }
  return new Response(bytes, { status: 200, headers: { "content-type": mediaType } });
}

/** The start of a text an error message shows: at most `max` characters, `…` when cut. */
export const excerpt = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** An HTTP status the client treats as an error (`enableErrorHandling` + `errorHttpCodeRanges`). */
export class HttpStatusError extends ApiError {
  constructor(
    readonly response: { status: number; url: string; body: string },
    method: string,
    /** Credentials the request carried (e.g. a query-param authentication's value): masked in the URL too. */
    secrets: Iterable<string> = [],
  ) {
    const uri = maskSecrets(redactUrl(response.url), secrets);
    super(502, `${method} ${uri} answered HTTP ${response.status}: ${excerpt(response.body, 500)}`, {
      title: "HTTP Error",
      context: { statusCode: response.status, method, uri },
    });
  }
}

/** The body as parsed JSON when it is JSON, else the text; an empty body is null. */
export function parseBody(body: string, contentType?: string | null): unknown {
  if (body.trim() === "") return null;
  if ((contentType ?? "").includes("json") || /^\s*[[{"]|^\s*(true|false|null|-?\d)/.test(body)) {
    try {
      return JSON.parse(body);
    } catch {
      // fall through: not JSON
    }
  }
  return body;
}

/** Per-run caches (OAuth tokens, built clients): keyed on the run's `globals` object, which lives for the run. */
const RUN_CACHES = new WeakMap<object, Map<string, unknown>>();

export function runCache(run: RunContext): Map<string, unknown> {
  const key = (run.globals ?? run) as object;
  let cache = RUN_CACHES.get(key);
  if (!cache) RUN_CACHES.set(key, (cache = new Map()));
  return cache;
}

export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The same request at another URL (method, headers and body kept). */
export function withUrl(request: Request, url: string): Request {
  return new Request(url, { method: request.method, headers: request.headers, body: request.body, redirect: request.redirect });
}
