/**
 * Data transformers (DI type "data-transformer", prototypes.md §6): one entity's (or node's) data
 * in, new data out. The plain call leaves its input alone; most also have an in-place form for data
 * the caller owns (src/engine/steps.ts).
 * `conditional`, `http-transformer`, `graphql-transformer`, `storage-*` and `code-transformer`
 * live in their own modules.
 */
import type { Prototype } from "../types";
import { accessorTransformers } from "./data/accessor-transformers";
import { patternTransformers } from "./data/pattern-transformers";
import { setterTransformers } from "./data/setter-transformers";

export const prototypes: Prototype[] = [...setterTransformers, ...patternTransformers, ...accessorTransformers];
