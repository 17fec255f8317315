/**
 * The engine's registry with every prototype module. A module exports `prototypes: Prototype[]`;
 * add it to MODULES to register it.
 */
import { prototypes as accessors } from "./prototypes/accessors";
import { prototypes as codeTransformer } from "./prototypes/code-transformer";
import { prototypes as entityTransformers } from "./prototypes/entity-transformers";
import { prototypes as filters } from "./prototypes/filters";
import { prototypes as mappers } from "./prototypes/mappers";
import { prototypes as http } from "./prototypes/http";
import { prototypes as storage } from "./prototypes/storage";
import { prototypes as dataTransformers } from "./prototypes/data-transformers";
import { prototypes as pagination } from "./prototypes/pagination";
import { prototypes as parsers } from "./prototypes/parsers";
import { Registry } from "./registry";
import type { Prototype } from "./types";

const MODULES: Prototype[][] = [codeTransformer, storage, http, dataTransformers, parsers, pagination, accessors, filters, mappers, entityTransformers];

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
