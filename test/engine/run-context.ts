import { env } from "cloudflare:workers";
import { registry } from "../../src/engine";
import { quickJsRunner } from "../../src/engine/code/sandbox";
import { MemoryConfigurations, MemoryStorages, MemoryVariables } from "../../src/engine/memory";
import type { CodeRunner, PrototypeSpec, RunContext } from "../../src/engine/types";
import { outboundFetch } from "../../src/lib/http-client";

export interface TestRunOptions {
  configurations?: { type: string; identifier: string; object: PrototypeSpec }[];
  variables?: Record<string, string>;
  code?: CodeRunner;
  logs?: { level: string; message: string }[];
}

/** A run context over in-memory resolvers; outbound HTTP goes through the real client (to the local stub). */
export function testRunContext(options: TestRunOptions = {}): RunContext & { storages: MemoryStorages; configurations: MemoryConfigurations } {
  return {
    space: "default",
    variables: new MemoryVariables({ STUB_URL: env.STUB_URL, ...options.variables }),
    configurations: new MemoryConfigurations(options.configurations),
    storages: new MemoryStorages(),
    code: options.code ?? quickJsRunner,
    fetch: (input, init) => outboundFetch(input, init, { allowPrivateNetwork: true, retries: 1, backoffMs: 10 }),
    globals: {},
    scope: {},
    log: (level, message) => options.logs?.push({ level, message }),
    registry: registry(),
  };
}
