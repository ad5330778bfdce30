// Terminal output: ANSI styles only when the stream is a TTY and NO_COLOR is unset (no colour
// library), and plain aligned tables that stay readable when piped.

import type { Writable } from 'node:stream';

/** Where a command writes; tests and embedders pass their own. */
export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

export type Paint = (style: Style, text: string) => string;

/** https://no-color.org: any non-empty NO_COLOR disables colour. */
export function useColour(stream: { isTTY?: boolean }, env: Io['env']): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    const [on, off] = CODES[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Left-aligned columns separated by two spaces; cells may already carry ANSI styles. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], paint: Paint): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [paint('bold', line(header)), ...rows.map(line)].join('\n') + '\n';
}

export function colourState(state: string | null, paint: Paint): string {
  switch (state) {
    case 'LEADING':
      return paint('green', state);
    case 'FOLLOWING':
      return paint('cyan', state);
    case 'OBSERVING':
      return paint('magenta', state);
    case 'LOOKING':
      return paint('yellow', state);
    case null:
      return paint('red', '-');
    default:
      return state;
  }
}
