import { createApp } from "./app";
import { createDb } from "./db/client";
import { pruneExpiredStorages } from "./domain/storages";

export { SpaceCoordinator } from "./durable/space-coordinator";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch) {
    // The job pipeline consumes here; until it lands, acknowledge nothing so no message is lost.
    for (const message of batch.messages) message.retry();
  },
  async scheduled(controller, env, ctx) {
    // Storage TTLs are enforced once an hour: pruning scans every storage that has one.
    if (new Date(controller.scheduledTime).getUTCMinutes() === 0) {
      ctx.waitUntil(
        pruneExpiredStorages(createDb(env.DB), env.FILES, controller.scheduledTime).then((report) => {
          for (const { space, count, error } of report) {
            if (error) console.error(`storage prune in space '${space}' failed: ${error}`);
            else if (count > 0) console.log(`storage prune in space '${space}': ${count} expired entities removed`);
          }
        }),
      );
    }
    // Scheduler entries are evaluated here once the pipeline lands.
  },
} satisfies ExportedHandler<Env>;
