import { TextLike } from './lines';

/** Past this many pieces the text is joined into one again, so an edit never walks a long list. */
const MAX_PIECES = 256;

/**
 * A text kept as the pieces edits left it: an edit shares the unchanged pieces and slices at most
 * one (V8 slices a flat string without copying), and the whole text is joined only when someone
 * reads it whole. A keystroke in a 5 MB document then costs what the keystroke is, not 5 MB.
 */
export class PieceText implements TextLike {
  private joined?: string;

  private constructor(
    private readonly pieces: readonly string[],
    readonly length: number,
  ) {
    if (pieces.length === 1) this.joined = pieces[0];
  }

  static of(text: string): PieceText {
    return new PieceText([text], text.length);
  }

  /** [start, end) replaced by `text`. */
  edit(start: number, end: number, text: string): PieceText {
    const out: string[] = [];
    let offset = 0;
    let placed = false;
    for (const p of this.pieces) {
      const pEnd = offset + p.length;
      // The part of the piece before the edit, the edit once, the part after it.
      if (offset < start) out.push(pEnd <= start ? p : p.slice(0, start - offset));
      if (!placed && pEnd >= start) {
        if (text) out.push(text);
        placed = true;
      }
      if (pEnd > end) out.push(offset >= end ? p : p.slice(end - offset));
      offset = pEnd;
    }
    if (!placed && text) out.push(text);
    const next = new PieceText(out, this.length - (end - start) + text.length);
    return out.length > MAX_PIECES ? PieceText.of(next.toString()) : next;
  }

  slice(start = 0, end = this.length): string {
    if (this.joined !== undefined) return this.joined.slice(start, end);
    const parts: string[] = [];
    let offset = 0;
    for (const p of this.pieces) {
      const pEnd = offset + p.length;
      if (pEnd > start && offset < end) parts.push(p.slice(Math.max(0, start - offset), Math.min(p.length, end - offset)));
      if (pEnd >= end) break;
      offset = pEnd;
    }
    return parts.join('');
  }

  toString(): string {
    return (this.joined ??= this.pieces.join(''));
  }
}
