/**
 * What must hold for any input, however broken: the engine does not throw, its findings point
 * into the files, its output stays linear in the input, and `lync-kst fix` leaves files that
 * still parse and reaches a fixed point.
 */
import { performance } from 'node:perf_hooks';
import { textReport } from '../../server/src/cli/report';
import { CATALOGUE } from '../../server/src/rules/catalogue';
import { describeEncoding, encode } from '../../server/src/text/encoding';
import { Finding } from '../../server/src/rules/finding';
import { SourceFile, Span } from '../../server/src/text/source';
import { analyze, Analysis } from '../../server/src/workspace/analyze';
import { Input, isInput, readInput } from '../../server/src/readers/registry';
import { planAllFixes, PlannedFixes } from './fixapi';

export interface Violation {
  /** Stable name of the invariant, so failures group by it. */
  invariant: string;
  detail: string;
  /** Where it was thrown, for the "does not throw" invariants. */
  stack?: string;
}

/**
 * The invariants that are an exception in engine code, escaped or caught by the engine itself
 * (INT001 says "a part of lync-kst failed"): counted as crashes, not as wrong results.
 */
export const CRASHES: ReadonlySet<string> = new Set([
  'decode-throws',
  'analyze-throws',
  'internal-error',
  'report-throws',
  'plan-fixes-throws',
  'reanalyze-throws',
  'invariant-check-throws',
]);

/** The text report may be this many times the input, plus a constant: anything more is not linear. */
const REPORT_FACTOR = 200;
const REPORT_SLACK = 1 << 20;
/** analyze() gets this long: generous (the engine reads a 10 MB attribute in about 2 s), so only super-linear time trips it. */
const MS_BASE = 2000;
const MS_PER_MB = 2000;
/** Run `lync-kst fix` this many times over its own output: the last run must find nothing to do. */
const FIX_ROUNDS = 3;

export type Analysed = { analysis: Analysis; ms: number } | { error: unknown; ms: number };

export function analyzeTimed(files: SourceFile[]): Analysed {
  const t0 = performance.now();
  try {
    const analysis = analyze(files);
    return { analysis, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

export function thrown(invariant: string, where: string, e: unknown): Violation {
  const err = e instanceof Error ? e : new Error(String(e));
  return { invariant, detail: `${where}: ${err.name}: ${err.message}`, stack: err.stack };
}

/** Every violated invariant of one analysis of `files`. */
export function checkInvariants(files: SourceFile[], analysed: Analysed): Violation[] {
  if ('error' in analysed) return [thrown('analyze-throws', 'analyze', analysed.error)];
  const { analysis, ms } = analysed;
  const v = new Violations();
  const known = new Set(files);
  const checkSpan = (s: Span, what: string): void => {
    const len = s.file.text.length;
    if (!known.has(s.file)) v.add('span-in-unknown-file', `${what} points into ${s.file.path}, which is not one of the input files`);
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= len)) {
      v.add('span-out-of-range', `${what} is [${s.start}, ${s.end}) in ${s.file.path}, whose text has ${len} chars`);
    }
  };
  const xml001 = new Map<SourceFile, number>();
  for (const f of analysis.findings) {
    const at = `${f.code} in ${f.span.file.path}`;
    checkSpan(f.span, `the span of ${at}`);
    f.related.forEach((r, i) => checkSpan(r.span, `related span ${i} of ${at}`));
    if (!CATALOGUE.has(f.code)) v.add('unknown-code', `${at}: the code is not in rules/catalogue.ts`);
    if (!['error', 'warning', 'information', 'hint'].includes(f.severity))
      v.add('unknown-severity', `${at}: severity ${JSON.stringify(f.severity)}`);
    if (typeof f.message !== 'string' || f.message.trim() === '') v.add('empty-message', `${at} has an empty message`);
    if (f.related.some((r) => typeof r.message !== 'string' || r.message.trim() === ''))
      v.add('empty-message', `${at} has a related location with an empty message`);
    if (f.code === 'XML001') xml001.set(f.span.file, (xml001.get(f.span.file) ?? 0) + 1);
  }
  // One class per failing part of the engine, not one for all of them.
  for (const f of internalErrors(analysis)) v.add('internal-error', `${f.span.file.path}: ${f.message}`, f.message);
  for (const [file, n] of xml001) if (n > 1) v.add('xml001-more-than-once', `${file.path} has ${n} XML001 findings`);

  const size = files.reduce((s, f) => s + f.text.length, 0);
  try {
    const report = textReport(analysis.findings, analysis.inputs.length);
    if (report.length > REPORT_FACTOR * size + REPORT_SLACK)
      v.add('report-too-large', `the text report has ${report.length} chars for ${size} chars of input (limit ${REPORT_FACTOR}× + 1 MB)`);
  } catch (e) {
    v.list.push(thrown('report-throws', 'textReport', e));
  }
  const limit = MS_BASE + (MS_PER_MB * size) / 1048576;
  if (ms > limit) v.add('analyze-too-slow', `analyze took ${Math.round(ms)} ms for ${size} chars (limit ${Math.round(limit)} ms)`);

  return [...v.done(), ...fixViolations(files, analysis)];
}

/**
 * The fix invariants, run as `lync-kst fix` would, again and again: planning does not throw;
 * every file a run writes reads back (through its encoding) as the same kind of input with no
 * parse error; the result analyses without an internal error; no run re-applies or undoes what
 * the one before did; and the third run has nothing left to do.
 */
export function fixViolations(files: SourceFile[], analysis: Analysis): Violation[] {
  const v = new Violations();
  const changedByRound1 = new Set<number>();
  let current = files;
  let a = analysis;
  let previous: string[] = [];
  for (let round = 1; round <= FIX_ROUNDS; round++) {
    let plan: PlannedFixes;
    try {
      plan = planAllFixes(current, a);
    } catch (e) {
      return [...v.done(), thrown('plan-fixes-throws', `planFixes, round ${round}`, e)];
    }
    if (plan.applied.length === 0) break;
    if (round === FIX_ROUNDS) {
      v.add('fixes-do-not-converge', `round ${round} still applies ${list(plan.applied)} (round ${round - 1} applied ${list(previous)})`);
      break;
    }
    const again = plan.applied.filter((id) => previous.includes(id));
    if (again.length) v.add('fix-not-effective', `round ${round} applies ${list(again)} again: round ${round - 1} did not fix it`);
    for (const f of internalErrors(plan.after))
      v.add('reanalyze-throws', `the analysis after fix round ${round}: ${f.span.file.path}: ${f.message}`, f.message);
    const kinds = new Map(a.inputs.map((i) => [i.file, i.kind]));
    const next: SourceFile[] = [];
    for (const [i, f] of current.entries()) {
      const fixed = plan.files.get(f);
      if (!fixed) {
        next.push(f);
        continue;
      }
      // Written and read back as the CLI does, so a fix that its file's encoding cannot hold shows.
      const bytes = encode(fixed.text, fixed.encoding);
      if (!bytes) {
        v.add(
          'fixed-file-not-writable',
          `${f.path}: after round ${round} its text cannot be written in ${describeEncoding(fixed.encoding)}`,
        );
        next.push(fixed);
        continue;
      }
      const back = SourceFile.fromBytes(f.path, bytes);
      if (back.text !== fixed.text)
        v.add(
          'fixed-file-does-not-round-trip',
          `${f.path} (${describeEncoding(fixed.encoding)}) reads back differently after round ${round}`,
        );
      let input: Input | undefined;
      try {
        input = readInput(back);
      } catch (e) {
        return [...v.done(), thrown('reanalyze-throws', `readInput of ${f.path} after round ${round}`, e)];
      }
      if (input?.kind !== kinds.get(f))
        v.add(
          'fix-changes-file-kind',
          `${f.path} was ${kinds.get(f) ?? 'no input'}; after round ${round} it is ${input?.kind ?? 'no input'}`,
        );
      const error = input && parseErrorOf(input);
      if (error) v.add('fix-breaks-file', `${f.path} after round ${round} (${list(plan.applied)}): ${error}`);
      if (round === 1) changedByRound1.add(i);
      else if (changedByRound1.has(i) && back.text === files[i].text)
        v.add('fix-undone', `round ${round} (${list(plan.applied)}) puts ${f.path} back as it was before round 1`);
      // Go on with the files `plan.after` analysed; the copy read back served the checks.
      next.push(fixed);
    }
    current = next;
    a = plan.after;
    previous = plan.applied;
  }
  return v.done();
}

/** INT001: the engine caught an exception of its own and says its result is incomplete. */
function internalErrors(a: Analysis): Finding[] {
  return a.findings.filter((f) => (f.code as string) === 'INT001');
}

/** Checked independently of fixes/check.ts, which is what is being tested. */
function parseErrorOf(input: Input): string | undefined {
  return isInput(input) ? input.error?.message : undefined;
}

function list(ids: string[]): string {
  return ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ') || 'nothing';
}

/** One entry per invariant and the number of times it broke: 150k bad spans are one line, not 150k. */
class Violations {
  readonly list: Violation[] = [];
  private readonly counts = new Map<string, { v: Violation; n: number }>();
  /** Violations with the same key (by default the invariant) are counted into the first. */
  add(invariant: string, detail: string, key = ''): void {
    const k = `${invariant}|${key}`;
    const seen = this.counts.get(k);
    if (seen) {
      seen.n++;
      return;
    }
    const v: Violation = { invariant, detail: detail.length > 400 ? `${detail.slice(0, 400)}…` : detail };
    this.counts.set(k, { v, n: 1 });
    this.list.push(v);
  }
  done(): Violation[] {
    for (const { v, n } of this.counts.values()) if (n > 1) v.detail += ` (and ${n - 1} more like it)`;
    this.counts.clear();
    return this.list;
  }
}
