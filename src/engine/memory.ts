/** In-memory implementations of the run's resolvers: for tests, and for runs that need no platform state. */
import type { ConfigurationResolver, PrototypeSpec, StorageStore, StoredEntity, VariablesResolver } from "./types";

export class MemoryConfigurations implements ConfigurationResolver {
  private readonly objects = new Map<string, PrototypeSpec>();

  /** Adds configurations as they appear in an Alumio export: `{type, identifier, object}`. */
  constructor(configurations: { type: string; identifier: string; object: PrototypeSpec }[] = []) {
    for (const c of configurations) this.set(c.type, c.identifier, c.object);
  }

  set(type: string, identifier: string, object: PrototypeSpec): void {
    this.objects.set(`${type}\n${identifier}`, object);
  }

  async get(type: string, identifier: string): Promise<PrototypeSpec | undefined> {
    return this.objects.get(`${type}\n${identifier}`);
  }
}

export class MemoryVariables implements VariablesResolver {
  constructor(private readonly values: Record<string, string> = {}) {}
  get(name: string): string | undefined {
    return this.values[name];
  }
}

export class MemoryStorages implements StorageStore {
  private readonly data = new Map<string, Map<string, StoredEntity>>();

  private storage(name: string) {
    let s = this.data.get(name);
    if (!s) this.data.set(name, (s = new Map()));
    return s;
  }

  async get(storage: string, key: string): Promise<StoredEntity | null> {
    const hit = this.storage(storage).get(key);
    return hit ? structuredClone(hit) : null;
  }

  async put(storage: string, key: string, value: unknown): Promise<void> {
    this.storage(storage).set(key, { value: structuredClone(value), updatedAt: new Date().toISOString() });
  }

  async delete(storage: string, key: string): Promise<void> {
    this.storage(storage).delete(key);
  }

  async list(storage: string, options: { prefix?: string; cursor?: string; limit?: number } = {}) {
    const keys = [...this.storage(storage).keys()].filter((k) => !options.prefix || k.startsWith(options.prefix)).sort();
    const start = options.cursor ? keys.findIndex((k) => k > options.cursor!) : 0;
    const limit = options.limit ?? 1000;
    const slice = start < 0 ? [] : keys.slice(start, start + limit);
    const entries = slice.map((key) => ({ key, ...this.storage(storage).get(key)! }));
    const more = start >= 0 && start + limit < keys.length;
    return { entries, cursor: more ? slice[slice.length - 1] : undefined };
  }
}
