import { registry } from "../engine";
import { StopExecution } from "../engine/registry";
import type { Entity, RunContext } from "../engine/types";

export interface ExecuteOptions {
  type: "list-transformer" | "data-transformer";
  breakpoints: boolean;
  stopExecAt?: string;
}

export interface Breakpoint {
  instanceId: string;
  prototype: string;
  input: unknown;
  output: unknown;
}

/**
 * `POST /transformers/execute`: builds the specification (violations point into
 * `specification`), runs the entities through it, and reports every step when asked.
 */
export async function executeTransformer(run: RunContext, entities: unknown[], specification: unknown, options: ExecuteOptions) {
  const breakpoints: Breakpoint[] = [];
  let stoppedAt: Breakpoint | undefined;
  const observed: RunContext = {
    ...run,
    onStep: (step) => {
      if (options.breakpoints) breakpoints.push(step);
      if (options.stopExecAt && step.instanceId === options.stopExecAt) {
        stoppedAt = step;
        throw new StopExecution(step.output);
      }
    },
  };

  let output: unknown[];
  try {
    if (options.type === "list-transformer") {
      const transform = await registry().build("list-transformer", specification, { configurations: run.configurations, path: "specification" });
      const result = await transform(entities.map((data): Entity => ({ data })), observed);
      output = result.map((e) => e.data);
    } else {
      const transform = await registry().build("data-transformer", specification, { configurations: run.configurations, path: "specification" });
      output = [];
      for (const data of entities) output.push(await transform(data, observed));
    }
  } catch (error) {
    if (!(error instanceof StopExecution && stoppedAt)) throw error;
    output = Array.isArray(stoppedAt.output) && options.type === "list-transformer" ? stoppedAt.output : [stoppedAt.output];
  }
  return options.breakpoints ? { entities: output, breakpoints } : { entities: output };
}
