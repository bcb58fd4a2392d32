import { TextEdit } from './model';

/** Applies non-overlapping edits in one pass over the text, however many there are. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.newText);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * The ranges of one file that fixes already edit, kept sorted: a fix whose edits touch one of
 * them waits for the next round. Edits mostly arrive in file order, so adding is usually O(1).
 */
export class Occupied {
  private readonly ranges: TextEdit[] = [];

  /** No edit overlaps a taken range (two insertions at one place do). */
  fits(edits: TextEdit[]): boolean {
    return !edits.some((e) => this.clashes(e));
  }

  /** Some taken range changes text inside one of these (an insertion at a range's edge does not). */
  touches(ranges: { start: number; end: number }[]): boolean {
    return ranges.some((g) => {
      for (let i = this.firstEndingAfter(g.start); i < this.ranges.length && this.ranges[i].start < g.end; i++) {
        const r = this.ranges[i];
        if (r.end > g.start || r.start > g.start) return true;
      }
      return false;
    });
  }

  add(edits: TextEdit[]): void {
    for (const e of edits) this.insert(e);
  }

  private clashes(e: TextEdit): boolean {
    const i = this.firstEndingAfter(e.start);
    const r = this.ranges[i];
    if (r && r.start < e.end) return true;
    // A zero-width edit at the start of the next range, or at the same place as another insertion.
    return !!r && r.start === e.start && (r.end === r.start || e.end === e.start);
  }

  private insert(e: TextEdit): void {
    const last = this.ranges[this.ranges.length - 1];
    if (!last || last.end <= e.start) this.ranges.push(e);
    else this.ranges.splice(this.firstEndingAfter(e.start), 0, e);
  }

  /** Index of the first range whose end is after `offset` (or that starts there, for insertions). */
  private firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (r.end > offset || (r.end === offset && r.start === offset)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
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
