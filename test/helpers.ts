import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Finding } from '../server/src/rules/finding';
import { encode, Encoding } from '../server/src/text/encoding';
import { SourceFile } from '../server/src/text/source';
import { analyze, Analysis, AnalysisOptions } from '../server/src/workspace/analyze';
import { applyEdits } from '../server/src/fixes/edits';
import { Fix } from '../server/src/fixes/model';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SAMPLES = path.join(ROOT, 'test', 'fixtures', 'samples');
export const EXAMPLE = path.join(ROOT, 'examples', 'contoso');

/** A fixture that is not part of the example workspace (a clean topology, a CLIXML export). */
export function sample(name: string): string {
  return readFileSync(path.join(SAMPLES, name), 'utf8');
}

/** A file of the example workspace, examples/contoso: the seed conflict. */
export function example(name: 'topology.xml' | 'contoso.umdialplans.json' | 'new-owa-trusted-app.ps1'): string {
  return readFileSync(path.join(EXAMPLE, name), 'utf8');
}

/** Files as the loader would produce them, from text (UTF-8 unless an encoding is given). */
export function files(spec: Record<string, string | { text: string; encoding: Encoding }>): SourceFile[] {
  return Object.entries(spec).map(([name, v]) =>
    typeof v === 'string' ? SourceFile.fromBytes(name, Buffer.from(v, 'utf8')) : SourceFile.fromBytes(name, encode(v.text, v.encoding)!),
  );
}

export function run(spec: Parameters<typeof files>[0], options?: AnalysisOptions): Analysis {
  return analyze(files(spec), options);
}

/** What a user sees of a finding: file, 1-based line:col, code, severity and the underlined text. */
export interface Seen {
  file: string;
  line: number;
  col: number;
  code: string;
  severity: string;
  text: string;
}

export function seen(f: Finding): Seen {
  const p = f.span.file.lines.positionAt(f.span.start);
  return {
    file: f.span.file.path,
    line: p.line + 1,
    col: p.character + 1,
    code: f.code,
    severity: f.severity,
    text: f.span.file.text.slice(f.span.start, f.span.end),
  };
}

export function codes(a: Analysis, code: string): Seen[] {
  return a.findings.filter((f) => f.code === code).map(seen);
}

/** 1-based line of the first occurrence of `needle` in `text` (after `from` occurrences of `after`). */
export function lineOf(text: string, needle: string, after?: string): number {
  const start = after ? text.indexOf(after) : 0;
  const at = text.indexOf(needle, start);
  if (at < 0) throw new Error(`fixture has no ${needle}`);
  return text.slice(0, at).split(/\r\n|\r|\n/).length;
}

/** Applies one fix to every file it touches, as the CLI does, and returns the new files. */
export function applyFix(all: SourceFile[], fix: Fix): SourceFile[] {
  return all.map((f) => {
    const change = fix.changes.find((c) => c.file === f);
    return change ? f.withText(applyEdits(f.text, change.edits)) : f;
  });
}

export function fixFor(a: Analysis, f: Finding): Fix {
  const id = f.fixes[0];
  const fix = id === undefined ? undefined : a.fixes.get(id);
  if (!fix) throw new Error(`no fix offered for ${f.code} ${f.message}`);
  return fix;
}
