/**
 * The JavaScript sandbox of the code transformer: QuickJS compiled to WebAssembly (Workers forbid
 * eval and `new Function`, and user code must never reach the Worker's globals anyway).
 *
 * - One QuickJS WebAssembly instance per isolate, loaded on first use; a fresh runtime and context
 *   per run, so nothing a script leaves behind is seen by the next one (and freeing the runtime is
 *   what reclaims the run's memory, see Engine).
 * - The context holds only the ECMAScript built-ins (plus a do-nothing `console`): no fetch, no
 *   bindings, no environment, no secrets. Input goes in as JSON text and the result comes out as
 *   JSON text; no host object or function is ever handed to the script.
 * - Limits per run: memory (default 32 MiB, enforced on the WebAssembly memory's growth, see
 *   Engine; allocations may overshoot by the allocator's growth step of up to 20%), stack (deep
 *   recursion fails cleanly), and time through the interrupt handler (default 1000 ms). The
 *   deadline uses the clock where it advances during synchronous work (tests, `wrangler dev`);
 *   deployed Workers freeze `Date.now()` while a request computes, so a budget of interpreter polls
 *   backs it up (QuickJS polls once per ~10,000 backward jumps and calls; the budget, 4 polls per
 *   millisecond, stops an empty endless loop in about 0.1 s and a simple counting loop in about
 *   1 s; a loop whose body is one large built-in call polls rarely and may run several times
 *   longer before it is stopped; the Worker's own CPU limit remains the last resort).
 * - Errors name the line of the user's code: `line 3: TypeError: cannot read property 'x' of undefined`.
 * - A failure of the host itself (the WebAssembly instance aborting, the host stack overflowing)
 *   throws the module away; the next run loads a fresh one.
 */
// wrangler (and the test pool) turn an import ending in `.wasm` into a compiled WebAssembly.Module;
// the package's `./wasm` export does not end in `.wasm`, hence the path into node_modules.
import wasmModule from "../../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import type { CodeRunner } from "../types";

export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_MEMORY_BYTES = 32 * 1024 * 1024;
/** QuickJS's own stack limit; kept well below the host's stack so deep recursion fails inside QuickJS. */
export const STACK_BYTES = 96 * 1024;
/** Interpreter polls (one every ~10,000 bytecode branches/calls) allowed per millisecond of budget. */
const POLLS_PER_MS = 4;
const MAX_TIMEOUT_MS = 30_000;
/** A Worker isolate has 128 MB in all. */
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;

/** The file name QuickJS reports in stacks; user code starts on its line 1. */
const FILE = "code.js";
/** User code is the body of `function (data) { ... }`; the header shares line 1 so lines match. */
const wrap = (code: string) => `(function (data) {${code}\n})`;
const PRELUDE = `globalThis.console = (() => { const noop = () => undefined; return { log: noop, info: noop, warn: noop, error: noop, debug: noop }; })();`;

/** A failure of the user's code: a syntax error, a throw, a limit hit. `line` is 1-based in the user's code. */
export class CodeError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly kind: "syntax" | "runtime" | "timeout" | "memory" | "result" = "runtime",
  ) {
    super(line ? `line ${line}: ${message}` : message);
    this.name = "CodeError";
  }
}

const PAGE = 65536;

/**
 * One QuickJS WebAssembly instance. QuickJS's own memory limit does not hold in this build (the
 * emscripten allocator reports no usable sizes, so large strings, arrays and typed arrays are not
 * counted and the collector is rarely triggered: quickjs-emscripten issues #255, #271). The real
 * limit is therefore enforced on the WebAssembly memory: the instance's `memory.grow` refuses to
 * grow past `cap`, QuickJS sees a failed malloc and throws "out of memory". A failed malloc can
 * leave QuickJS inconsistent, so an instance that refused to grow is never reused.
 */
interface Engine {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** Memory size right after loading: what the runtime itself needs. */
  baseBytes: number;
  /** The memory may not grow beyond this during the current run. */
  cap: number;
  /** A grow was refused during the current run: the run failed for memory and the instance is spent. */
  refused: boolean;
}

let engine: Promise<Engine> | undefined;
let loaded: Engine | undefined;

function loadEngine(): Promise<Engine> {
  if (!engine) {
    const loading = (async (): Promise<Engine> => {
      const variant = newVariant(releaseSyncVariant, { wasmModule });
      const module = await newQuickJSWASMModuleFromVariant(variant);
      const memory = module.getWasmMemory();
      const state: Engine = { module, memory, baseBytes: memory.buffer.byteLength, cap: Infinity, refused: false };
      const grow = memory.grow;
      // emscripten's heap resize tries growing by 20%, 10%, 5% more than needed before it gives
      // up; growth within that step above the cap is allowed so only a real excess is refused.
      memory.grow = function (this: WebAssembly.Memory, delta: number) {
        const current = this.buffer.byteLength;
        if (current + delta * PAGE > state.cap + current * 0.2) {
          state.refused = true;
          throw new RangeError("the sandbox's memory limit is reached");
        }
        return grow.call(this, delta);
      };
      loaded = state;
      return state;
    })();
    loading.catch(() => {
      if (engine === loading) engine = undefined;
    });
    engine = loading;
  }
  return engine;
}

/** The instance for a run with `memoryBytes`: a fresh one when the current one grew past that. */
async function engineFor(memoryBytes: number): Promise<Engine> {
  let current = await loadEngine();
  if (current.memory.buffer.byteLength > current.baseBytes + memoryBytes) {
    discardEngine(current);
    current = await loadEngine();
  }
  current.cap = current.baseBytes + memoryBytes;
  current.refused = false;
  return current;
}

/** Forgets an instance (after a host-level failure or a refused grow); the next run loads a fresh one. */
function discardEngine(spent: Engine): void {
  if (loaded === spent) {
    engine = undefined;
    loaded = undefined;
  }
  spent.cap = Infinity;
}

function newRuntime(module: QuickJSWASMModule, memoryBytes: number): QuickJSRuntime {
  const runtime = module.newRuntime();
  runtime.setMaxStackSize(STACK_BYTES);
  // Catches single allocations beyond the limit cleanly (see Engine for why it is not enough).
  runtime.setMemoryLimit(memoryBytes);
  return runtime;
}

interface DumpedError {
  name?: string;
  message?: string;
  stack?: string;
  lineNumber?: number;
}

/** The user's line from a QuickJS error: `lineNumber` (syntax errors) or the first `code.js:N` frame. */
function lineOf(error: DumpedError): number | undefined {
  if (typeof error.lineNumber === "number" && error.lineNumber > 0) return error.lineNumber;
  const match = typeof error.stack === "string" ? new RegExp(`${FILE.replace(".", "\\.")}:(\\d+)`).exec(error.stack) : null;
  return match ? Number(match[1]) : undefined;
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Turns a dumped QuickJS exception into a CodeError naming the user's line. */
function toCodeError(dumped: unknown, limits: Limits, interrupted: boolean): CodeError {
  if (typeof dumped !== "object" || dumped === null || !("message" in dumped)) {
    return new CodeError(`Uncaught ${describe(dumped)}`);
  }
  const error = dumped as DumpedError;
  const line = lineOf(error);
  const message = String(error.message ?? "");
  // QuickJS reports where the interrupted function starts, not where it looped: no line for timeouts.
  if (error.name === "InternalError" && (interrupted || message === "interrupted")) {
    return new CodeError(`the code ran longer than ${limits.timeoutMs} ms and was stopped`, undefined, "timeout");
  }
  if (error.name === "InternalError" && message === "out of memory") return memoryError(limits, line);
  if (error.name === "InternalError" && message === "stack overflow") {
    return new CodeError("stack overflow (recursion too deep)", line, "memory");
  }
  const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
  return new CodeError(`${name}${message}`, line, error.name === "SyntaxError" ? "syntax" : "runtime");
}

const formatBytes = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`);

const clamp = (value: number | undefined, fallback: number, max: number) =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.min(value, max) : fallback;

export interface SandboxOptions {
  timeoutMs?: number;
  memoryBytes?: number;
}

/**
 * Runs `code` (a function body that sees the input as `data`) and returns its result as JSON data.
 * When the code returns `undefined` (it only changed `data` in place), the final `data` is the result.
 */
export class QuickJSCodeRunner implements CodeRunner {
  constructor(private readonly defaults: SandboxOptions = {}) {}

  async run(code: string, data: unknown, options: SandboxOptions = {}): Promise<unknown> {
    const limits = {
      timeoutMs: clamp(options.timeoutMs ?? this.defaults.timeoutMs, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS),
      memoryBytes: clamp(options.memoryBytes ?? this.defaults.memoryBytes, DEFAULT_MEMORY_BYTES, MAX_MEMORY_BYTES),
    };
    let input: string | undefined;
    try {
      input = data === undefined ? undefined : JSON.stringify(data);
    } catch (error) {
      throw new CodeError(`the input is not JSON: ${describe(error)}`, undefined, "result");
    }
    const output = await withRuntime(limits, (runtime, state) => runIn(runtime, state, code, input, limits));
    return output === undefined ? undefined : JSON.parse(output);
  }
}

/**
 * A fresh runtime on the shared instance for one synchronous job. A runtime per run (not only a
 * context) because freeing the runtime is what collects everything the run allocated: this build
 * never triggers QuickJS's collector on its own (see Engine).
 */
async function withRuntime<T>(limits: Limits, job: (runtime: QuickJSRuntime, state: Engine) => T): Promise<T> {
  const state = await engineFor(limits.memoryBytes);
  let runtime: QuickJSRuntime | undefined;
  let outcome: { value: T } | { error: unknown };
  try {
    runtime = newRuntime(state.module, limits.memoryBytes);
    outcome = { value: job(runtime, state) };
  } catch (error) {
    outcome = { error };
  }
  try {
    runtime?.dispose();
  } catch (error) {
    // QuickJS aborts when a failed run left objects behind: the instance is unusable.
    if (!("error" in outcome)) outcome = { error };
    discardEngine(state);
  }
  if (state.refused) {
    discardEngine(state);
    throw memoryError(limits);
  }
  if ("error" in outcome) {
    if (outcome.error instanceof CodeError) throw outcome.error;
    discardEngine(state);
    throw new CodeError(`the sandbox failed: ${describe(outcome.error)}`, undefined, "runtime");
  }
  return outcome.value;
}

interface Limits {
  timeoutMs: number;
  memoryBytes: number;
}

const memoryError = (limits: Limits, line?: number) =>
  new CodeError(`the code used more than ${formatBytes(limits.memoryBytes)} of memory and was stopped`, line, "memory");

/** Synchronous core of one run: a fresh context, limits, call, JSON out; always disposes the context. */
function runIn(runtime: QuickJSRuntime, state: Engine, code: string, input: string | undefined, limits: Limits): string | undefined {
  const started = Date.now();
  const maxPolls = Math.max(1, Math.ceil(limits.timeoutMs * POLLS_PER_MS));
  let polls = 0;
  let interrupted = false;
  runtime.setInterruptHandler(() => {
    polls += 1;
    // A refused grow makes QuickJS throw "out of memory", which the code could catch: stop it.
    if (polls > maxPolls || Date.now() - started > limits.timeoutMs || state.refused) interrupted = true;
    return interrupted;
  });
  const context = runtime.newContext();
  const handles: QuickJSHandle[] = [];
  const keep = (handle: QuickJSHandle) => (handles.push(handle), handle);
  const fail = (errorHandle: QuickJSHandle): never => {
    keep(errorHandle);
    if (state.refused) throw memoryError(limits);
    throw toCodeError(context.dump(errorHandle), limits, interrupted);
  };
  const unwrap = (result: ReturnType<QuickJSContext["evalCode"]>): QuickJSHandle => (result.error ? fail(result.error) : keep(result.value));
  try {
    unwrap(context.evalCode(PRELUDE, "prelude.js"));
    const fn = unwrap(context.evalCode(wrap(code), FILE));
    const json = keep(context.getProp(context.global, "JSON"));
    const parse = keep(context.getProp(json, "parse"));
    const stringify = keep(context.getProp(json, "stringify"));

    let dataHandle = context.undefined;
    if (input !== undefined) dataHandle = unwrap(context.callFunction(parse, json, keep(context.newString(input))));
    // `data` rides in a holder so the object the code was given can be read back when it returns nothing.
    const holder = keep(context.newObject());
    context.setProp(holder, "data", dataHandle);
    const invoke = unwrap(context.evalCode(`(function (fn, holder) { return fn.call(undefined, holder.data); })`, "invoke.js"));
    let result = unwrap(context.callFunction(invoke, context.undefined, fn, holder));
    result = settle(context, runtime, result, keep, fail);
    if (context.typeof(result) === "undefined") result = keep(context.getProp(holder, "data"));
    if (context.typeof(result) === "undefined") return undefined;
    const text = unwrap(context.callFunction(stringify, json, result));
    if (context.typeof(text) !== "string") throw new CodeError("the code returned a value that is not JSON (a function or a symbol)", undefined, "result");
    return context.getString(text);
  } finally {
    for (const handle of handles.reverse()) if (handle.alive) handle.dispose();
    context.dispose();
  }
}

/** A returned promise is settled by running the job queue (still under the interrupt handler). */
function settle(
  context: QuickJSContext,
  runtime: QuickJSRuntime,
  result: QuickJSHandle,
  keep: (h: QuickJSHandle) => QuickJSHandle,
  fail: (h: QuickJSHandle) => never,
): QuickJSHandle {
  if (!context.typeof(result).startsWith("object")) return result;
  const state = context.getPromiseState(result);
  if (state.type === "fulfilled" && state.notAPromise) return result;
  for (;;) {
    const current = context.getPromiseState(result);
    if (current.type === "fulfilled") return current.notAPromise ? result : keep(current.value);
    if (current.type === "rejected") return fail(current.error);
    const jobs = runtime.executePendingJobs();
    if (jobs.error) fail(jobs.error);
    if (jobs.value === 0) throw new CodeError("the code returned a promise that never settles", undefined, "result");
  }
}

/** Compiles `code` the way the code transformer will run it, without running it. */
export async function compileCheck(code: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const limits = { timeoutMs: DEFAULT_TIMEOUT_MS, memoryBytes: DEFAULT_MEMORY_BYTES };
  try {
    return await withRuntime(limits, (runtime) => {
      const context = runtime.newContext();
      try {
        const result = context.evalCode(wrap(code), FILE, { compileOnly: true });
        if (result.error) {
          const error = toCodeError(context.dump(result.error), limits, false);
          result.error.dispose();
          return { ok: false as const, error: error.message };
        }
        result.value.dispose();
        return { ok: true as const };
      } finally {
        context.dispose();
      }
    });
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

/** The runner every run context uses (one per isolate; the QuickJS module loads on first use). */
export const quickJsRunner: CodeRunner = new QuickJSCodeRunner();
