import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/app";
import { call, expectProblem } from "./helpers/api";

describe("error shape for every failure", () => {
  it("unknown routes: 404 problem+json", async () => {
    const res = await call("GET", "/no/such/route");
    expect(expectProblem(res, 404).detail).toContain("/api/v1/no/such/route");
  });

  it("malformed JSON: 400 with a violation", async () => {
    const res = await call("POST", "/tokens", { rawBody: "{name:", contentType: "application/json" });
    const body = expectProblem(res, 400);
    expect(body.detail).toMatch(/JSON/);
    expect(body.violations).toHaveLength(1);
  });

  it("zod issues become one violation each, with propertyPath", async () => {
    const res = await call("POST", "/users/me/table-filters", { body: { tableKey: "", name: 5, filter: [] } });
    const body = expectProblem(res, 400);
    expect(body.violations.map((v) => v.propertyPath).sort()).toEqual(["filter", "name", "tableKey"]);
    for (const v of body.violations) expect(v.title).toBeTruthy();
  });

  it("refuses a body over the limit with 413", async () => {
    const res = await call("POST", "/tokens", { rawBody: "x".repeat(MAX_BODY_BYTES + 1), contentType: "application/json" });
    expectProblem(res, 413);
  });

  it("missing or wrong credentials: 401 in the same shape", async () => {
    expectProblem(await call("GET", "/users/me", { token: null }), 401);
  });
});
