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

/**
 * The new document: `head` (the bench sections), the kept wire section (or a placeholder saying
 * how to produce it), the kept chaos section (`pnpm chaos` owns it), then `tail`.
 */
export function composeResults(previous: string, head: string, tail: string): string {
  for (const marker of [WIRE_BEGIN, WIRE_END, CHAOS_BEGIN, CHAOS_END]) {
    if (head.includes(marker) || tail.includes(marker)) throw new Error(`composeResults: our sections must not contain ${marker}`);
  }
  const wire = extractSection(previous) ?? `${WIRE_BEGIN}\n## @zkvote/wire codec\n\nNot measured yet: run \`pnpm --filter @zkvote/wire bench\`.\n${WIRE_END}`;
  const chaos = extractSection(previous, CHAOS_BEGIN, CHAOS_END) ?? `${CHAOS_BEGIN}\n## Fault campaign\n\nNot run yet: run \`pnpm chaos\`.\n${CHAOS_END}`;
  return `${head.trimEnd()}\n\n${wire}\n\n${chaos}\n\n${tail.trim()}\n`;
}

/** Rewrites `file` keeping whatever wire section it holds now (re-read right before writing). */
export function writeResults(file: string, head: string, tail: string): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, composeResults(previous, head, tail));
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
