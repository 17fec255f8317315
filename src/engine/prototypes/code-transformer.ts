/**
 * `code-transformer` (data transformer): runs a JavaScript function body on (part of) the data in
 * the QuickJS sandbox (`run.code`, src/engine/code/sandbox.ts) and writes what it returns back.
 *
 * Semantics (spec/prototypes.md §6, inferred; Alumio documents no page for it):
 * - `code` is the body of `function (data) { ... }`: the one Alumio template that uses it ends with
 *   `return result;`. `data` is a deep copy of the value `source` selects; the code returns the new
 *   value. Returning nothing (`undefined`) keeps the `data` object as the code left it (changed in
 *   place), so `data.total = data.a + data.b;` alone works too.
 * - `source` selects the input: a placeholder string (src/engine/placeholders.ts: `&{expr}`
 *   JMESPath, `&{@}` = the whole data, `items.0.sku` dotted indexes accepted) or, without
 *   placeholders, a plain dotted path (src/engine/paths.ts). Empty, null or absent: the whole data. A
 *   missing path gives `null`.
 * - `destination` is a dotted path (placeholders allowed) where the result is written, creating
 *   missing containers (paths.ts `setIn`); empty, null or absent: the result replaces the whole data.
 * - The code sees only `data` and the ECMAScript built-ins: no HTTP, no bindings, no variables. It
 *   is stopped after the run's time limit (1 s) or memory limit (32 MiB); failures name the line.
 */
import { z } from "zod";
import { getPath, parsePath, setIn } from "../paths";
import { cloneData, inPlaceTransformer } from "../steps";
import { expand, expandKey, hasPlaceholders } from "../placeholders";
import type { DataTransformer, Prototype, RunContext } from "../types";

const Parameters = z.object({
  code: z.string().min(1, "The code transformer needs code.").describe("JavaScript: the body of function (data) { ... }; return the new value."),
  // absent, null (how PHP writes an unset field) and "" all mean "empty"
  source: z
    .string()
    .nullish()
    .transform((v) => v ?? "")
    .describe("What the code receives as `data`: a placeholder like &{@} or &{product}, or a dotted path. Empty: the whole data."),
  destination: z
    .string()
    .nullish()
    .transform((v) => v ?? "")
    .describe("Dotted path where the returned value is written. Empty: it replaces the whole data."),
});
type Parameters = z.infer<typeof Parameters>;

/** The value `source` selects in `data`: placeholders are expanded, a plain string is a dotted path. */
export async function selectSource(data: unknown, source: string, run: RunContext): Promise<unknown> {
  if (source.trim() === "") return data;
  const value = hasPlaceholders(source) ? await expand(source, data, run) : getPath(data, parsePath(source.trim()));
  return value === undefined ? null : value;
}

/** Writes `value` at the dotted `destination` (placeholders allowed) in data the caller owns; empty: `value` itself. */
export async function writeDestination(data: unknown, destination: string, value: unknown, run: RunContext): Promise<unknown> {
  const path = (await expandKey(destination, data, run)).trim();
  return setIn(data, path === "" ? [] : parsePath(path), value);
}

export const codeTransformer: Prototype<Parameters, "data-transformer"> = {
  type: "data-transformer",
  identifier: "code-transformer",
  name: "JavaScript code transformer",
  description: "Runs JavaScript on the data in a sandbox (QuickJS) and writes the returned value to the destination.",
  parameters: Parameters,
  documentation: `Runs \`code\`, the body of \`function (data) { ... }\`, in a QuickJS sandbox (ES2023: arrow functions, \`Map\`, \`Set\`, destructuring, ...).

- **code**: JavaScript. \`data\` is a copy of the input; \`return\` the new value. Returning nothing keeps \`data\` as the code changed it.
- **source**: what \`data\` is: a placeholder (\`&{@}\` = the whole data, \`&{product.variants}\`) or a dotted path. Empty: the whole data.
- **destination**: dotted path where the returned value is written. Empty: the returned value replaces the data.

The code has no access to HTTP, bindings, environment variables or secrets. It may run for 1 second and use 32 MiB; an error names the line, e.g. \`line 3: cannot read property 'sku' of undefined\`.

Example: \`{"code": "const result = data.items.map(i => i.sku);\\nreturn result;", "source": "&{@}", "destination": "skus"}\` on \`{"items":[{"sku":"A"},{"sku":"B"}]}\` gives \`{"items":[...],"skus":["A","B"]}\`.

Inferred (no Alumio documentation): \`data\` is the selected source value, and an empty destination replaces the whole data.`,
  tests: [
    {
      name: "returns a new value for the whole data",
      parameters: { code: "return { total: data.a + data.b };" },
      input: { a: 2, b: 3 },
      output: { total: 5 },
    },
    {
      name: "writes the result at destination from a source path",
      parameters: { code: "const result = data.map((i) => i.sku);\nreturn result;", source: "&{items}", destination: "skus" },
      input: { items: [{ sku: "A" }, { sku: "B" }] },
      output: { items: [{ sku: "A" }, { sku: "B" }], skus: ["A", "B"] },
    },
    {
      name: "keeps data changed in place when nothing is returned",
      parameters: { code: "data.seen = true;" },
      input: { id: 1 },
      output: { id: 1, seen: true },
    },
  ],
  create(parameters): DataTransformer {
    return inPlaceTransformer(async (data, run) => {
      const input = await selectSource(data, parameters.source, run);
      // a copy: a code runner may hand back (part of) the value it was given
      const result = cloneData(await run.code.run(parameters.code, input));
      return writeDestination(data, parameters.destination, result === undefined ? null : result, run);
    });
  },
};

export const prototypes: Prototype[] = [codeTransformer as Prototype];
