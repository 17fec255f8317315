/**
 * References between configurations, read from their `object`: the field decides the target type
 * (`incoming` -> incoming-configuration, `transformers` -> list-transformer, `client` -> http-client...).
 */
export const REFERENCE_FIELDS: Record<string, string> = {
  incoming: "incoming-configuration",
  incomings: "incoming-configuration",
  outgoing: "outgoing-configuration",
  route: "route-configuration",
  transformers: "list-transformer",
  transformer: "list-transformer",
  client: "http-client",
  storage: "storage",
  entityType: "entity",
};

export interface Reference {
  type: string;
  identifier: string;
  /** Where in the configuration, e.g. `object.parameters.transformers[0]`. */
  path: string;
}

const isIdentifier = (v: unknown): v is string => typeof v === "string" && /^[a-z0-9][a-z0-9-]*$/.test(v);

/** Every reference inside `object` (placeholders and inline prototypes are not references). */
export function referencesIn(object: unknown, path = "object"): Reference[] {
  const out: Reference[] = [];
  const walk = (value: unknown, here: string, field: string | null) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${here}[${i}]`, field));
      return;
    }
    if (field && REFERENCE_FIELDS[field] && isIdentifier(value)) {
      out.push({ type: REFERENCE_FIELDS[field], identifier: value, path: here });
      return;
    }
    if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) walk(child, `${here}.${key}`, key);
    }
  };
  walk(object, path, null);
  return out;
}

/** References grouped per target, as Alumio's `relationships`: `[{relation, node, paths}]`. */
export function relationships(object: unknown, owner?: string | null, ownerType?: string) {
  const grouped = new Map<string, { relation: string; node: { identifier: string; type: string }; paths: string[] }>();
  for (const ref of referencesIn(object)) {
    const key = `${ref.type}\n${ref.identifier}`;
    const entry = grouped.get(key) ?? { relation: "uses", node: { identifier: ref.identifier, type: ref.type }, paths: [] };
    entry.paths.push(ref.path);
    grouped.set(key, entry);
  }
  if (owner && ownerType) grouped.set(`owner\n${owner}`, { relation: "owner", node: { identifier: owner, type: ownerType }, paths: ["owner"] });
  return [...grouped.values()];
}
