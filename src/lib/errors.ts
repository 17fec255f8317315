/** One error type for the whole API; `onError` turns it into Alumio's problem+json body. */
export interface Violation {
  propertyPath: string;
  title: string;
  type?: string;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly violations: Violation[];
  readonly context: Record<string, unknown>;

  constructor(
    status: number,
    detail: string,
    options: { violations?: Violation[]; context?: Record<string, unknown>; title?: string } = {},
  ) {
    super(detail);
    this.status = status;
    this.title = options.title ?? TITLES[status] ?? "Error";
    this.violations = options.violations ?? [];
    this.context = options.context ?? {};
  }

  /** A 400 with one violation, the most common refusal. */
  static invalid(propertyPath: string, title: string, detail = title): ApiError {
    return new ApiError(400, detail, { violations: [{ propertyPath, title, type: VIOLATION_TYPE }] });
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, `${what} was not found.`);
  }

  static conflict(detail: string): ApiError {
    return new ApiError(409, detail);
  }

  static forbidden(detail = "You do not have permission to perform this action."): ApiError {
    return new ApiError(403, detail);
  }

  static unauthorized(detail = "A valid bearer token is required."): ApiError {
    return new ApiError(401, detail);
  }

  toBody() {
    return {
      status: String(this.status),
      type: `https://tools.ietf.org/html/rfc9110#status.${this.status}`,
      title: this.title,
      detail: this.message,
      violations: this.violations.map((v) => ({ type: VIOLATION_TYPE, ...v })),
      context: this.context,
    };
  }
}

export const VIOLATION_TYPE = "urn:open-alumio:violation";

/** zod issue path -> `object.parameters.transformers[2].pattern`. */
export function propertyPath(path: ReadonlyArray<PropertyKey>, prefix = ""): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export interface ZodLikeIssue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

export function violationsFromIssues(issues: ReadonlyArray<ZodLikeIssue>, prefix = ""): Violation[] {
  return issues.map((issue) => ({ propertyPath: propertyPath(issue.path, prefix), title: issue.message, type: VIOLATION_TYPE }));
}
