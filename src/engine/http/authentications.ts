/**
 * Authentications (DI type `http-authentication`): add credentials to an outgoing `Request`.
 * Every parameter may hold `${ENV}` variables, expanded at request time. Tokens fetched from a
 * token endpoint are cached for the run (keyed by endpoint, client and user) and refreshed when
 * they expire; secrets are registered with the run so errors and logs mask them.
 */
import { z } from "zod";
import { ApiError } from "../../lib/errors";
import type { HttpAuthentication, Prototype, RunContext } from "../types";
import { runSecrets } from "./client";
import { joinBaseUri } from "./plugins";
import { authenticationTest } from "./cases";
import { base64, buildQuery, expandEnv, isRecord, maskSecrets, parseBody, redactBody, redactUrl, runCache, withUrl } from "./util";

function withHeader(request: Request, name: string, value: string): Request {
  const headers = new Headers(request.headers);
  headers.set(name, value);
  return new Request(request, { headers });
}

// ---- token endpoints ---------------------------------------------------------------------------

export interface CachedToken {
  token: string;
  /** epoch ms; Infinity when the endpoint gave no lifetime. */
  expiresAt: number;
}

export interface TokenFetch {
  /** Cache key within the run: endpoint + client + user (never the secret itself). */
  cacheKey: string;
  url: string;
  init: RequestInit;
  /** Picks the token and its lifetime (seconds) from the parsed response. */
  read(body: unknown): { token?: unknown; expiresIn?: unknown };
  /** For errors: what kind of token this is. */
  label: string;
}

/** Fetches a token once per run (concurrent callers share the same request); refreshes 30 s before expiry. */
export async function cachedToken(run: RunContext, fetchSpec: () => Promise<TokenFetch>, cacheKey: string): Promise<string> {
  const cache = runCache(run);
  const key = `token:${cacheKey}`;
  const hit = cache.get(key) as Promise<CachedToken> | undefined;
  if (hit) {
    try {
      const token = await hit;
      if (token.expiresAt - 30_000 > Date.now()) return token.token;
    } catch {
      // the earlier attempt failed: try again below
    }
  }
  const pending = (async (): Promise<CachedToken> => {
    const spec = await fetchSpec();
    const response = await run.fetch(spec.url, spec.init);
    const text = await response.text();
    const secrets = runSecrets(run);
    if (!response.ok) {
      const excerpt = maskSecrets(redactBody(text, response.headers.get("content-type")), secrets).slice(0, 300);
      throw new ApiError(502, `The ${spec.label} request to ${redactUrl(spec.url)} answered HTTP ${response.status}: ${excerpt}`, {
        title: "Authentication Error",
        context: { statusCode: response.status, uri: redactUrl(spec.url) },
      });
    }
    const { token, expiresIn } = spec.read(parseBody(text, response.headers.get("content-type")));
    if (typeof token !== "string" || !token) {
      throw new ApiError(502, `The ${spec.label} response from ${redactUrl(spec.url)} holds no access token.`, { title: "Authentication Error" });
    }
    secrets.add(token);
    const seconds = Number(expiresIn);
    return { token, expiresAt: Number.isFinite(seconds) && seconds > 0 ? Date.now() + seconds * 1000 : Number.POSITIVE_INFINITY };
  })();
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return (await pending).token;
}

/** `access_token`/`expires_in` (RFC 6749), or JSON:API `data.attributes.accessToken`/`expiresIn` (Spryker Glue). */
export function readAccessToken(body: unknown): { token?: unknown; expiresIn?: unknown } {
  if (!isRecord(body)) return {};
  if (body.access_token !== undefined) return { token: body.access_token, expiresIn: body.expires_in };
  const attributes = isRecord(body.data) && isRecord(body.data.attributes) ? body.data.attributes : undefined;
  return attributes ? { token: attributes.accessToken, expiresIn: attributes.expiresIn } : {};
}

// ---- OAuth 2 -----------------------------------------------------------------------------------

export interface OAuth2Options {
  grant: "password" | "client_credentials";
  tokenUrl: string;
  /** Appended to the expanded `tokenUrl` like a base URI path (vendor clients: base URL + token path). */
  tokenPath?: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  scope?: string;
  /** `basic` (RFC 6749 2.3.1, default): client id/secret as HTTP basic; `body`: in the form/JSON body. */
  clientAuthentication?: "basic" | "body";
  /** `form` (default, RFC 6749) or `json` (Akeneo). */
  tokenRequestFormat?: "form" | "json";
  headerName?: string;
  tokenPrefix?: string;
  /** Extra cache discriminator (Akeneo's `key`). */
  key?: string;
}

export class OAuth2Authentication implements HttpAuthentication {
  constructor(readonly options: OAuth2Options) {}

  async token(run: RunContext): Promise<string> {
    const o = this.options;
    const [baseTokenUrl, clientId, username, scope] = await Promise.all([
      expandEnv(o.tokenUrl, run, "tokenUrl"),
      expandEnv(o.clientId, run, "clientId"),
      expandEnv(o.username, run, "username"),
      expandEnv(o.scope, run, "scope"),
    ]);
    const tokenUrl = o.tokenPath ? joinBaseUri(baseTokenUrl, o.tokenPath) : baseTokenUrl;
    const cacheKey = JSON.stringify([o.grant, tokenUrl, clientId, username, scope, o.key ?? ""]);
    return cachedToken(
      run,
      async () => {
        const [clientSecret, password] = await Promise.all([expandEnv(o.clientSecret, run, "clientSecret"), expandEnv(o.password, run, "password")]);
        const secrets = runSecrets(run);
        for (const s of [clientSecret, password]) if (s) secrets.add(s);
        const fields: Record<string, string> = { grant_type: o.grant };
        if (o.grant === "password") Object.assign(fields, { username, password });
        if (scope) fields.scope = scope;
        const headers = new Headers({ accept: "application/json" });
        if ((o.clientAuthentication ?? "basic") === "basic" && clientId) headers.set("authorization", `Basic ${base64(`${clientId}:${clientSecret}`)}`);
        else Object.assign(fields, clientId ? { client_id: clientId } : {}, clientSecret ? { client_secret: clientSecret } : {});
        let body: string;
        if (o.tokenRequestFormat === "json") {
          headers.set("content-type", "application/json");
          body = JSON.stringify(fields);
        } else {
          headers.set("content-type", "application/x-www-form-urlencoded");
          body = buildQuery(fields);
        }
        return {
          cacheKey,
          url: tokenUrl,
          init: { method: "POST", headers, body },
          label: `OAuth 2 ${o.grant} token`,
          read: readAccessToken,
        };
      },
      cacheKey,
    );
  }

  async authenticate(request: Request, run: RunContext): Promise<Request> {
    const token = await this.token(run);
    const prefix = this.options.tokenPrefix ?? "Bearer";
    return withHeader(request, this.options.headerName ?? "authorization", prefix ? `${prefix} ${token}` : token);
  }
}

// ---- prototypes ----------------------------------------------------------------------------------

const str = z.union([z.string(), z.number()]).transform(String);

const basicParameters = z.looseObject({ username: str, password: str.optional().default("") });

export const basicAuthentication: Prototype<z.infer<typeof basicParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "basic",
  name: "Basic authentication",
  description: "Sends a username and password as HTTP basic authentication.",
  parameters: basicParameters,
  documentation: `# Basic authentication

Adds \`Authorization: Basic base64(username:password)\` to every request.

| parameter | meaning |
|---|---|
| \`username\` | user name; \`\${ENV}\` variables allowed |
| \`password\` | password; use an encrypted environment variable such as \`\${API_PASSWORD}\` |

Example: \`{"prototype":"basic","parameters":{"username":"\${API_USER}","password":"\${API_PASSWORD}"}}\`

The password never appears in logs or errors.

Test cases: the input is a request (\`{uri, method, payload}\`); the output is the request as it would be sent (method, url, headers, body), captured without network.`,
  tests: [
    {
      name: "adds a basic Authorization header",
      parameters: { username: "alice", password: "s3cret" },
      input: { uri: "https://api.example.com/items", method: "GET" },
      output: { method: "GET", url: "https://api.example.com/items", headers: { authorization: "Basic YWxpY2U6czNjcmV0" }, body: null },
    },
  ],
  create: (p) => ({
    async authenticate(request, run) {
      const [username, password] = await Promise.all([expandEnv(p.username, run, "username"), expandEnv(p.password, run, "password")]);
      if (password) runSecrets(run).add(password);
      return withHeader(request, "authorization", `Basic ${base64(`${username}:${password}`)}`);
    },
  }),
  runTest: authenticationTest,
};

const bearerParameters = z.looseObject({ token: str, headerName: z.string().optional(), prefix: z.string().optional() });

export const bearerAuthentication: Prototype<z.infer<typeof bearerParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "bearer",
  name: "Bearer token",
  description: "Sends a fixed token as `Authorization: Bearer <token>`.",
  parameters: bearerParameters,
  documentation: `# Bearer token

Adds \`Authorization: Bearer <token>\`.

| parameter | meaning |
|---|---|
| \`token\` | the token, usually \`\${API_TOKEN}\` |
| \`headerName\` | header to use instead of \`Authorization\` (optional) |
| \`prefix\` | prefix before the token, default \`Bearer\`; \`""\` sends the bare token |

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "adds a bearer token",
      parameters: { token: "abc123" },
      input: { uri: "https://api.example.com/me" },
      output: { method: "GET", url: "https://api.example.com/me", headers: { authorization: "Bearer abc123" }, body: null },
    },
  ],
  create: (p) => ({
    async authenticate(request, run) {
      const token = await expandEnv(p.token, run, "token");
      runSecrets(run).add(token);
      const prefix = p.prefix ?? "Bearer";
      return withHeader(request, p.headerName || "authorization", prefix ? `${prefix} ${token}` : token);
    },
  }),
  runTest: authenticationTest,
};

const headerParameters = z.looseObject({
  headers: z.union([z.record(z.string(), str), z.array(z.looseObject({ name: z.string(), value: str }))]).optional(),
  name: z.string().optional(),
  value: str.optional(),
});

export const headerAuthentication: Prototype<z.infer<typeof headerParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "header",
  name: "Token in header(s)",
  description: "Sends API keys or tokens in one or more request headers.",
  parameters: headerParameters,
  documentation: `# Token in header(s)

Sets each configured header on every request (replacing a value already there). Values may use \`\${ENV}\`.

| parameter | meaning |
|---|---|
| \`headers\` | \`{"X-Api-Key": "\${API_KEY}"}\`, or a list \`[{"name": "...", "value": "..."}]\` |
| \`name\`, \`value\` | a single header, instead of \`headers\` |

Header values are treated as secrets: they are masked in logs and errors.

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "sets an API key header",
      parameters: { headers: { "X-Api-Key": "k-123" } },
      input: { uri: "https://api.example.com/items" },
      output: { method: "GET", url: "https://api.example.com/items", headers: { "x-api-key": "k-123" }, body: null },
    },
  ],
  create: (p) => ({
    async authenticate(request, run) {
      const list: { name: string; value: string }[] = Array.isArray(p.headers)
        ? p.headers
        : Object.entries(p.headers ?? {}).map(([name, value]) => ({ name, value }));
      if (p.name) list.push({ name: p.name, value: p.value ?? "" });
      const headers = new Headers(request.headers);
      for (const h of list) {
        const value = await expandEnv(h.value, run, `header ${h.name}`);
        runSecrets(run).add(value);
        headers.set(h.name, value);
      }
      return new Request(request, { headers });
    },
  }),
  runTest: authenticationTest,
};

const queryParameters = z.looseObject({ parameters: z.record(z.string(), str).optional(), name: z.string().optional(), value: str.optional() });

export const queryParamAuthentication: Prototype<z.infer<typeof queryParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "query-param",
  name: "Query parameter authentication",
  description: "Sends an API key or token as a query parameter.",
  parameters: queryParameters,
  documentation: `# Query parameter authentication

Adds each configured parameter to the query string of every request (replacing one of the same name).

| parameter | meaning |
|---|---|
| \`parameters\` | \`{"api_key": "\${API_KEY}"}\` |
| \`name\`, \`value\` | a single parameter, instead of \`parameters\` |

Values are masked in logs and errors (logged URLs mask secret-looking parameter names too).

Test cases: input request -> the request as sent (captured without network).`,
  tests: [
    {
      name: "adds an api_key parameter",
      parameters: { parameters: { api_key: "k-1" } },
      input: { uri: "https://api.example.com/items?page=2" },
      output: { method: "GET", url: "https://api.example.com/items?page=2&api_key=k-1", headers: {}, body: null },
    },
  ],
  create: (p) => ({
    async authenticate(request, run) {
      const entries = Object.entries(p.parameters ?? {});
      if (p.name) entries.push([p.name, p.value ?? ""]);
      const url = new URL(request.url);
      for (const [name, raw] of entries) {
        const value = await expandEnv(raw, run, `query parameter ${name}`);
        runSecrets(run).add(value);
        url.searchParams.set(name, value);
      }
      return withUrl(request, url.toString());
    },
  }),
  runTest: authenticationTest,
};

const oauth2Common = {
  tokenUrl: z.string(),
  clientId: str.optional(),
  clientSecret: str.optional(),
  scope: str.optional(),
  clientAuthentication: z.enum(["basic", "body"]).optional(),
  tokenRequestFormat: z.enum(["form", "json"]).optional(),
  headerName: z.string().optional(),
  tokenPrefix: z.string().optional(),
};
const passwordParameters = z.looseObject({ ...oauth2Common, username: str, password: str });
const clientCredentialsParameters = z.looseObject(oauth2Common);

const OAUTH2_TEST_NOTE = `Test cases run without network: every request, including the token request, is answered
with \`{"access_token":"test-access-token","expires_in":3600}\`; the output is the request as sent.`;

export const oauth2PasswordAuthentication: Prototype<z.infer<typeof passwordParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "oauth2-password-grant",
  name: "OAuth 2 - password grant",
  description: "Fetches an access token with the resource owner password grant and sends it as a bearer token.",
  parameters: passwordParameters,
  documentation: `# OAuth 2 - password grant

Before the first request of a run, POSTs \`grant_type=password&username=…&password=…\` to \`tokenUrl\`
and sends the \`access_token\` it answers as \`Authorization: Bearer <token>\`. The token is cached for
the run and fetched again 30 seconds before \`expires_in\` runs out.

| parameter | meaning |
|---|---|
| \`tokenUrl\` | the token endpoint (absolute) |
| \`clientId\`, \`clientSecret\` | client credentials |
| \`username\`, \`password\` | resource owner credentials |
| \`scope\` | optional scope |
| \`clientAuthentication\` | \`basic\` (default; HTTP basic with the client credentials, RFC 6749 2.3.1) or \`body\` (\`client_id\`/\`client_secret\` fields) |
| \`tokenRequestFormat\` | \`form\` (default) or \`json\` |
| \`headerName\`, \`tokenPrefix\` | where the token goes; default \`Authorization\` / \`Bearer\` |

[INF] Alumio names its OAuth 2 authentication in the UI only; this identifier is ours.

${OAUTH2_TEST_NOTE}`,
  tests: [
    {
      name: "sends the fetched token as a bearer token",
      parameters: { tokenUrl: "https://auth.example.com/oauth/token", clientId: "cid", clientSecret: "csecret", username: "u", password: "p" },
      input: { uri: "https://api.example.com/items" },
      output: { method: "GET", url: "https://api.example.com/items", headers: { authorization: "Bearer test-access-token" }, body: null },
    },
  ],
  create: (p) => new OAuth2Authentication({ ...p, grant: "password" }),
  runTest: authenticationTest,
};

export const oauth2ClientCredentialsAuthentication: Prototype<z.infer<typeof clientCredentialsParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "oauth2-client-credentials-grant",
  name: "OAuth 2 - client credentials grant",
  description: "Fetches an access token with the client credentials grant and sends it as a bearer token.",
  parameters: clientCredentialsParameters,
  documentation: `# OAuth 2 - client credentials grant

Before the first request of a run, POSTs \`grant_type=client_credentials\` to \`tokenUrl\` and sends the
\`access_token\` as \`Authorization: Bearer <token>\`; cached for the run, refreshed before \`expires_in\`.

| parameter | meaning |
|---|---|
| \`tokenUrl\` | the token endpoint (absolute) |
| \`clientId\`, \`clientSecret\` | client credentials |
| \`scope\` | optional scope |
| \`clientAuthentication\` | \`basic\` (default) or \`body\` |
| \`tokenRequestFormat\` | \`form\` (default) or \`json\` |
| \`headerName\`, \`tokenPrefix\` | where the token goes; default \`Authorization\` / \`Bearer\` |

[INF] identifier chosen by us.

${OAUTH2_TEST_NOTE}`,
  tests: [
    {
      name: "sends the fetched token as a bearer token",
      parameters: { tokenUrl: "https://auth.example.com/oauth/token", clientId: "cid", clientSecret: "csecret", scope: "read" },
      input: { uri: "https://api.example.com/items" },
      output: { method: "GET", url: "https://api.example.com/items", headers: { authorization: "Bearer test-access-token" }, body: null },
    },
  ],
  create: (p) => new OAuth2Authentication({ ...p, grant: "client_credentials" }),
  runTest: authenticationTest,
};

export const authenticationPrototypes = [
  basicAuthentication,
  bearerAuthentication,
  headerAuthentication,
  queryParamAuthentication,
  oauth2PasswordAuthentication,
  oauth2ClientCredentialsAuthentication,
] as Prototype[];
