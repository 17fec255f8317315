import type { Database } from "../db/client";
import { registry } from "../engine";
import { quickJsRunner } from "../engine/code/sandbox";
import type { RunContext } from "../engine/types";
import type { Bindings } from "../lib/env";
import { allowPrivateNetwork, outboundFetch } from "../lib/http-client";
import { StoreConfigurations } from "./configurations";
import { D1Variables } from "./environment-variables";
import { R2StorageStore } from "./storages";

/**
 * What a run in `space` reaches: its environment variables (decrypted only when used), its
 * configurations (string references), its storages in R2, the QuickJS sandbox and the one
 * outbound HTTP client.
 */
export function platformRunContext(env: Bindings, db: Database, space: string, overrides: Partial<RunContext> = {}): RunContext {
  return {
    space,
    variables: new D1Variables(db, env, space),
    configurations: new StoreConfigurations(db, space),
    storages: new R2StorageStore(env.FILES, space),
    code: quickJsRunner,
    fetch: (input, init) => outboundFetch(input, init, { allowPrivateNetwork: allowPrivateNetwork(env) }),
    globals: {},
    scope: {},
    log: () => {},
    registry: registry(),
    ...overrides,
  };
}
