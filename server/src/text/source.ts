import { decode, DecodedText, Encoding } from './encoding';
import { LineIndex } from './lines';

/** Where a file read from disk came from, so a fix can write it back safely. */
export interface DiskOrigin {
  /** The real path, links followed: where a fix writes. */
  realPath: string;
  /** SHA-256 (hex) of the bytes read: a fix writes only while the file on disk still has them. */
  sha256: string;
  /** Permission bits, kept when a fix replaces the file. */
  mode: number;
  /** Named explicitly (on the command line), not found by a folder scan. */
  named: boolean;
}

/** One input file, decoded. Offsets everywhere in the engine are indices into `text`. */
export class SourceFile {
  private lineIndex?: LineIndex;
  /** Set when the file was not read because it is over the size limit. */
  tooLarge?: { size: number; limit: number };
  /** Set when the file could not be read at all (not a regular file, permission denied, ...): why. */
  unreadable?: string;
  /** Set by the loader for files read from disk. */
  disk?: DiskOrigin;

  constructor(
    /** Display path (CLI) or URI (language server); the key the file is known by. */
    readonly path: string,
    readonly text: string,
    readonly encoding: Encoding = { name: 'utf-8', bom: false },
    /** False when writing `text` back would not reproduce the bytes it came from. */
    readonly lossless = true,
    readonly binary = false,
  ) {}

  static fromBytes(path: string, bytes: Uint8Array): SourceFile {
    const d: DecodedText = decode(bytes);
    return new SourceFile(path, d.text, d.encoding, d.lossless, d.binary);
  }

  /** A file that was not read (over the size limit) but looked like one of ours. */
  static skipped(path: string, size: number, limit: number): SourceFile {
    const f = new SourceFile(path, '');
    f.tooLarge = { size, limit };
    return f;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  /** A file that was found but could not be read, with why; it gets a finding instead of being dropped. */
  static unreadableFile(path: string, why: string): SourceFile {
    const f = new SourceFile(path, '');
    f.unreadable = why;
    return f;
  }

  /** A copy with new text and the same encoding and origin, as a fix produces it. */
  withText(text: string): SourceFile {
    const f = new SourceFile(this.path, text, this.encoding, this.lossless, this.binary);
    f.disk = this.disk;
    return f;
  }
}

/** A stretch of one file. */
export interface Span {
  file: SourceFile;
  start: number;
  end: number;
}

/** A value read from an input, with where it was written. */
export interface Token {
  value: string;
  span: Span;
}

export function span(file: SourceFile, start: number, end: number): Span {
  return { file, start, end };
}

const writtenAsRead = new WeakMap<Token, boolean>();

/** Characters [from, to) of a token's value, positioned inside it when no escape or reference shifts the offsets. */
export function partOf(t: Token, from: number, to: number): Token {
  const value = t.value.slice(from, to);
  // Once per token: an event message names thousands of servers, each a part of it.
  let asWritten = writtenAsRead.get(t);
  if (asWritten === undefined) writtenAsRead.set(t, (asWritten = t.span.file.text.slice(t.span.start, t.span.end) === t.value));
  return { value, span: asWritten ? { ...t.span, start: t.span.start + from, end: t.span.start + to } : t.span };
}

/** 1-based, as editors and CI annotations show them. */
export function location(s: Span): { line: number; column: number; endLine: number; endColumn: number } {
  const a = s.file.lines.positionAt(s.start);
  const b = s.file.lines.positionAt(s.end);
  return { line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}
