import { describe, expect, it } from "vitest";
import { naturalCompare, oauth1BaseString, oauthEncode, TWITTER_SHA1, TWITTER_SHA256, TWITTER_VECTOR } from "../../../src/engine/http/oauth1";
import { build, capturing, client, recorded, runWith, STUB, uniquePath } from "./helpers";

describe("OAuth 1.0a", () => {
  it("HMAC-SHA1 matches Twitter's published signature, HMAC-SHA256 an independent implementation", async () => {
    const sha1 = await build("oauth1-signature", { prototype: "oauth1-hmac-sha1" });
    const sha256 = await build("oauth1-signature", { prototype: "oauth1-hmac-sha256" });
    const { baseString, consumerSecret, tokenSecret } = TWITTER_VECTOR;
    expect(await sha1.sign(baseString, consumerSecret, tokenSecret)).toBe("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    expect(TWITTER_SHA1).toBe("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    expect(await sha256.sign(baseString, consumerSecret, tokenSecret)).toBe(TWITTER_SHA256);
  });

  it("builds the RFC 5849 section 3.4.1 example base string", () => {
    const base = oauth1BaseString(
      "POST",
      "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
      [
        ["oauth_consumer_key", "9djdj82h48djs9d2"],
        ["oauth_token", "kkk9d7dh3k39sjv7"],
        ["oauth_signature_method", "HMAC-SHA1"],
        ["oauth_timestamp", "137131201"],
        ["oauth_nonce", "7d8f3e4a"],
      ],
      "c2&a3=2+q",
    );
    expect(base).toBe(
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
    );
    expect(oauthEncode("a b!*'()~")).toBe("a%20b%21%2A%27%28%29~");
  });

  it("magento-2-integration-oauth1 signs the request the stub receives, verifiably", async () => {
    const path = uniquePath("magento");
    const run = runWith({ variables: { MAGENTO_CONSUMER_SECRET: "consumer-secret", MAGENTO_ACCESS_TOKEN_SECRET: "token-secret" } });
    const c = await client(
      {
        parameters: {
          plugins: [{ prototype: "base-uri", parameters: { uri: { parameters: `\${STUB_URL}${path}` } } }],
          authentications: [
            {
              prototype: "magento-2-integration-oauth1",
              parameters: {
                consumerKey: "consumer-key",
                consumerSecret: "${MAGENTO_CONSUMER_SECRET}",
                accessToken: "access-token",
                accessTokenSecret: "${MAGENTO_ACCESS_TOKEN_SECRET}",
                signature: { prototype: "oauth1-hmac-sha256" },
              },
            },
          ],
        },
      },
      run,
    );
    await c.request({ uri: "/rest/default/V1/products", payload: { "searchCriteria[pageSize]": 5 } }, run);
    const [sent] = await recorded(path);
    const header = String(sent.headers.authorization);
    expect(header.startsWith("OAuth ")).toBe(true);
    const params = Object.fromEntries([...header.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2])]));
    expect(params).toMatchObject({ oauth_consumer_key: "consumer-key", oauth_token: "access-token", oauth_signature_method: "HMAC-SHA256", oauth_version: "1.0" });
    // Verify: rebuild the base string from what the server received and sign it independently.
    const url = `${STUB()}${sent.path}?${new URLSearchParams(sent.query).toString()}`;
    const oauth = Object.entries(params).filter(([k]) => k !== "oauth_signature") as [string, string][];
    const base = oauth1BaseString("GET", url, oauth);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("consumer-secret&token-secret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(base)));
    expect(params.oauth_signature).toBe(btoa(String.fromCharCode(...mac)));
  });
});

const rawurlencode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Magento 2's verification, written from its source: Magento\Framework\Oauth\Helper\Request::_processHeader
 * and ::_extractQueryStringParams (query pairs `explode('=')` into exactly 2 parts, `rawurldecode`, so `+`
 * stays `+`), then Helper\Utility / HmacSignature::getBaseSignatureString (rawurlencode, `uksort` with
 * `strnatcmp`) and HMAC-SHA256 with key rawurlencode(consumerSecret)&rawurlencode(tokenSecret).
 */
async function magentoVerifies(method: string, url: string, authorization: string, consumerSecret: string, tokenSecret: string): Promise<boolean> {
  const header: Record<string, string> = {};
  for (const part of authorization.slice(6).split(",")) {
    const [name, value] = part.trim().split(/=(.*)/s);
    header[decodeURIComponent(name)] = decodeURIComponent(value.replace(/^"|"$/g, ""));
  }
  const params: Record<string, string> = { ...header };
  const u = new URL(url);
  for (const pair of u.search.slice(1).split("&")) {
    const parts = pair.split("=");
    if (parts.length === 2 && !/oauth_[a-z_-]+/.test(parts[0])) params[decodeURIComponent(parts[0])] = decodeURIComponent(parts[1]);
  }
  const signature = params.oauth_signature;
  delete params.oauth_signature;
  const encoded = Object.entries(params).map(([k, v]) => [rawurlencode(k), rawurlencode(v)] as const);
  encoded.sort((a, b) => naturalCompare(a[0], b[0]));
  const base = [method, rawurlencode(`${u.origin}${u.pathname}`), rawurlencode(encoded.map(([k, v]) => `${k}=${v}`).join("&"))].join("&");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(`${rawurlencode(consumerSecret)}&${rawurlencode(tokenSecret)}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(base)));
  return btoa(String.fromCharCode(...mac)) === signature;
}

const magentoClient = (base: string) => ({
  parameters: {
    plugins: [{ prototype: "base-uri", parameters: { uri: { parameters: base } } }],
    authentications: [
      {
        prototype: "magento-2-integration-oauth1",
        parameters: {
          consumerKey: "ck",
          consumerSecret: "${MAGENTO_CONSUMER_SECRET}",
          accessToken: "at",
          accessTokenSecret: "${MAGENTO_TOKEN_SECRET}",
          signature: { prototype: "oauth1-hmac-sha256" },
        },
      },
    ],
  },
});

describe("magento-2-integration-oauth1 as Magento verifies it", () => {
  const secrets = { MAGENTO_CONSUMER_SECRET: "c-secret", MAGENTO_TOKEN_SECRET: "t-secret" };

  it("a GET payload with a space (sent as '+', RFC 1738) still verifies", async () => {
    const { run, sent } = capturing(secrets);
    const c = await client(magentoClient("https://shop.example.com/rest/default"), run);
    const payload = { searchCriteria: { filter_groups: [{ filters: [{ field: "name", value: "Red chair", condition_type: "like" }] }], pageSize: 5 } };
    await c.request({ uri: "/V1/products", payload }, run);
    expect(sent[0].url).toContain("value%5D=Red+chair");
    expect(await magentoVerifies("GET", sent[0].url, sent[0].headers.get("authorization") ?? "", "c-secret", "t-secret")).toBe(true);
  });

  it("eleven filter groups: names in strnatcmp order ([9] before [10]) still verify", async () => {
    const { run, sent } = capturing(secrets);
    const c = await client(magentoClient("https://shop.example.com/rest/default"), run);
    const groups = Array.from({ length: 11 }, (_, i) => ({ filters: [{ field: `f${i}`, value: "1" }] }));
    await c.request({ uri: "/V1/orders", payload: { searchCriteria: { filter_groups: groups } } }, run);
    expect(await magentoVerifies("GET", sent[0].url, sent[0].headers.get("authorization") ?? "", "c-secret", "t-secret")).toBe(true);
  });

  it("strnatcmp order", () => {
    expect(["a10", "a9", "b", "a%5B10%5D", "a%5B2%5D"].sort(naturalCompare)).toEqual(["a9", "a10", "a%5B2%5D", "a%5B10%5D", "b"]);
  });
});
