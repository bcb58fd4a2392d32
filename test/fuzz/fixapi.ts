/**
 * The harness's only contact with the fix API (planFixes, applyEdits, the Fix model), which is
 * being redesigned: adapt these two wrappers and nothing else in test/fuzz has to change.
 */
import { planFixes } from '../../server/src/cli/fix';
import { applyEdits } from '../../server/src/fixes/edits';
import { SourceFile } from '../../server/src/text/source';
import { Analysis } from '../../server/src/workspace/analyze';

export interface PlannedFixes {
  /** Ids of the fixes applied, to recognise a fix that keeps coming back. */
  applied: string[];
  /** The new version of every file that changed, keyed by the file as analysed. */
  files: Map<SourceFile, SourceFile>;
  /** The analysis of the files as the fixes leave them. */
  after: Analysis;
}

/**
 * What `lync-kst fix` would do to `files` (whose analysis is `analysis`): every preferred fix that
 * is safe, in as many rounds as it takes. With no fix offered there is nothing to plan, which
 * spares most broken inputs the analyses planning repeats.
 */
export function planAllFixes(files: SourceFile[], analysis: Analysis): PlannedFixes {
  if (analysis.fixes.size === 0) return { applied: [], files: new Map(), after: analysis };
  const outcome = planFixes(files, {});
  return { applied: outcome.applied.map((f) => f.id), files: outcome.files, after: outcome.after };
}

/** Applies one offered fix (by id) on its own, as the editor's quick fix does; the files it changed. */
export function applyOneFix(analysis: Analysis, id: string): Map<SourceFile, SourceFile> {
  const fix = analysis.fixes.get(id);
  if (!fix) throw new Error(`no fix ${id} offered`);
  return new Map(fix.changes.map((c) => [c.file, c.file.withText(applyEdits(c.file.text, c.edits))]));
}
