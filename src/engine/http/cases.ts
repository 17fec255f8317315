/**
 * How the HTTP prototypes' `tests` run (their `runTest`), without network:
 * - http-client, http-authentication, http-client-plugin, http-publisher: `run.fetch` is replaced by
 *   a recorder that answers every request with {@link CANNED_RESPONSE}; the output is the last
 *   request as it would have been sent: `{method, url, headers (lower-case), body (JSON parsed when JSON, else text, null when empty)}`.
 * - data transformers and subscribers use `data:` URIs, which the client answers locally.
 */
import type { HttpAuthentication, HttpClient, HttpClientPlugin, RunContext } from "../types";
import { GenericHttpClient, type RequestOptions } from "./client";

export const CANNED_TOKEN = "test-access-token";
/** The recorder's answer: an OAuth 2 token response that is also a Spryker token response. */
export const CANNED_RESPONSE = {
  access_token: CANNED_TOKEN,
  token_type: "Bearer",
  expires_in: 3600,
  data: { type: "access-tokens", attributes: { tokenType: "Bearer", accessToken: CANNED_TOKEN, expiresIn: 3600 } },
};

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A copy of `run` whose outbound requests are recorded and answered locally. */
export function recordingRun(run: RunContext): { run: RunContext; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetch = async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of [...new Headers(init.headers).entries()].sort(([a], [b]) => a.localeCompare(b))) headers[name] = value;
    let body: unknown = null;
    if (init.body !== undefined && init.body !== null) {
      const text = typeof init.body === "string" ? init.body : await new Response(init.body).text();
      if (text !== "") {
        body = text;
        if ((headers["content-type"] ?? "").includes("json")) {
          try {
            body = JSON.parse(text);
          } catch {
            // keep the text
          }
        }
      }
    }
    sent.push({ method: init.method ?? "GET", url: String(input), headers, body });
    return new Response(JSON.stringify(CANNED_RESPONSE), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { run: { ...run, fetch }, sent };
}

/** Runs one request through `client` with recording; the last request sent (token requests come first). */
export async function sendRecorded(client: HttpClient, input: unknown, run: RunContext): Promise<SentRequest | null> {
  const recording = recordingRun(run);
  await client.request(input as RequestOptions, recording.run);
  return recording.sent.at(-1) ?? null;
}

export const clientTest = (client: HttpClient, input: unknown, run: RunContext) => sendRecorded(client, input, run);

export const authenticationTest = (authentication: HttpAuthentication, input: unknown, run: RunContext) =>
  sendRecorded(new GenericHttpClient({ name: "test", authentications: [authentication] }), input, run);

export const pluginTest = (plugin: HttpClientPlugin, input: unknown, run: RunContext) =>
  sendRecorded(new GenericHttpClient({ name: "test", plugins: [plugin] }), input, run);
