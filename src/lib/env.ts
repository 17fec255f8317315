import type { Database } from "../db/client";
import type { Principal } from "./auth";

/** Bindings from wrangler.jsonc plus the optional settings a deployment may add. */
export type Bindings = Env & {
  PROVISIONING_WEBHOOK_URL?: string;
  PROVISIONING_WEBHOOK_SECRET?: string;
  /** "true" lets outbound HTTP reach loopback and private networks (local development and tests). */
  ALLOW_PRIVATE_NETWORK?: string;
  /** Workers AI, when bound: the AI endpoints prompt a model. */
  AI?: Ai;
  /** Forward log search to a real Elasticsearch/OpenSearch cluster. */
  ELASTICSEARCH_URL?: string;
};

/** What a matched operation tells the middleware around it (audit trail, access checks). */
export interface Operation {
  operationId: string;
  tag: string;
  audit: boolean;
  /** Body fields never written to the audit trail, whatever else the body says (variable values). */
  secretFields: string[];
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    db: Database;
    operation?: Operation;
    principal?: Principal;
    /** The space the request works in: `?space=`, a `{space}` path segment, or `default`. */
    space: string;
    /** The caller's roles in `space` (system administrators hold all of them). */
    roles: string[];
  };
}
