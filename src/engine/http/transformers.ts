/**
 * Data transformers that call HTTP services: `http-transformer` and `graphql-transformer`.
 * The (deserialized) response replaces the data, as in Alumio; wrap them in `merger` to keep the
 * data and add the response under a key.
 */
import { z } from "zod";
import { parsePath, setIn } from "../paths";
import { inPlaceTransformer } from "../steps";
import type { DataTransformer, Deserializer, HttpClient, Prototype, RunContext } from "../types";
import { resolveClient } from "./client";
import { clientSchema, prepareClient, prepareRequest, renderRequest, REQUEST_DOC, requestSchema, type PreparedRequest } from "./request";
import { isRecord, parseBody } from "./util";

const transformerParameters = z.looseObject({
  client: clientSchema,
  request: requestSchema,
  deserializer: z.unknown().optional(),
  destination: z.string().optional(),
});
type TransformerParameters = z.infer<typeof transformerParameters>;

interface Prepared {
  client: HttpClient | string | undefined;
  request: PreparedRequest;
  deserializer?: Deserializer;
  destination?: string;
  graphql: boolean;
}

async function prepare(p: TransformerParameters, builder: Parameters<Prototype["create"]>[1], graphql: boolean): Promise<Prepared> {
  const hasDeserializer = p.deserializer !== undefined && p.deserializer !== null && !(Array.isArray(p.deserializer) && p.deserializer.length === 0);
  return {
    client: await prepareClient(p.client, builder),
    request: await prepareRequest(p.request, builder),
    deserializer: hasDeserializer ? await builder.build("deserializer", p.deserializer, ["deserializer"]) : undefined,
    destination: p.destination || undefined,
    graphql,
  };
}

function transformer(prepared: Prepared): DataTransformer {
  // the result is parsed from the response: data of its own, written as it is
  return inPlaceTransformer(async (data: unknown, run: RunContext) => {
    const client = await resolveClient(prepared.client, run);
    const request = await renderRequest(prepared.request, data, run, {}, prepared.graphql ? "POST" : "GET");
    if (prepared.graphql && request.payload !== undefined && !isRecord(request.payload)) {
      throw new Error("The GraphQL payload must be an object: {\"query\": \"…\", \"variables\": {…}}.");
    }
    const response = await client.request(request, run);
    let result: unknown;
    if (prepared.deserializer) result = await prepared.deserializer.deserialize(response.body, run);
    else result = parseBody(response.body, response.headers.get("content-type"));
    if (prepared.graphql && isRecord(result) && Array.isArray(result.errors) && result.errors.length) {
      run.log("warning", `GraphQL ${request.uri.startsWith("data:") ? "data: URI" : "request"} answered with ${result.errors.length} error(s).`, { errors: result.errors.slice(0, 5) });
    }
    if (!prepared.destination) return result;
    return setIn(data ?? {}, parsePath(prepared.destination), result);
  });
}

const COMMON_PARAMS = `| \`client\` | the identifier of an \`http-client\` configuration (e.g. \`akeneo-http-client\`), or an inline client; absent: the \`default\` client |
| \`request\` | the request object, below |
| \`deserializer\` | optional: a deserializer prototype for the response body (default: JSON when it parses as JSON, else the text; an empty body is null) (ours) |
| \`destination\` | optional: write the response at this path of the data instead of replacing the data (ours; Alumio's way is \`merger\`) |`;

export const httpTransformer: Prototype<TransformerParameters, "data-transformer"> = {
  type: "data-transformer",
  identifier: "http-transformer",
  name: "HTTP transformer",
  description: "Sends an HTTP request built from the data; the response replaces the data.",
  parameters: transformerParameters,
  documentation: `# HTTP transformer

Sends one request per piece of data through an HTTP client and returns the response body, parsed as
JSON, as the new data (the previous data is gone: wrap the transformer in a \`merger\` with a
template such as \`{"response": "&{@}"}\` to keep it). Error statuses fail the step unless the client's
error handling is switched off, in which case the error response's body becomes the data.

| parameter | meaning |
|---|---|
${COMMON_PARAMS}

${REQUEST_DOC}

Example (as exported):

\`\`\`json
{"prototype":"http-transformer","parameters":{"client":"spryker-backoffice-glue","request":{"uri":"/product-attributes/&{data.id}","method":"PATCH","payload":"&{@}","payloadType":"data","plugins":[],"authentications":[]}}}
\`\`\`

GET payloads become query parameters: \`{"uri":"&{endpoint}","payload":{"page":"&{index}","limit":"&{limit}","with_count":"true"}}\`
requests \`<endpoint>?page=1&limit=100&with_count=true\`.

Test cases use \`data:\` URIs, which the client answers locally (no network): the placeholder in the URI
is expanded against the input and the data URI's content is the response.`,
  tests: [
    {
      name: "the response replaces the data",
      parameters: { request: { uri: 'data:application/json,{"sku":"&{sku}","stock":5}', payload: [], payloadType: "data", plugins: [], authentications: [] } },
      input: { sku: "A1", name: "Chair" },
      output: { sku: "A1", stock: 5 },
    },
    {
      name: "destination keeps the data",
      parameters: { request: { uri: 'data:application/json,{"stock":5}' }, destination: "inventory" },
      input: { sku: "A1" },
      output: { sku: "A1", inventory: { stock: 5 } },
    },
  ],
  create: async (p, builder) => transformer(await prepare(p, builder, false)),
};

export const graphqlTransformer: Prototype<TransformerParameters, "data-transformer"> = {
  type: "data-transformer",
  identifier: "graphql-transformer",
  name: "GraphQL transformer",
  description: "Sends a GraphQL query or mutation with variables built from the data; the response replaces the data.",
  parameters: transformerParameters,
  documentation: `# GraphQL transformer

POSTs \`{"query": …, "variables": …}\` as JSON to a GraphQL endpoint and returns the parsed response
(\`{"data": …, "errors": …}\`) as the new data; wrap it in a \`merger\` to keep the entity
(templates read \`&{result.data.productCreate.product.id}\` after a merger with \`{"result":"&{@}"}\`).
Placeholders are expanded in every string of \`variables\` (a whole-string placeholder such as
\`"product": "&{product}"\` passes the object itself). The query text is sent as written.
GraphQL \`errors\` in a 200 answer do not fail the step [INF]; they are logged as a warning and stay in the data.

| parameter | meaning |
|---|---|
${COMMON_PARAMS}

The request object is the HTTP transformer's; \`method\` defaults to POST and \`payload\` is
\`{"query": "mutation …", "variables": {…}}\`.

Example (as exported):

\`\`\`json
{"prototype":"graphql-transformer","parameters":{"client":"shopify-client","request":{"uri":"/admin/api/2025-01/graphql.json","method":"POST","payload":{"query":"mutation productCreate($product: ProductCreateInput) { productCreate(product: $product) { product { id } userErrors { field message } } }","variables":{"product":"&{product}"}}}}}
\`\`\`

Test cases use \`data:\` URIs, answered locally (no network).`,
  tests: [
    {
      name: "returns the GraphQL answer",
      parameters: {
        request: {
          uri: 'data:application/json,{"data":{"collectionCreate":{"collection":{"id":"gid://shopify/Collection/1","title":"&{title}"}}}}',
          payload: { query: "mutation c($input: CollectionInput!) { collectionCreate(input: $input) { collection { id title } } }", variables: { input: { title: "&{title}" } } },
        },
      },
      input: { title: "Chairs" },
      output: { data: { collectionCreate: { collection: { id: "gid://shopify/Collection/1", title: "Chairs" } } } },
    },
  ],
  create: async (p, builder) => transformer(await prepare(p, builder, true)),
};

export const transformerPrototypes = [httpTransformer, graphqlTransformer] as Prototype[];
