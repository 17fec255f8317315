/**
 * The three AI helpers (`/ai/javascript-code`, `/ai/transformer-tester-data`, `/ai/cron-expression`).
 *
 * With a Workers AI binding they prompt a text model and validate its answer before returning it:
 * code must compile in the same QuickJS sandbox the code transformer runs it in, JSON must parse,
 * a cron expression must be five fields that croner accepts. An answer that fails validation is
 * retried once with the error, then reported in `errorMessage`.
 *
 * Without the binding nothing pretends to be AI: the cron helper answers common English phrasings
 * with a deterministic parser (`cronFromText`), the other two return an empty result and an
 * `errorMessage` that says no model is configured.
 */
import { Cron } from "croner";
import { compileCheck } from "../engine/code/sandbox";

/** The part of the Workers AI binding used here (text generation with chat messages). */
export interface TextModel {
  run(model: any, inputs: any, options?: any): Promise<unknown>;
}

export const DEFAULT_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

export const NO_MODEL_MESSAGE =
  "No AI model is configured for this installation (the Workers AI binding `AI` is not bound), so nothing can be generated.";

export interface CodeAnswer {
  code: string;
  errorMessage: string;
}
export interface TesterDataAnswer {
  json_result: string;
  errorMessage: string;
}
export interface CronAnswer {
  expression: string;
  isValidExpression: boolean;
  errorMessage: string;
}

interface Message {
  role: "system" | "user" | "assistant";
  content: string;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The text of a Workers AI text-generation answer (`{response}`; some models answer with an object). */
function responseText(output: unknown): string {
  if (typeof output === "string") return output;
  if (output && typeof output === "object" && "response" in output) {
    const response = (output as { response: unknown }).response;
    if (typeof response === "string") return response;
    if (response !== undefined && response !== null) return JSON.stringify(response);
  }
  return "";
}

/** The content of the first fenced block (```js ... ```), else the whole text. */
function unfence(text: string): string {
  const fenced = /```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)```/.exec(text);
  return (fenced ? fenced[1] : text).trim();
}

/**
 * Prompts the model, validates, and retries once with the validation error. Returns the validated
 * value or the last error.
 */
async function generate<T>(
  ai: TextModel,
  model: string,
  system: string,
  prompt: string,
  validate: (text: string) => Promise<{ ok: true; value: T } | { ok: false; error: string }>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const messages: Message[] = [
    { role: "system", content: system },
    { role: "user", content: prompt },
  ];
  let last: { ok: false; error: string } = { ok: false, error: "The model gave no answer." };
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      text = responseText(await ai.run(model, { messages, max_tokens: 2048, temperature: 0.2 }));
    } catch (error) {
      return { ok: false, error: `The AI model could not be reached: ${errorText(error)}` };
    }
    if (!text.trim()) {
      last = { ok: false, error: "The model gave an empty answer." };
      continue;
    }
    const checked = await validate(text);
    if (checked.ok) return checked;
    last = checked;
    messages.push({ role: "assistant", content: text }, { role: "user", content: `That answer is not valid: ${checked.error}. Answer again, following the rules exactly.` });
  }
  return last;
}

// ---- JavaScript code --------------------------------------------------------------------------

const CODE_SYSTEM = `You write JavaScript for the "JavaScript code transformer" of an integration platform.
The code is the body of a function: the input is in the variable \`data\` (parsed JSON) and the code must \`return\` the new value (JSON-serialisable).
Rules: plain ECMAScript 2023 only (Map, Set, arrow functions, destructuring are fine); no imports, no require, no fetch or any I/O, no timers, no console output needed; finish with a return statement.
Answer with the code only, in one \`\`\`javascript fenced block, without explanations.`;

export async function generateJavaScriptCode(ai: TextModel | undefined, prompt: string, model = DEFAULT_MODEL): Promise<CodeAnswer> {
  if (!ai) return { code: "", errorMessage: NO_MODEL_MESSAGE };
  const result = await generate(ai, model, CODE_SYSTEM, prompt, async (text) => {
    const code = unfence(text);
    if (!code) return { ok: false, error: "no code in the answer" };
    const compiled = await compileCheck(code);
    return compiled.ok ? { ok: true, value: code } : { ok: false, error: `the code does not compile: ${compiled.error}` };
  });
  return result.ok ? { code: result.value, errorMessage: "" } : { code: "", errorMessage: result.error };
}

// ---- transformer tester data ------------------------------------------------------------------

const DATA_SYSTEM = `You write example input data (one entity) for testing data transformers of an integration platform.
Answer with one JSON value only (usually an object), realistic and compact, in one \`\`\`json fenced block, without comments or explanations.`;

export async function generateTransformerTesterData(ai: TextModel | undefined, prompt: string, model = DEFAULT_MODEL): Promise<TesterDataAnswer> {
  if (!ai) return { json_result: "", errorMessage: NO_MODEL_MESSAGE };
  const result = await generate(ai, model, DATA_SYSTEM, prompt, async (text) => {
    try {
      return { ok: true, value: JSON.stringify(JSON.parse(unfence(text)), null, 2) };
    } catch (error) {
      return { ok: false, error: `the answer is not JSON: ${errorText(error)}` };
    }
  });
  return result.ok ? { json_result: result.value, errorMessage: "" } : { json_result: "", errorMessage: result.error };
}

// ---- cron expressions -------------------------------------------------------------------------

/** Whether `expression` is a five-field cron expression croner accepts (as the scheduler requires). */
export function validateCron(expression: string): { ok: true } | { ok: false; error: string } {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `A cron expression has 5 fields (minute hour day-of-month month day-of-week); '${expression}' has ${fields.length}.` };
  try {
    new Cron(expression, { paused: true });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `'${expression}' is not a valid cron expression: ${errorText(error)}` };
  }
}

const CRON_SYSTEM = `You translate a schedule described in natural language into one standard 5-field cron expression: minute hour day-of-month month day-of-week (0 = Sunday).
Answer with the expression only, on one line, without explanations or code fences. If the schedule cannot be expressed as one cron expression, answer: ERROR: <reason>.`;

export async function generateCronExpression(ai: TextModel | undefined, prompt: string, model = DEFAULT_MODEL): Promise<CronAnswer> {
  const text = prompt.trim();
  // A prompt that already is a cron expression is answered as is.
  if (validateCron(text).ok) return { expression: text.split(/\s+/).join(" "), isValidExpression: true, errorMessage: "" };
  if (!ai) {
    const parsed = cronFromText(text);
    return parsed.ok
      ? { expression: parsed.expression, isValidExpression: true, errorMessage: "" }
      : { expression: "", isValidExpression: false, errorMessage: `${parsed.error} ${NO_MODEL_MESSAGE.replace(", so nothing can be generated", "")} Only common phrasings such as "every 5 minutes", "every day at 02:30" or "weekdays at 8:15" are understood.` };
  }
  const result = await generate(ai, model, CRON_SYSTEM, text, async (answer) => {
    const line = unfence(answer).split(/\r?\n/).map((l) => l.trim()).find((l) => l !== "") ?? "";
    if (/^error:/i.test(line)) return { ok: false, error: line.replace(/^error:\s*/i, "") };
    const expression = line.replace(/^`+|`+$/g, "").trim().split(/\s+/).join(" ");
    const valid = validateCron(expression);
    return valid.ok ? { ok: true, value: expression } : { ok: false, error: valid.error };
  });
  if (result.ok) return { expression: result.value, isValidExpression: true, errorMessage: "" };
  // The model failed: the deterministic parser may still know the phrasing.
  const parsed = cronFromText(text);
  if (parsed.ok) return { expression: parsed.expression, isValidExpression: true, errorMessage: "" };
  return { expression: "", isValidExpression: false, errorMessage: result.error };
}

// ---- the deterministic cron parser ------------------------------------------------------------

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, "forty-five": 45, sixty: 60,
};
const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  fifteenth: 15, twentieth: 20,
};
const DAYS: [RegExp, number][] = [
  [/^sun(day)?s?$/, 0], [/^mon(day)?s?$/, 1], [/^tue(s|sday)?s?$/, 2], [/^wed(nesday)?s?$/, 3],
  [/^thu(r|rs|rsday)?s?$/, 4], [/^fri(day)?s?$/, 5], [/^sat(urday)?s?$/, 6],
];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAY_WORD = "(?:sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:[a-z]*day)?s?";
const MONTH_WORD = `(?:${MONTHS.join("|")}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)`;
/** Words that carry no schedule meaning once the parts are taken out. */
const FILLER = new Set([
  "every", "each", "at", "on", "the", "of", "in", "a", "an", "and", "run", "runs", "running", "execute", "schedule", "scheduled", "job", "task",
  "please", "it", "this", "should", "be", "to", "o'clock", "oclock", "time", "once", "all", "day", "days", "from", "starting", "only", "me", "trigger",
]);

function dayOfWeek(word: string): number | null {
  for (const [re, n] of DAYS) if (re.test(word)) return n;
  return null;
}
function monthNumber(word: string): number | null {
  const i = MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3)));
  return i >= 0 && word.length >= 3 ? i + 1 : null;
}

/** "9", "9am", "9:30", "9.30pm", "14:00", "noon", "midnight" -> [hour, minute] or null. */
function parseTime(text: string): [number, number] | null {
  if (text === "noon" || text === "midday") return [12, 0];
  if (text === "midnight") return [0, 0];
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  if (m[3]) {
    if (hour < 1 || hour > 12) return null;
    if (m[3] === "am" && hour === 12) hour = 0;
    if (m[3] === "pm" && hour !== 12) hour += 12;
  }
  if (hour > 23 || minute > 59) return null;
  return [hour, minute];
}

const TIME = "(?:noon|midday|midnight|\\d{1,2}(?:[:.h]\\d{2})?\\s*(?:am|pm)?)";

/** `text` without the match `m`, spaces collapsed so the next patterns see single spaces. */
const cut = (text: string, m: RegExpExecArray) => `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`.replace(/\s+/g, " ");

function normalise(prompt: string): string {
  let text = ` ${prompt.toLowerCase()} `
    .replace(/a\.m\./g, "am")
    .replace(/p\.m\./g, "pm")
    .replace(/[,;!?()"]/g, " ")
    .replace(/\.(\s|$)/g, " ")
    .replace(/\s+/g, " ");
  for (const [word, n] of Object.entries(NUMBER_WORDS)) text = text.replace(new RegExp(`(?<=\\s)${word}(?=\\s)`, "g"), String(n));
  for (const [word, n] of Object.entries(ORDINAL_WORDS)) text = text.replace(new RegExp(`(?<=\\s)${word}(?=\\s)`, "g"), `${n}th`);
  return text
    .replace(/(\d)\s+(am|pm)\b/g, "$1$2")
    .replace(/ (every|each) 2th (minute|hour|day|week|month)/g, " $1 other $2")
    .replace(/\s+/g, " ");
}

interface Parts {
  minuteStep?: number;
  hourStep?: number;
  dayStep?: number;
  monthStep?: number;
  minutePast?: number;
  times: [number, number][];
  hours?: number[];
  hourRange?: [number, number];
  daysOfWeek: number[];
  dayOfMonth?: string;
  month?: number;
  weekly?: boolean;
}

/**
 * Turns common English schedule phrasings into a 5-field cron expression, or says why it cannot.
 * Understood: intervals ("every 5 minutes", "every 2 hours", "every other day", "every quarter
 * hour"), times ("at 9am", "02:30", "noon", "midnight", several "at 6am and 6pm"), "twice a day",
 * days ("every monday", "mondays and thursdays", "weekdays", "monday to friday", "weekends"),
 * hour windows ("between 9am and 5pm", "during business hours"), days of the month ("on the 1st",
 * "the 15th of every month", "last day of the month"), months and dates ("every january 1st",
 * "in january", "yearly"), and "hourly", "daily", "weekly", "monthly". Any word it does not
 * understand, and any interval cron would only approximate (every 45 minutes), makes it refuse
 * rather than guess.
 */
export function cronFromText(prompt: string): { ok: true; expression: string } | { ok: false; error: string } {
  let text = normalise(prompt);
  const parts: Parts = { times: [], daysOfWeek: [] };
  const take = (re: RegExp, fn: (m: RegExpExecArray) => void) => {
    for (;;) {
      const m = re.exec(text);
      if (!m) return;
      fn(m);
      text = cut(text, m);
      if (!re.global) return;
      re.lastIndex = 0;
    }
  };
  const unknown = (why: string) => ({ ok: false as const, error: why });

  // Keyword macros.
  take(/\s@?(hourly)\s/, () => (parts.hourStep = 1));
  take(/\s@?(daily)\s/, () => undefined);
  take(/\s@?(weekly|once a week|every week)\s/, () => (parts.weekly = true));
  take(/\s@?(monthly|once a month|every month|each month|of the month|a month)\s/, () => (parts.dayOfMonth ??= "1"));
  take(/\s@?(yearly|annually|once a year|every year|each year)\s/, () => {
    parts.month ??= 1;
    parts.dayOfMonth ??= "1";
  });
  // N times a day.
  take(/\s(twice|2 times|3 times|4 times|6 times) (a|per|each) day\s|\stwice daily\s/, (m) => {
    const n = m[1] === "twice" || m[0].includes("twice") ? 2 : Number(m[1]?.split(" ")[0]);
    parts.hours = Array.from({ length: n }, (_, i) => (i * 24) / n);
  });
  // Minutes past the hour.
  take(/\s(?:at )?(\d{1,2}) min(?:ute)?s? (?:past|after) (?:the|every|each) hour\s/, (m) => (parts.minutePast = Number(m[1])));
  take(/\sat (?:minute )?:?(\d{1,2}) (?:past|of|after) (?:the|every|each) hour\s|\sat minute (\d{1,2})\s|\sat :(\d{2})\s/, (m) => (parts.minutePast = Number(m[1] ?? m[2] ?? m[3])));
  // Intervals.
  take(/\s(?:every|each) (?:quarter(?: of an)? hour|15 min(?:ute)?s?)\s/, () => (parts.minuteStep = 15));
  take(/\s(?:every|each) half(?: an)? hour\s/, () => (parts.minuteStep = 30));
  take(/\s(?:every|each) (?:(\d+)|other) min(?:ute)?s?\s/, (m) => (parts.minuteStep = m[1] ? Number(m[1]) : 2));
  take(/\s(?:every|each) min(?:ute)?\s/, () => (parts.minuteStep = 1));
  take(/\s(?:every|each) (?:(\d+)|other) (?:hours?|hrs?)\s/, (m) => (parts.hourStep = m[1] ? Number(m[1]) : 2));
  take(/\s(?:every|each) (?:hour|hr)\s/, () => (parts.hourStep = 1));
  take(/\s(?:every|each) (?:(\d+)|other) days?\s/, (m) => (parts.dayStep = m[1] ? Number(m[1]) : 2));
  take(/\s(?:every|each) (?:(\d+)|other) months?\s/, (m) => {
    parts.monthStep = m[1] ? Number(m[1]) : 2;
    parts.dayOfMonth ??= "1";
  });
  if (/\severy \d+ (?:sec(?:ond)?s?)\s|\severy sec(?:ond)?\s/.test(text)) return unknown("Cron expressions cannot run more often than once a minute.");
  // Hour windows.
  take(/\s(?:during|in|within) (?:business|working|office|work) hours\s/, () => (parts.hourRange = [9, 17]));
  const windowRe = new RegExp(`\\s(?:between|from) (${TIME}) (?:and|to|until|till|-) (${TIME})\\s`);
  let windowError: string | null = null;
  take(windowRe, (m) => {
    const from = parseTime(m[1].replace(/\s+/g, ""));
    const to = parseTime(m[2].replace(/\s+/g, ""));
    if (!from || !to || from[1] !== 0 || to[1] !== 0 || from[0] > to[0]) windowError = `Cannot express the window '${m[0].trim()}' in whole hours.`;
    else parts.hourRange = [from[0], to[0]];
  });
  if (windowError) return unknown(windowError);
  // Days of the week.
  take(/\s(?:on )?(?:every )?(?:weekdays?|working days?|business days?|workdays?|(?:monday|mon) (?:to|through|thru|-) (?:friday|fri)|mon-fri)\s/, () => parts.daysOfWeek.push(1, 2, 3, 4, 5));
  take(/\s(?:on )?(?:every )?(?:weekends?|(?:saturday|sat) and (?:sunday|sun))\s/, () => parts.daysOfWeek.push(6, 0));
  const rangeRe = new RegExp(`\\s(${DAY_WORD}) (?:to|through|thru|-) (${DAY_WORD})\\s`);
  take(rangeRe, (m) => {
    const a = dayOfWeek(m[1]);
    const b = dayOfWeek(m[2]);
    if (a !== null && b !== null) for (let d = a; ; d = (d + 1) % 7) {
      parts.daysOfWeek.push(d);
      if (d === b) break;
    }
  });
  // Dates: "january 1st", "1st of january", "the 15th", "last day of the month".
  const dateRe = new RegExp(`\\s(?:on )?(?:the )?(?:(${MONTH_WORD}) (\\d{1,2})(?:st|nd|rd|th)?|(\\d{1,2})(?:st|nd|rd|th)? (?:of |day of )?(${MONTH_WORD}))\\s`);
  take(dateRe, (m) => {
    parts.month = monthNumber(m[1] ?? m[4]) ?? undefined;
    parts.dayOfMonth = String(Number(m[2] ?? m[3]));
  });
  take(/\s(?:on )?(?:the )?last day(?: of)?(?: the| each| every)?(?: month)?\s/, () => (parts.dayOfMonth = "L"));
  take(/\s(?:on )?(?:the )?(\d{1,2})(?:st|nd|rd|th)(?: day)?(?: of)?(?: the| each| every)?(?: month)?\s/, (m) => (parts.dayOfMonth = String(Number(m[1]))));
  // "in january" narrows the month; "every january" (or a bare month) is once a year, on the 1st.
  const monthRe = new RegExp(`\\s(in |every |each )?(${MONTH_WORD})\\s`);
  take(monthRe, (m) => {
    parts.month = monthNumber(m[2]) ?? undefined;
    if (m[1] !== "in ") parts.dayOfMonth ??= "1";
  });
  // Single days (after ranges and dates, so "mon" inside them is gone).
  const dayRe = new RegExp(`\\s(${DAY_WORD})\\s`);
  for (;;) {
    const m = dayRe.exec(text);
    const d = m ? dayOfWeek(m[1]) : null;
    if (!m || d === null) break;
    parts.daysOfWeek.push(d);
    text = cut(text, m);
  }
  // Times of day: "at 9am", "9:30", "noon", "midnight", several joined by "and".
  const timeRe = new RegExp(`\\s(?:at |@ ?)?(${TIME})(?= )`);
  /** Whether each time said am/pm or was unambiguous (13:00, noon): "at 7 in the evening" is 19:00. */
  const explicit: boolean[] = [];
  for (;;) {
    const m = timeRe.exec(text);
    if (!m) break;
    const raw = m[1].replace(/\s+/g, "");
    // A bare number only counts as a time after "at" ("at 9"), so "every 5" is not read as 5:00.
    const bare = /^\d{1,2}$/.test(raw);
    if (bare && !/^\s(?:at |@)/.test(m[0])) break;
    const time = parseTime(raw);
    if (!time) return unknown(`'${raw}' is not a time of day.`);
    parts.times.push(time);
    explicit.push(!/^\d{1,2}(?:[:.h]\d{2})?$/.test(raw) || Number(raw.split(/[:.h]/)[0]) > 12);
    text = cut(text, m);
  }
  // "in the morning" (08:00 unless a time is given), "in the evening" / "at night": 7 -> 19:00.
  take(/\s(?:in the |at |every |each )?(morning|evening|night|afternoon|nightly)s?\s/, (m) => {
    if (parts.times.length === 0) parts.times.push(m[1] === "morning" ? [8, 0] : m[1] === "afternoon" ? [14, 0] : m[1] === "evening" ? [18, 0] : [0, 0]);
    else if (m[1] !== "morning") parts.times = parts.times.map((t, i) => (!explicit[i] && t[0] >= 1 && t[0] < 12 ? [t[0] + 12, t[1]] : t));
  });

  const leftover = text.split(" ").filter((w) => w !== "" && !FILLER.has(w));
  if (leftover.length > 0) return unknown(`Could not understand '${leftover.join(" ")}' in '${prompt.trim()}'.`);
  const described =
    parts.minuteStep || parts.hourStep || parts.dayStep || parts.monthStep || parts.minutePast !== undefined || parts.times.length || parts.hours ||
    parts.hourRange || parts.daysOfWeek.length || parts.dayOfMonth || parts.month || parts.weekly || /\b(daily|day)\b/.test(prompt.toLowerCase());
  if (!described) return unknown(`'${prompt.trim()}' does not describe a schedule.`);

  // Compose the five fields.
  let minute = "0";
  let hour = "0";
  const range = parts.hourRange ? `${parts.hourRange[0]}-${parts.hourRange[1]}` : "*";
  if (parts.minuteStep) {
    if (parts.times.length || parts.hours || parts.hourStep) return unknown("Cannot combine a minute interval with times of day or an hour interval.");
    if (parts.minuteStep > 59 && parts.minuteStep % 60 === 0) {
      parts.hourStep = parts.minuteStep / 60;
    } else {
      if (parts.minuteStep > 59) return unknown(`Every ${parts.minuteStep} minutes is not expressible in cron; use minutes below 60 or whole hours.`);
      // A step restarts every hour: */45 runs at :00 and :45, which is not every 45 minutes.
      if (60 % parts.minuteStep !== 0) return unknown(`Every ${parts.minuteStep} minutes is not expressible in cron: */${parts.minuteStep} restarts each hour. Use a number of minutes that divides 60 (5, 10, 15, 20, 30) or whole hours.`);
      minute = parts.minuteStep === 1 ? "*" : `*/${parts.minuteStep}`;
      hour = range;
    }
  }
  if (parts.hourStep) {
    if (parts.times.length > 1 || parts.hours) return unknown("Cannot combine an hour interval with several times of day.");
    if (parts.hourStep > 23) {
      if (parts.hourStep % 24 !== 0) return unknown(`Every ${parts.hourStep} hours is not expressible in cron.`);
      parts.dayStep = parts.hourStep / 24;
    } else if (24 % parts.hourStep !== 0 && !parts.hourRange) {
      // Without a window the step restarts at midnight: */5 runs at 0, 5, 10, 15, 20 and 0 again.
      return unknown(`Every ${parts.hourStep} hours is not expressible in cron: the step restarts each day. Use a number of hours that divides 24 (2, 3, 4, 6, 8, 12) or a window ("between 9am and 5pm").`);
    } else {
      minute = String(parts.minutePast ?? parts.times[0]?.[1] ?? 0);
      const start = parts.times[0]?.[0];
      const base = parts.hourRange ? range : start !== undefined && start > 0 ? `${start}-23` : "*";
      hour = parts.hourStep === 1 ? base : `${base}/${parts.hourStep}`;
    }
  }
  if (!parts.minuteStep && !(parts.hourStep && parts.hourStep <= 23)) {
    if (parts.times.length) {
      const minutes = new Set(parts.times.map((t) => t[1]));
      if (minutes.size > 1) return unknown("Times with different minutes need more than one cron expression.");
      minute = String(parts.times[0][1]);
      hour = [...new Set(parts.times.map((t) => t[0]))].sort((a, b) => a - b).join(",");
    } else if (parts.hours) {
      hour = parts.hours.join(",");
    } else if (parts.minutePast !== undefined) {
      minute = String(parts.minutePast);
      hour = range;
    } else if (parts.hourRange) {
      hour = range;
    }
  }
  if (parts.minutePast !== undefined && parts.minutePast > 59) return unknown(`Minute ${parts.minutePast} does not exist.`);
  const dayOfMonth = parts.dayStep ? `*/${parts.dayStep}` : (parts.dayOfMonth ?? "*");
  const month = parts.monthStep ? `*/${parts.monthStep}` : parts.month ? String(parts.month) : "*";
  const days = [...new Set(parts.daysOfWeek)].sort((a, b) => a - b);
  const dayOfWeekField = days.length ? compressDays(days) : parts.weekly && dayOfMonth === "*" ? "0" : "*";
  if (dayOfMonth !== "*" && dayOfWeekField !== "*") return unknown("Cron cannot require both a day of the month and a day of the week (it would run on either).");
  const expression = `${minute} ${hour} ${dayOfMonth} ${month} ${dayOfWeekField}`;
  const valid = validateCron(expression);
  return valid.ok ? { ok: true, expression } : unknown(valid.error);
}

/** [1,2,3,4,5] -> "1-5"; [0,6] -> "0,6"; [1,3] -> "1,3". */
function compressDays(days: number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j] + 1) j++;
    out.push(j - i >= 2 ? `${days[i]}-${days[j]}` : days.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return out.join(",");
}
