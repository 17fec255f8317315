import { eq } from "drizzle-orm";
import pkg from "../../package.json";
import type { Database } from "../db/client";
import { settings, spaces } from "../db/schema";
import { nowIso } from "../lib/time";

/** Links an integration engineer configures elsewhere, all derived from the request's origin. */
export function serverUrls(origin: string) {
  return {
    apiUrl: `${origin}/api/v1`,
    oauth2RedirectUrl: `${origin}/api/v1/oauth/callback`,
    oauth1CallbackUrl: `${origin}/api/v1/oauth1/callback`,
    openApiSchema: `${origin}/api/v1/schema.json`,
    webHookUrl: `${origin}/api/v1/webhook`,
    httpProxyUrl: `${origin}/api/v1/http-proxy`,
    swaggerDocsUrl: `${origin}/docs`,
  };
}

export const VERSION = pkg.version;
export const EDITION = "open source";

export function subscription(origin: string, environmentId: string, outboundIp: string) {
  const urls = serverUrls(origin);
  return {
    environmentId,
    subscriptionId: "open-source",
    queueEnabled: true,
    edition: EDITION,
    version: VERSION,
    lastUpdate: "",
    ipAddress: outboundIp,
    oauth2RedirectUrl: urls.oauth2RedirectUrl,
    oauth1CallbackUrl: urls.oauth1CallbackUrl,
    openApiSchema: urls.openApiSchema,
    webHookUrl: urls.webHookUrl,
    httpProxyUrl: urls.httpProxyUrl,
    swaggerDocsUrl: urls.swaggerDocsUrl,
    supportEmail: "",
    supportPortal: "",
    slaUrl: "",
    environments: [] as Record<string, unknown>[],
  };
}

/** Real usage: D1 reports the database size with every query; R2 is summed object by object. */
export async function environmentInfo(db: Database, d1: D1Database, files: R2Bucket, space: string) {
  const [row] = await db.select({ workers: spaces.workers }).from(spaces).where(eq(spaces.identifier, space));
  const probe = await d1.prepare("select 1").run();
  let filesystemSizeBytes = 0;
  let cursor: string | undefined;
  do {
    const page = await files.list({ cursor, limit: 1000 });
    for (const object of page.objects) filesystemSizeBytes += object.size;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return {
    dataEngines: { memoryLimitMegaBytes: 128, numberOfWorkers: row?.workers ?? 0 },
    usage: { filesystemSizeBytes, databaseSizeBytes: probe.meta.size_after ?? 0 },
  };
}

export type UpdateCycle = "latest" | "lts";

export async function setUpdateCycle(db: Database, updateCycle: UpdateCycle) {
  const now = nowIso();
  await db
    .insert(settings)
    .values({ key: "updateCycle", value: updateCycle, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: updateCycle, updatedAt: now } });
  return { updateCycle };
}
