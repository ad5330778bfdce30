// JSON for --json output: 64-bit fields are bigint in memory and become JSON numbers when they
// fit in 2^53 (so jq and JavaScript read them exactly), strings otherwise.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A bigint as a JSON number when it is a safe integer, else as its decimal string. */
export function jsonLong(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Converts bigints (recursively) with jsonLong; drops undefined object fields. */
export function toJsonValue(value: unknown): JsonValue {
  switch (typeof value) {
    case 'bigint':
      return jsonLong(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of value) out[String(k)] = toJsonValue(v);
    return out;
  }
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value as object)) if (v !== undefined) out[k] = toJsonValue(v);
  return out;
}

/** One JSON document on one line. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value))}\n`;
}
