import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { configurations } from "../db/schema";
import { compileMatcher, type FieldType } from "../db/filter-match";
import { ApiError, VIOLATION_TYPE } from "../lib/errors";
import { referencesIn, type Reference } from "./configuration-references";
import { inSpace } from "./configurations";

interface Node {
  type: string;
  identifier: string;
  name: string;
  owner: string | null;
  references: Reference[];
}

const keyOf = (type: string, identifier: string) => `${type}\n${identifier}`;

/** The space's configurations and the references between them, read in one query. */
export async function loadGraph(db: Database, space: string) {
  const rows = await db
    .select({ type: configurations.type, identifier: configurations.identifier, name: configurations.name, owner: configurations.owner, object: configurations.object })
    .from(configurations)
    .where(inSpace(space));
  const nodes = new Map<string, Node>();
  const incoming = new Map<string, { from: Node; path: string }[]>();
  for (const row of rows) nodes.set(keyOf(row.type, row.identifier), { type: row.type, identifier: row.identifier, name: row.name, owner: row.owner, references: referencesIn(row.object) });
  for (const node of nodes.values()) {
    for (const ref of node.references) {
      const key = keyOf(ref.type, ref.identifier);
      if (!incoming.has(key)) incoming.set(key, []);
      incoming.get(key)!.push({ from: node, path: ref.path });
    }
  }
  return { nodes, incoming };
}

export type Graph = Awaited<ReturnType<typeof loadGraph>>;

/** `GET /di/{type}/{identifier}/usages`: where a configuration is referenced. */
export function usagesOf(graph: Graph, type: string, identifier: string) {
  return (graph.incoming.get(keyOf(type, identifier)) ?? []).map((u) => ({
    propertyPath: u.path,
    type: u.from.type,
    specification: { type: u.from.type, identifier: u.from.identifier, name: u.from.name },
  }));
}

/** The fields `GET /di/dependants?filter=` knows (the filter grammar of src/db/filter.ts, in memory). */
export const DEPENDANT_FIELDS: Record<string, FieldType> = { type: "text", identifier: "text" };

/**
 * `GET /di/dependants`: every referenced configuration (also a reference to one that does not
 * exist) with its usages, filtered, ordered (default `type`, then `identifier`) and paged.
 */
export function dependants(graph: Graph, rawFilter?: string | Record<string, unknown>) {
  const filter = compileMatcher(rawFilter, DEPENDANT_FIELDS, { key: "identifier", defaultOrder: [{ field: "type", desc: false }], defaultLimit: 1000 });
  const rows: { type: string; identifier: string }[] = [];
  for (const key of graph.incoming.keys()) {
    const [type, identifier] = key.split("\n");
    if (filter.matches({ type, identifier })) rows.push({ type, identifier });
  }
  rows.sort((a, b) => filter.compare(a, b) || a.type.localeCompare(b.type));
  return rows.slice(filter.offset, filter.offset + filter.limit).map((r) => ({ ...r, usages: usagesOf(graph, r.type, r.identifier) }));
}

export type Direction = "down" | "up" | "both" | "recursive";

interface Relationship {
  relation: "uses" | "used-by";
  node: { identifier: string; type: string };
  paths: string[];
}

/**
 * The start nodes with their relationships (`uses`: references inside the node's `object`;
 * `used-by`: configurations whose `object` references the node), plus, for `recursive`, every node
 * reached on the way:
 * - `down`: what the start nodes use; `up`: what uses them; `both`: one step each way;
 * - `recursive`: what they use, transitively (their dependencies), and what uses them,
 *   transitively (their dependants). The two walks do not mix: a client shared with another
 *   route does not pull that route in. Cycles end where a node was already expanded that way.
 * A reference to a configuration that does not exist is a node with an empty name and no `uses`.
 */
export function resolveRelations(graph: Graph, start: { type: string; identifier: string }[], direction: Direction) {
  const missing = start.map((s, i) => ({ s, i })).filter(({ s }) => !graph.nodes.has(keyOf(s.type, s.identifier)));
  if (missing.length) {
    throw new ApiError(404, `Configuration ${missing.map(({ s }) => `${s.type} '${s.identifier}'`).join(", ")} was not found.`, {
      violations: missing.map(({ s, i }) => ({ propertyPath: `objects[${i}]`, title: `No ${s.type} configuration '${s.identifier}' exists.`, type: VIOLATION_TYPE })),
    });
  }
  const results = new Map<string, { type: string; identifier: string; name: string; relationships: Relationship[] }>();
  const expanded = new Set<string>();
  const queue: { key: string; down: boolean; up: boolean }[] = [];
  const firstStep = { down: direction !== "up", up: direction !== "down" };
  for (const s of start) queue.push({ key: keyOf(s.type, s.identifier), ...firstStep });

  while (queue.length) {
    const { key, down, up } = queue.shift()!;
    const [type, identifier] = key.split("\n");
    const node = graph.nodes.get(key);
    let result = results.get(key);
    if (!result) results.set(key, (result = { type, identifier, name: node?.name ?? "", relationships: [] }));
    const add = (relation: Relationship["relation"], target: { type: string; identifier: string }, path: string) => {
      const existing = result!.relationships.find((r) => r.relation === relation && r.node.type === target.type && r.node.identifier === target.identifier);
      if (existing) existing.paths.push(path);
      else result!.relationships.push({ relation, node: { identifier: target.identifier, type: target.type }, paths: [path] });
    };
    if (down && !expanded.has(`down\n${key}`)) {
      expanded.add(`down\n${key}`);
      for (const ref of node?.references ?? []) {
        add("uses", ref, ref.path);
        if (direction === "recursive") queue.push({ key: keyOf(ref.type, ref.identifier), down: true, up: false });
      }
    }
    if (up && !expanded.has(`up\n${key}`)) {
      expanded.add(`up\n${key}`);
      for (const u of graph.incoming.get(key) ?? []) {
        add("used-by", u.from, u.path);
        if (direction === "recursive") queue.push({ key: keyOf(u.from.type, u.from.identifier), down: false, up: true });
      }
    }
  }
  return { nodes: [...results.values()] };
}

export async function assertExists(db: Database, space: string, type: string, identifier: string) {
  const [row] = await db
    .select({ identifier: configurations.identifier })
    .from(configurations)
    .where(and(inSpace(space), eq(configurations.type, type), eq(configurations.identifier, identifier)));
  if (!row) throw ApiError.notFound(`Configuration ${type} '${identifier}'`);
}
