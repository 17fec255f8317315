import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { configurations } from "../db/schema";
import { ApiError } from "../lib/errors";
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

/** `GET /di/dependants`: every referenced configuration with its usages. */
export function dependants(graph: Graph, where: { type?: string; identifier?: string } = {}) {
  const out = [];
  for (const key of graph.incoming.keys()) {
    const [type, identifier] = key.split("\n");
    if ((where.type && where.type !== type) || (where.identifier && where.identifier !== identifier)) continue;
    out.push({ type, identifier, usages: usagesOf(graph, type, identifier) });
  }
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.identifier.localeCompare(b.identifier));
}

export type Direction = "down" | "up" | "both" | "recursive";

/**
 * Nodes with their relationships: `down` what they use, `up` what uses them, `both` one step
 * each way, `recursive` everything reachable either way.
 */
export function resolveRelations(graph: Graph, start: { type: string; identifier: string }[], direction: Direction) {
  for (const s of start) {
    if (!graph.nodes.has(keyOf(s.type, s.identifier))) throw ApiError.notFound(`Configuration ${s.type} '${s.identifier}'`);
  }
  const down = direction !== "up";
  const up = direction !== "down";
  const visited = new Set<string>();
  const queue = start.map((s) => keyOf(s.type, s.identifier));
  const result = [];
  while (queue.length) {
    const key = queue.shift()!;
    if (visited.has(key)) continue;
    visited.add(key);
    const [type, identifier] = key.split("\n");
    const node = graph.nodes.get(key);
    const relationships: { relation: string; node: { identifier: string; type: string }; paths: string[] }[] = [];
    const add = (relation: string, target: { type: string; identifier: string }, path: string) => {
      const existing = relationships.find((r) => r.relation === relation && r.node.type === target.type && r.node.identifier === target.identifier);
      if (existing) existing.paths.push(path);
      else relationships.push({ relation, node: { identifier: target.identifier, type: target.type }, paths: [path] });
      if (direction === "recursive") queue.push(keyOf(target.type, target.identifier));
    };
    if (down && node) for (const ref of node.references) add("uses", ref, ref.path);
    if (up) for (const u of graph.incoming.get(key) ?? []) add("used-by", u.from, u.path);
    result.push({ type, identifier, name: node?.name ?? "", relationships });
  }
  return { nodes: result };
}

export async function assertExists(db: Database, space: string, type: string, identifier: string) {
  const [row] = await db
    .select({ identifier: configurations.identifier })
    .from(configurations)
    .where(and(inSpace(space), eq(configurations.type, type), eq(configurations.identifier, identifier)));
  if (!row) throw ApiError.notFound(`Configuration ${type} '${identifier}'`);
}
