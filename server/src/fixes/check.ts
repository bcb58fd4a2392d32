import { SourceFile } from '../text/source';
import { Fix } from './model';
import { editProblem } from './verify';

/** Files lync-kst could not read to the end, with where reading stopped. */
export type Broken = ReadonlyMap<SourceFile, number>;

/**
 * Why a fix must not be applied as it stands, or undefined when it is safe: it would rewrite
 * a file lync-kst could not read completely, a file it could not read completely names the fix's
 * server (so the fix may be incomplete), or one of its files
 * would not come out with exactly the intended structure. All of a fix's files pass, or none
 * is written.
 */
export function fixProblem(fix: Fix, broken: Broken): string | undefined {
  const unsafe = unsafeTarget(fix, broken);
  if (unsafe) return unsafe;
  for (const c of fix.changes) {
    const problem = editProblem(c.file, c.edits, c.intent);
    if (problem) return `${c.file.path}: ${problem}`;
  }
  return undefined;
}

/** Why the fix must not touch its files, before any edit is tried. */
export function unsafeTarget(fix: Fix, broken: Broken): string | undefined {
  const unsafe = fix.changes.find((c) => broken.has(c.file) || !c.file.lossless);
  if (unsafe) return `${unsafe.file.path} could not be read completely, so it is not rewritten`;
  if (fix.subject) {
    const needle = fix.subject.toLowerCase();
    // Anywhere in the file: a pool's Cluster read before the break can have its service after it.
    for (const [file, at] of broken) {
      if (file.text.toLowerCase().includes(needle)) {
        return (
          `${file.path} could not be read past line ${file.lines.positionAt(at).line + 1} and names ${fix.subject}: the fix could ` +
          `miss what is written there, so it is not made in any file`
        );
      }
    }
  }
  return undefined;
}

/** Files with XML001 and where each breaks: a fix never rewrites what could not be parsed. */
export function brokenFiles(findings: { code: string; span: { file: SourceFile; start: number } }[]): Map<SourceFile, number> {
  const out = new Map<SourceFile, number>();
  for (const f of findings) if (f.code === 'XML001' && !out.has(f.span.file)) out.set(f.span.file, f.span.start);
  return out;
}
