import { RemovedPiece } from './marker';

/** Context kept on each side of a removed piece's place, to start with; it grows until the place is unique. */
const CONTEXT = 48;
const MAX_CONTEXT = 4096;

export interface Range {
  start: number;
  end: number;
}

/**
 * Where each removed range goes back, recorded against the text as it will be with the pieces
 * removed and the marker cut out (so nothing depends on the marker's own length). `marker` is
 * the range the marker comment replaces. The text kept around each place is made long enough
 * to occur only once, so the place is found again however the rest of the file moves.
 * `guards` are the ranges of `text` that text comes from: another fix must leave them alone.
 */
export function recordPieces(
  text: string,
  marker: Range,
  removed: (Range & { parent?: string })[],
): { pieces: RemovedPiece[]; guards: Range[] } {
  // Ranges that touch would land on one place: they go back as one piece, in their order.
  const ranges: (Range & { parent?: string })[] = [];
  for (const r of [...removed].sort((a, b) => a.start - b.start)) {
    const last = ranges[ranges.length - 1];
    if (last && last.end === r.start && last.parent === r.parent) ranges[ranges.length - 1] = { ...last, end: r.end };
    else ranges.push(r);
  }
  // Where each cut lands in the text with every cut made.
  const place = { ...marker, at: 0 };
  const cuts = ranges.map((r) => ({ ...r, at: 0 }));
  const all = [...cuts, place].sort((a, b) => a.start - b.start);
  const kept: string[] = [];
  let from = 0;
  let length = 0;
  for (const r of all) {
    kept.push(text.slice(from, r.start));
    length += r.start - from;
    r.at = length;
    from = r.end;
  }
  kept.push(text.slice(from));
  const rest = kept.join('');
  const guards: Range[] = [];
  const pieces = cuts.map((r) => {
    const { before, after } = uniqueContext(rest, r.at);
    guards.push({ start: inText(all, r.at - before.length, 'left'), end: inText(all, r.at + after.length, 'right') });
    return { text: text.slice(r.start, r.end), at: r.at - place.at, before, after, ...(r.parent ? { parent: r.parent } : {}) };
  });
  return { pieces, guards };
}

/**
 * Offsets in `text` (which holds the marker at `marker`) where each piece goes back, or why
 * one cannot be found: first where the file as left by Option 1 has it, then, if the file
 * changed since, the one place whose text around it is still the same.
 */
export function locatePieces(text: string, marker: Range, pieces: RemovedPiece[]): number[] | string {
  const rest = text.slice(0, marker.start) + text.slice(marker.end);
  const m0 = marker.start;
  const length = marker.end - marker.start;
  const out: number[] = [];
  for (const piece of pieces) {
    let p0 = m0 + piece.at;
    if (!(p0 >= 0 && rest.startsWith(piece.before, p0 - piece.before.length) && rest.startsWith(piece.after, p0))) {
      const around = piece.before + piece.after;
      const found = rest.indexOf(around);
      if (found < 0 || rest.indexOf(around, found + 1) >= 0)
        return `the text around where ${describePiece(piece)} was removed has changed since, so lync-kst cannot tell where it goes back`;
      p0 = found + piece.before.length;
    }
    // A piece at the marker's own place was after it (ranges touching the marker are part of its text).
    out.push(p0 < m0 || (p0 === m0 && piece.at < 0) ? p0 : p0 + length);
  }
  if (new Set(out).size !== out.length) return 'two removed pieces would go back to the same place';
  return out;
}

/** The ranges a restore depends on: around each place a piece goes back to. */
export function restoreGuards(pieces: RemovedPiece[], places: number[]): Range[] {
  return pieces.map((p, i) => ({ start: Math.max(0, places[i] - p.before.length), end: places[i] + p.after.length }));
}

function uniqueContext(rest: string, p0: number): { before: string; after: string } {
  for (let len = CONTEXT; ; len *= 2) {
    const before = rest.slice(Math.max(0, p0 - len), p0);
    const after = rest.slice(p0, p0 + len);
    const both = before + after;
    if (len >= MAX_CONTEXT || rest.indexOf(both, rest.indexOf(both) + 1) < 0) return { before, after };
  }
}

/** The offset in the original text of an offset in the text with `cuts` removed; at a cut, its start (`left`) or its end. */
function inText(cuts: Range[], offset: number, side: 'left' | 'right'): number {
  let removed = 0;
  for (const r of cuts) {
    const at = r.start - removed;
    if (offset < at || (offset === at && side === 'left')) break;
    removed += r.end - r.start;
  }
  return offset + removed;
}

function describePiece(piece: RemovedPiece): string {
  const tag = /^\s*<([\w.:-]+)/.exec(piece.text)?.[1];
  return tag ? `a <${tag}> element` : `"${piece.text.trim().split(/\s+/)[0]}"`;
}
