import { SourceFile } from '../text/source';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * What a file's edits mean for its structure, stated by the fix that makes them and checked
 * (fixes/verify.ts) before anything is offered or written. Ranges are in the file as it is.
 */
export interface EditIntent {
  /** Whole elements or statements the fix removes. */
  removes: { start: number; end: number }[];
  /** Texts the fix puts in that hold elements or statements, and for XML the element they go into. */
  inserts: { text: string; parent?: string }[];
  /** Values the fix rewrites in place (an attribute value, a script literal, a JSON string). */
  changes: { start: number; end: number }[];
}

export interface FileEdit {
  file: SourceFile;
  edits: TextEdit[];
  intent: EditIntent;
  /** Ranges of the file whose text the fix records or relies on (Option 1's pieces): no other fix may edit them in the same pass. */
  guards?: { start: number; end: number }[];
}

/** A fix as text edits, possibly across files; the CLI applies it, the server offers it. */
export interface Fix {
  /** Stable within one analysis, so findings can refer to it. */
  id: string;
  /** The code of the finding it resolves. */
  code: string;
  title: string;
  preferred: boolean;
  /** Every file the fix touches, known before its edits are made. */
  files: SourceFile[];
  /** The edits, per file: applied to all of them or to none. */
  changes: FileEdit[];
  /** What it changed, in a sentence the CLI prints. */
  summary: string;
  /** The normalised FQDN the fix is about: a file lync-kst could not read past a break that names it blocks the fix. */
  subject?: string;
}

/** A fix whose edits are made the first time they are read: most fixes an analysis offers are never used. */
export function lazyChanges(fix: Omit<Fix, 'changes'>, make: () => FileEdit[]): Fix {
  let made: FileEdit[] | undefined;
  return Object.defineProperty({ ...fix }, 'changes', { get: () => (made ??= make()), enumerable: true }) as Fix;
}

/** A fix that rewrites one value in place: FQDN002's respelling, TAP001's port. */
export function valueFix(fix: Omit<Fix, 'changes' | 'files'>, file: SourceFile, start: number, end: number, newText: string): Fix {
  const intent = { removes: [], inserts: [], changes: [{ start, end }] };
  return { ...fix, files: [file], changes: [{ file, edits: [{ start, end, newText }], intent }] };
}
