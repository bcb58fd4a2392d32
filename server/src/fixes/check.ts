import { SourceFile } from '../text/source';
import { readInput } from '../workspace/inputs';
import { applyEdits } from './edits';
import { Fix } from './model';

/**
 * Why a fix must not be applied as it stands, or undefined when it is safe: it would rewrite
 * a file lync-kst could not read completely (XML001, lossy decoding), or a file it changes
 * would no longer parse. The language server asks before it offers a fix; the CLI, which applies
 * several fixes to one file, asks `unsafeTarget` first and parses each file once at the end.
 */
export function fixProblem(fix: Fix, broken: ReadonlySet<SourceFile>): string | undefined {
  const unsafe = unsafeTarget(fix, broken);
  if (unsafe) return unsafe;
  for (const c of fix.changes) {
    const error = parseError(c.file.withText(applyEdits(c.file.text, c.edits)));
    if (error) return `the result would not be well-formed (${error})`;
  }
  return undefined;
}

/** Why the fix must not touch one of its files (XML001, lossy decoding), before any edit is tried. */
export function unsafeTarget(fix: Fix, broken: ReadonlySet<SourceFile>): string | undefined {
  const unsafe = fix.changes.find((c) => broken.has(c.file) || !c.file.lossless);
  return unsafe && `${unsafe.file.path} could not be read completely, so it is not rewritten`;
}

/** The parse error a file's new text would raise, if any. */
export function parseError(file: SourceFile): string | undefined {
  const input = readInput(file);
  const error = input && (input.kind === 'topology' || input.kind === 'clixml' ? input.doc.error : input.kind === 'dialplan-json' ? input.error : undefined);
  return error?.message;
}

/** Files with XML001: a fix never rewrites what could not be parsed. */
export function brokenFiles(findings: { code: string; span: { file: SourceFile } }[]): Set<SourceFile> {
  return new Set(findings.filter((f) => f.code === 'XML001').map((f) => f.span.file));
}
