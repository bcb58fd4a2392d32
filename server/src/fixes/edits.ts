import { TextEdit } from './model';

/** Applies non-overlapping edits; later offsets first so earlier ones stay valid. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function overlaps(a: TextEdit[], b: TextEdit[]): boolean {
  return a.some((x) => b.some((y) => x.start < y.end && y.start < x.end || (x.start === y.start && x.end === y.end)));
}

/**
 * Widens [start, end) to whole lines, line break included, when nothing but white space
 * shares those lines: deleting then leaves no blank line behind.
 */
export function wholeLines(text: string, start: number, end: number): { start: number; end: number; indent: string } {
  let s = start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  const atLineStart = s === 0 || text[s - 1] === '\n' || text[s - 1] === '\r';
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  const atLineEnd = e === text.length || text[e] === '\n' || text[e] === '\r';
  if (!atLineStart || !atLineEnd) return { start, end, indent: '' };
  if (text[e] === '\r') e++;
  if (text[e] === '\n') e++;
  return { start: s, end: e, indent: text.slice(s, start) };
}
