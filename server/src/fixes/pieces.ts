import { RemovedPiece } from './marker';

/** Context kept on each side of a removed piece's place. */
const CONTEXT = 48;

export interface Range { start: number; end: number }

/**
 * Where each removed range goes back, recorded against the text as it will be with the pieces
 * removed and the marker cut out (so nothing depends on the marker's own length). `marker` is
 * the range the marker comment replaces; ranges touching it belong to the marker's text.
 */
export function recordPieces(text: string, marker: Range, removed: (Range & { parent?: string })[]): RemovedPiece[] {
  const ranges = [...removed].sort((a, b) => a.start - b.start);
  const all = [...ranges, marker].sort((a, b) => a.start - b.start);
  // The text with every range cut out, and where each cut lands in it.
  const kept: string[] = [];
  const landing = new Map<Range, number>();
  let from = 0;
  let length = 0;
  for (const r of all) {
    kept.push(text.slice(from, r.start));
    length += r.start - from;
    landing.set(r, length);
    from = r.end;
  }
  kept.push(text.slice(from));
  const rest = kept.join('');
  const m0 = landing.get(marker)!;
  return ranges.map((r) => {
    const p0 = landing.get(r)!;
    return {
      text: text.slice(r.start, r.end),
      at: p0 - m0,
      before: rest.slice(Math.max(0, p0 - CONTEXT), p0),
      after: rest.slice(p0, p0 + CONTEXT),
      ...(r.parent ? { parent: r.parent } : {}),
    };
  });
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
      if (found < 0 || rest.indexOf(around, found + 1) >= 0) return `the text around where ${describePiece(piece)} was removed has changed since, so lync-kst cannot tell where it goes back`;
      p0 = found + piece.before.length;
    }
    // A piece at the marker's own place was after it (ranges touching the marker are part of its text).
    out.push(p0 < m0 || (p0 === m0 && piece.at < 0) ? p0 : p0 + length);
  }
  if (new Set(out).size !== out.length) return 'two removed pieces would go back to the same place';
  return out;
}

function describePiece(piece: RemovedPiece): string {
  const tag = /^\s*<([\w.:-]+)/.exec(piece.text)?.[1];
  return tag ? `a <${tag}> element` : `"${piece.text.trim().split(/\s+/)[0]}"`;
}
