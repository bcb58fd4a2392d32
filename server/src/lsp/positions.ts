import { ClientCapabilities, Position, PositionEncodingKind } from 'vscode-languageserver';
import { LineIndex, TextLike } from '../text/lines';

/** How LSP columns are counted: UTF-16 code units (the default), UTF-8 bytes or code points. */
export type PositionEncoding = 'utf-16' | 'utf-8' | 'utf-32';

const SUPPORTED: readonly string[] = [PositionEncodingKind.UTF16, PositionEncodingKind.UTF8, PositionEncodingKind.UTF32];

/** The client's most preferred encoding that lync-kst supports; UTF-16 when it names none (LSP's default). */
export function negotiateEncoding(client: ClientCapabilities): PositionEncoding {
  const offered = client.general?.positionEncodings ?? [];
  return (offered.find((e) => SUPPORTED.includes(e)) ?? PositionEncodingKind.UTF16) as PositionEncoding;
}

/** A text with its line index, converting between string offsets and positions in one encoding. */
export class PositionCodec {
  constructor(
    private readonly text: TextLike,
    private readonly lines: LineIndex,
    private readonly encoding: PositionEncoding,
  ) {}

  position(offset: number): Position {
    const p = this.lines.positionAt(offset);
    if (this.encoding === 'utf-16') return p;
    return { line: p.line, character: units(this.text.slice(offset - p.character, offset), this.encoding) };
  }

  /** A column past the line's end, or inside a character, lands on the nearest character boundary before it. */
  offset(position: Position): number {
    if (this.encoding === 'utf-16') return this.lines.offsetAt(position);
    const start = this.lines.offsetAt({ line: position.line, character: 0 });
    const line = this.text.slice(start, this.lines.lineEnd(Math.max(0, Math.min(position.line, this.lines.lineCount - 1))));
    let i = 0;
    let counted = 0;
    while (i < line.length) {
      const c = line.codePointAt(i) ?? 0;
      const w = width(c, this.encoding);
      if (counted + w > position.character) break;
      counted += w;
      i += c > 0xffff ? 2 : 1;
    }
    return start + i;
  }
}

/** Columns of a stretch of one line, in the encoding. */
function units(text: string, encoding: PositionEncoding): number {
  let n = 0;
  for (let i = 0; i < text.length;) {
    const c = text.codePointAt(i) ?? 0;
    n += width(c, encoding);
    i += c > 0xffff ? 2 : 1;
  }
  return n;
}

function width(codePoint: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-32') return 1;
  if (encoding === 'utf-16') return codePoint > 0xffff ? 2 : 1;
  // A lone surrogate is written as U+FFFD, three bytes.
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
