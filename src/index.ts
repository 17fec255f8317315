import { createApp } from "./app";

export { SpaceCoordinator } from "./durable/space-coordinator";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch) {
    // The job pipeline consumes here; until it lands, acknowledge nothing so no message is lost.
    for (const message of batch.messages) message.retry();
  },
  async scheduled() {
    // Scheduler entries are evaluated here once the pipeline lands.
  },
} satisfies ExportedHandler<Env>;
