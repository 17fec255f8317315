import { describe, expect, it } from "vitest";
import { HttpStatusError } from "../../../src/engine/http/util";
import { outboundFetch } from "../../../src/lib/http-client";
import { build, client, recorded, runWith, STUB, uniquePath } from "./helpers";

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

describe("generic http-client", () => {
  it("applies base-uri, header plugins and basic authentication", async () => {
    const path = uniquePath("generic");
    const run = runWith({ variables: { API_PASSWORD: "pa55word" } });
    const c = await client(
      {
        parameters: {
          plugins: [
            { prototype: "base-uri", parameters: { uri: { parameters: `\${STUB_URL}${path}` }, config: [] } },
            { prototype: "header-append", parameters: { headers: { "X-Channel": "web", Accept: "application/json" } } },
          ],
          authentications: [{ prototype: "basic", parameters: { username: "alice", password: "${API_PASSWORD}" } }],
          ssl: { ssl_verifypeer: true },
          proxy: [],
          connection: { timeout: 10, connecttimeout: 5 },
        },
      },
      run,
    );
    const response = await c.request({ uri: "/orders?limit=2", method: "post", payload: { id: 1 } }, run);
    expect(response.status).toBe(200);
    const [sent] = await recorded(path);
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(`${path}/orders`);
    expect(sent.query).toEqual({ limit: "2" });
    expect(sent.headers["x-channel"]).toBe("web");
    expect(sent.headers.authorization).toBe(basic("alice", "pa55word"));
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent.body)).toEqual({ id: 1 });
  });

  it("puts a GET payload in the query string, http_build_query style", async () => {
    const path = uniquePath("get-payload");
    const run = runWith();
    const c = await client({ parameters: {} }, run);
    await c.request({ uri: `${STUB()}${path}?with_count=true`, payload: { page: 2, search: { parent: ["a b"] } } }, run);
    const [sent] = await recorded(path);
    expect(sent.query).toEqual({ with_count: "true", page: "2", "search[parent][0]": "a b" });
    expect(sent.body).toBe("");
  });

  it("refuses a relative URI without a base URI", async () => {
    const run = runWith();
    const c = await client({ parameters: {} }, run);
    await expect(c.request({ uri: "/orders" }, run)).rejects.toThrow(/relative/);
  });

  it("fails on error statuses by default, and returns them with enableErrorHandling false", async () => {
    const path = `/status/404${uniquePath("errors")}`;
    const run = runWith({ variables: { TOKEN: "tok-secret-123" } });
    const strict = await client({ parameters: { authentications: [{ prototype: "bearer", parameters: { token: "${TOKEN}" } }] } }, run);
    const error = await strict.request({ uri: `${STUB()}${path}` }, run).catch((e) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).toMatch(/HTTP 404/);
    // the stub echoes the request headers: the token must not reach the error
    expect(error.message).not.toContain("tok-secret-123");
    const lenient = await client({ parameters: { enableErrorHandling: false } }, run);
    const response = await lenient.request({ uri: `${STUB()}${path}` }, run);
    expect(response.status).toBe(404);
    const ranges = await client({ parameters: { errorHttpCodeRanges: [{ from: 500, to: 600 }] } }, run);
    expect((await ranges.request({ uri: `${STUB()}${path}` }, run)).status).toBe(404);
  });

  it("retries on 5xx through the platform client", async () => {
    const key = crypto.randomUUID();
    const run = runWith();
    const c = await client({ parameters: {} }, run);
    const response = await c.request({ uri: `${STUB()}/http-stub/flaky/${key}?failures=1` }, run);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ attempt: 2 });
    expect(await recorded(`/http-stub/flaky/${key}`)).toHaveLength(2);
  });

  it("refuses private targets when the run does not allow them", async () => {
    const run = { ...runWith(), fetch: (input: string | URL, init?: RequestInit) => outboundFetch(input, init, { allowPrivateNetwork: false, retries: 0 }) };
    const c = await client({ parameters: {} }, run);
    const path = uniquePath("private");
    await expect(c.request({ uri: `${STUB()}${path}` }, run)).rejects.toThrow(/refused/);
    expect(await recorded(path)).toHaveLength(0);
  });

  it("connection.timeout (seconds) bounds the whole request", async () => {
    const run = runWith();
    const c = await client({ parameters: { connection: { timeout: 0.1 } } }, run);
    await expect(c.request({ uri: `${STUB()}/http-stub/slow/600` }, run)).rejects.toThrow(/timed out after 100 ms/);
  });

  it("answers data: URIs locally", async () => {
    const run = runWith();
    const c = await client({ parameters: {} }, run);
    const response = await c.request({ uri: 'data:application/json,{"a":1}' }, run);
    expect(JSON.parse(response.body)).toEqual({ a: 1 });
  });

  it("logs requests without secrets", async () => {
    const logs: { level: string; message: string }[] = [];
    const contexts: unknown[] = [];
    const path = uniquePath("logger");
    const run = { ...runWith({ variables: { KEY: "hdr-secret-999" } }), log: (level: string, message: string, context?: unknown) => (logs.push({ level, message }), contexts.push(context)) };
    const c = await client(
      {
        parameters: {
          plugins: [
            { prototype: "header-set", parameters: { headers: { "X-Api-Key": "${KEY}", Authorization: "Bearer ${KEY}" } } },
            { prototype: "logger", parameters: { formatter: "full" } },
          ],
        },
      },
      run as never,
    );
    await c.request({ uri: `${STUB()}${path}?access_token=\${KEY}`, method: "POST", payload: { password: "hdr-secret-999", sku: "A1" } }, run as never);
    expect(logs).toHaveLength(1);
    expect(logs[0].message).toMatch(/HTTP POST .* -> 200/);
    const serialized = JSON.stringify({ logs, contexts });
    expect(serialized).not.toContain("hdr-secret-999");
    expect(serialized).toContain("[redacted]");
    expect(serialized).toContain("A1");
    // the request itself carried the secret
    const [sent] = await recorded(path);
    expect(sent.headers["x-api-key"]).toBe("hdr-secret-999");
  });

  it("uses the default http-client configuration through advanced.client", async () => {
    const path = uniquePath("spryker-advanced");
    const run = runWith({
      configurations: [{ type: "http-client", identifier: "default", object: { parameters: { plugins: [{ prototype: "header-append", parameters: { headers: { "X-From-Default": "yes" } } }] } } }],
      variables: { SPRYKER_URL: `${STUB()}${path}`, SPRYKER_PASSWORD: "spryker-pw" },
    });
    const c = await client(
      {
        prototype: "alumio-spryker-dynamic-data-exchange-http-client-v2",
        parameters: { key: "01JH4QM3K95013ZFMCBFVT5D63", baseUrl: "${SPRYKER_URL}", advanced: { client: "default" }, password: "${SPRYKER_PASSWORD}", username: "admin@spryker.com" },
      },
      run,
    );
    await c.request({ uri: "/dynamic-entity/stores" }, run);
    const requests = await recorded(path);
    const api = requests.find((r) => r.path === `${path}/dynamic-entity/stores`)!;
    expect(api.headers["x-from-default"]).toBe("yes");
    expect(api.headers.authorization).toBe("Bearer stub-access-token");
  });
});

describe("vendor clients", () => {
  it("akeneo-http-client-v2 fetches one token per run and sends it as a bearer token", async () => {
    const path = uniquePath("akeneo");
    const run = runWith({ variables: { AKENEO_BASE_URL: `${STUB()}${path}/`, AKENEO_CLIENT_ID: "cid", AKENEO_CLIENT_SECRET: "csecret", AKENEO_USERNAME: "admin", AKENEO_PASSWORD: "akeneo-pw" } });
    const c = await client(
      {
        prototype: "akeneo-http-client-v2",
        parameters: { key: "", baseUri: "${AKENEO_BASE_URL}", clientId: "${AKENEO_CLIENT_ID}", password: "${AKENEO_PASSWORD}", username: "${AKENEO_USERNAME}", clientSecret: "${AKENEO_CLIENT_SECRET}" },
      },
      run,
    );
    await c.request({ uri: "/api/rest/v1/categories" }, run);
    await c.request({ uri: "/api/rest/v1/families?limit=10" }, run);
    const requests = await recorded(path);
    const tokens = requests.filter((r) => r.path === `${path}/api/oauth/v1/token`);
    expect(tokens).toHaveLength(1);
    expect(tokens[0].method).toBe("POST");
    expect(tokens[0].headers.authorization).toBe(basic("cid", "csecret"));
    expect(JSON.parse(tokens[0].body)).toEqual({ grant_type: "password", username: "admin", password: "akeneo-pw" });
    const api = requests.filter((r) => r.path.startsWith(`${path}/api/rest/v1/`));
    expect(api.map((r) => r.path)).toEqual([`${path}/api/rest/v1/categories`, `${path}/api/rest/v1/families`]);
    for (const r of api) expect(r.headers.authorization).toBe("Bearer stub-access-token");

    // a new run fetches a new token
    const other = runWith({ variables: { AKENEO_BASE_URL: `${STUB()}${path}`, AKENEO_CLIENT_ID: "cid", AKENEO_CLIENT_SECRET: "csecret", AKENEO_USERNAME: "admin", AKENEO_PASSWORD: "akeneo-pw" } });
    await c.request({ uri: "/api/rest/v1/categories" }, other);
    expect((await recorded(`${path}/api/oauth/v1/token`)).length).toBe(2);
  });

  it("shopify-http-client-v3 sends X-Shopify-Access-Token", async () => {
    const path = uniquePath("shopify");
    const run = runWith({ variables: { SHOPIFY_BASE_URI: `${STUB()}${path}`, SHOPIFY_PERSONAL_ACCESS_TOKEN: "shpat_abc" } });
    const c = await client({ prototype: "shopify-http-client-v3", parameters: { token: "${SHOPIFY_PERSONAL_ACCESS_TOKEN}", baseUri: "${SHOPIFY_BASE_URI}", advanced: [] } }, run);
    await c.request({ uri: "/admin/api/2025-01/graphql.json", method: "POST", payload: { query: "{ shop { name } }" } }, run);
    const [sent] = await recorded(path);
    expect(sent.path).toBe(`${path}/admin/api/2025-01/graphql.json`);
    expect(sent.headers["x-shopify-access-token"]).toBe("shpat_abc");
    expect(sent.headers.authorization).toBeUndefined();
  });

  it("alumio-spryker-dynamic-data-exchange-http-client-v2 logs in with the back-office user", async () => {
    const path = uniquePath("spryker");
    const run = runWith({ variables: { SPRYKER_BACKOFFICE_GLUE_BASE_URI: `${STUB()}${path}`, SPRYKER_BACKOFFICE_GLUE_USERNAME: "admin@spryker.com", SPRYKER_BACKOFFICE_GLUE_PASSWORD: "change123" } });
    const c = await client(
      {
        prototype: "alumio-spryker-dynamic-data-exchange-http-client-v2",
        parameters: { key: "01JH4QM3K95013ZFMCBFVT5D63", baseUrl: "${SPRYKER_BACKOFFICE_GLUE_BASE_URI}", password: "${SPRYKER_BACKOFFICE_GLUE_PASSWORD}", username: "${SPRYKER_BACKOFFICE_GLUE_USERNAME}", enableLogging: true, loggerFormatter: "full" },
      },
      run,
    );
    await c.request({ uri: "/dynamic-entity/product-abstracts", method: "PUT", payload: { data: [{ sku: "a" }] } }, run);
    const requests = await recorded(path);
    const token = requests.find((r) => r.path === `${path}/token`)!;
    expect(token.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({ grant_type: "password", username: "admin@spryker.com", password: "change123" });
    const api = requests.find((r) => r.path === `${path}/dynamic-entity/product-abstracts`)!;
    expect(api.method).toBe("PUT");
    expect(api.headers.authorization).toBe("Bearer stub-access-token");
    expect(api.headers["content-type"]).toBe("application/json");
  });
});

describe("authentications", () => {
  it("oauth2 client credentials: token once per run, reused", async () => {
    const path = uniquePath("oauth2-cc");
    const run = runWith({ variables: { SECRET: "cc-secret" } });
    const c = await client(
      {
        parameters: {
          authentications: [
            { prototype: "oauth2-client-credentials-grant", parameters: { tokenUrl: `${STUB()}${path}/oauth/token`, clientId: "my-client", clientSecret: "${SECRET}", scope: "read write", clientAuthentication: "body" } },
          ],
        },
      },
      run,
    );
    await Promise.all([c.request({ uri: `${STUB()}${path}/a` }, run), c.request({ uri: `${STUB()}${path}/b` }, run)]);
    await c.request({ uri: `${STUB()}${path}/c` }, run);
    const requests = await recorded(path);
    const tokens = requests.filter((r) => r.path === `${path}/oauth/token`);
    expect(tokens).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokens[0].body))).toEqual({ grant_type: "client_credentials", scope: "read write", client_id: "my-client", client_secret: "cc-secret" });
    const api = requests.filter((r) => r.path !== `${path}/oauth/token`);
    expect(api).toHaveLength(3);
    for (const r of api) expect(r.headers.authorization).toBe("Bearer stub-access-token");
  });

  it("oauth2 password grant: a refused token request fails without leaking the password", async () => {
    const run = runWith({ variables: { PW: "very-secret-pw" } });
    const c = await client(
      {
        parameters: {
          authentications: [
            { prototype: "oauth2-password-grant", parameters: { tokenUrl: `${STUB()}/http-stub/auth-fail/token`, clientId: "c", clientSecret: "s3cr3t-client", username: "u", password: "${PW}" } },
          ],
        },
      },
      run,
    );
    const error = await c.request({ uri: `${STUB()}${uniquePath("never")}` }, run).catch((e) => e);
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).not.toContain("very-secret-pw");
    expect(error.message).not.toContain("s3cr3t-client");
  });

  it("header and query-param authentications", async () => {
    const path = uniquePath("header-auth");
    const run = runWith({ variables: { KEY: "k-42" } });
    const c = await client(
      {
        parameters: {
          authentications: [
            { prototype: "header", parameters: { headers: { "X-Api-Key": "${KEY}" } } },
            { prototype: "query-param", parameters: { parameters: { api_key: "${KEY}" } } },
          ],
        },
      },
      run,
    );
    await c.request({ uri: `${STUB()}${path}?page=1` }, run);
    const [sent] = await recorded(path);
    expect(sent.headers["x-api-key"]).toBe("k-42");
    expect(sent.query).toEqual({ page: "1", api_key: "k-42" });
  });

  it("cURL httpauth of the generic client sends basic credentials", async () => {
    const path = uniquePath("httpauth");
    const run = runWith({ variables: { PW: "pw" } });
    const c = await client({ parameters: { httpauth: { auth: "basic", authuserpwd: "bob:${PW}" } } }, run);
    await c.request({ uri: `${STUB()}${path}` }, run);
    const [sent] = await recorded(path);
    expect(sent.headers.authorization).toBe(basic("bob", "pw"));
  });

  it("reports an unknown authentication prototype at its place", async () => {
    await expect(build("http-client", { parameters: { authentications: [{ prototype: "nope" }] } })).rejects.toMatchObject({
      violations: [expect.objectContaining({ propertyPath: "parameters.authentications[0].prototype" })],
    });
  });
});

describe("credentials in URLs never reach errors or logs", () => {
  it("a query-param authentication whose name does not look secret", async () => {
    const path = `/status/500${uniquePath("qp-leak")}`;
    const logs: string[] = [];
    const base = runWith({ variables: { APP_SECRET: "qp-very-secret-77" } });
    const run: ReturnType<typeof runWith> = { ...base, log: (level, message, context) => void logs.push(JSON.stringify({ level, message, context })) };
    const c = await client(
      {
        parameters: {
          plugins: [{ prototype: "logger", parameters: { formatter: "long" } }],
          authentications: [{ prototype: "query-param", parameters: { name: "appid", value: "${APP_SECRET}" } }],
        },
      },
      run,
    );
    const error = await c.request({ uri: `${STUB()}${path}` }, run).catch((e) => e);
    const [sent] = await recorded(path);
    expect(sent.query.appid).toBe("qp-very-secret-77");
    expect(error.message).toMatch(/HTTP 500/);
    expect(JSON.stringify({ message: error.message, context: error.context })).not.toContain("qp-very-secret-77");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join("\n")).not.toContain("qp-very-secret-77");
  });
});
