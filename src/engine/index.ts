/**
 * The engine's registry with every prototype module. A module exports `prototypes: Prototype[]`;
 * add it to MODULES to register it.
 */
import { Registry } from "./registry";
import type { Prototype } from "./types";

const MODULES: Prototype[][] = [];

let shared: Registry | undefined;

/** The registry with every prototype (built once per isolate). */
export function registry(): Registry {
  if (!shared) {
    shared = new Registry();
    for (const prototypes of MODULES) shared.register(...prototypes);
  }
  return shared;
}

export { Registry } from "./registry";
export type * from "./types";
