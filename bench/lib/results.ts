// RESULTS.md assembly: markdown tables, and rewriting the file while keeping the section other
// writers own (the @zkvote/wire codec bench rewrites `<!-- wire:begin -->…<!-- wire:end -->`).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const WIRE_BEGIN = '<!-- wire:begin -->';
export const WIRE_END = '<!-- wire:end -->';

/** A markdown table; `align` per column ('l' or 'r'). Pipes in cells are escaped. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.map((c, i) => (i < header.length ? cell(c) : c)).join(' | ')} |`).join('\n');
}

/** The text between (and including) the wire markers, or null when absent. */
export function extractSection(text: string, begin = WIRE_BEGIN, end = WIRE_END): string | null {
  const a = text.indexOf(begin);
  const b = text.indexOf(end, a + begin.length);
  if (a < 0 || b < 0) return null;
  return text.slice(a, b + end.length);
}

export const CHAOS_BEGIN = '<!-- chaos:begin -->';
export const CHAOS_END = '<!-- chaos:end -->';

/** A part of RESULTS.md: our text, or a section owned elsewhere that is kept as it is. */
export type Part = string | { keep: string; placeholder: string };

/**
 * The new document from `parts`: strings are written as given; `{ keep }` parts carry over the
 * previous `<!-- name:begin -->…<!-- name:end -->` block (wire: the codec bench; chaos: `pnpm
 * chaos`; analysis: written by hand), or the placeholder when there is none yet.
 */
export function composeResults(previous: string, parts: readonly Part[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (/<!-- [a-z]+:(begin|end) -->/.test(part)) throw new Error('composeResults: our text must not contain section markers');
      out.push(part.trim());
      continue;
    }
    const begin = `<!-- ${part.keep}:begin -->`;
    const end = `<!-- ${part.keep}:end -->`;
    out.push(extractSection(previous, begin, end) ?? `${begin}\n${part.placeholder.trim()}\n${end}`);
  }
  return `${out.filter((x) => x !== '').join('\n\n')}\n`;
}

export const WIRE_PART: Part = { keep: 'wire', placeholder: '## @zkvote/wire codec\n\nNot measured yet: run `pnpm --filter @zkvote/wire bench`.' };
export const CHAOS_PART: Part = { keep: 'chaos', placeholder: '## Fault campaign\n\nNot run yet: run `pnpm chaos`.' };

/** Rewrites `file` keeping the sections it holds now (re-read right before writing). */
export function writeResults(file: string, parts: readonly Part[]): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, composeResults(previous, parts));
}

/** Replaces `<!-- name:begin -->…<!-- name:end -->` in `text`, or appends it. */
export function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const old = extractSection(text, begin, end);
  if (old !== null) return text.replace(old, () => block);
  return `${text.trimEnd()}\n\n${block}\n`;
}
