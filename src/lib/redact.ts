/** Keys whose values never reach a log line or the audit trail. */
const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|api[-_]?key|private[-_]?key|credential|signature|cookie/i;

export const REDACTED = "[redacted]";

/**
 * A copy of `value` with secrets masked: values under secret-looking keys, and the `value` of an
 * object marked `encrypted: true` (environment variables).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (SECRET_KEY.test(key) && v !== null && v !== "" && typeof v !== "boolean") out[key] = REDACTED;
    else if (key === "value" && record.encrypted === true) out[key] = REDACTED;
    else out[key] = redact(v, depth + 1);
  }
  return out;
}
