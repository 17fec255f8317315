/**
 * Data transformers (DI type "data-transformer", prototypes.md §6): one entity's (or node's) data
 * in, new data out. Inputs are never mutated; only the containers along written paths are copied.
 * `conditional`, `http-transformer`, `graphql-transformer`, `storage-*` and `code-transformer`
 * live in their own modules.
 */
import type { Prototype } from "../types";
import { accessorTransformers } from "./data/accessor-transformers";
import { patternTransformers } from "./data/pattern-transformers";
import { setterTransformers } from "./data/setter-transformers";

export const prototypes: Prototype[] = [...setterTransformers, ...patternTransformers, ...accessorTransformers];
