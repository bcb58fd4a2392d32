import { at } from '../collections';
import { Analysis, analyze, AnalysisOptions } from '../workspace/analyze';
import { Occupied } from '../fixes/edits';
import { brokenFiles, unsafeTarget } from '../fixes/check';
import { EditIntent, Fix, TextEdit } from '../fixes/model';
import { checkEdit } from '../fixes/verify';
import { Range } from '../fixes/pieces';
import { SourceFile } from '../text/source';

export interface FixOutcome {
  applied: Fix[];
  skipped: { fix: Fix; why: string }[];
  /** The new contents of every file that changed, by the file as it was read. */
  files: Map<SourceFile, SourceFile>;
  /** The analysis of the files as the fixes leave them. */
  after: Analysis;
}

/** Every round applies at least one fix, and no fix twice; this only stops a cycle between fixes. */
const MAX_ROUNDS = 1000;

/**
 * Applies the preferred fix of every finding, in memory, round after round until nothing is
 * left to fix: a fix that overlaps another, or the text another relies on, waits for the next
 * round. In each round, a fix that touches a file lync-kst could not read, or whose result is
 * not exactly what it means to do (checked by structure, with every fix to that file applied),
 * is dropped from every file it touches: a fix is made everywhere or nowhere. Nothing is written here.
 */
export function planFixes(files: SourceFile[], options: AnalysisOptions): FixOutcome {
  let current = files;
  let analysis = analyze(current, options);
  const applied: Fix[] = [];
  const skipped = new Map<string, { fix: Fix; why: string }>();
  const done = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { chosen, next } = choose(analysis, done, skipped);
    if (chosen.length === 0) break;
    for (const fix of chosen) {
      applied.push(fix);
      done.add(`${fix.id}|${fix.title}`);
      skipped.delete(fix.id);
    }
    current = current.map((f) => next.get(f) ?? f);
    analysis = analyze(current, options);
  }
  const changed = new Map<SourceFile, SourceFile>();
  files.forEach((f, i) => {
    if (current[i] !== f) changed.set(f, current[i]);
  });
  return { applied, skipped: [...skipped.values()], files: changed, after: analysis };
}

/**
 * The fixes of one round: preferred, safe, not touching each other's edits or the text another
 * relies on (its guards), and each file's combined result verified; with the files they make.
 */
function choose(
  analysis: Analysis,
  done: Set<string>,
  skipped: Map<string, { fix: Fix; why: string }>,
): { chosen: Fix[]; next: Map<SourceFile, SourceFile> } {
  const broken = brokenFiles(analysis.findings);
  const taken = new Map<SourceFile, Occupied>();
  const guarded = new Map<SourceFile, Range[]>();
  let chosen: Fix[] = [];
  const seen = new Set<Fix>();
  for (const finding of analysis.findings) {
    const fix = finding.fixes.map((id) => analysis.fixes.get(id)).find((f) => f?.preferred);
    if (!fix || seen.has(fix)) continue;
    seen.add(fix);
    if (done.has(`${fix.id}|${fix.title}`)) {
      skipped.set(fix.id, { fix, why: 'applying it did not resolve the finding' });
      continue;
    }
    const unsafe = unsafeTarget(fix, broken);
    if (unsafe) {
      skipped.set(fix.id, { fix, why: unsafe });
      continue;
    }
    const occupied = fix.changes.map((c) => taken.get(c.file) ?? new Occupied());
    // Checked in every file before any takes its edits, so a fix is taken in all its files or none;
    // one that clashes waits for the next round, when the other's result is the text it works on.
    const clashes = fix.changes.some(
      (c, i) => !occupied[i].fits(c.edits) || touches(c.edits, guarded.get(c.file) ?? []) || (c.guards && occupied[i].touches(c.guards)),
    );
    if (clashes) continue;
    fix.changes.forEach((c, i) => {
      occupied[i].add(c.edits);
      taken.set(c.file, occupied[i]);
      if (c.guards) {
        const list = at(guarded, c.file, () => []);
        for (const g of c.guards) list.push(g);
      }
    });
    chosen.push(fix);
  }
  // The longest run of the chosen fixes whose combined results all pass goes ahead; the rest wait
  // for the next round. A fix that fails on its own is dropped, with why, from every file it touches.
  for (;;) {
    const all = verified(chosen);
    if (!('problem' in all)) return { chosen, next: all.next };
    let lo = 0;
    let hi = chosen.length - 1;
    let best: { k: number; next: Map<SourceFile, SourceFile> } = { k: 0, next: new Map() };
    while (lo <= hi) {
      const mid = (lo + hi + 1) >> 1;
      const r = verified(chosen.slice(0, mid));
      if ('problem' in r) hi = mid - 1;
      else {
        best = { k: mid, next: r.next };
        lo = mid + 1;
      }
      if (mid === 0) break;
    }
    if (best.k > 0) return { chosen: chosen.slice(0, best.k), next: best.next };
    const [first, ...rest] = chosen;
    const alone = verified([first]);
    skipped.set(first.id, { fix: first, why: 'problem' in alone ? alone.problem : 'it does not combine with the other fixes' });
    chosen = rest;
    if (chosen.length === 0) return { chosen, next: new Map() };
  }
}

/** Each file's result with every one of the fixes to it applied, or the first file's problem. */
function verified(fixes: Fix[]): { next: Map<SourceFile, SourceFile> } | { problem: string } {
  const next = new Map<SourceFile, SourceFile>();
  for (const [file, { edits, intent }] of byFile(fixes)) {
    const { after, problem } = checkEdit(file, edits, intent);
    if (problem) return { problem: `${file.path}: ${problem}` };
    next.set(file, after);
  }
  return { next };
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

/** Whether an edit changes text inside one of the ranges (an insertion at a range's edge does not). */
function touches(edits: TextEdit[], ranges: Range[]): boolean {
  return edits.some((e) =>
    ranges.some((r) => (e.start < r.end && r.start < e.end) || (e.start === e.end && r.start < e.start && e.start < r.end)),
  );
}
