// Java `Properties.load` as ZooKeeper uses it for zoo.cfg, dynamic files and notification
// config text: comments, separators, escapes and continuations, with the line each entry starts on.

import { QuorumConfigError } from './errors.js';

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line on which the logical line of this entry starts. */
  line: number;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f';

/**
 * Split `text` into entries in file order (duplicates are kept; Java keeps the last).
 * Throws QuorumConfigError('SYNTAX') only for a malformed \uXXXX escape, which Java rejects.
 */
export function loadProperties(text: string, file?: string): PropertyEntry[] {
  const entries: PropertyEntry[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 1;
  while (pos < n) {
    const startLine = lineNo;
    // Skip leading blanks of the first natural line.
    while (pos < n && isBlank(text[pos])) pos++;
    if (pos >= n) break;
    const first = text[pos];
    if (first === '\n' || first === '\r') {
      pos = endOfLine(text, pos);
      lineNo++;
      continue;
    }
    if (first === '#' || first === '!') {
      // A comment ends at its own line end; a trailing backslash does not continue it.
      while (pos < n && text[pos] !== '\n' && text[pos] !== '\r') pos++;
      if (pos < n) {
        pos = endOfLine(text, pos);
        lineNo++;
      }
      continue;
    }
    // Collect the logical line: natural lines joined while they end in an odd number of '\'.
    let logical = '';
    for (;;) {
      let end = pos;
      while (end < n && text[end] !== '\n' && text[end] !== '\r') end++;
      const natural = text.slice(pos, end);
      let slashes = 0;
      for (let i = natural.length - 1; i >= 0 && natural[i] === '\\'; i--) slashes++;
      const continues = slashes % 2 === 1;
      logical += continues ? natural.slice(0, -1) : natural;
      pos = end < n ? endOfLine(text, end) : end;
      if (end < n) lineNo++;
      if (!continues || end >= n) break;
      while (pos < n && isBlank(text[pos])) pos++;
    }
    entries.push(splitEntry(logical, startLine, file));
  }
  return entries;
}

function endOfLine(text: string, pos: number): number {
  if (text[pos] === '\r' && text[pos + 1] === '\n') return pos + 2;
  return pos + 1;
}

function splitEntry(line: string, lineNo: number, file: string | undefined): PropertyEntry {
  const limit = line.length;
  let keyLen = 0;
  let valueStart = limit;
  let hasSep = false;
  let escaped = false;
  while (keyLen < limit) {
    const c = line[keyLen];
    if ((c === '=' || c === ':') && !escaped) {
      valueStart = keyLen + 1;
      hasSep = true;
      break;
    }
    if (isBlank(c) && !escaped) {
      valueStart = keyLen + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
    keyLen++;
  }
  while (valueStart < limit) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (!hasSep && (c === '=' || c === ':')) hasSep = true;
      else break;
    }
    valueStart++;
  }
  const key = unescape(line.slice(0, keyLen), lineNo, file);
  const value = unescape(line.slice(valueStart), lineNo, file);
  return { key, value, line: lineNo };
}

function unescape(s: string, lineNo: number, file: string | undefined): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= s.length) break; // a lone trailing backslash vanishes, as in Java
    const e = s[i];
    if (e === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new QuorumConfigError(
          'SYNTAX',
          `malformed \\uxxxx escape: expected 4 hex digits after \\u, got ${JSON.stringify(hex)}`,
          { file, line: lineNo },
        );
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (e === 't') out += '\t';
    else if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 'f') out += '\f';
    else out += e;
  }
  return out;
}
