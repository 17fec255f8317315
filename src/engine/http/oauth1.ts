/**
 * OAuth 1.0a request signing (RFC 5849): the `magento-2-integration-oauth1` authentication and its
 * signature methods (DI type `oauth1-signature`), HMAC over WebCrypto.
 */
import { z } from "zod";
import type { HttpAuthentication, InstanceTypes, Prototype, RunContext } from "../types";
import { runSecrets } from "./client";
import { authenticationTest } from "./cases";
import { expandEnv } from "./util";

type Signature = InstanceTypes["oauth1-signature"];

/** RFC 3986 percent-encoding as OAuth 1.0 requires (unreserved characters only). */
export function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Form/query decoding: `+` is a space. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

function parseForm(text: string): [string, string][] {
  if (!text) return [];
  return text
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      return eq < 0 ? [formDecode(pair), ""] : [formDecode(pair.slice(0, eq)), formDecode(pair.slice(eq + 1))];
    });
}

/** PHP's `strnatcmp`: digit runs compare as numbers (`a9` < `a10`), everything else byte by byte. */
export function naturalCompare(a: string, b: string): number {
  const runs = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const x = runs(a);
  const y = runs(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q) && !p.startsWith("0") && !q.startsWith("0") && p.length !== q.length) return p.length - q.length;
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `rawurldecode`: `%XX` only, a `+` stays a `+`. */
function rawDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The query parameters as Magento 2 reads them for the signature (`Magento\Framework\Oauth\Helper\Request::
 * _extractQueryStringParams`): `rawurldecode` (a `+` is not a space), only `name=value` pairs, no `oauth_*`
 * names, one value per name (the last).
 */
function magentoQuery(search: string): [string, string][] {
  const params = new Map<string, string>();
  for (const pair of search.split("&")) {
    const parts = pair.split("=");
    if (parts.length === 2 && !/oauth_[a-z_-]+/.test(parts[0])) params.set(rawDecode(parts[0]), rawDecode(parts[1]));
  }
  return [...params];
}

/**
 * The signature base string (RFC 5849 3.4.1): METHOD & base URI & normalized parameters (query,
 * form body and oauth_* parameters, encoded, sorted by name then value). `magento` reads the query
 * and sorts the names as Magento 2 does when it verifies the signature (see {@link magentoQuery};
 * names in PHP `strnatcmp` order).
 */
export function oauth1BaseString(method: string, url: string, params: [string, string][], formBody = "", dialect: "rfc5849" | "magento" = "rfc5849"): string {
  const u = new URL(url);
  const defaultPort = (u.protocol === "http:" && u.port === "80") || (u.protocol === "https:" && u.port === "443");
  const host = u.hostname.toLowerCase() + (u.port && !defaultPort ? `:${u.port}` : "");
  const baseUri = `${u.protocol.toLowerCase()}//${host}${u.pathname}`;
  const query = dialect === "magento" ? magentoQuery(u.search.slice(1)) : parseForm(u.search.slice(1));
  const all: [string, string][] = [...parseForm(formBody), ...query, ...params]
    .filter(([k]) => k !== "oauth_signature" && k !== "realm")
    .map(([k, v]) => [oauthEncode(k), oauthEncode(v)]);
  const byName = dialect === "magento" ? naturalCompare : byBytes;
  all.sort((a, b) => byName(a[0], b[0]) || byBytes(a[1], b[1]));
  const normalized = all.map(([k, v]) => `${k}=${v}`).join("&");
  return [method.toUpperCase(), oauthEncode(baseUri), oauthEncode(normalized)].join("&");
}

function hmacSignature(hash: "SHA-256" | "SHA-1"): Signature {
  return {
    async sign(baseString, consumerSecret, tokenSecret) {
      const keyText = `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`;
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(keyText), { name: "HMAC", hash }, false, ["sign"]);
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(baseString)));
      let binary = "";
      for (const b of mac) binary += String.fromCharCode(b);
      return btoa(binary);
    },
  };
}

const METHOD_NAMES: Record<string, string> = { "oauth1-hmac-sha256": "HMAC-SHA256", "oauth1-hmac-sha1": "HMAC-SHA1" };

const signatureTest = async (instance: Signature, input: unknown) => {
  const i = input as { baseString: string; consumerSecret: string; tokenSecret: string };
  return instance.sign(i.baseString, i.consumerSecret, i.tokenSecret);
};

const noParameters = z.looseObject({});

// Twitter's published OAuth 1.0a example (base string and secrets); the SHA-1 result is the published
// one, the SHA-256 one was computed independently (Python hmac/hashlib) for the same input.
const TWITTER_BASE =
  "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";
const TWITTER_SECRETS = { consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE" };

export const TWITTER_VECTOR = { baseString: TWITTER_BASE, ...TWITTER_SECRETS };
export const TWITTER_SHA1 = "hCtSmYh+iHYCEqBWrE7C7hYmtUk=";
export const TWITTER_SHA256 = "Tp6gtfOx2bNZeJ2UUOeg9hvSzdsLa5QJoUwc/LeRFRA=";

function signaturePrototype(identifier: "oauth1-hmac-sha256" | "oauth1-hmac-sha1", hash: "SHA-256" | "SHA-1", expected: string): Prototype<object, "oauth1-signature"> {
  return {
    type: "oauth1-signature",
    identifier,
    name: `OAuth 1.0 ${METHOD_NAMES[identifier]} signature`,
    description: `Signs OAuth 1.0a requests with ${METHOD_NAMES[identifier]}.`,
    parameters: noParameters,
    documentation: `# OAuth 1.0 ${METHOD_NAMES[identifier]} signature

The signature method of an OAuth 1.0a authentication such as \`magento-2-integration-oauth1\`:
base64(HMAC-${hash}(key, signature base string)) with key = \`encode(consumerSecret)&encode(tokenSecret)\`
(RFC 5849 3.4.2). No parameters.

Test cases: the input is \`{baseString, consumerSecret, tokenSecret}\`, the output the signature.
The example is Twitter's published OAuth 1.0a signing example.`,
    tests: [{ name: "signs the published example", parameters: {}, input: TWITTER_VECTOR, output: expected }],
    isDefault: identifier === "oauth1-hmac-sha256",
    create: () => hmacSignature(hash),
    runTest: signatureTest as Prototype<object, "oauth1-signature">["runTest"],
  };
}

export const oauth1HmacSha256 = signaturePrototype("oauth1-hmac-sha256", "SHA-256", TWITTER_SHA256);
export const oauth1HmacSha1 = signaturePrototype("oauth1-hmac-sha1", "SHA-1", TWITTER_SHA1);

// ---- the authentication ---------------------------------------------------------------------------

export interface OAuth1Options {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
  signature: Signature;
  signatureMethod: string;
  /** Fixed values for reproducible signatures (tests); normally fresh per request. */
  nonce?: string;
  timestamp?: string | number;
}

export class OAuth1Authentication implements HttpAuthentication {
  constructor(readonly options: OAuth1Options) {}

  async authenticate(request: Request, run: RunContext): Promise<Request> {
    const o = this.options;
    const [consumerKey, consumerSecret, accessToken, accessTokenSecret] = await Promise.all([
      expandEnv(o.consumerKey, run, "consumerKey"),
      expandEnv(o.consumerSecret, run, "consumerSecret"),
      expandEnv(o.accessToken, run, "accessToken"),
      expandEnv(o.accessTokenSecret, run, "accessTokenSecret"),
    ]);
    const secrets = runSecrets(run);
    for (const s of [consumerSecret, accessToken, accessTokenSecret]) if (s) secrets.add(s);
    const nonce = o.nonce ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const oauth: [string, string][] = [
      ["oauth_consumer_key", consumerKey],
      ["oauth_nonce", nonce],
      ["oauth_signature_method", o.signatureMethod],
      ["oauth_timestamp", timestamp],
      ["oauth_token", accessToken],
      ["oauth_version", "1.0"],
    ];
    // Form bodies are part of the signature (RFC 5849 3.4.1.3.1); JSON bodies are not.
    let formBody = "";
    if ((request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded") && request.body) {
      formBody = await request.clone().text();
    }
    const baseString = oauth1BaseString(request.method, request.url, oauth, formBody, "magento");
    const signature = await o.signature.sign(baseString, consumerSecret, accessTokenSecret);
    const header = `OAuth ${[...oauth, ["oauth_signature", signature]].map(([k, v]) => `${k}="${oauthEncode(v)}"`).join(",")}`;
    const headers = new Headers(request.headers);
    headers.set("authorization", header);
    return new Request(request, { headers });
  }
}

const str = z.union([z.string(), z.number()]).transform(String);
const magentoParameters = z.looseObject({
  consumerKey: str,
  consumerSecret: str,
  accessToken: str,
  accessTokenSecret: str,
  signature: z.unknown().optional(),
  nonce: z.string().optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
});

export const magentoIntegrationOAuth1: Prototype<z.infer<typeof magentoParameters>, "http-authentication"> = {
  type: "http-authentication",
  identifier: "magento-2-integration-oauth1",
  name: "Magento 2 integration (OAuth 1.0a)",
  description: "Signs every request with the OAuth 1.0a credentials of a Magento 2 integration.",
  parameters: magentoParameters,
  documentation: `# Magento 2 integration (OAuth 1.0a)

Signs every request as OAuth 1.0a (RFC 5849) with the four credentials Magento shows for an
activated integration, and sends them in an \`Authorization: OAuth …\` header (oauth_consumer_key,
oauth_nonce, oauth_signature_method, oauth_timestamp, oauth_token, oauth_version, oauth_signature).
The signature base string covers the method, the URL without its query, the query parameters and a
form-urlencoded body (JSON bodies are not signed, as in Magento). Query parameters enter the signature
the way Magento reads them when it verifies it (\`Magento\\Framework\\Oauth\\Helper\\Request\`): percent-decoded
with \`rawurldecode\` (a \`+\` stays a \`+\`, so a GET payload encoded RFC 1738 style still verifies), one value
per name, names in PHP \`strnatcmp\` order.

| parameter | meaning |
|---|---|
| \`consumerKey\`, \`consumerSecret\` | the integration's consumer key and secret (\`\${MAGENTO_CONSUMER_KEY}\`, …) |
| \`accessToken\`, \`accessTokenSecret\` | the integration's access token and secret |
| \`signature\` | the signature method: \`{"prototype":"oauth1-hmac-sha256"}\` (default) or \`oauth1-hmac-sha1\` |
| \`nonce\`, \`timestamp\` | [INF] ours, for reproducible signatures in tests only; normally generated per request |

Example (as exported):

\`\`\`json
{"prototype":"magento-2-integration-oauth1","parameters":{"consumerKey":"\${MAGENTO_CONSUMER_KEY}","consumerSecret":"\${MAGENTO_CONSUMER_SECRET}","accessToken":"\${MAGENTO_ACCESS_TOKEN}","accessTokenSecret":"\${MAGENTO_ACCESS_TOKEN_SECRET}","signature":{"prototype":"oauth1-hmac-sha256"}}}
\`\`\`

Test cases: input request -> the request as sent (captured without network); the test fixes the
nonce and timestamp so the signature is reproducible.`,
  tests: [
    {
      name: "signs a GET with query parameters (HMAC-SHA256)",
      parameters: {
        consumerKey: "ck",
        consumerSecret: "cs",
        accessToken: "at",
        accessTokenSecret: "ats",
        signature: { prototype: "oauth1-hmac-sha256" },
        nonce: "abc",
        timestamp: 1700000000,
      },
      input: { uri: "https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10" },
      output: {
        method: "GET",
        url: "https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10",
        headers: {
          authorization:
            'OAuth oauth_consumer_key="ck",oauth_nonce="abc",oauth_signature_method="HMAC-SHA256",oauth_timestamp="1700000000",oauth_token="at",oauth_version="1.0",oauth_signature="UvynR61vcYIY9S8cMQ9l3a%2FTeuQGNpeeMFsdQLXPAgM%3D"',
        },
        body: null,
      },
    },
  ],
  async create(p, builder) {
    const spec = p.signature ?? { prototype: "oauth1-hmac-sha256" };
    const signature = await builder.build("oauth1-signature", spec, ["signature"]);
    const id = typeof spec === "string" ? spec : ((spec as { prototype?: string }).prototype ?? "oauth1-hmac-sha256");
    return new OAuth1Authentication({ ...p, signature, signatureMethod: METHOD_NAMES[id] ?? "HMAC-SHA256" });
  },
  runTest: authenticationTest,
};

export const oauth1Prototypes = [oauth1HmacSha256, oauth1HmacSha1, magentoIntegrationOAuth1] as Prototype[];
