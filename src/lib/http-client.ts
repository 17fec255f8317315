import { ApiError } from "./errors";

/**
 * The one outbound HTTP client: every call the platform makes to another system goes through it
 * (provisioning webhooks, subscribers, publishers, HTTP transformers, proxies).
 */
export interface OutboundOptions {
  /** "true" lets requests reach loopback, private and link-local addresses (local development). */
  allowPrivateNetwork?: boolean;
  timeoutMs?: number;
  /** Retries after the first attempt, on network errors, 429 and 5xx. */
  retries?: number;
  backoffMs?: number;
  log?: (level: "debug" | "info" | "warning" | "error", message: string, context?: Record<string, unknown>) => void;
}

const PRIVATE_V4 = [
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^0\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

/** True for hosts a public integration must not reach: loopback, private, link-local, local names. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return PRIVATE_V4.some((re) => re.test(host));
  if (host.includes(":")) {
    return host === "::1" || host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:");
  }
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function outboundFetch(input: string | URL, init: RequestInit = {}, options: OutboundOptions = {}): Promise<Response> {
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ApiError(400, `Outbound requests must use http or https, not ${url.protocol}`);
  }
  if (!options.allowPrivateNetwork && isPrivateHost(url.hostname)) {
    throw new ApiError(400, `Outbound requests to ${url.hostname} are refused: loopback, private and link-local networks are not allowed.`);
  }
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    try {
      // The caller's own signal (a client's shorter timeout) still applies beside ours.
      const timeout = AbortSignal.timeout(timeoutMs);
      const response = await fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
      options.log?.("debug", `${init.method ?? "GET"} ${url.origin}${url.pathname} -> ${response.status}`, { ms: Date.now() - started, attempt });
      if ((response.status === 429 || response.status >= 500) && attempt < retries) {
        const retryAfter = Number(response.headers.get("retry-after"));
        await response.body?.cancel();
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : backoff * 2 ** attempt);
        continue;
      }
      return response;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.log?.("warning", `${init.method ?? "GET"} ${url.origin}${url.pathname} failed: ${message}`, { attempt });
      if (attempt >= retries) throw new ApiError(502, `The request to ${url.origin} failed: ${message}`);
      await sleep(backoff * 2 ** attempt);
    }
  }
}

export function allowPrivateNetwork(env: { ALLOW_PRIVATE_NETWORK?: string }): boolean {
  return env.ALLOW_PRIVATE_NETWORK === "true";
}
