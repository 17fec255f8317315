import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { compileFilter, findPage, MAX_LIMIT } from "../../src/db/filter";
import { auditTrail } from "../../src/db/schema";
import { AUDIT_FIELDS } from "../../src/domain/audit";
import { ApiError } from "../../src/lib/errors";
import { call, expectProblem, unique } from "../helpers/api";

function violationsOf(raw: string) {
  try {
    compileFilter(raw, AUDIT_FIELDS);
  } catch (error) {
    if (error instanceof ApiError) return error.violations.map((v) => v.propertyPath);
    throw error;
  }
  return [];
}

describe("filter grammar", () => {
  it("compiles every operator and the defaults", () => {
    const f = compileFilter(
      JSON.stringify({
        where: {
          user: "a@b.c",
          action: { neq: "x", inq: ["a", "b"], nin: ["c"], like: "create%", nlike: "%Token" },
          createdAt: { gt: "2020", gte: "2020", lt: "2030", lte: "2030", between: ["2020", "2030"] },
          or: [{ category: "Users" }, { and: [{ category: "Tokens" }, { message: { eq: null } }] }],
        },
        order: ["createdAt desc", "identifier"],
        limit: 10,
        skip: 5,
      }),
      AUDIT_FIELDS,
    );
    expect(f.limit).toBe(10);
    expect(f.offset).toBe(5);
    expect(f.where).toBeDefined();
    expect(compileFilter(undefined, AUDIT_FIELDS).limit).toBe(50);
  });

  it("names every problem: unknown field, operator or key, bad values, too large a limit, malformed JSON", () => {
    expect(violationsOf('{"where":{"password":"x"}}')).toEqual(["filter.where.password"]);
    expect(violationsOf('{"where":{"user":{"regexp":".*"}}}')).toEqual(["filter.where.user.regexp"]);
    expect(violationsOf('{"where":{"user":{"inq":[]}}}')).toEqual(["filter.where.user.inq"]);
    expect(violationsOf('{"where":{"user":{"between":[1]}}}')).toEqual(["filter.where.user.between"]);
    expect(violationsOf('{"where":{"user":{"like":5}}}')).toEqual(["filter.where.user.like"]);
    expect(violationsOf('{"where":{"user":{"eq":{"$ne":1}}}}')).toEqual(["filter.where.user.eq"]);
    expect(violationsOf(`{"limit":${MAX_LIMIT + 1}}`)).toEqual(["filter.limit"]);
    expect(violationsOf('{"limit":-1,"skip":"x"}')).toEqual(["filter.limit", "filter.skip"]);
    expect(violationsOf('{"order":"createdAt; drop table users"}')).toEqual(["filter.order"]);
    expect(violationsOf('{"order":"secret desc"}')).toEqual(["filter.order"]);
    expect(violationsOf('{"fields":["x"]}')).toEqual(["filter.fields"]);
    expect(violationsOf("{not json")).toEqual(["filter"]);
    expect(violationsOf("[1]")).toEqual(["filter"]);
  });

  it("binds values as parameters: injection through values is inert", async () => {
    const db = createDb(env.DB);
    const before = await db.$count(auditTrail);
    const f = compileFilter(JSON.stringify({ where: { user: "x' OR '1'='1", message: { like: "%'; DELETE FROM audit_trail; --" } } }), AUDIT_FIELDS);
    const page = await findPage(db, auditTrail, f);
    expect(page.rows).toEqual([]);
    expect(await db.$count(auditTrail)).toBeGreaterThanOrEqual(before);
  });

  it("through the API: a 400 with the violation, and the list unchanged", async () => {
    const res = await call("GET", "/audit_trail", { query: { filter: '{"where":{"user) OR 1=1 --":"x"}}' } });
    expect(expectProblem(res, 400).violations[0].propertyPath).toBe("filter.where.user) OR 1=1 --");
    const id = unique("q");
    const ok = await call("GET", "/audit_trail", { query: { filter: JSON.stringify({ where: { user: `${id}' OR 1=1 --` } }) } });
    expect(ok.body).toEqual({ metadata: { totalCount: 0 }, results: [] });
  });

  it("pages with limit and skip, totalCount counts every match", async () => {
    for (let i = 0; i < 4; i++) await call("POST", "/users/me/table-filters", { body: { tableKey: "t", name: `f${i}`, filter: {} } });
    const filter = (skip: number) => JSON.stringify({ order: "createdAt desc", limit: 2, skip });
    const first = await call("GET", "/audit_trail", { query: { filter: filter(0) } });
    const second = await call("GET", "/audit_trail", { query: { filter: filter(2) } });
    expect(first.body.results).toHaveLength(2);
    expect(first.body.metadata.totalCount).toBeGreaterThanOrEqual(4);
    expect(second.body.results[0].identifier).not.toBe(first.body.results[0].identifier);
  });
});
