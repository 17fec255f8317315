import { env } from "cloudflare:workers";
import { registry } from "../../../src/engine";
import type { HttpClient, InstanceTypes, PrototypeSpec } from "../../../src/engine/types";
import { testRunContext, type TestRunOptions } from "../run-context";

export const STUB = () => env.STUB_URL;

/** A path prefix no other test uses, so `/__requests?path=` sees only this test's requests. */
export function uniquePath(name: string): string {
  return `/http-test/${name}-${crypto.randomUUID().slice(0, 8)}`;
}

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function recorded(path: string): Promise<Recorded[]> {
  const response = await fetch(`${STUB()}/__requests?path=${encodeURIComponent(path)}`);
  return (await response.json()) as Recorded[];
}

export function runWith(options: TestRunOptions & { logs?: { level: string; message: string }[] } = {}) {
  return testRunContext(options);
}

export async function build<T extends keyof InstanceTypes>(type: T, spec: PrototypeSpec, run = runWith()): Promise<InstanceTypes[T]> {
  return registry().build(type, spec, { configurations: run.configurations });
}

export async function client(spec: PrototypeSpec, run = runWith()): Promise<HttpClient> {
  return build("http-client", spec, run);
}

/** A run whose outbound requests are captured (raw URL and headers) and answered `{}`. */
export function capturing(variables: Record<string, string> = {}) {
  const sent: { url: string; method: string; headers: Headers }[] = [];
  const run: ReturnType<typeof runWith> = {
    ...runWith({ variables }),
    fetch: async (input, init = {}) => {
      sent.push({ url: String(input), method: init.method ?? "GET", headers: new Headers(init.headers) });
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    },
  };
  return { run, sent };
}
