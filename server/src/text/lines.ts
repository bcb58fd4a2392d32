/** 0-based line and UTF-16 column, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

/** What the line index reads of a text: its length and stretches of it (a string, or a document made of pieces). */
export interface TextLike {
  readonly length: number;
  slice(start?: number, end?: number): string;
}

/**
 * Maps string offsets to line/column. CRLF, LF and lone CR each end one line, and columns
 * are UTF-16 code units (what JavaScript string indices already are), never bytes. The index
 * keeps where each line break starts and ends, so it answers without reading the text again.
 */
export class LineIndex {
  /** Where each line's break starts (its content ends) and where the next line starts. */
  private readonly breakStarts: number[];
  private readonly breakEnds: number[];
  private readonly length: number;

  constructor(text: string, known?: { breakStarts: number[]; breakEnds: number[]; length: number }) {
    if (known) {
      ({ breakStarts: this.breakStarts, breakEnds: this.breakEnds, length: this.length } = known);
      return;
    }
    const starts: number[] = [];
    const ends: number[] = [];
    // Without a lone CR every line ends in '\n' (LF or CRLF), and finding '\n' natively is several
    // times faster than a char loop.
    if (!/\r(?!\n)/.test(text)) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        starts.push(i > 0 && text.charCodeAt(i - 1) === 13 ? i - 1 : i);
        ends.push(i + 1);
      }
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        starts.push(i);
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        ends.push(i + 1);
      }
    }
    this.breakStarts = starts;
    this.breakEnds = ends;
    this.length = text.length;
  }

  /**
   * The index of `text`, which is this index's text with [start, end) replaced by `length`
   * characters: the breaks before the edit are kept, those after it shifted, and only the edited
   * stretch (with a character each side, where a CR and an LF may pair) is read. An editor's
   * document changes by keystrokes; rescanning 5 MB for each would be the cost of it.
   */
  afterEdit(text: TextLike, start: number, end: number, length: number): LineIndex {
    const delta = length - (end - start);
    const from = Math.max(0, start - 1);
    let hi = Math.min(text.length, start + length + 1);
    const base = Math.max(0, from - 1);
    const window = text.slice(base, Math.min(text.length, hi + 1));
    const at = (i: number): number => window.charCodeAt(i - base);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let k = 0; k < this.breakEnds.length && this.breakEnds[k] <= from; k++) {
      starts.push(this.breakStarts[k]);
      ends.push(this.breakEnds[k]);
    }
    for (let i = from; i < hi; i++) {
      const c = at(i);
      if (c === 10) {
        starts.push(i > 0 && at(i - 1) === 13 ? i - 1 : i);
        ends.push(i + 1);
      } else if (c === 13) {
        // A CR at the window's edge with an LF after it: the LF is read too, as one break.
        if (at(i + 1) === 10) {
          if (i + 1 === hi) hi++;
          continue;
        }
        starts.push(i);
        ends.push(i + 1);
      }
    }
    for (let k = 0; k < this.breakStarts.length; k++) {
      if (this.breakStarts[k] + delta < hi || this.breakStarts[k] < end) continue;
      starts.push(this.breakStarts[k] + delta);
      ends.push(this.breakEnds[k] + delta);
    }
    return new LineIndex('', { breakStarts: starts, breakEnds: ends, length: text.length });
  }

  get lineCount(): number {
    return this.breakEnds.length + 1;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    // The number of lines that start at or before o, minus one.
    let lo = 0;
    let hi = this.breakEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breakEnds[mid] <= o) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo, character: o - this.lineStart(lo) };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.length;
    const start = this.lineStart(position.line);
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  lineStart(line: number): number {
    return line === 0 ? 0 : this.breakEnds[line - 1];
  }

  /** Offset of the line's end, before its line break. */
  lineEnd(line: number): number {
    return line < this.breakStarts.length ? this.breakStarts[line] : this.length;
  }
}
