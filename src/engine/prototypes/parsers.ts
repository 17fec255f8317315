/**
 * Deserializers (body text -> list of items, one entity each) and serializers (value -> request
 * body), prototypes.md §10. Items are found with a "pattern to items": a dot path to the list
 * (iteration implicit; a `*` pattern also works), as for JSON, XML, YAML and form-urlencoded bodies.
 */
import Papa from "papaparse";
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { parseAllDocuments, stringify } from "yaml";
import { z } from "zod";
import { looseBoolean } from "../http/util";
import { getPath, isListKeys, isRecord, parsePath } from "../paths";
import { hasWildcard, matchPattern } from "../patterns";
import { evaluate } from "../placeholders";
import type { Deserializer, Prototype, Serializer } from "../types";

type DeserializerPrototype<P> = Prototype<P, "deserializer">;
type SerializerPrototype<P> = Prototype<P, "serializer">;

const decoder = new TextDecoder();

/** PHP `utf8_encode`: the bytes read as ISO-8859-1. */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** Body text from what the caller has: text, bytes, or null for an already parsed value. */
function bodyText(input: unknown, encodeInput = false): string | null {
  if (typeof input === "string") return input;
  if (input instanceof Uint8Array) return encodeInput ? latin1(input) : decoder.decode(input);
  if (input instanceof ArrayBuffer) return bodyText(new Uint8Array(input), encodeInput);
  return null;
}

/**
 * The items under `pattern`: a list gives its elements, an object its values (a PHP array),
 * anything else is one item; a missing path gives none. Without a pattern a list body gives its
 * elements and anything else is one item.
 */
function itemsAt(document: unknown, pattern: string | null | undefined): unknown[] {
  if (!pattern) return Array.isArray(document) ? document : document === undefined ? [] : [document];
  if (hasWildcard(pattern)) {
    const matches = matchPattern(document, pattern);
    return matches.length > 0 ? matches.map((m) => m.value) : listOf(jmesPath(document, pattern));
  }
  const value = getPath(document, parsePath(pattern));
  return listOf(value === undefined ? jmesPath(document, pattern) : value);
}

/**
 * The webhook JSON and XML parsers take "a JMESPath expression ... to specify a path to the relevant
 * items" (docs.alumio.com/configuring-webhooks): a pattern that finds nothing as a path is tried as
 * JMESPath (`data.items[*]`, `results[?active]`); undefined when it is not one.
 */
function jmesPath(document: unknown, pattern: string): unknown {
  try {
    return evaluate(pattern, document);
  } catch {
    return undefined;
  }
}

/** The items of the value found at the pattern. */
function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (isRecord(value)) return isListLike(value) ? Object.values(value) : [value];
  return [value];
}

/** An object whose keys are all integers is a PHP list with holes, not a record. */
const isListLike = (value: Record<string, unknown>) => {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
};

// ---- json ------------------------------------------------------------------------------------

const jsonDeserializerSchema = z.looseObject({
  pattern: z.string().nullish(),
  readMethod: z.enum(["wholeFile", "lines"]).nullish(),
  encodeInput: looseBoolean.nullish(),
});

const jsonDeserializer: DeserializerPrototype<z.infer<typeof jsonDeserializerSchema>> = {
  type: "deserializer",
  identifier: "json",
  name: "JSON",
  description: "Parses a JSON body and yields the items found at a pattern.",
  isDefault: true,
  parameters: jsonDeserializerSchema,
  documentation: `Parses JSON and returns the list of items (one entity each).

- \`pattern\` (string, optional): "pattern to items", the path to the list of items (\`_embedded.items\`, \`data\`); no \`*\` needed, iteration is implicit. Without it a list body gives its elements and any other body is one item. A pattern that finds nothing as a path is evaluated as JMESPath (\`data.items[*]\`, \`results[?active]\`), as the webhook JSON parser documents.
- \`readMethod\` (\`wholeFile\` | \`lines\`, default \`wholeFile\`): \`wholeFile\` parses the body as one document; \`lines\` [INF] reads JSON Lines (one document per non-empty line), applying the pattern to each.
- \`encodeInput\` (boolean, default false) [INF]: read a byte body as ISO-8859-1 and convert it to UTF-8 before parsing (PHP \`utf8_encode\`).

Example: \`{"pattern":"_embedded.items","readMethod":"wholeFile"}\` on \`{"_embedded":{"items":[{"code":"a"},{"code":"b"}]}}\` gives \`[{"code":"a"},{"code":"b"}]\`.

Notes [INF]: a missing or null item path gives no items; an object at the path gives its values when its keys are all numeric, else it is one item. Other \`readMethod\` values are not known from exports and are refused.`,
  tests: [
    {
      name: "items at a pattern",
      parameters: { pattern: "_embedded.items", readMethod: "wholeFile" },
      input: '{"_links":{},"_embedded":{"items":[{"code":"a"},{"code":"b"}]}}',
      output: [{ code: "a" }, { code: "b" }],
    },
    { name: "a list body", parameters: {}, input: '[{"id":1},{"id":2}]', output: [{ id: 1 }, { id: 2 }] },
    { name: "an object body is one item", parameters: [], input: '{"id":1}', output: [{ id: 1 }] },
    { name: "json lines", parameters: { readMethod: "lines" }, input: '{"id":1}\n\n{"id":2}\n', output: [{ id: 1 }, { id: 2 }] },
  ],
  create: ({ pattern, readMethod, encodeInput }): Deserializer => ({
    deserialize(input) {
      const text = bodyText(input, encodeInput ?? false);
      if (text === null) return itemsAt(input, pattern);
      if (readMethod === "lines") {
        return text
          .split(/\r?\n/)
          .filter((line) => line.trim() !== "")
          .flatMap((line) => itemsAt(JSON.parse(line), pattern));
      }
      return text.trim() === "" ? [] : itemsAt(JSON.parse(text), pattern);
    },
  }),
};

const jsonSerializerSchema = z.looseObject({ prettyPrint: looseBoolean.nullish() });

const jsonSerializer: SerializerPrototype<z.infer<typeof jsonSerializerSchema>> = {
  type: "serializer",
  identifier: "json",
  name: "JSON",
  description: "Encodes the payload as JSON.",
  isDefault: true,
  parameters: jsonSerializerSchema,
  documentation: `Encodes the request payload as JSON (\`application/json\`).

- \`prettyPrint\` (boolean, optional) [INF]: indent the output.

Example: \`{"a":[1,2]}\` becomes \`{"a":[1,2]}\`.`,
  tests: [{ name: "encode", parameters: [], input: { a: [1, 2], b: "x/y" }, output: '{"a":[1,2],"b":"x/y"}' }],
  create: ({ prettyPrint }): Serializer => ({
    contentType: "application/json",
    serialize: (value) => JSON.stringify(value ?? null, null, prettyPrint ? 4 : undefined),
  }),
};

// ---- csv -------------------------------------------------------------------------------------

const csvSchema = z.looseObject({
  delimiter: z.string().nullish(),
  enclosure: z.string().nullish(),
  escape: z.string().nullish(),
  hasHeader: looseBoolean.nullish(),
  headers: z.array(z.string()).nullish(),
  skipEmptyLines: looseBoolean.nullish(),
});

const csvDeserializer: DeserializerPrototype<z.infer<typeof csvSchema>> = {
  type: "deserializer",
  identifier: "csv",
  name: "CSV",
  description: "Parses CSV; each row is one item, keyed by the header row.",
  parameters: csvSchema,
  documentation: `Parses CSV text; every data row becomes one item.

- \`delimiter\` (string, default \`,\`): the field separator.
- \`enclosure\` (string, default \`"\`): the quote character around fields.
- \`escape\` (string, default the enclosure): the character escaping an enclosure inside a quoted field (\`""\` by default).
- \`hasHeader\` (boolean, default true) [INF]: the first row names the columns; each item is an object keyed by them. Without a header each item is the list of the row's fields.
- \`headers\` (list of strings, optional) [INF]: column names to use instead (the first row is then data, unless \`hasHeader\` is true, in which case it is skipped).
- \`skipEmptyLines\` (boolean, default true) [INF].

Example: \`"sku,qty\\na,1\\nb,2"\` gives \`[{"sku":"a","qty":"1"},{"sku":"b","qty":"2"}]\` (all values are strings).`,
  tests: [
    { name: "header row", parameters: {}, input: "sku,qty\na,1\nb,2\n", output: [{ sku: "a", qty: "1" }, { sku: "b", qty: "2" }] },
    { name: "delimiter and enclosure", parameters: { delimiter: ";", enclosure: "'" }, input: "sku;name\na;'x;y'", output: [{ sku: "a", name: "x;y" }] },
    { name: "no header", parameters: { hasHeader: false }, input: "a,1\nb,2", output: [["a", "1"], ["b", "2"]] },
  ],
  create: ({ delimiter, enclosure, escape, hasHeader, headers, skipEmptyLines }): Deserializer => {
    const quoteChar = enclosure || '"';
    const options = { delimiter: delimiter || ",", quoteChar, escapeChar: escape || quoteChar, skipEmptyLines: skipEmptyLines ?? true, header: false };
    return {
      deserialize(input) {
        const text = bodyText(input);
        if (text === null) return Array.isArray(input) ? input : [input];
        const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), options);
        const fatal = result.errors.find((e) => e.type === "Quotes");
        if (fatal) throw new Error(`CSV row ${fatal.row}: ${fatal.message}`);
        const rows = result.data;
        const withHeader = hasHeader ?? true;
        const names = headers ?? (withHeader ? rows[0] : null);
        const data = withHeader ? rows.slice(1) : rows;
        if (!names) return data;
        return data.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? null])));
      },
    };
  },
};

const csvSerializer: SerializerPrototype<z.infer<typeof csvSchema>> = {
  type: "serializer",
  identifier: "csv",
  name: "CSV",
  description: "Encodes a list of records as CSV with a header row.",
  parameters: csvSchema,
  documentation: `Encodes a list of objects (or one object) as CSV (\`text/csv\`): a header row from the keys, then one row per record.

- \`delimiter\` (string, default \`,\`), \`enclosure\` (string, default \`"\`), \`escape\` (string, default the enclosure).
- \`hasHeader\` (boolean, default true): write the header row.
- \`headers\` (list of strings, optional): the columns and their order (default: every key, in order of appearance).

Nested values are written as JSON [INF].

Example: \`[{"sku":"a","qty":1}]\` becomes \`"sku,qty\\r\\na,1"\`.`,
  tests: [{ name: "records", parameters: {}, input: [{ sku: "a", qty: 1 }, { sku: "b,c", qty: 2 }], output: 'sku,qty\r\na,1\r\n"b,c",2' }],
  create: ({ delimiter, enclosure, escape, hasHeader, headers }): Serializer => ({
    contentType: "text/csv",
    serialize(value) {
      const records = (Array.isArray(value) ? value : [value]).map((r): Record<string, unknown> => (isRecord(r) ? r : { value: r }));
      const columns = headers ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
      const rows = records.map((r) => columns.map((c) => (r[c] !== null && typeof r[c] === "object" ? JSON.stringify(r[c]) : r[c])));
      const quoteChar = enclosure || '"';
      return Papa.unparse({ fields: columns, data: rows }, { delimiter: delimiter || ",", quoteChar, escapeChar: escape || quoteChar, header: hasHeader ?? true });
    },
  }),
};

// ---- xml -------------------------------------------------------------------------------------

const xmlSchema = z.looseObject({ pattern: z.string().nullish(), rootNodeName: z.string().nullish(), keepRoot: looseBoolean.nullish() });

// Symfony's XmlEncoder conventions (a PHP engine's likely choice): attributes `@name`, text beside attributes `#`.
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#",
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // character references (`&#233;`, `&#xE9;`) are decoded, as by PHP's XML parsers; this also knows
  // the common HTML entity names (`&nbsp;`), which a strict XML parser would refuse
  htmlEntities: true,
});

/** The parsed document; a malformed one fails, as PHP's XML parsers do, instead of yielding scraps. */
function parseXml(text: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`Invalid XML: ${valid.err.msg.replace(/\.$/, "")} at line ${valid.err.line}${valid.err.col ? `, column ${valid.err.col}` : ""}`);
  return xmlParser.parse(text) as Record<string, unknown>;
}

const xmlDeserializer: DeserializerPrototype<z.infer<typeof xmlSchema>> = {
  type: "deserializer",
  identifier: "xml",
  name: "XML",
  description: "Parses XML and yields the items found at a pattern.",
  parameters: xmlSchema,
  documentation: `Parses XML (fast-xml-parser) and returns the items found at \`pattern\`.

- \`pattern\` (string, optional): path to the items below the root element, e.g. \`products.product\`; a single element is one item, repeated elements are a list. A pattern that finds nothing as a path is evaluated as JMESPath (\`products.product[?sku=='b']\`), as the webhook XML parser documents.
- \`keepRoot\` (boolean, default false) [INF]: keep the root element as the first path segment.

Conversion [INF] (Symfony XmlEncoder conventions): attributes become \`@name\` keys, an element's text next to attributes or children is under \`#\`, repeated elements become lists, all values stay strings.
Character references (\`&#233;\`) are decoded. A malformed document fails (\`Invalid XML: <problem> at line L, column C\`), as PHP's XML parsers refuse it; an empty body gives no items.

Example: \`{"pattern":"products.product"}\` on \`<catalog><products><product id="1"><sku>a</sku></product><product id="2"><sku>b</sku></product></products></catalog>\`
gives \`[{"@id":"1","sku":"a"},{"@id":"2","sku":"b"}]\`.`,
  tests: [
    {
      name: "repeated elements",
      parameters: { pattern: "products.product" },
      input: '<?xml version="1.0"?><catalog><products><product id="1"><sku>a</sku></product><product id="2"><sku>b</sku></product></products></catalog>',
      output: [{ "@id": "1", sku: "a" }, { "@id": "2", sku: "b" }],
    },
    { name: "one element", parameters: { pattern: "product" }, input: "<r><product><sku>a</sku></product></r>", output: [{ sku: "a" }] },
  ],
  create: ({ pattern, keepRoot }): Deserializer => ({
    deserialize(input) {
      const text = bodyText(input);
      if (text === null) return itemsAt(input, pattern);
      if (text.trim() === "") return [];
      const document = parseXml(text);
      const roots = Object.values(document);
      const root = keepRoot ? document : roots.length === 1 ? roots[0] : document;
      return itemsAt(root === "" ? {} : root, pattern);
    },
  }),
};

const xmlSerializer: SerializerPrototype<z.infer<typeof xmlSchema>> = {
  type: "serializer",
  identifier: "xml",
  name: "XML",
  description: "Encodes the payload as XML under a root element.",
  parameters: xmlSchema,
  documentation: `Encodes the payload as XML (\`application/xml\`), the inverse of the XML deserializer: \`@name\` keys become attributes, \`#\` the text, lists repeat their element.

- \`rootNodeName\` (string, default \`response\`, as Symfony's XmlEncoder) [INF]: the root element.

Example: \`{"product":[{"@id":"1","sku":"a"}]}\` becomes \`<?xml version="1.0"?>\\n<response><product id="1"><sku>a</sku></product></response>\`.`,
  tests: [
    {
      name: "attributes and lists",
      parameters: {},
      input: { product: [{ "@id": "1", sku: "a" }, { "@id": "2", sku: "b" }] },
      output: '<?xml version="1.0"?>\n<response><product id="1"><sku>a</sku></product><product id="2"><sku>b</sku></product></response>',
    },
  ],
  create: ({ rootNodeName }): Serializer => {
    const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", textNodeName: "#", suppressEmptyNode: true });
    const root = rootNodeName || "response";
    return {
      contentType: "application/xml",
      serialize: (value) => `<?xml version="1.0"?>\n${builder.build({ [root]: value ?? "" })}`,
    };
  },
};

// ---- yaml ----------------------------------------------------------------------------------

const yamlDeserializerSchema = z.looseObject({ pattern: z.string().nullish(), encodeInput: looseBoolean.nullish() });

// YAML 1.2 core schema, so values stay JSON: `yes` and `2024-01-01` are strings, and explicit
// 1.1 tags (`!!binary`, `!!timestamp`) are left unresolved instead of becoming bytes or Dates.
// Merge keys (`<<: *base`) are on, as Symfony's YAML parser (a PHP engine's likely choice) has them.
const YAML_PARSE = { schema: "core", merge: true, resolveKnownTags: false } as const;

/** Every document of a YAML stream (`---` separated) as plain data; the first error fails the body. */
function parseYaml(text: string): unknown[] {
  const documents = parseAllDocuments(text, YAML_PARSE);
  // An empty stream is an array without documents that still carries the stream's errors.
  const errors = "empty" in documents ? documents.errors : documents.flatMap((d) => d.errors);
  // The message's first line names the problem and its line and column; the rest is a code excerpt.
  if (errors.length > 0) throw new Error(`Invalid YAML: ${errors[0].message.split("\n")[0].replace(/:$/, "")}`);
  // toJS refuses alias bombs (more than 100 alias expansions by default).
  return documents.map((document) => document.toJS());
}

const yamlDeserializer: DeserializerPrototype<z.infer<typeof yamlDeserializerSchema>> = {
  type: "deserializer",
  identifier: "yaml",
  name: "YAML",
  description: "Parses a YAML body and yields the items found at a pattern.",
  parameters: yamlDeserializerSchema,
  documentation: `Parses YAML and returns the list of items (one entity each), as the JSON deserializer does for JSON.

- \`pattern\` (string, optional): "pattern to items", the path to the list of items (\`data.products\`); no \`*\` needed, iteration is implicit. Without it a list document gives its elements and any other document is one item.
- \`encodeInput\` (boolean, default false) [INF]: read a byte body as ISO-8859-1 and convert it to UTF-8 before parsing, as for JSON.

Example: \`{"pattern":"data.products"}\` on
\`\`\`yaml
data:
  products:
    - sku: a
    - sku: b
\`\`\`
gives \`[{"sku":"a"},{"sku":"b"}]\`.

Notes [INF]:
- The parameters mirror the JSON deserializer's (Alumio documents a YAML deserializer with a "pattern to items" but not its parameters); there is no \`readMethod\`.
- YAML 1.2 core schema: \`yes\`/\`no\` and dates stay strings, \`~\` and \`null\` are null, \`0o17\` and \`0x1F\` are numbers. Explicit YAML 1.1 tags (\`!!binary\`, \`!!timestamp\`) and unknown tags are not resolved: the value is kept as its text. \`.inf\` and \`.nan\` parse but become null once the entity is stored as JSON.
- Anchors and aliases (\`&base\` / \`*base\`) are expanded, merge keys (\`<<: *base\`) are supported; more than 100 alias expansions fail the body (protection against "billion laughs" documents).
- Duplicate keys and syntax errors fail with \`Invalid YAML: <problem> at line L, column C\`.
- A stream of several documents (separated by \`---\`) gives the items of each document in order, the pattern applied to each; an empty body (or only comments) gives no items. A missing or null item path gives no items; an object at the path gives its values when its keys are all numeric, else it is one item.`,
  tests: [
    {
      name: "items at a pattern",
      parameters: { pattern: "data.products" },
      input: "data:\n  products:\n    - sku: a\n      qty: 1\n    - sku: b\n      qty: 2\n",
      output: [{ sku: "a", qty: 1 }, { sku: "b", qty: 2 }],
    },
    { name: "a list body", parameters: {}, input: "- 1\n- two\n- null\n", output: [1, "two", null] },
    { name: "a mapping body is one item", parameters: [], input: "id: 1\nactive: yes\n", output: [{ id: 1, active: "yes" }] },
    {
      name: "anchors, aliases and merge keys",
      parameters: { pattern: "items" },
      input: "defaults: &d {currency: EUR, vat: 21}\nitems:\n  - <<: *d\n    sku: a\n  - *d\n",
      output: [{ currency: "EUR", vat: 21, sku: "a" }, { currency: "EUR", vat: 21 }],
    },
    { name: "several documents", parameters: {}, input: "---\nid: 1\n---\nid: 2\n", output: [{ id: 1 }, { id: 2 }] },
  ],
  create: ({ pattern, encodeInput }): Deserializer => ({
    deserialize(input) {
      const text = bodyText(input, encodeInput ?? false);
      if (text === null) return itemsAt(input, pattern);
      return parseYaml(text).flatMap((document) => itemsAt(document, pattern));
    },
  }),
};

// No line folding (what is sent is what was in the data), no anchors for values that happen to
// be shared in memory (receivers may not expand aliases), and strings quoted wherever a YAML 1.1
// parser would read them as something else (`"yes"`, `"0o17"`), since many receivers still are.
const YAML_STRINGIFY = { lineWidth: 0, aliasDuplicateObjects: false, compat: "yaml-1.1" } as const;

const yamlSerializer: SerializerPrototype<Record<string, unknown>> = {
  type: "serializer",
  identifier: "yaml",
  name: "YAML",
  description: "Encodes the payload as YAML.",
  parameters: z.looseObject({}),
  documentation: `Encodes the request payload as a YAML document (\`application/yaml\`, RFC 9512), in block style with two-space indentation. No parameters.

Example: \`{"sku":"a","tags":["new","sale"],"active":"yes"}\` becomes
\`\`\`yaml
sku: a
tags:
  - new
  - sale
active: "yes"
\`\`\`

Notes [INF]: the serializer's existence and its parameters are inferred (Alumio documents a YAML deserializer). Long strings are not folded; a value that appears twice is written out twice rather than as an anchor and alias; strings a YAML 1.1 parser would read as booleans, numbers or dates (\`yes\`, \`on\`, \`y\`, \`0012\`) are quoted, so both YAML 1.1 and 1.2 readers get the same data back. An absent payload is \`null\`. The output ends with a newline.`,
  tests: [
    { name: "nested", parameters: {}, input: { sku: "a", tags: ["x", "y"], price: { amount: 9.5, currency: "EUR" }, note: null }, output: 'sku: a\ntags:\n  - x\n  - "y"\nprice:\n  amount: 9.5\n  currency: EUR\nnote: null\n' },
    { name: "ambiguous strings are quoted", parameters: [], input: { active: "yes", code: "0012", label: "a: b" }, output: 'active: "yes"\ncode: "0012"\nlabel: "a: b"\n' },
  ],
  create: (): Serializer => ({ contentType: "application/yaml", serialize: (value) => stringify(value ?? null, YAML_STRINGIFY) }),
};

// ---- form-urlencoded -------------------------------------------------------------------------

/** PHP `parse_str`: `a[b][]=1&a[b][]=2&c=3` -> `{"a":{"b":["1","2"]},"c":"3"}`. */
function parseQuery(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text.replace(/^\?/, ""))) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(name);
    const keys = match ? [match[1], ...[...match[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])] : [name];
    let container: Record<string, unknown> | unknown[] = out;
    keys.forEach((key, i) => {
      const last = i === keys.length - 1;
      const list = Array.isArray(container) ? container : null;
      const slot = key === "" ? (list ? list.length : Object.keys(container).length) : key;
      const existing = (container as Record<string, unknown>)[slot as string];
      if (last) (container as Record<string, unknown>)[slot as string] = value;
      else {
        const next = existing !== null && typeof existing === "object" ? existing : keys[i + 1] === "" ? [] : {};
        (container as Record<string, unknown>)[slot as string] = next;
        container = next as Record<string, unknown> | unknown[];
      }
    });
  }
  return relist(out) as Record<string, unknown>;
}

/** PHP arrays: an object keyed 0..n-1 is a list (`a[0]=x&a[1]=y`). */
function relist(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relist);
  if (!isRecord(value)) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, relist(v)] as const);
  return entries.length > 0 && isListKeys(entries.map(([k]) => k)) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/** PHP `http_build_query`: nested values as `a[b][0]=1`; null is left out, booleans are 1/0. */
function buildQuery(value: unknown, prefix = ""): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return entries.flatMap(([k, v]) => buildQuery(v, prefix ? `${prefix}[${k}]` : k));
  }
  const text = typeof value === "boolean" ? (value ? "1" : "0") : String(value);
  return [`${encodeURIComponent(prefix)}=${encodeURIComponent(text)}`.replace(/%20/g, "+")];
}

const formSchema = z.looseObject({ pattern: z.string().nullish() });

const formDeserializer: DeserializerPrototype<z.infer<typeof formSchema>> = {
  type: "deserializer",
  identifier: "form-urlencoded",
  name: "Form URL encoded",
  description: "Parses an application/x-www-form-urlencoded body (PHP bracket syntax) and yields the items at a pattern.",
  parameters: formSchema,
  documentation: `Parses \`application/x-www-form-urlencoded\` text as PHP's \`parse_str\` does (\`a[b][]=1\` nests; all values are strings) and returns the items at \`pattern\`.

- \`pattern\` (string, optional): path to the items; without it the whole body is one item.

Example: \`"order[id]=7&order[lines][]=a&order[lines][]=b"\` with no pattern gives \`[{"order":{"id":"7","lines":["a","b"]}}]\`.

Notes [INF]: the prototype identifier is inferred from the documented name.`,
  tests: [
    { name: "nested", parameters: {}, input: "order[id]=7&order[lines][]=a&order[lines][]=b&note=hello+world", output: [{ order: { id: "7", lines: ["a", "b"] }, note: "hello world" }] },
    { name: "pattern", parameters: { pattern: "items" }, input: "items[0][sku]=a&items[1][sku]=b", output: [{ sku: "a" }, { sku: "b" }] },
  ],
  create: ({ pattern }): Deserializer => ({
    deserialize(input) {
      const text = bodyText(input);
      return itemsAt(text === null ? input : parseQuery(text), pattern);
    },
  }),
};

const formSerializer: SerializerPrototype<z.infer<typeof formSchema>> = {
  type: "serializer",
  identifier: "form-urlencoded",
  name: "Form URL encoded",
  description: "Encodes the payload as application/x-www-form-urlencoded (PHP http_build_query).",
  parameters: formSchema,
  documentation: `Encodes the payload as PHP's \`http_build_query\` does (\`application/x-www-form-urlencoded\`): nested values as \`a[b][0]=1\`, null left out, booleans as 1/0, spaces as \`+\`.

Example: \`{"a":{"b":[1,2]},"c":"x y"}\` becomes \`a%5Bb%5D%5B0%5D=1&a%5Bb%5D%5B1%5D=2&c=x+y\`.`,
  tests: [{ name: "nested", parameters: {}, input: { a: { b: [1, 2] }, c: "x y", d: null, e: true }, output: "a%5Bb%5D%5B0%5D=1&a%5Bb%5D%5B1%5D=2&c=x+y&e=1" }],
  create: (): Serializer => ({ contentType: "application/x-www-form-urlencoded", serialize: (value) => buildQuery(value).join("&") }),
};

// ---- plain text and binary -------------------------------------------------------------------

const plainSchema = z.looseObject({ key: z.string().nullish() });

const plainTextDeserializer: DeserializerPrototype<z.infer<typeof plainSchema>> = {
  type: "deserializer",
  identifier: "plain-text",
  name: "Plain text",
  description: "The body text as one item, optionally under a key.",
  parameters: plainSchema,
  documentation: `Takes the body as text: one item, the text itself or, with \`key\`, an object holding the text under that key.

- \`key\` (string, optional): the key to put the text under (a dot path creates nested objects).

Example: \`{"key":"body"}\` on \`"OK"\` gives \`[{"body":"OK"}]\`.

Notes [INF]: the identifier and parameter name are inferred from the documented "Plain text response decoder".`,
  tests: [
    { name: "under a key", parameters: { key: "body" }, input: "OK", output: [{ body: "OK" }] },
    { name: "bare", parameters: {}, input: "line 1\nline 2", output: ["line 1\nline 2"] },
  ],
  create: ({ key }): Deserializer => {
    const segments = key ? parsePath(key) : [];
    return {
      deserialize(input) {
        const text = bodyText(input) ?? (typeof input === "object" ? JSON.stringify(input) : String(input ?? ""));
        return [segments.reduceRight<unknown>((value, segment) => ({ [segment]: value }), text)];
      },
    };
  },
};

const plainTextSerializer: SerializerPrototype<Record<string, unknown>> = {
  type: "serializer",
  identifier: "plain-text",
  name: "Plain text",
  description: "Sends the payload as text.",
  parameters: z.looseObject({}),
  documentation: `Sends the payload as \`text/plain\`: strings as they are, other values as JSON [INF].

Example: \`"hello"\` becomes \`hello\`.`,
  tests: [
    { name: "a string", parameters: {}, input: "hello", output: "hello" },
    { name: "a number", parameters: {}, input: 12, output: "12" },
  ],
  create: (): Serializer => ({ contentType: "text/plain", serialize: (value) => (typeof value === "string" ? value : JSON.stringify(value ?? "")) }),
};

const binaryDeserializer: DeserializerPrototype<Record<string, unknown>> = {
  type: "deserializer",
  identifier: "binary",
  name: "Binary",
  description: "The raw body as one item.",
  parameters: z.looseObject({}),
  documentation: `Takes the body as it is: one item holding the raw body text. Needs no configuration (\`"deserializer":"binary"\`).

Example: \`"%PDF-1.4..."\` gives \`["%PDF-1.4..."]\`.

Notes [INF]: bytes are decoded as UTF-8 text so that the entity is JSON; an already parsed body is one item as it is.`,
  tests: [{ name: "raw", parameters: {}, input: "<html>ok</html>", output: ["<html>ok</html>"] }],
  create: (): Deserializer => ({ deserialize: (input) => [bodyText(input) ?? input] }),
};

const binarySerializer: SerializerPrototype<Record<string, unknown>> = {
  type: "serializer",
  identifier: "binary",
  name: "Binary",
  description: "Sends a string payload as it is.",
  parameters: z.looseObject({}),
  documentation: `Sends the payload unchanged (\`application/octet-stream\`): a string as it is; other values as JSON [INF].

Example: \`"raw"\` becomes \`raw\`.`,
  tests: [{ name: "raw", parameters: {}, input: "raw", output: "raw" }],
  create: (): Serializer => ({ contentType: "application/octet-stream", serialize: (value) => (typeof value === "string" ? value : JSON.stringify(value ?? "")) }),
};

export const prototypes: Prototype[] = [
  jsonDeserializer,
  jsonSerializer,
  csvDeserializer,
  csvSerializer,
  xmlDeserializer,
  xmlSerializer,
  yamlDeserializer,
  yamlSerializer,
  formDeserializer,
  formSerializer,
  plainTextDeserializer,
  plainTextSerializer,
  binaryDeserializer,
  binarySerializer,
];
