/**
 * HTTP client prototypes (DI type `http-client`): the generic default client and the vendor
 * clients the exports use. Vendor clients are a base URI, an authentication and default headers
 * put in front of a generic client (their own, or the one `advanced.client` names).
 */
import { z } from "zod";
import type { HttpAuthentication, HttpClient, HttpClientPlugin, Prototype, RunContext } from "../types";
import { OAuth2Authentication, type OAuth2Options } from "./authentications";
import { clientTest } from "./cases";
import { curlHttpAuth, DEFAULT_ERROR_RANGES, GenericHttpClient, resolveClient, runSecrets, type RequestOptions } from "./client";
import { baseUriPlugin, loggerPlugin, type LoggerFormatter } from "./plugins";
import { asRecord, expandEnv, looseBoolean, looseObject, specList, specListValues } from "./util";

// ---- the generic client -------------------------------------------------------------------------

const range = z.looseObject({ from: z.coerce.number(), to: z.coerce.number() });

const genericParameters = z.looseObject({
  plugins: specList,
  authentications: specList,
  connection: looseObject({
    timeout: z.coerce.number().optional(),
    connecttimeout: z.coerce.number().optional(),
  }).optional(),
  enableErrorHandling: looseBoolean.optional(),
  errorHttpCodeRanges: z.union([z.array(range), z.record(z.string(), range)]).optional(),
  httpauth: looseObject({ auth: z.unknown().optional(), authuserpwd: z.unknown().optional() }).optional(),
  headers: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  ssl: z.unknown().optional(),
  proxy: z.unknown().optional(),
  development: z.unknown().optional(),
});
type GenericParameters = z.infer<typeof genericParameters>;

export const genericHttpClient: Prototype<GenericParameters, "http-client"> = {
  type: "http-client",
  identifier: "default",
  name: "HTTP client",
  description: "A configurable HTTP client: plugins, authentications, timeout and error handling.",
  isDefault: true,
  parameters: genericParameters,
  documentation: `# HTTP client (default prototype)

The client an \`http-client\` configuration without \`prototype\` builds. Requests go through the
platform's one outbound client (timeouts, up to two retries with backoff on network errors, 429 and
5xx, refusal of loopback/private/link-local hosts unless the installation allows them).

Order per request: the request object's \`plugins\`, the client's \`plugins\` (in order), then the
client's and the request's \`authentications\`, then the network. Relative URIs need a \`base-uri\`
plugin.

| parameter | meaning |
|---|---|
| \`plugins\` | list of \`http-client-plugin\` prototypes: \`base-uri\`, \`header-append\`, \`header-set\`, \`header-remove\`, \`logger\` |
| \`authentications\` | list of \`http-authentication\` prototypes: \`basic\`, \`bearer\`, \`header\`, \`query-param\`, \`oauth2-password-grant\`, \`oauth2-client-credentials-grant\`, \`magento-2-integration-oauth1\` |
| \`connection.timeout\` | whole-request timeout in seconds (0 or absent: the platform default, 30 s per attempt) |
| \`enableErrorHandling\` | "Abort process on errors", default \`true\`: a response whose status is in \`errorHttpCodeRanges\` fails the step (the error names status and URL, with an excerpt of the body, secrets masked). \`false\`: every response is data |
| \`errorHttpCodeRanges\` | \`[{"from":400,"to":500},{"from":500,"to":600}]\` (default); \`from\` inclusive, \`to\` exclusive [INF] |
| \`httpauth\` | cURL HTTP authentication: \`{"auth":"basic","authuserpwd":"user:\${PASSWORD}"}\` sends basic credentials |
| \`headers\` | headers every request carries unless it sets them (ours) |
| \`ssl\`, \`proxy\`, \`development\`, \`connection.connecttimeout\`, \`low_speed_*\`, \`forbid_reuse\`, \`fresh_connect\`, \`tcp_fastopen\` | cURL options of Alumio's PHP client: accepted so exports import, **not applicable on Workers** (TLS is always verified by the runtime; there are no outbound proxies, connection reuse knobs or custom DNS resolution) |

Example (as exported): \`{"parameters":{"plugins":[{"prototype":"base-uri","parameters":{"uri":{"parameters":"\${BASE_URL}"}}},{"prototype":"logger","parameters":{"formatter":"long"}}],"authentications":[{"prototype":"basic","parameters":{"username":"\${USER}","password":"\${PASSWORD}"}}],"enableErrorHandling":true,"errorHttpCodeRanges":[{"from":400,"to":500},{"from":500,"to":600}]}}\`

An \`http-client\` configuration named \`default\` is the client of every HTTP subscriber, transformer and
publisher that names none; without such a configuration they use this prototype with no parameters.

Test cases run without network: input request -> the request as it would be sent.`,
  tests: [
    {
      name: "base URI, headers and basic authentication",
      parameters: {
        plugins: [
          { prototype: "base-uri", parameters: { uri: { parameters: "https://api.example.com/v1" } } },
          { prototype: "header-append", parameters: { headers: { Accept: "application/json" } } },
        ],
        authentications: [{ prototype: "basic", parameters: { username: "u", password: "p" } }],
        ssl: [],
        proxy: [],
        connection: { timeout: 30 },
      },
      input: { uri: "/orders", method: "post", payload: { id: 1 } },
      output: {
        method: "POST",
        url: "https://api.example.com/v1/orders",
        headers: { accept: "application/json", authorization: "Basic dTpw", "content-type": "application/json" },
        body: { id: 1 },
      },
    },
    {
      name: "GET payload becomes the query string",
      parameters: {},
      input: { uri: "https://api.example.com/items?limit=10", payload: { page: 2, search: "a b" } },
      output: { method: "GET", url: "https://api.example.com/items?limit=10&page=2&search=a+b", headers: {}, body: null },
    },
  ],
  async create(p, builder) {
    const plugins = await Promise.all(specListValues(p.plugins).map((spec, i) => builder.build("http-client-plugin", spec, ["plugins", i])));
    const authentications = await Promise.all(
      specListValues(p.authentications).map((spec, i) => builder.build("http-authentication", spec, ["authentications", i])),
    );
    const httpauth = asRecord(p.httpauth);
    const curl = curlHttpAuth(httpauth.auth, httpauth.authuserpwd);
    if (curl) authentications.unshift(curl);
    const timeout = asRecord(p.connection).timeout;
    const ranges = p.errorHttpCodeRanges ? (Array.isArray(p.errorHttpCodeRanges) ? p.errorHttpCodeRanges : Object.values(p.errorHttpCodeRanges)) : DEFAULT_ERROR_RANGES;
    return new GenericHttpClient({
      name: builder.path || "default",
      plugins,
      authentications,
      timeoutMs: timeout && timeout > 0 ? timeout * 1000 : undefined,
      errorHandling: p.enableErrorHandling ?? true,
      errorRanges: ranges.map((r) => ({ from: r.from, to: r.to })),
      defaultHeaders: p.headers ? Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k, String(v)])) : undefined,
    });
  },
  runTest: clientTest,
};

// ---- vendor clients ------------------------------------------------------------------------------

/** A base URI, authentications and default headers in front of a generic client. */
export class VendorClient implements HttpClient {
  private readonly own: GenericHttpClient;

  constructor(
    readonly name: string,
    readonly plugins: HttpClientPlugin[],
    readonly authentications: HttpAuthentication[],
    readonly defaultHeaders: Record<string, string>,
    /** `advanced.client`: the http-client configuration to send through (its plugins, error handling). */
    readonly inner?: string,
  ) {
    this.own = new GenericHttpClient({ name });
  }

  async request(spec: RequestOptions, run: RunContext) {
    const inner = this.inner ? await resolveClient(this.inner, run) : this.own;
    const headers = { ...this.defaultHeaders, ...(spec.headers ?? {}) };
    return inner.request(
      {
        ...spec,
        headers,
        plugins: [...this.plugins, ...(spec.plugins ?? [])],
        authentications: [...this.authentications, ...(spec.authentications ?? [])],
      } as RequestOptions,
      run,
    );
  }
}

const str = z.union([z.string(), z.number()]).transform(String);
const advanced = looseObject({ client: z.string().optional() }).optional();

function vendorPlugins(base: string, enableLogging: boolean | undefined, formatter: string | undefined): HttpClientPlugin[] {
  const plugins = [baseUriPlugin(base)];
  if (enableLogging) plugins.push(loggerPlugin((["simple", "long", "full"].includes(formatter ?? "") ? formatter : "long") as LoggerFormatter));
  return plugins;
}

/** A vendor client that logs in with an OAuth 2 password grant against its base URL and speaks JSON (Akeneo, Spryker). */
function passwordGrantClient(
  name: string,
  baseUri: string,
  p: { key?: string; enableLogging?: boolean; loggerFormatter?: string; advanced?: { client?: string } | unknown[] },
  login: Omit<OAuth2Options, "grant" | "tokenUrl" | "key">,
): VendorClient {
  const authentication = new OAuth2Authentication({ grant: "password", tokenUrl: baseUri, key: p.key, ...login });
  return new VendorClient(name, vendorPlugins(baseUri, p.enableLogging, p.loggerFormatter), [authentication], { accept: "application/json" }, asRecord(p.advanced).client);
}

/** What `GET /platforms` lists for a vendor client. */
export interface PlatformInfo {
  identifier: string;
  name: string;
  vendor: string;
  categories: string[];
  logo: string;
  editions: string[];
  extensions: string[];
  apis: { identifier: string; name: string; type: string; httpClientPrototype?: string; authentication: string; documentation: string }[];
}

export type VendorPrototype = Prototype<any, "http-client"> & { platform: PlatformInfo };

const akeneoParameters = z.looseObject({
  baseUri: z.string(),
  clientId: str,
  clientSecret: str,
  username: str,
  password: str,
  key: z.string().optional(),
  enableLogging: looseBoolean.optional(),
  loggerFormatter: z.string().optional(),
  advanced,
});

export const akeneoHttpClient: VendorPrototype = {
  type: "http-client",
  identifier: "akeneo-http-client-v2",
  name: "Akeneo HTTP client",
  description: "Akeneo PIM REST API client: OAuth 2 password grant, bearer token on every call.",
  parameters: akeneoParameters,
  documentation: `# Akeneo HTTP client (v2)

Client for the Akeneo PIM REST API (\`/api/rest/v1/...\`). Relative request URIs are resolved against
\`baseUri\`. Before the first call of a run it requests a token: \`POST <baseUri>/api/oauth/v1/token\`
with HTTP basic \`clientId:clientSecret\` and the JSON body
\`{"grant_type":"password","username":…,"password":…}\`; every call then carries
\`Authorization: Bearer <access_token>\`. The token is cached for the run and renewed before
\`expires_in\` (Akeneo: one hour) runs out. Requests send \`Accept: application/json\`.

| parameter | meaning |
|---|---|
| \`baseUri\` | the PIM URL, e.g. \`\${AKENEO_BASE_URL}\` |
| \`clientId\`, \`clientSecret\` | the API connection's client id and secret |
| \`username\`, \`password\` | the API connection's user |
| \`key\` | a ULID Alumio stores with the client [INF: token cache key]; part of our per-run cache key |
| \`enableLogging\`, \`loggerFormatter\` | log every request with the \`logger\` plugin (\`simple\`/\`long\`/\`full\`) |
| \`advanced.client\` | an http-client configuration to send through (its plugins and error handling) |

Example (as exported): \`{"prototype":"akeneo-http-client-v2","parameters":{"key":"","baseUri":"\${AKENEO_BASE_URL}","clientId":"\${AKENEO_CLIENT_ID}","password":"\${AKENEO_PASSWORD}","username":"\${AKENEO_USERNAME}","clientSecret":"\${AKENEO_CLIENT_SECRET}"}}\`

[INF] The token flow follows Akeneo's public API documentation; Alumio does not document its client.

Test cases run without network (the token request is answered with \`test-access-token\`): input request -> the API request as sent.`,
  tests: [
    {
      name: "bearer token from the password grant",
      parameters: { baseUri: "https://pim.example.com", clientId: "cid", clientSecret: "cs", username: "u", password: "p", key: "" },
      input: { uri: "/api/rest/v1/categories?limit=100" },
      output: {
        method: "GET",
        url: "https://pim.example.com/api/rest/v1/categories?limit=100",
        headers: { accept: "application/json", authorization: "Bearer test-access-token" },
        body: null,
      },
    },
  ],
  create: (p: z.infer<typeof akeneoParameters>, builder) =>
    passwordGrantClient(builder.path || "akeneo-http-client-v2", p.baseUri, p, {
      tokenPath: "/api/oauth/v1/token",
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      username: p.username,
      password: p.password,
      clientAuthentication: "basic",
      tokenRequestFormat: "json",
    }),
  runTest: clientTest,
  platform: {
    identifier: "akeneo",
    name: "Akeneo PIM",
    vendor: "Akeneo",
    categories: ["PIM"],
    logo: "https://www.akeneo.com/favicon.ico",
    editions: ["Community Edition", "Growth Edition", "Enterprise Edition", "Serenity"],
    extensions: [],
    apis: [
      {
        identifier: "akeneo-rest-api",
        name: "Akeneo REST API",
        type: "REST",
        httpClientPrototype: "akeneo-http-client-v2",
        authentication: "OAuth 2 password grant (/api/oauth/v1/token)",
        documentation: "https://api.akeneo.com/api-reference-index.html",
      },
    ],
  },
};

const shopifyParameters = z.looseObject({
  baseUri: z.string(),
  token: str,
  enableLogging: looseBoolean.optional(),
  loggerFormatter: z.string().optional(),
  advanced,
});

export const shopifyHttpClient: VendorPrototype = {
  type: "http-client",
  identifier: "shopify-http-client-v3",
  name: "Shopify HTTP client",
  description: "Shopify Admin API client: sends the access token as X-Shopify-Access-Token.",
  parameters: shopifyParameters,
  documentation: `# Shopify HTTP client (v3)

Client for the Shopify Admin REST and GraphQL APIs (\`/admin/api/<version>/graphql.json\`). Relative
request URIs are resolved against \`baseUri\`; every request carries \`X-Shopify-Access-Token: <token>\`
and \`Accept: application/json\`.

| parameter | meaning |
|---|---|
| \`baseUri\` | the shop URL, e.g. \`\${SHOPIFY_BASE_URI}\` (\`https://my-shop.myshopify.com\`) |
| \`token\` | an Admin API access token of a custom app, e.g. \`\${SHOPIFY_PERSONAL_ACCESS_TOKEN}\` |
| \`enableLogging\`, \`loggerFormatter\` | log every request (the token header is always redacted) |
| \`advanced.client\` | an http-client configuration to send through |

Example (as exported): \`{"prototype":"shopify-http-client-v3","parameters":{"token":"\${SHOPIFY_PERSONAL_ACCESS_TOKEN}","baseUri":"\${SHOPIFY_BASE_URI}","advanced":[]}}\`

Test cases run without network: input request -> the request as sent.`,
  tests: [
    {
      name: "sends the access token header",
      parameters: { baseUri: "https://shop.example.com", token: "shpat_123", advanced: [] },
      input: { uri: "/admin/api/2025-01/graphql.json", method: "POST", payload: { query: "{ shop { name } }" } },
      output: {
        method: "POST",
        url: "https://shop.example.com/admin/api/2025-01/graphql.json",
        headers: { accept: "application/json", "content-type": "application/json", "x-shopify-access-token": "shpat_123" },
        body: { query: "{ shop { name } }" },
      },
    },
  ],
  create: (p: z.infer<typeof shopifyParameters>, builder) =>
    new VendorClient(
      builder.path || "shopify-http-client-v3",
      vendorPlugins(p.baseUri, p.enableLogging, p.loggerFormatter),
      [
        {
          async authenticate(request, run) {
            const token = await expandEnv(p.token, run, "token");
            runSecrets(run).add(token);
            const headers = new Headers(request.headers);
            headers.set("x-shopify-access-token", token);
            return new Request(request, { headers });
          },
        },
      ],
      { accept: "application/json" },
      asRecord(p.advanced).client,
    ),
  runTest: clientTest,
  platform: {
    identifier: "shopify",
    name: "Shopify",
    vendor: "Shopify",
    categories: ["E-commerce"],
    logo: "https://cdn.shopify.com/shopifycloud/brochure/assets/brand-assets/shopify-logo-primary-logo-456baa801ee66a0a435671082365958316831c9960c480451dd0330bcdae304f.svg",
    editions: ["Basic", "Shopify", "Advanced", "Plus"],
    extensions: [],
    apis: [
      {
        identifier: "shopify-admin-graphql-api",
        name: "Shopify Admin GraphQL API",
        type: "GraphQL",
        httpClientPrototype: "shopify-http-client-v3",
        authentication: "Access token (X-Shopify-Access-Token)",
        documentation: "https://shopify.dev/docs/api/admin-graphql",
      },
      {
        identifier: "shopify-admin-rest-api",
        name: "Shopify Admin REST API",
        type: "REST",
        httpClientPrototype: "shopify-http-client-v3",
        authentication: "Access token (X-Shopify-Access-Token)",
        documentation: "https://shopify.dev/docs/api/admin-rest",
      },
    ],
  },
};

const sprykerParameters = z.looseObject({
  baseUrl: z.string(),
  username: str,
  password: str,
  key: z.string().optional(),
  enableLogging: looseBoolean.optional(),
  loggerFormatter: z.string().optional(),
  advanced,
});

export const sprykerHttpClient: VendorPrototype = {
  type: "http-client",
  identifier: "alumio-spryker-dynamic-data-exchange-http-client-v2",
  name: "Spryker Dynamic Data Exchange HTTP client",
  description: "Spryker Glue Backend API client (Dynamic Data Exchange): back-office user token, bearer on every call.",
  parameters: sprykerParameters,
  documentation: `# Spryker Dynamic Data Exchange HTTP client (v2)

Client for Spryker's Glue **Backend** API, where the Dynamic Data Exchange API lives
(\`/dynamic-entity/<entity>\`) next to resources such as \`/product-attributes\` and \`/categories\`.
Relative URIs are resolved against \`baseUrl\`. Before the first call of a run it requests a token
for the back-office user: \`POST <baseUrl>/token\` with the form body
\`grant_type=password&username=…&password=…\`; every call then carries
\`Authorization: Bearer <access_token>\`, \`Accept: application/json\` and, for bodies,
\`Content-Type: application/json\`. The token is cached for the run and renewed before it expires.
Token answers in JSON:API form (\`data.attributes.accessToken\`) are accepted too.

| parameter | meaning |
|---|---|
| \`baseUrl\` | the Glue Backend API URL, e.g. \`\${SPRYKER_BACKOFFICE_GLUE_BASE_URI}\` |
| \`username\`, \`password\` | a back-office user |
| \`key\` | a ULID Alumio stores with the client [INF: token cache key]; part of our per-run cache key |
| \`enableLogging\`, \`loggerFormatter\` | log every request with the \`logger\` plugin |
| \`advanced.client\` | an http-client configuration to send through, e.g. \`{"client":"default"}\` (its plugins and error handling) |

[INF] The token endpoint and form follow Spryker's Backend API documentation; Alumio does not document its client.

Test cases run without network (the token request is answered with \`test-access-token\`): input request -> the API request as sent.`,
  tests: [
    {
      name: "bearer token for the back-office user",
      parameters: { baseUrl: "https://glue-backend.example.com", username: "admin@example.com", password: "pw", key: "01JH4QM3K95013ZFMCBFVT5D63" },
      input: { uri: "/dynamic-entity/stores" },
      output: {
        method: "GET",
        url: "https://glue-backend.example.com/dynamic-entity/stores",
        headers: { accept: "application/json", authorization: "Bearer test-access-token" },
        body: null,
      },
    },
  ],
  create: (p: z.infer<typeof sprykerParameters>, builder) =>
    passwordGrantClient(builder.path || "alumio-spryker-dynamic-data-exchange-http-client-v2", p.baseUrl, p, {
      tokenPath: "/token",
      username: p.username,
      password: p.password,
      clientAuthentication: "body",
      tokenRequestFormat: "form",
    }),
  runTest: clientTest,
  platform: {
    identifier: "spryker",
    name: "Spryker Cloud Commerce OS",
    vendor: "Spryker",
    categories: ["E-commerce", "Marketplace"],
    logo: "https://spryker.com/favicon.ico",
    editions: ["B2B", "B2C", "Marketplace"],
    extensions: ["Dynamic Data Exchange"],
    apis: [
      {
        identifier: "spryker-glue-backend-api",
        name: "Spryker Glue Backend API (Dynamic Data Exchange)",
        type: "REST",
        httpClientPrototype: "alumio-spryker-dynamic-data-exchange-http-client-v2",
        authentication: "Back-office user token (POST /token, password grant)",
        documentation: "https://docs.spryker.com/docs/pbc/all/data-exchange/latest/dynamic-data-exchange",
      },
    ],
  },
};

export const vendorClients: VendorPrototype[] = [akeneoHttpClient, shopifyHttpClient, sprykerHttpClient];

export const clientPrototypes = [genericHttpClient, ...vendorClients] as Prototype[];
