/**
 * Publishers (DI type `publisher`): the last step of an outgoing configuration.
 * `no-action-publisher` and `http-publisher`.
 */
import { z } from "zod";
import type { Prototype, Publisher, RunContext } from "../types";
import { recordingRun } from "./cases";
import { resolveClient } from "./client";
import { clientSchema, prepareClient, prepareRequest, renderRequest, REQUEST_DOC, requestSchema } from "./request";

const noParameters = z.looseObject({});

export const noActionPublisher: Prototype<object, "publisher"> = {
  type: "publisher",
  identifier: "no-action-publisher",
  name: "No action publisher",
  description: "Does nothing: the outgoing's transformers did all the work.",
  parameters: noParameters,
  documentation: `# No action publisher

Publishes nothing. Outgoing configurations that send their data from transformers (HTTP and GraphQL
transformers) end with it; the task finishes when the transformers succeed. No parameters
(exports write \`[]\`).

Test case: publishing resolves without output (\`null\`).`,
  tests: [{ name: "does nothing", parameters: [], input: { sku: "A1" }, output: null }],
  create: () => ({ publish: async () => {} }),
  runTest: async (publisher: Publisher, input: unknown, run: RunContext) => {
    await publisher.publish({ data: input }, run);
    return null;
  },
};

const httpPublisherParameters = z.looseObject({
  client: clientSchema,
  request: requestSchema.extend({ uri: z.string(), payload: z.unknown().optional().default("&{@}") }),
});

export const httpPublisher: Prototype<z.infer<typeof httpPublisherParameters>, "publisher"> = {
  type: "publisher",
  identifier: "http-publisher",
  name: "HTTP publisher",
  description: "Sends each task's entity to an HTTP endpoint.",
  parameters: httpPublisherParameters,
  documentation: `# HTTP publisher

Sends one request per task, built with placeholders against the entity data. The task finishes when
the response is not an error status (see the client's \`enableErrorHandling\`) and fails otherwise.
The response is not kept.

| parameter | meaning |
|---|---|
| \`client\` | \`http-client\` configuration identifier or inline client; absent: the \`default\` client |
| \`request\` | the request object, below; \`payload\` defaults to \`&{@}\` (the whole entity) and \`method\` to POST [INF] |

${REQUEST_DOC}

Example: \`{"prototype":"http-publisher","parameters":{"client":"shop","request":{"uri":"products","method":"post","payload":"&{@}"}}}\`

Test case: runs without network (every request is answered 200); the output is the request as sent
\`{method, url, headers, body}\`.`,
  tests: [
    {
      name: "PUTs the entity",
      parameters: { request: { uri: "https://api.example.com/orders/&{id}", method: "put" } },
      input: { id: 7, status: "shipped" },
      output: { method: "PUT", url: "https://api.example.com/orders/7", headers: { "content-type": "application/json" }, body: { id: 7, status: "shipped" } },
    },
  ],
  async create(p, builder) {
    const client = await prepareClient(p.client, builder);
    const request = await prepareRequest(p.request, builder);
    return {
      async publish(entity, run) {
        const resolved = await resolveClient(client, run);
        const spec = await renderRequest(request, entity.data, run, {}, "POST");
        await resolved.request(spec, run);
      },
    };
  },
  runTest: async (publisher: Publisher, input: unknown, run: RunContext) => {
    const recording = recordingRun(run);
    await publisher.publish({ data: input }, recording.run);
    return recording.sent.at(-1) ?? null;
  },
};

export const publisherPrototypes = [noActionPublisher, httpPublisher] as Prototype[];
