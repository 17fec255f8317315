import { ApiError, propertyPath, VIOLATION_TYPE, type Violation } from "../lib/errors";
import { ConfigurationError, TransformError } from "./errors";
import { isRecord } from "./paths";
import { after, cloneData, isPromise } from "./steps";
import type { Builder, ConfigurationResolver, DataTransformer, DiType, Entity, EntityTransformer, InPlaceTransformer, InstanceTypes, Prototype, PrototypeSpec } from "./types";

export interface BuildOptions {
  /** Resolves string references (list-transformer ids) while building. */
  configurations?: ConfigurationResolver;
  /** Where the specification sits in the request/configuration, e.g. `object` or `specification`. */
  path?: string;
  /**
   * Referenced list-transformer configurations already built, by identifier: share one across the
   * builds of a batch (an import validates hundreds that reference the same few).
   */
  built?: Map<string, unknown>;
}


/** PHP exports write an empty parameter object as `[]`. */
export function normaliseParameters(parameters: unknown): unknown {
  return parameters === undefined || (Array.isArray(parameters) && parameters.length === 0) ? {} : parameters;
}

const joinPath = (base: string, rel: (string | number)[]) => propertyPath(rel, base);

/** Every prototype by DI type and identifier; builds instances from configuration specs. */
export class Registry {
  private readonly byType = new Map<string, Map<string, Prototype>>();
  private readonly defaults = new Map<string, string>();

  register(...prototypes: Prototype[]): this {
    for (const prototype of prototypes) {
      for (const type of Array.isArray(prototype.type) ? prototype.type : [prototype.type]) {
        let map = this.byType.get(type);
        if (!map) this.byType.set(type, (map = new Map()));
        if (map.has(prototype.identifier)) throw new Error(`prototype ${type}/${prototype.identifier} is registered twice`);
        map.set(prototype.identifier, prototype);
        if (prototype.isDefault) this.defaults.set(type, prototype.identifier);
      }
    }
    return this;
  }

  get(type: string, identifier: string): Prototype | undefined {
    return this.byType.get(type)?.get(identifier);
  }

  list(type: string): Prototype[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  defaultPrototype(type: string): string | null {
    return this.defaults.get(type) ?? null;
  }

  /**
   * Builds the instance a spec describes. String references inside list-transformer lists are
   * resolved through `options.configurations`; every violation's propertyPath points into the spec.
   */
  async build<T extends keyof InstanceTypes>(type: T, spec: unknown, options: BuildOptions = {}): Promise<InstanceTypes[T]> {
    let counter = 0;
    // `chain`: the configurations referenced on the way here, per branch, so two siblings that
    // use the same configuration are fine and only a real cycle is refused.
    const buildAt = async <U extends keyof InstanceTypes>(t: U, s: unknown, path: string, chain: ReadonlySet<string>): Promise<InstanceTypes[U]> => {
      // A string in a list-transformer position names a list-transformer configuration.
      if (typeof s === "string" && t === "list-transformer" && !this.get(t, s)) {
        if (!options.configurations) throw violation(path, `'${s}' refers to a list-transformer configuration, and none can be resolved here.`);
        if (chain.has(s)) throw violation(path, `'${s}' refers to itself through a chain of references.`);
        if (options.built?.has(s)) return options.built.get(s) as InstanceTypes[U];
        const referenced = await options.configurations.get("list-transformer", s);
        if (!referenced) throw violation(path, `No list-transformer configuration '${s}' exists.`);
        const instance = await buildAt(t, referenced, path, new Set([...chain, s]));
        options.built?.set(s, instance);
        return instance;
      }
      const { identifier, parameters } = this.identify(t, s as PrototypeSpec, path);
      const prototype = this.get(t, identifier)!;
      const parsed = prototype.parameters.safeParse(normaliseParameters(parameters));
      const parametersPath = typeof s === "string" ? path : joinPath(path, ["parameters"]);
      if (!parsed.success) {
        throw new ConfigurationError(
          `Invalid parameters for ${t} '${identifier}'.`,
          parsed.error.issues.map((issue) => ({ propertyPath: propertyPath(issue.path, parametersPath), title: issue.message, type: VIOLATION_TYPE })),
        );
      }
      const instanceId = `${identifier}#${++counter}`;
      const builder: Builder = {
        path,
        instanceId,
        build: (childType, childSpec, rel) => buildAt(childType, childSpec, joinPath(parametersPath, rel), chain),
      };
      let instance: unknown;
      try {
        instance = await prototype.create(parsed.data, builder, t as never);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        // parameters that pass their schema and still cannot be built (a PCRE that does not compile)
        const title = `Invalid parameters for ${t} '${identifier}': ${error instanceof Error ? error.message : String(error)}`;
        throw new ConfigurationError(title, [{ propertyPath: parametersPath, title, type: VIOLATION_TYPE }]);
      }
      return instrument(t, instance as InstanceTypes[U], { instanceId, prototype: identifier, path });
    };
    return buildAt(type, spec, options.path ?? "", new Set());
  }

  private identify(type: string, spec: PrototypeSpec, path: string): { identifier: string; parameters: unknown } {
    if (typeof spec === "string") {
      if (!this.get(type, spec)) throw violation(path, `Unknown ${type} prototype '${spec}'.`);
      return { identifier: spec, parameters: {} };
    }
    if (!isRecord(spec)) throw violation(path, `Expected a ${type} specification: {"prototype": ..., "parameters": {...}}.`);
    const identifier = spec.prototype ?? this.defaultPrototype(type);
    if (!identifier) throw violation(joinPath(path, ["prototype"]), `A ${type} needs a prototype: this type has no default.`);
    if (typeof identifier !== "string" || !this.get(type, identifier)) {
      const known = this.list(type).map((p) => p.identifier).slice(0, 40).join(", ");
      throw violation(joinPath(path, ["prototype"]), `Unknown ${type} prototype '${String(identifier)}'. Known: ${known}.`);
    }
    return { identifier, parameters: spec.parameters };
  }
}

function violation(propertyPath: string, title: string): ConfigurationError {
  const v: Violation = { propertyPath, title, type: VIOLATION_TYPE };
  return new ConfigurationError(title, [v]);
}

type Step = { instanceId: string; prototype: string; path: string };

/**
 * Wraps transformer steps so failures name the step and breakpoints see input and output. This
 * runs for every step of every entity: without breakpoints it adds no promise and no copy.
 * Breakpoints get snapshots, since later in-place steps change the data they saw.
 */
function instrument<T>(type: string, instance: T, step: Step): T {
  if (type === "list-transformer") {
    const run = instance as unknown as EntityTransformer;
    const observed: EntityTransformer = async (entities, ctx) => {
      const input = ctx.onStep ? entities.map((e) => cloneData(e.data)) : undefined;
      let output: Entity[];
      try {
        output = await run(entities, ctx);
      } catch (error) {
        throw stepError(error, step);
      }
      ctx.onStep?.({ instanceId: step.instanceId, prototype: step.prototype, input, output: output.map((e) => cloneData(e.data)) });
      return output;
    };
    return observed as unknown as T;
  }
  if (type === "data-transformer") {
    const transformer = instance as unknown as DataTransformer;
    // A prototype without an in-place form still gets one: its copying result, cloned so the
    // caller owns it. Built data transformers always have `inPlace` (steps.ts relies on it).
    const inPlace = transformer.inPlace ?? ((data, ctx) => after(transformer(data, ctx), cloneData));
    const observed: DataTransformer = observe(transformer, step);
    observed.inPlace = observe(inPlace, step);
    return observed as unknown as T;
  }
  return instance;
}

function observe(transform: InPlaceTransformer, step: Step): InPlaceTransformer {
  const fail = (error: unknown): never => {
    throw stepError(error, step);
  };
  return (data, ctx) => {
    const onStep = ctx.onStep;
    const input = onStep ? cloneData(data) : undefined;
    let output: unknown;
    try {
      output = transform(data, ctx);
    } catch (error) {
      fail(error);
    }
    // the record closure only exists under breakpoints: this wrapper runs for every step of every entity
    if (!onStep) return isPromise(output) ? output.then(undefined, fail) : output;
    const record = (out: unknown) => {
      onStep({ instanceId: step.instanceId, prototype: step.prototype, input, output: cloneData(out) });
      return out;
    };
    return isPromise(output) ? output.then(record, fail) : record(output);
  };
}

/** The innermost failing step names the failure; outer steps pass it on unchanged. */
function stepError(error: unknown, step: { instanceId: string; prototype: string; path: string }): unknown {
  if (error instanceof TransformError || error instanceof StopExecution) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TransformError(`${step.prototype} failed: ${message}`, step, error);
}

/** Thrown by a step to end a debug run early (`stop-exec-at`). */
export class StopExecution extends Error {
  constructor(readonly output: unknown) {
    super("stopped");
  }
}

export type { DiType };
