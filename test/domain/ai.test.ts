import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import {
  cronFromText,
  generateCronExpression,
  generateJavaScriptCode,
  generateTransformerTesterData,
  NO_MODEL_MESSAGE,
  type TextModel,
  validateCron,
} from "../../src/domain/ai";

const PHRASINGS: [string, string][] = [
  ["every minute", "* * * * *"],
  ["every 5 minutes", "*/5 * * * *"],
  ["Every five minutes", "*/5 * * * *"],
  ["every 15 minutes", "*/15 * * * *"],
  ["every quarter hour", "*/15 * * * *"],
  ["every half hour", "*/30 * * * *"],
  ["every 60 minutes", "0 * * * *"],
  ["every hour", "0 * * * *"],
  ["hourly", "0 * * * *"],
  ["every 2 hours", "0 */2 * * *"],
  ["every other hour", "0 */2 * * *"],
  ["every hour at minute 15", "15 * * * *"],
  ["30 minutes past every hour", "30 * * * *"],
  ["every day at 02:30", "30 2 * * *"],
  ["daily at 2:30 am", "30 2 * * *"],
  ["daily at midnight", "0 0 * * *"],
  ["daily", "0 0 * * *"],
  ["every day at 5pm", "0 17 * * *"],
  ["at 14:45 every day", "45 14 * * *"],
  ["every monday at 9am", "0 9 * * 1"],
  ["every Monday at 9 a.m.", "0 9 * * 1"],
  ["weekdays at 8:15", "15 8 * * 1-5"],
  ["every weekday at 8:15", "15 8 * * 1-5"],
  ["monday to friday at 7:00", "0 7 * * 1-5"],
  ["every weekend at 10am", "0 10 * * 0,6"],
  ["mondays and thursdays at 10:30", "30 10 * * 1,4"],
  ["every sunday at noon", "0 12 * * 0"],
  ["every friday", "0 0 * * 5"],
  ["weekly", "0 0 * * 0"],
  ["weekly on friday at 5pm", "0 17 * * 5"],
  ["on the 1st of every month at midnight", "0 0 1 * *"],
  ["monthly", "0 0 1 * *"],
  ["on the 15th of each month at 6pm", "0 18 15 * *"],
  ["last day of the month at 23:00", "0 23 L * *"],
  ["every 3 months", "0 0 1 */3 *"],
  ["yearly", "0 0 1 1 *"],
  ["every january 1st at 00:00", "0 0 1 1 *"],
  ["on the 24th of december at 18:00", "0 18 24 12 *"],
  ["twice a day", "0 0,12 * * *"],
  ["three times a day", "0 0,8,16 * * *"],
  ["at 6am and 6pm", "0 6,18 * * *"],
  ["every other day at 3am", "0 3 */2 * *"],
  ["every 15 minutes between 9am and 5pm on weekdays", "*/15 9-17 * * 1-5"],
  ["every 10 minutes during business hours", "*/10 9-17 * * *"],
  ["hourly between 8 and 18", "0 8-18 * * *"],
  ["every hour on weekdays", "0 * * * 1-5"],
  ["every night at 11", "0 23 * * *"],
  ["every morning at 6", "0 6 * * *"],
  ["Run every 30 minutes.", "*/30 * * * *"],
  // "in <month>" narrows the month; only "every <month>" (yearly) means its first day.
  ["every minute in january", "* * * 1 *"],
  ["every 5 minutes in december", "*/5 * * 12 *"],
  ["every monday in january at 9am", "0 9 * 1 1"],
  ["every day in march at 6:00", "0 6 * 3 *"],
  ["every january", "0 0 1 1 *"],
  ["every 5 hours between 9am and 5pm", "0 9-17/5 * * *"],
];

describe("cronFromText", () => {
  it.each(PHRASINGS)("%s -> %s", (phrase, expected) => {
    const result = cronFromText(phrase);
    expect(result).toEqual({ ok: true, expression: expected });
    expect(() => new Cron(expected, { paused: true })).not.toThrow();
  });

  it.each([
    ["whenever the moon is full"],
    ["every 90 minutes"],
    ["every 30 seconds"],
    ["at 9:30 and 17:00"],
    ["banana"],
    ["every fortnight on tuesday"],
    ["on the 1st of the month on mondays"],
    // A step repeats within its field: */45 runs at :00 and :45, */5 hours at 0,5,...,20 then 0.
    ["every 45 minutes"],
    ["every 25 minutes"],
    ["every 5 hours"],
    ["every 7 hours starting at 1am"],
  ])("refuses %s with a reason", (phrase) => {
    const result = cronFromText(phrase);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeGreaterThan(10);
  });
});

describe("generateCronExpression without a model", () => {
  it("answers a known phrasing", async () => {
    expect(await generateCronExpression(undefined, "every 5 minutes")).toEqual({ expression: "*/5 * * * *", isValidExpression: true, errorMessage: "" });
  });

  it("passes a valid expression through", async () => {
    expect(await generateCronExpression(undefined, " 0  3 * * 1 ")).toEqual({ expression: "0 3 * * 1", isValidExpression: true, errorMessage: "" });
  });

  it("says so for an unknown phrasing", async () => {
    const answer = await generateCronExpression(undefined, "whenever the moon is full");
    expect(answer.isValidExpression).toBe(false);
    expect(answer.expression).toBe("");
    expect(answer.errorMessage).toContain("Could not understand");
    expect(answer.errorMessage).toContain("No AI model is configured");
  });
});

describe("validateCron", () => {
  it("accepts 5 valid fields only", () => {
    expect(validateCron("*/5 * * * *").ok).toBe(true);
    expect(validateCron("0 0 * * * *").ok).toBe(false);
    expect(validateCron("61 * * * *").ok).toBe(false);
  });
});

describe("code and tester data without a model", () => {
  it("return an empty result and a clear errorMessage", async () => {
    expect(await generateJavaScriptCode(undefined, "sum the prices")).toEqual({ code: "", errorMessage: NO_MODEL_MESSAGE });
    expect(await generateTransformerTesterData(undefined, "a product")).toEqual({ json_result: "", errorMessage: NO_MODEL_MESSAGE });
    expect(NO_MODEL_MESSAGE).toMatch(/^No AI model is configured/);
  });
});

/** A stand-in for the Workers AI binding that answers from a list and records the prompts. */
function fakeModel(answers: unknown[]): TextModel & { calls: { model: string; inputs: any }[] } {
  const calls: { model: string; inputs: any }[] = [];
  return {
    calls,
    async run(model: string, inputs: any) {
      calls.push({ model, inputs: structuredClone(inputs) });
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe("with a model", () => {
  it("returns code that compiles, taken out of a fenced block", async () => {
    const ai = fakeModel([{ response: "Here you go:\n```javascript\nconst skus = data.items.map((i) => i.sku);\nreturn { ...data, skus };\n```" }]);
    const answer = await generateJavaScriptCode(ai, "collect skus");
    expect(answer).toEqual({ code: "const skus = data.items.map((i) => i.sku);\nreturn { ...data, skus };", errorMessage: "" });
    expect(ai.calls[0].inputs.messages.at(-1)).toEqual({ role: "user", content: "collect skus" });
  });

  it("retries once when the code does not compile, then reports the compile error", async () => {
    const retried = fakeModel([{ response: "return data +;" }, { response: "return data;" }]);
    expect(await generateJavaScriptCode(retried, "x")).toEqual({ code: "return data;", errorMessage: "" });
    expect(retried.calls[1].inputs.messages.at(-1).content).toMatch(/does not compile: line 1: SyntaxError/);
    const broken = fakeModel([{ response: "return data +;" }, { response: "const = ;" }]);
    const answer = await generateJavaScriptCode(broken, "x");
    expect(answer.code).toBe("");
    expect(answer.errorMessage).toMatch(/does not compile: line 1: SyntaxError/);
  });

  it("returns tester data only when it is JSON", async () => {
    expect(await generateTransformerTesterData(fakeModel([{ response: '```json\n{"sku":"A","price":9.5}\n```' }]), "product")).toEqual({
      json_result: JSON.stringify({ sku: "A", price: 9.5 }, null, 2),
      errorMessage: "",
    });
    const bad = await generateTransformerTesterData(fakeModel([{ response: "{sku: A}" }, { response: "not json" }]), "product");
    expect(bad.json_result).toBe("");
    expect(bad.errorMessage).toContain("not JSON");
  });

  it("validates the model's cron answer and falls back to the parser when it is wrong", async () => {
    expect(await generateCronExpression(fakeModel([{ response: "0 9 * * 1" }]), "mondays at nine in the morning")).toEqual({
      expression: "0 9 * * 1",
      isValidExpression: true,
      errorMessage: "",
    });
    expect(await generateCronExpression(fakeModel([{ response: "0 0 * * * *" }, { response: "nope" }]), "every 5 minutes")).toEqual({
      expression: "*/5 * * * *",
      isValidExpression: true,
      errorMessage: "",
    });
    const refused = await generateCronExpression(fakeModel([{ response: "ERROR: cannot be expressed" }, { response: "ERROR: still not" }]), "on full moons");
    expect(refused).toEqual({ expression: "", isValidExpression: false, errorMessage: "still not" });
  });

  it("reports an unreachable model", async () => {
    const answer = await generateJavaScriptCode(fakeModel([new Error("network down")]), "x");
    expect(answer).toEqual({ code: "", errorMessage: "The AI model could not be reached: network down" });
  });
});
