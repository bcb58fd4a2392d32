import { Analysis } from '../workspace/analyze';
import { applyEdits, overlaps } from '../fixes/edits';
import { brokenFiles, parseError, unsafeTarget } from '../fixes/check';
import { Fix, TextEdit } from '../fixes/model';
import { SourceFile } from '../text/source';

export interface FixOutcome {
  applied: Fix[];
  skipped: { fix: Fix; why: string }[];
  /** New contents per file that changed. */
  files: Map<SourceFile, SourceFile>;
}

/**
 * Chooses the preferred fix of every finding, drops fixes that touch a file lync-kst could
 * not read completely or that overlap an earlier one, and checks that each result still
 * parses. Nothing is written here.
 */
export function planFixes(analysis: Analysis): FixOutcome {
  const outcome: FixOutcome = { applied: [], skipped: [], files: new Map() };
  const broken = brokenFiles(analysis.findings);
  const taken = new Map<SourceFile, TextEdit[]>();
  const seen = new Set<string>();
  for (const finding of analysis.findings) {
    const fix = finding.fixes.map((id) => analysis.fixes.get(id)).find((f) => f?.preferred);
    if (!fix || seen.has(fix.id)) continue;
    seen.add(fix.id);
    const unsafe = unsafeTarget(fix, broken);
    if (unsafe) {
      outcome.skipped.push({ fix, why: unsafe });
      continue;
    }
    if (fix.changes.some((c) => overlaps(c.edits, taken.get(c.file) ?? []))) {
      outcome.skipped.push({ fix, why: 'it overlaps another fix; run fix again' });
      continue;
    }
    for (const c of fix.changes) taken.set(c.file, [...(taken.get(c.file) ?? []), ...c.edits]);
    outcome.applied.push(fix);
  }
  for (const [file, edits] of taken) {
    const next = file.withText(applyEdits(file.text, edits));
    // Parsed once per file, with every fix to it applied: a fix that breaks it drops them all.
    const error = parseError(next);
    if (error) {
      // Never write a file a fix would break: drop every fix that touches it.
      for (const fix of outcome.applied.filter((f) => f.changes.some((c) => c.file === file))) {
        outcome.applied.splice(outcome.applied.indexOf(fix), 1);
        outcome.skipped.push({ fix, why: `the result would not be well-formed (${error})` });
      }
      continue;
    }
    outcome.files.set(file, next);
  }
  for (const [file] of outcome.files) {
    if (!outcome.applied.some((f) => f.changes.some((c) => c.file === file))) outcome.files.delete(file);
  }
  return outcome;
}
