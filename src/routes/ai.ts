import { z } from "@hono/zod-openapi";
import { generateCronExpression, generateJavaScriptCode, generateTransformerTesterData } from "../domain/ai";
import { createRouter, defineRoute } from "../lib/openapi";
import { json, jsonBody, SpaceQuery } from "../schemas/common";

const prompt = (max: number, example: string) => z.object({ prompt: z.string().min(1).max(max).openapi({ example }) });

const JavaScriptCodePrompt = prompt(3000, "Collect the sku of every item in data.items into a list called skus and return data with it.").openapi(
  "GenerateJavaScriptCode",
);
const TesterDataPrompt = prompt(500, "A Magento 2 product with two configurable variants").openapi("GenerateTransformerTesterData");
const CronPrompt = prompt(255, "every weekday at 8:15").openapi("GenerateCronExpression");

const NO_MODEL = "Empty when it worked; otherwise why nothing was generated (also when no AI model is configured).";

const JavaScriptCodeAnswer = z
  .object({
    code: z.string().openapi({ description: "JavaScript for the code transformer (the body of function (data) { ... }); it compiles. Empty on failure." }),
    errorMessage: z.string().openapi({ description: NO_MODEL }),
  })
  .openapi("JavaScriptCodeAnswer");
const TesterDataAnswer = z
  .object({
    json_result: z.string().openapi({ description: "Example input as JSON text; it parses. Empty on failure." }),
    errorMessage: z.string().openapi({ description: NO_MODEL }),
  })
  .openapi("TransformerTesterDataAnswer");
const CronAnswer = z
  .object({
    expression: z.string().openapi({ example: "15 8 * * 1-5", description: "A 5-field cron expression. Empty on failure." }),
    isValidExpression: z.boolean(),
    errorMessage: z.string().openapi({ description: "Empty when the expression is valid; otherwise why none could be made." }),
  })
  .openapi("CronExpressionAnswer");

const generateJavaScriptCodeRoute = defineRoute(
  "user",
  {
    method: "post",
    path: "/ai/javascript-code",
    operationId: "generateJavaScriptCode",
    tags: ["AI"],
    summary: "Generate JavaScript for the code transformer from a prompt",
    description:
      "Needs a Workers AI binding (`AI`). The generated code is compiled in the code transformer's sandbox before it is returned. Without a model configured, `code` is empty and `errorMessage` says so.",
    request: { query: SpaceQuery, body: jsonBody(JavaScriptCodePrompt) },
    responses: { 200: json(JavaScriptCodeAnswer) },
  },
  { audit: false },
);

const generateTransformerTesterDataRoute = defineRoute(
  "user",
  {
    method: "post",
    path: "/ai/transformer-tester-data",
    operationId: "generateTransformerTesterData",
    tags: ["AI"],
    summary: "Generate example input for the transformer tester from a prompt",
    description: "Needs a Workers AI binding (`AI`); the answer is checked to be JSON. Without a model configured, `json_result` is empty and `errorMessage` says so.",
    request: { query: SpaceQuery, body: jsonBody(TesterDataPrompt) },
    responses: { 200: json(TesterDataAnswer) },
  },
  { audit: false },
);

const generateCronExpressionRoute = defineRoute(
  "user",
  {
    method: "post",
    path: "/ai/cron-expression",
    operationId: "generateCronExpression",
    tags: ["AI"],
    summary: "Generate a cron expression from a natural-language schedule",
    description:
      'With a Workers AI binding (`AI`) a model translates the prompt; the expression is validated (5 fields, parsed by croner). Without one, a deterministic parser understands common phrasings: "every 5 minutes", "hourly", "every day at 02:30", "weekdays at 8:15", "every monday at 9am", "on the 1st of every month at midnight", "twice a day", "every 15 minutes between 9am and 5pm on weekdays", ...',
    request: { query: SpaceQuery, body: jsonBody(CronPrompt) },
    responses: { 200: json(CronAnswer) },
  },
  { audit: false },
);

export const aiRouter = createRouter()
  .openapi(generateJavaScriptCodeRoute, async (c) => c.json(await generateJavaScriptCode(c.env.AI, c.req.valid("json").prompt), 200))
  .openapi(generateTransformerTesterDataRoute, async (c) => c.json(await generateTransformerTesterData(c.env.AI, c.req.valid("json").prompt), 200))
  .openapi(generateCronExpressionRoute, async (c) => c.json(await generateCronExpression(c.env.AI, c.req.valid("json").prompt), 200));
