import { ApiError, type Violation } from "../lib/errors";

/** A configuration the engine cannot build: unknown prototype, invalid parameters, missing reference. */
export class ConfigurationError extends ApiError {
  constructor(detail: string, violations: Violation[]) {
    super(400, detail, { violations });
  }
}

/** A failure while running a step; `context` names the step so a user can find it. */
export class TransformError extends ApiError {
  constructor(message: string, step: { instanceId?: string; prototype?: string; path?: string }, cause?: unknown) {
    super(500, message, { title: "Transform Error", context: { ...step, ...(cause instanceof Error && cause.message !== message ? { cause: cause.message } : {}) } });
  }
}
