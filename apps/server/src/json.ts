// JSON text for admin responses and the event stream. bigint is written as a plain JSON number
// (as ZooKeeper's Jackson writes a Java long), Maps as objects keyed by their keys' text.

export function toJson(value: unknown, indent = 2): string {
  return write(value, indent, '');
}

function write(value: unknown, indent: number, pad: string): string {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    default:
      break;
  }
  if (value === null) return 'null';
  const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => inner + write(v, indent, inner));
    return `[${nl}${items.join(`,${nl}`)}${nl}${pad}]`;
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('hex'));
  const entries: Array<[string, unknown]> =
    value instanceof Map ? [...value].map(([k, v]) => [String(k), v]) : Object.entries(value as object);
  const kept = entries.filter(([, v]) => v !== undefined);
  if (kept.length === 0) return '{}';
  const items = kept.map(([k, v]) => `${inner}${JSON.stringify(k)}${colon}${write(v, indent, inner)}`);
  return `{${nl}${items.join(`,${nl}`)}${nl}${pad}}`;
}
