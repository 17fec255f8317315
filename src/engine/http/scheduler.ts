/**
 * Scheduler jobs (DI type `scheduler-job`): what a `scheduler-entry` does when its cron expression is
 * due. Each job turns into queue commands (`incoming:run`, `route:run`) that the queue consumer runs.
 */
import { z } from "zod";
import type { Prototype, RunContext, SchedulerJob } from "../types";

const commandsTest = async (job: SchedulerJob, _input: unknown, _run: RunContext) => job.commands();

const runIncomingParameters = z.looseObject({ incoming: z.string().min(1) });

export const runIncoming: Prototype<z.infer<typeof runIncomingParameters>, "scheduler-job"> = {
  type: "scheduler-job",
  identifier: "run-incoming",
  name: "Run incoming",
  description: "Runs an incoming configuration: subscriber, transformers, and a task per route that uses it.",
  parameters: runIncomingParameters,
  documentation: `# Run incoming

Runs the incoming configuration \`incoming\`: its subscriber fetches the entities, its transformers
run per entity, and every route that uses the incoming gets a task per entity (an incoming used by no
route only runs its transformers, e.g. to fill storages).

| parameter | meaning |
|---|---|
| \`incoming\` | identifier of an \`incoming-configuration\` |

Queue command: \`{"command": "incoming:run", "arguments": {"incoming": "<id>"}}\`. Jobs of one scheduler
entry run in list order.

Example (as exported): \`{"prototype":"run-incoming","parameters":{"incoming":"akeneo-fetch-categories"}}\`

Test case: the input is ignored; the output is the list of queue commands.`,
  tests: [
    {
      name: "one incoming:run command",
      parameters: { incoming: "akeneo-fetch-categories" },
      input: null,
      output: [{ command: "incoming:run", arguments: { incoming: "akeneo-fetch-categories" } }],
    },
  ],
  create: (p) => ({ commands: () => [{ command: "incoming:run", arguments: { incoming: p.incoming } }] }),
  runTest: commandsTest,
};

export const DEFAULT_NUM_TASKS = 100;

/** "Number of tasks to export": a positive integer; a cleared field (`""`, null) means the default. */
const numTasksSchema = z
  .union([z.literal(""), z.null(), z.coerce.number().int().positive()])
  .optional()
  .transform((v) => (v === "" || v === null ? undefined : v));

const runOutgoingParameters = z.looseObject({ route: z.string().min(1), numTasks: numTasksSchema });

export const runOutgoing: Prototype<z.infer<typeof runOutgoingParameters>, "scheduler-job"> = {
  type: "scheduler-job",
  identifier: "run-outgoing",
  name: "Run outgoing",
  description: "Processes the oldest new tasks of a route through its outgoing configuration.",
  parameters: runOutgoingParameters,
  documentation: `# Run outgoing

Processes up to \`numTasks\` tasks with status *new* of the route \`route\`, oldest first, through the
route's outgoing configuration (transformers, then publisher).

| parameter | meaning |
|---|---|
| \`route\` | identifier of a \`route-configuration\` |
| \`numTasks\` | "Number of tasks to export" per run; absent, \`""\` or null: ${DEFAULT_NUM_TASKS} [INF] (one export omits it) |

Queue command: \`{"command": "route:run", "arguments": {"route": "<id>", "numTasks": N}}\`.

Example (as exported): \`{"prototype":"run-outgoing","parameters":{"route":"akeneo-synchronize-products-to-spryker","numTasks":10}}\`

Test case: the input is ignored; the output is the list of queue commands.`,
  tests: [
    {
      name: "one route:run command",
      parameters: { route: "akeneo-synchronize-products-to-spryker", numTasks: 10 },
      input: null,
      output: [{ command: "route:run", arguments: { route: "akeneo-synchronize-products-to-spryker", numTasks: 10 } }],
    },
    {
      name: "numTasks defaults",
      parameters: { route: "synchronize-categories" },
      input: null,
      output: [{ command: "route:run", arguments: { route: "synchronize-categories", numTasks: DEFAULT_NUM_TASKS } }],
    },
  ],
  create: (p) => ({ commands: () => [{ command: "route:run", arguments: { route: p.route, numTasks: p.numTasks ?? DEFAULT_NUM_TASKS } }] }),
  runTest: commandsTest,
};

export const schedulerPrototypes = [runIncoming, runOutgoing] as Prototype[];
