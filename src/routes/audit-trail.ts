import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { exportAuditCsv, getAudit, listAudit } from "../domain/audit";
import type { AppEnv } from "../lib/env";
import { createRouter, defineRoute } from "../lib/openapi";
import { FilterQuery, json, listEnvelope, SpaceQuery } from "../schemas/common";

const AuditItem = z
  .object({
    identifier: z.string(),
    user: z.string(),
    spaceIdentifier: z.string(),
    action: z.string(),
    category: z.string(),
    ipAddress: z.string(),
    message: z.string(),
    request: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("AuditTrailItem");

const IdentifierParam = z.object({ identifier: z.string().openapi({ param: { name: "identifier", in: "path" } }) });
const ExportForm = z.object({ filter: z.string().optional() });
const csvFile = { description: "CSV file", content: { "text/csv": { schema: z.string() } } };
const exportBody = {
  required: false,
  content: { "application/x-www-form-urlencoded": { schema: ExportForm }, "multipart/form-data": { schema: ExportForm } },
};

const getCurrentSpaceAuditTrail = defineRoute("administrator", {
  method: "get",
  path: "/audit_trail/current_space",
  operationId: "getCurrentSpaceAuditTrail",
  tags: ["AuditTrail"],
  request: { query: FilterQuery.merge(SpaceQuery) },
  responses: { 200: json(listEnvelope(AuditItem)) },
});
const getCurrentSpaceAuditTrailItem = defineRoute("administrator", {
  method: "get",
  path: "/audit_trail/current_space/item/{identifier}",
  operationId: "getCurrentSpaceAuditTrailItem",
  tags: ["AuditTrail"],
  request: { query: SpaceQuery, params: IdentifierParam },
  responses: { 200: json(AuditItem) },
});
const exportCurrentSpaceAuditTrail = defineRoute(
  "administrator",
  {
    method: "post",
    path: "/audit_trail/current_space/export",
    operationId: "exportCurrentSpaceAuditTrail",
    tags: ["AuditTrail"],
    request: { query: SpaceQuery, body: exportBody },
    responses: { 200: csvFile },
  },
  { audit: false },
);
const exportAuditTrail = defineRoute(
  "system",
  {
    method: "post",
    path: "/audit_trail/export",
    operationId: "exportAuditTrail",
    tags: ["AuditTrail"],
    request: { body: exportBody },
    responses: { 200: csvFile },
  },
  { audit: false },
);
const getAuditTrailItem = defineRoute("system", {
  method: "get",
  path: "/audit_trail/item/{identifier}",
  operationId: "getAuditTrailItem",
  tags: ["Spaces"],
  request: { params: IdentifierParam },
  responses: { 200: json(AuditItem) },
});
const getAuditTrail = defineRoute("system", {
  method: "get",
  path: "/audit_trail",
  operationId: "getAuditTrail",
  tags: ["Spaces"],
  request: { query: FilterQuery },
  responses: { 200: json(listEnvelope(AuditItem)) },
});

async function csvAttachment(c: Context<AppEnv>, space: string | null) {
  const form = c.req.header("content-type") ? await c.req.parseBody() : {};
  const filter = typeof form.filter === "string" ? form.filter : undefined;
  const csv = await exportAuditCsv(c.var.db, filter, space);
  const name = `audit-trail-${space ?? "all-spaces"}-${new Date().toISOString().slice(0, 10)}.csv`;
  return c.body(csv, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });
}

export const auditTrailRouter = createRouter()
  .openapi(getCurrentSpaceAuditTrail, async (c) => c.json(await listAudit(c.var.db, c.req.valid("query").filter, c.var.space), 200))
  .openapi(getCurrentSpaceAuditTrailItem, async (c) => c.json(await getAudit(c.var.db, c.req.valid("param").identifier, c.var.space), 200))
  .openapi(exportCurrentSpaceAuditTrail, (c) => csvAttachment(c, c.var.space))
  .openapi(exportAuditTrail, (c) => csvAttachment(c, null))
  .openapi(getAuditTrailItem, async (c) => c.json(await getAudit(c.var.db, c.req.valid("param").identifier, null), 200))
  .openapi(getAuditTrail, async (c) => c.json(await listAudit(c.var.db, c.req.valid("query").filter, null), 200));
