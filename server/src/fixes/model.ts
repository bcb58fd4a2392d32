import type { Code } from '../rules/catalogue';
import { SourceFile } from '../text/source';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface FileEdit {
  file: SourceFile;
  edits: TextEdit[];
}

/** A fix as text edits, possibly across files; the CLI applies it, the server offers it. */
export interface Fix {
  /** Stable within one analysis, so findings can refer to it. */
  id: string;
  code: Code;
  title: string;
  preferred: boolean;
  changes: FileEdit[];
  /** What it changed, in a sentence the CLI prints. */
  summary: string;
}
