import { Analysis, analyze, AnalysisOptions } from '../workspace/analyze';
import { applyEdits, Occupied } from '../fixes/edits';
import { brokenFiles, unsafeTarget } from '../fixes/check';
import { EditIntent, Fix, TextEdit } from '../fixes/model';
import { editProblem } from '../fixes/verify';
import { SourceFile } from '../text/source';

export interface FixOutcome {
  applied: Fix[];
  skipped: { fix: Fix; why: string }[];
  /** The new contents of every file that changed, by the file as it was read. */
  files: Map<SourceFile, SourceFile>;
  /** The analysis of the files as the fixes leave them. */
  after: Analysis;
}

/** Enough for fixes that uncover other fixes (a restore that makes room for another); a cycle stops here too. */
const MAX_ROUNDS = 8;

/**
 * Applies the preferred fix of every finding, in memory, round after round until nothing is
 * left to fix: a fix that overlaps another waits for the next round, and a pool whose piece
 * goes back where another pool's did is restored after it. In each round, a fix that touches a
 * file lync-kst could not read, or whose result is not exactly what it means to do (checked by
 * structure, with every fix to that file applied), is dropped from every file it touches: a
 * fix is made everywhere or nowhere. Nothing is written here.
 */
export function planFixes(files: SourceFile[], options: AnalysisOptions): FixOutcome {
  let current = files;
  let analysis = analyze(current, options);
  const applied: Fix[] = [];
  const skipped = new Map<string, { fix: Fix; why: string }>();
  const done = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const chosen = choose(analysis, done, skipped);
    if (chosen.length === 0) break;
    const next = new Map<SourceFile, SourceFile>();
    for (const [file, text] of combine(chosen)) next.set(file, file.withText(text));
    for (const fix of chosen) {
      applied.push(fix);
      done.add(`${fix.id}|${fix.title}`);
      skipped.delete(fix.id);
    }
    current = current.map((f) => next.get(f) ?? f);
    analysis = analyze(current, options);
  }
  const changed = new Map<SourceFile, SourceFile>();
  files.forEach((f, i) => { if (current[i] !== f) changed.set(f, current[i]); });
  return { applied, skipped: [...skipped.values()], files: changed, after: analysis };
}

/** The fixes of one round: preferred, safe, not overlapping, and each file's combined result verified. */
function choose(analysis: Analysis, done: Set<string>, skipped: Map<string, { fix: Fix; why: string }>): Fix[] {
  const broken = brokenFiles(analysis.findings);
  const taken = new Map<SourceFile, Occupied>();
  const exclusive = new Set<SourceFile>();
  let chosen: Fix[] = [];
  for (const finding of analysis.findings) {
    const fix = finding.fixes.map((id) => analysis.fixes.get(id)).find((f) => f?.preferred);
    if (!fix || chosen.includes(fix)) continue;
    if (done.has(`${fix.id}|${fix.title}`)) {
      skipped.set(fix.id, { fix, why: 'applying it did not resolve the finding' });
      continue;
    }
    const unsafe = unsafeTarget(fix, broken);
    if (unsafe) {
      skipped.set(fix.id, { fix, why: unsafe });
      continue;
    }
    // A fix that records positions shares its files with no other fix in a round; it waits, or they do.
    if (fix.changes.some((c) => exclusive.has(c.file) || (fix.exclusive && taken.has(c.file)))) continue;
    const occupied = fix.changes.map((c) => taken.get(c.file) ?? new Occupied());
    // Checked in every file before any takes its edits, so a fix is taken in all its files or none.
    if (!fix.changes.every((c, i) => occupied[i].fits(c.edits))) continue; // next round
    fix.changes.forEach((c, i) => {
      occupied[i].add(c.edits);
      taken.set(c.file, occupied[i]);
      if (fix.exclusive) exclusive.add(c.file);
    });
    chosen.push(fix);
  }
  // Drop every fix that touches a file whose combined result fails, until all that is left passes.
  for (;;) {
    const failing = new Map<SourceFile, string>();
    for (const [file, { edits, intent }] of byFile(chosen)) {
      const problem = editProblem(file, edits, intent);
      if (problem) failing.set(file, problem);
    }
    if (failing.size === 0) return chosen;
    chosen = chosen.filter((fix) => {
      const bad = fix.changes.find((c) => failing.has(c.file));
      if (bad) skipped.set(fix.id, { fix, why: `${bad.file.path}: ${failing.get(bad.file)}` });
      return !bad;
    });
  }
}

function byFile(fixes: Fix[]): Map<SourceFile, { edits: TextEdit[]; intent: EditIntent }> {
  const out = new Map<SourceFile, { edits: TextEdit[]; intent: EditIntent }>();
  for (const fix of fixes) {
    for (const c of fix.changes) {
      const o = out.get(c.file) ?? { edits: [], intent: { removes: [], inserts: [], changes: [] } };
      for (const e of c.edits) o.edits.push(e);
      for (const r of c.intent.removes) o.intent.removes.push(r);
      for (const i of c.intent.inserts) o.intent.inserts.push(i);
      for (const x of c.intent.changes) o.intent.changes.push(x);
      out.set(c.file, o);
    }
  }
  return out;
}

function combine(fixes: Fix[]): Map<SourceFile, string> {
  const out = new Map<SourceFile, string>();
  for (const [file, { edits }] of byFile(fixes)) out.set(file, applyEdits(file.text, edits));
  return out;
}
