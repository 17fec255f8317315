import { env, exports } from "cloudflare:workers";

export const BOOTSTRAP = env.BOOTSTRAP_TOKEN;

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is, without JSON encoding. */
  rawBody?: BodyInit;
  contentType?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Calls the worker under test through its real fetch handler. */
export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(path.startsWith("/api") || path.startsWith("/docs") || path.startsWith("/openapi") ? path : `/api/v1${path}`, "http://localhost");
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? BOOTSTRAP : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  if (options.contentType) headers["content-type"] = options.contentType;
  const response = await exports.default.fetch(new Request(url, { method, headers, body }));
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

let counter = 0;
/** A unique, valid identifier/email part per call, so tests never collide on shared storage. */
export function unique(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Creates a space (as system administrator) and returns its identifier. */
export async function createSpace(identifier = unique("space")): Promise<string> {
  const res = await call("POST", "/spaces", {
    body: { object: { identifier, name: identifier, purpose: "test" }, users: [], dataEngines: [{ spaceIdentifier: identifier, workers: 1 }] },
  });
  if (res.status !== 200) throw new Error(`createSpace: ${res.status} ${res.text}`);
  return identifier;
}

/** Makes `email` a member of `space` with `roles` and returns a token that acts for them. */
export async function tokenFor(roles: string[], space = "default", email = `${unique("user")}@example.com`): Promise<{ token: string; email: string; identifier: string }> {
  const member = await call("PUT", `/spaces/${space}/users`, { body: { users: [{ email, roles }] } });
  if (member.status !== 200) throw new Error(`tokenFor member: ${member.status} ${member.text}`);
  const created = await call("POST", "/tokens", { body: { name: "test", user: email } });
  if (created.status !== 200) throw new Error(`tokenFor token: ${created.status} ${created.text}`);
  return { token: created.body.access_token, email, identifier: created.body.identifier };
}

/** A token for a system administrator (not the bootstrap token). */
export async function systemAdministratorToken(): Promise<{ token: string; email: string }> {
  const email = `${unique("sysadmin")}@example.com`;
  const res = await call("POST", "/system-administrators", { body: { email, roles: ["ROLE_SYSTEM_ADMINISTRATOR"] } });
  if (res.status !== 200) throw new Error(`sysadmin: ${res.status} ${res.text}`);
  const created = await call("POST", "/tokens", { body: { name: "sysadmin", user: email } });
  return { token: created.body.access_token, email };
}

export function expectProblem(res: ApiResponse, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  if (!res.headers.get("content-type")?.includes("application/problem+json")) throw new Error(`not problem+json: ${res.headers.get("content-type")}`);
  const body = res.body as { status: string; title: string; detail: string; violations: unknown[] };
  if (body.status !== String(status) || typeof body.title !== "string" || typeof body.detail !== "string" || !Array.isArray(body.violations)) {
    throw new Error(`not Alumio's error shape: ${res.text}`);
  }
  return res.body as { status: string; title: string; detail: string; violations: { propertyPath: string; title: string; type: string }[]; context: Record<string, unknown> };
}
