/**
 * The engine's contract: what a prototype is, what it builds, and what a run can reach.
 * Every prototype module registers `Prototype`s; `Registry.build` turns a configuration's
 * `{prototype, parameters}` into a ready instance, validating parameters on the way.
 */
import type { z } from "zod";

export const DI_TYPES = [
  "list-transformer",
  "data-transformer",
  "accessor",
  "filter",
  "condition",
  "mapper",
  "subscriber",
  "publisher",
  "deserializer",
  "serializer",
  "pagination",
  "http-client",
  "http-authentication",
  "http-client-plugin",
  "oauth1-signature",
  "scheduler-job",
  "storage-condition",
] as const;
export type DiType = (typeof DI_TYPES)[number];

/** One item of an entity stream: its data plus the entity type and identifier, when known. */
export interface Entity {
  data: unknown;
  type?: string | null;
  identifier?: string | null;
}

/** How a configuration names a prototype: `{prototype, parameters}`, `{parameters}` (the default), or a bare id. */
export type PrototypeSpec = string | { prototype?: string; parameters?: unknown; meta?: unknown };

// ---- what prototypes build, per DI type -------------------------------------------------------

/** list-transformer: entity stream in, entity stream out (may drop, split or retype). */
export type EntityTransformer = (entities: Entity[], run: RunContext) => Promise<Entity[]>;
export type MaybePromise<T> = T | Promise<T>;

/** data-transformer: one entity's data in, new data out; the input is left alone. */
export interface DataTransformer {
  (data: unknown, run: RunContext): MaybePromise<unknown>;
  /** The same transformation on data the caller owns, changed in place (rules in steps.ts); built instances always have one. */
  inPlace?: InPlaceTransformer;
}
/** Transforms data the caller owns: may change it in place; returns the (possibly new) root. */
export type InPlaceTransformer = (data: unknown, run: RunContext) => MaybePromise<unknown>;
/** filter / storage-condition: does this data pass? */
export type DataFilter = (data: unknown, run: RunContext) => MaybePromise<boolean>;
/** condition (comparator): does this one value satisfy it? */
export type Condition = (value: unknown, run: RunContext) => boolean | Promise<boolean>;
/** mapper: one value to another. */
export type Mapper = (value: unknown, run: RunContext) => unknown | Promise<unknown>;

/** An accessed key/value pair; `key` is the matched path (pattern accessor) or child key. */
export interface AccessedPair {
  key: string;
  value: unknown;
  /** Path segments from the data root to this value. */
  path: (string | number)[];
}

/**
 * Reads pairs from data; writes and removes them in place, on data the caller owns (steps.ts).
 * `write` and `remove` return the data, which is a new root when the root itself had to change
 * (a scalar replaced by a container, a list that became an object).
 */
export interface Accessor {
  /** The pairs this accessor addresses in `data`. */
  read(data: unknown, run: RunContext): AccessedPair[];
  /** Writes `pairs` where this accessor addresses them (replacing what was there); the values are written as given. */
  write(data: unknown, pairs: { key: string; value: unknown }[], run: RunContext): unknown;
  /** Removes pairs this accessor read from the same data. */
  remove(data: unknown, pairs: AccessedPair[], run: RunContext): unknown;
}

export interface Deserializer {
  /** Body text (or an already parsed value) to the list of items it holds. */
  deserialize(input: string | Uint8Array | unknown, run: RunContext): unknown[] | Promise<unknown[]>;
}

export interface Serializer {
  serialize(value: unknown, run: RunContext): string | Promise<string>;
  contentType: string;
}

/** Follows a paged HTTP resource: given the last response, the next request's URL or null. */
export interface Pagination {
  next(page: { url: string; body: unknown; headers: Headers; itemCount: number; pageNumber: number }, run: RunContext): string | null;
}

export interface HttpRequestSpec {
  uri: string;
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, unknown>;
  payload?: unknown;
  payloadType?: string;
  serializer?: Serializer;
}

export interface HttpResponseData {
  status: number;
  headers: Headers;
  /** Raw body text. */
  body: string;
  url: string;
}

export interface HttpClient {
  request(request: HttpRequestSpec, run: RunContext): Promise<HttpResponseData>;
}

/** Adds credentials to an outgoing request (may fetch and cache tokens). */
export interface HttpAuthentication {
  authenticate(request: Request, run: RunContext): Promise<Request>;
}

export interface HttpClientPlugin {
  /** Wraps the next step of the client. */
  handle(request: Request, next: (request: Request) => Promise<Response>, run: RunContext): Promise<Response>;
}

export interface Subscriber {
  /** Yields the entities of one incoming run. */
  subscribe(run: RunContext, input?: unknown): AsyncIterable<Entity>;
}

export interface Publisher {
  publish(entity: Entity, run: RunContext): Promise<void>;
}

export interface SchedulerJob {
  /** The queue commands this job publishes when its entry is due. */
  commands(): { command: string; arguments: Record<string, unknown> }[];
}

export interface InstanceTypes {
  "list-transformer": EntityTransformer;
  "data-transformer": DataTransformer;
  accessor: Accessor;
  filter: DataFilter;
  "storage-condition": DataFilter;
  condition: Condition;
  mapper: Mapper;
  subscriber: Subscriber;
  publisher: Publisher;
  deserializer: Deserializer;
  serializer: Serializer;
  pagination: Pagination;
  "http-client": HttpClient;
  "http-authentication": HttpAuthentication;
  "http-client-plugin": HttpClientPlugin;
  "oauth1-signature": { sign(baseString: string, consumerSecret: string, tokenSecret: string): Promise<string> };
  "scheduler-job": SchedulerJob;
}

// ---- what a run can reach ---------------------------------------------------------------------

/** `${NAME}`: environment variables, read at execution time. */
export interface VariablesResolver {
  get(name: string): Promise<string | undefined> | string | undefined;
}

/** String references to other configurations (a list-transformer id in a chain, a `client`, a `storage`). */
export interface ConfigurationResolver {
  /** The configuration's `object` ({prototype?, parameters}) or undefined when there is none. */
  get(type: string, identifier: string): Promise<PrototypeSpec | undefined>;
}

export interface StoredEntity {
  value: unknown;
  updatedAt: string;
}

/** Storages: strongly consistent key -> entity stores (R2 in the platform, a Map in tests). */
export interface StorageStore {
  get(storage: string, key: string): Promise<StoredEntity | null>;
  put(storage: string, key: string, value: unknown): Promise<void>;
  delete(storage: string, key: string): Promise<void>;
  list(storage: string, options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{ entries: { key: string; value: unknown; updatedAt: string }[]; cursor?: string }>;
}

/** Runs JavaScript for the code transformer in a sandbox (QuickJS in WebAssembly). */
export interface CodeRunner {
  run(code: string, data: unknown, options?: { timeoutMs?: number; memoryBytes?: number }): Promise<unknown>;
}

export type LogLevel = "debug" | "info" | "notice" | "warning" | "error";

export interface RunContext {
  space: string;
  variables: VariablesResolver;
  configurations: ConfigurationResolver;
  storages: StorageStore;
  code: CodeRunner;
  /** The one outbound HTTP client (src/lib/http-client.ts), already bound to the run's settings. */
  fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
  /** `@{globals.*}`: set by global-variable-setter, lives for the run. */
  globals: Record<string, unknown>;
  /** `@{scope.*}`: task, route, incoming, webhook... of the current process. */
  scope: Record<string, unknown>;
  log(level: LogLevel, message: string, context?: Record<string, unknown>): void;
  /** Builds prototypes found at run time (string references resolved through `configurations`). */
  registry: import("./registry").Registry;
  /** Debugging: called after every step with what went in and out (`/transformers/execute?breakpoints=true`). */
  onStep?: (step: { instanceId: string; prototype: string; input: unknown; output: unknown }) => void;
}

// ---- prototypes -------------------------------------------------------------------------------

export interface PrototypeTestCase {
  name: string;
  parameters: unknown;
  /** data for data-level types; an array of entity data for list-transformer. */
  input: unknown;
  output: unknown;
}

/** Handed to `create` so nested prototypes are built with violations pointing at their place. */
export interface Builder {
  /** Builds a nested prototype of `type` found at `path` (relative to the current parameters). */
  build<T extends keyof InstanceTypes>(type: T, spec: unknown, path: (string | number)[]): Promise<InstanceTypes[T]>;
  /** The prototype's propertyPath in the configuration, e.g. `object.parameters.transformers[2]`. */
  path: string;
  /** Unique id of this instance within the build, for breakpoints. */
  instanceId: string;
}

export interface Prototype<P = any, T extends keyof InstanceTypes = keyof InstanceTypes> {
  /** One DI type, or several when the same id serves more than one (e.g. `conditional`). */
  type: T | T[];
  identifier: string;
  name: string;
  description: string;
  /** Validates and defaults the parameters; exported as JSON Schema. */
  parameters: z.ZodType<P>;
  /** Markdown: what it does, each parameter, an example; notes any inferred semantics. */
  documentation: string;
  tests: PrototypeTestCase[];
  /** Marks the default prototype of its DI type (used when a configuration has no `prototype`). */
  isDefault?: boolean;
  create(parameters: P, builder: Builder, type: T): InstanceTypes[T] | Promise<InstanceTypes[T]>;
  /**
   * How one of `tests` runs, for DI types the generic runner (src/engine/testing.ts) does not
   * know (pagination, http-client, subscriber, ...): returns the actual output to compare.
   */
  runTest?(instance: InstanceTypes[T], input: unknown, run: RunContext): Promise<unknown>;
}
