import { describe, expect, it } from "vitest";
import { call, expectProblem, tokenFor } from "../helpers/api";

describe("AI endpoints", () => {
  it("answers a cron phrasing for a space user", async () => {
    const { token } = await tokenFor(["ROLE_USER"]);
    const res = await call("POST", "/ai/cron-expression", { token, body: { prompt: "weekdays at 8:15" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ expression: "15 8 * * 1-5", isValidExpression: true, errorMessage: "" });
  });

  it("answers an unknown cron phrasing with isValidExpression false", async () => {
    const res = await call("POST", "/ai/cron-expression", { body: { prompt: "whenever it rains" } });
    expect(res.status).toBe(200);
    expect(res.body.isValidExpression).toBe(false);
    expect(res.body.expression).toBe("");
    expect(res.body.errorMessage).toContain("Could not understand");
  });

  it("answers code and tester data with an errorMessage when no model is configured", async () => {
    const code = await call("POST", "/ai/javascript-code", { body: { prompt: "sum all prices" } });
    expect(code.status).toBe(200);
    expect(code.body).toEqual({ code: "", errorMessage: expect.stringMatching(/^No AI model is configured/) });
    const data = await call("POST", "/ai/transformer-tester-data", { body: { prompt: "a product" } });
    expect(data.status).toBe(200);
    expect(data.body).toEqual({ json_result: "", errorMessage: expect.stringMatching(/^No AI model is configured/) });
  });

  it.each([
    ["/ai/javascript-code", 3000],
    ["/ai/transformer-tester-data", 500],
    ["/ai/cron-expression", 255],
  ])("refuses a prompt longer than the limit on %s", async (path, max) => {
    expect((await call("POST", path, { body: { prompt: "x".repeat(max) } })).status).toBe(200);
    const problem = expectProblem(await call("POST", path, { body: { prompt: "x".repeat(max + 1) } }), 400);
    expect(problem.violations.map((v) => v.propertyPath)).toEqual(["prompt"]);
  });

  it("refuses a missing prompt with a violation at prompt", async () => {
    const problem = expectProblem(await call("POST", "/ai/cron-expression", { body: {} }), 400);
    expect(problem.violations[0].propertyPath).toBe("prompt");
  });

  it("needs a token", async () => {
    for (const path of ["/ai/javascript-code", "/ai/transformer-tester-data", "/ai/cron-expression"]) {
      expectProblem(await call("POST", path, { token: null, body: { prompt: "every minute" } }), 401);
    }
  });

  it("is in the OpenAPI document under the AI tag", async () => {
    const res = await call("GET", "/api/v1/schema.json", { token: null });
    expect(res.status).toBe(200);
    const operations = Object.values(res.body.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>).flatMap((p) => Object.values(p));
    const ai = operations.filter((o) => o.tags?.includes("AI")).map((o) => o.operationId).sort();
    expect(ai).toEqual(["generateCronExpression", "generateJavaScriptCode", "generateTransformerTesterData"]);
  });
});
