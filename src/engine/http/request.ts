/**
 * The request object of http-subscriber, http-transformer, graphql-transformer and http-publisher:
 * `{uri, method?, payload, payloadType, plugins, authentications, serializer?}`. Nested prototypes
 * are built with the configuration; placeholders are expanded per entity at run time.
 */
import { z } from "zod";
import { expand } from "../placeholders";
import type { Builder, HttpAuthentication, HttpClient, HttpClientPlugin, RunContext, Serializer } from "../types";
import { jsonSerializer, type RequestOptions } from "./client";
import { looseBoolean, specList, specListValues } from "./util";

export const requestSchema = z.looseObject({
  uri: z.string(),
  method: z.string().optional(),
  payload: z.unknown().optional(),
  payloadType: z.string().optional(),
  plugins: specList,
  authentications: specList,
  serializer: z.unknown().optional(),
  headers: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  sendPayloadWithDelete: looseBoolean.optional(),
  uriEncoder: z.enum(["rfc1738", "rfc3986", "RFC1738", "RFC3986"]).optional(),
});
export type RequestParameters = z.infer<typeof requestSchema>;

/** `client`: an http-client configuration identifier, or an inline client `{prototype?, parameters}`. */
export const clientSchema = z.union([z.string(), z.looseObject({ prototype: z.string().optional(), parameters: z.unknown().optional() })]).optional();

export interface PreparedRequest {
  parameters: RequestParameters;
  plugins: HttpClientPlugin[];
  authentications: HttpAuthentication[];
  serializer?: Serializer;
}

export const REQUEST_DOC = `The \`request\` object:

| key | meaning |
|---|---|
| \`uri\` | absolute, or relative to the client's base URI; \`&{…}\` placeholders against the current data and \`\${ENV}\` variables |
| \`method\` | GET (default), POST, PUT, PATCH, DELETE, HEAD; case-insensitive; placeholders allowed (\`&{method}\`) |
| \`payload\` | \`[]\` (none), an object (placeholders in every string leaf, a whole-string placeholder keeps its type) or a placeholder such as \`"&{@}"\`. GET/HEAD/DELETE: appended to the query string (\`a[b]=1\` for nested values, existing query kept); otherwise the body, JSON unless a \`serializer\` or a string payload says otherwise |
| \`payloadType\` | \`data\` (as exported); \`form\` sends a form-urlencoded body [INF] |
| \`plugins\`, \`authentications\` | per-request plugins and authentications, added to the client's |
| \`serializer\` | e.g. \`{"prototype":"json","parameters":[]}\` |
| \`headers\` | extra request headers (placeholders allowed) (ours) |
| \`sendPayloadWithDelete\` | send a DELETE payload as the body instead of the query |
| \`uriEncoder\` | \`rfc1738\` (default, space as \`+\`) or \`rfc3986\` (\`%20\`) for payloads put in the query |`;

/** Builds the request's nested prototypes (plugins, authentications, serializer) at their places. */
export async function prepareRequest(parameters: RequestParameters, builder: Builder, at: (string | number)[] = ["request"]): Promise<PreparedRequest> {
  const plugins = await Promise.all(specListValues(parameters.plugins).map((spec, i) => builder.build("http-client-plugin", spec, [...at, "plugins", i])));
  const authentications = await Promise.all(
    specListValues(parameters.authentications).map((spec, i) => builder.build("http-authentication", spec, [...at, "authentications", i])),
  );
  let serializer: Serializer | undefined;
  const spec = parameters.serializer;
  if (spec !== undefined && spec !== null && !(Array.isArray(spec) && spec.length === 0)) {
    try {
      serializer = await builder.build("serializer", spec, [...at, "serializer"]);
    } catch (error) {
      const id = typeof spec === "string" ? spec : (spec as { prototype?: string }).prototype;
      if (id === "json") serializer = jsonSerializer;
      else throw error;
    }
  }
  return { parameters, plugins, authentications, serializer };
}

/**
 * The request for one piece of data: placeholders expanded in uri, method, payload and headers.
 * `defaultMethod` applies when the request names no method (or its placeholder expands to nothing).
 */
export async function renderRequest(prepared: PreparedRequest, data: unknown, run: RunContext, overrides: Partial<RequestOptions> = {}, defaultMethod = "GET"): Promise<RequestOptions> {
  const p = prepared.parameters;
  const uri = await expand(p.uri, data, run);
  // "The field supports placeholders that can be used to dynamically set the request method" (docs.alumio.com/references/transformer/http-transformer)
  const method = p.method ? await expand(p.method, data, run) : undefined;
  const payload = p.payload === undefined ? undefined : await expand(p.payload, data, run);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.headers ?? {})) headers[name] = String(await expand(String(value), data, run) ?? "");
  return {
    uri: uri === null || uri === undefined ? "" : String(uri).trim(),
    method: (method === null || method === undefined || String(method).trim() === "" ? defaultMethod : String(method).trim()).toUpperCase(),
    payload,
    payloadType: p.payloadType,
    headers,
    serializer: prepared.serializer,
    plugins: prepared.plugins,
    authentications: prepared.authentications,
    sendPayloadWithDelete: p.sendPayloadWithDelete,
    uriEncoder: p.uriEncoder ? (p.uriEncoder.toLowerCase() as "rfc1738" | "rfc3986") : undefined,
    ...overrides,
  };
}

/** An inline client is built with the configuration; a string reference is resolved per run. */
export async function prepareClient(spec: z.infer<typeof clientSchema>, builder: Builder): Promise<HttpClient | string | undefined> {
  if (spec && typeof spec === "object") return builder.build("http-client", spec, ["client"]);
  return spec || undefined;
}
