/**
 * `npm run fuzz -- [--minutes N] [--seed S] [--cases N] [--out DIR]` runs mutated cases
 * (mutate.ts) against the invariants (invariants.ts) in a worker thread, one case at a time,
 * and saves a reproducer folder for each failure. `npm run fuzz -- --replay DIR` re-runs one.
 * test/fuzz.test.ts runs the same harness with a fixed seed and case count.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ROOT } from '../helpers';
import { CRASHES } from './invariants';
import { Case, InputFile, loadCorpus, makeCase } from './mutate';
import type { CaseRequest, CaseResult, WorkerMessage } from './worker';

/** A case gets this long, plus CASE_MS_PER_MB per MB of input (the engine reads ~5 MB/s at worst). */
const CASE_MS = 10_000;
const CASE_MS_PER_MB = 1000;
const RESOURCE_LIMITS = {
  maxOldGenerationSizeMb: 1024,
  // About the main thread's ~1 MB, where the CLI and the language server run: a recursion that
  // overflows there overflows here (a worker's default is 4 MB).
  stackSizeMb: 1.15,
};
/** Enough to debug a failure class without filling the disk when one mutation keeps tripping it. */
const REPRODUCERS_PER_CLASS = 5;
const PROGRESS_MS = 10_000;

export type Kind = 'crash' | 'hang' | 'oom' | 'wrong';

type Outcome =
  | { kind: 'done'; result: CaseResult }
  | { kind: 'hang'; limitMs: number }
  | { kind: 'oom'; message: string }
  | { kind: 'died'; message: string };

export interface FailureClass {
  kind: Kind;
  /** The invariant and what happened, as first seen. */
  title: string;
  /** Innermost engine frame (or the top frame) of the exception, without line numbers. */
  where?: string;
  count: number;
  mutators: Record<string, number>;
  reproducers: { dir: string; mutations: string[] }[];
}

export interface FuzzReport {
  seed: number;
  cases: number;
  /** Cases whose analysis reported at least one finding. */
  withFindings: number;
  crashes: number;
  hangs: number;
  oom: number;
  wrong: number;
  ms: number;
  classes: FailureClass[];
}

export interface FuzzOptions {
  seed: number;
  /** Stop after this many cases (repeatable, as npm test needs)... */
  cases?: number;
  /** ...or once this much time has passed. */
  ms?: number;
  /** Where reproducer folders go. */
  out: string;
  log: (line: string) => void;
}

/** One worker thread, replaced when a case hangs, runs out of memory or kills it. */
class CaseWorker {
  private worker?: Worker;

  async run(files: InputFile[]): Promise<Outcome> {
    const w = (this.worker ??= await this.start());
    const limitMs = CASE_MS + (CASE_MS_PER_MB * files.reduce((s, f) => s + f.bytes.length, 0)) / 1048576;
    const outcome = await new Promise<Outcome>((resolve) => {
      const done = (o: Outcome): void => {
        clearTimeout(timer);
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(o);
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m !== 'ready') done({ kind: 'done', result: m });
      };
      const onError = (e: Error & { code?: string }): void =>
        done(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'oom', message: e.message } : { kind: 'died', message: e.stack ?? String(e) });
      const onExit = (code: number): void => done({ kind: 'died', message: `the worker exited with code ${code}` });
      const timer = setTimeout(() => done({ kind: 'hang', limitMs }), limitMs);
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      w.postMessage({ files } satisfies CaseRequest);
    });
    if (outcome.kind !== 'done') await this.stop();
    return outcome;
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    // A thread stuck outside JavaScript may never stop; it must not stop the run too.
    if (w) await Promise.race([w.terminate(), new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private async start(): Promise<Worker> {
    // Source maps on from the start, so stacks name the .ts sources (enabled later, they miss modules already loaded).
    const w = new Worker(path.join(__dirname, 'worker.js'), { resourceLimits: RESOURCE_LIMITS, execArgv: ['--enable-source-maps'] });
    await new Promise<void>((resolve, reject) => {
      w.once('message', (m: WorkerMessage) =>
        m === 'ready' ? resolve() : reject(new Error('the fuzz worker answered before it was ready')),
      );
      w.once('error', reject);
    });
    w.removeAllListeners('error');
    return w;
  }
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const corpus = loadCorpus();
  const worker = new CaseWorker();
  const report: FuzzReport = { seed: o.seed, cases: 0, withFindings: 0, crashes: 0, hangs: 0, oom: 0, wrong: 0, ms: 0, classes: [] };
  const classes = new Map<string, FailureClass>();
  const t0 = performance.now();
  let lastProgress = t0;
  try {
    for (let index = 0; ; index++) {
      const elapsed = performance.now() - t0;
      if ((o.cases !== undefined && index >= o.cases) || (o.ms !== undefined && elapsed >= o.ms)) break;
      const c = makeCase(corpus, o.seed, index);
      const outcome = await worker.run(c.files);
      report.cases++;
      if (outcome.kind === 'done' && (outcome.result.findings ?? 0) > 0) report.withFindings++;
      const failures = failuresOf(outcome, c);
      if (failures.length > 0) {
        const kind = caseKind(failures);
        report[kind === 'crash' ? 'crashes' : kind === 'hang' ? 'hangs' : kind]++;
        const keep = failures.map((f) => classes.get(f.key)).some((k) => !k || k.reproducers.length < REPRODUCERS_PER_CLASS);
        const dir = keep ? saveReproducer(o.out, c, kind, outcome) : undefined;
        for (const f of failures) {
          let k = classes.get(f.key);
          if (!k) {
            k = { kind: f.kind, title: f.title, where: f.where, count: 0, mutators: {}, reproducers: [] };
            classes.set(f.key, k);
            o.log(
              `new failure class: ${f.kind}: ${f.title}${f.where ? ` at ${f.where}` : ''} ` +
                `(case ${index}: ${c.mutations.join('; ') || 'no mutation'})${dir ? ` -> ${display(dir)}` : ''}`,
            );
          }
          k.count++;
          for (const m of c.mutators) k.mutators[m] = (k.mutators[m] ?? 0) + 1;
          if (dir && k.reproducers.length < REPRODUCERS_PER_CLASS) k.reproducers.push({ dir, mutations: c.mutations });
        }
      }
      if (performance.now() - lastProgress >= PROGRESS_MS) {
        lastProgress = performance.now();
        o.log(`[${clock(lastProgress - t0)}] ${counts(report)}`);
      }
    }
  } finally {
    await worker.stop();
  }
  report.ms = performance.now() - t0;
  report.classes = [...classes.values()].sort((a, b) => b.count - a.count);
  return report;
}

interface Failure {
  kind: Kind;
  title: string;
  where?: string;
  /** What makes two failures the same class: the invariant, the detail without numbers and names, the frame. */
  key: string;
}

function failuresOf(outcome: Outcome, c: Case): Failure[] {
  const make = (kind: Kind, title: string, stack?: string): Failure => {
    // Where in a recursion the stack overflows is chance; the file the recursion runs in is not.
    const file = /Maximum call stack size exceeded/.test(title) ? recursionFile(stack) : undefined;
    const where = file ? `a recursion in ${file}` : frame(stack);
    return { kind, title, where, key: `${kind}|${normalise(title, c)}|${where ?? ''}` };
  };
  switch (outcome.kind) {
    case 'done': {
      // A case counts once per class, however many of its violations fall into it.
      const all = outcome.result.violations.map((v) =>
        make(CRASHES.has(v.invariant) ? 'crash' : 'wrong', `${v.invariant}: ${v.detail}`, v.stack),
      );
      return all.filter((f, i) => all.findIndex((g) => g.key === f.key) === i);
    }
    // Neither has a message or a stack to tell causes apart; what made the input big does.
    case 'hang':
      return [make('hang', `no result within ${(outcome.limitMs / 1000).toFixed(0)} s${c.heavy ? ` (input built by ${c.heavy})` : ''}`)];
    case 'oom':
      return [make('oom', `${outcome.message}${c.heavy ? ` (input built by ${c.heavy})` : ''}`)];
    case 'died':
      return [make('crash', `the worker died: ${outcome.message.split('\n')[0]}`, outcome.message)];
  }
}

function caseKind(failures: Failure[]): Kind {
  for (const k of ['crash', 'hang', 'oom'] as const) if (failures.some((f) => f.kind === k)) return k;
  return 'wrong';
}

/** Numbers, quoted text and the case's file names vary between cases of one bug. */
function normalise(title: string, c: Case): string {
  let t = title;
  for (const f of c.files) t = t.split(f.path).join('<file>');
  return t
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+/g, 'N')
    .replace(/ \(and N more like it\)/, '');
}

/** The stack's frames as "function (path)", paths relative to the repository, without line numbers. */
function frames(stack: string | undefined): string[] {
  return (stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .map((l) =>
      l
        .trim()
        .replace(/^at /, '')
        .replace(/:\d+:\d+(\)?)$/, '$1')
        .split(ROOT + path.sep)
        .join(''),
    );
}

/** The first frame in engine code, else the top frame. */
function frame(stack: string | undefined): string | undefined {
  const fs = frames(stack);
  return fs.find((f) => f.includes(`server${path.sep}src${path.sep}`)) ?? fs[0];
}

/** The file most frames of an overflowed stack are in. */
function recursionFile(stack: string | undefined): string | undefined {
  const n = new Map<string, number>();
  for (const f of frames(stack)) {
    const file = /\((.+)\)$/.exec(f)?.[1];
    if (file && file !== '<anonymous>') n.set(file, (n.get(file) ?? 0) + 1);
  }
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function saveReproducer(out: string, c: Case, kind: Kind, outcome: Outcome): string {
  const dir = path.join(out, `${c.seed}-${c.index}-${kind}`);
  for (const f of c.files) {
    const p = path.join(dir, 'files', f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
  mkdirSync(dir, { recursive: true });
  const meta = {
    seed: c.seed,
    index: c.index,
    workspace: c.workspace,
    mutators: c.mutators,
    mutations: c.mutations,
    heavy: c.heavy,
    kind,
    ...(outcome.kind === 'done' ? { violations: outcome.result.violations, ms: Math.round(outcome.result.ms) } : { outcome }),
    files: c.files.map((f) => f.path),
    replay: `npm run fuzz -- --replay ${display(dir)}`,
  };
  writeFileSync(path.join(dir, 'case.json'), JSON.stringify(meta, null, 2) + '\n');
  return dir;
}

/** Re-runs a saved reproducer exactly (its bytes, not its seed); true when it now passes. */
export async function replay(dir: string, log: (line: string) => void): Promise<boolean> {
  const meta = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Omit<Case, 'files'> & { files: string[] };
  const c: Case = { ...meta, files: meta.files.map((p) => ({ path: p, bytes: readFileSync(path.join(dir, 'files', p)) })) };
  log(`replaying case ${c.index} of seed ${c.seed} (${c.workspace}): ${c.mutations.join('; ') || 'no mutation'}`);
  const worker = new CaseWorker();
  const outcome = await worker.run(c.files).finally(() => worker.stop());
  if (outcome.kind === 'done') {
    const { inputs, findings, ms } = outcome.result;
    if (inputs !== undefined) log(`${inputs} files read, ${findings} findings in ${Math.round(ms)} ms`);
    for (const v of outcome.result.violations)
      log(`${CRASHES.has(v.invariant) ? 'crash' : 'wrong'}: ${v.invariant}: ${v.detail}${v.stack ? `\n${v.stack}` : ''}`);
  }
  const failures = failuresOf(outcome, c);
  if (outcome.kind !== 'done') for (const f of failures) log(`${f.kind}: ${f.title}`);
  log(failures.length ? 'still fails' : 'passes now');
  return failures.length === 0;
}

export function counts(r: FuzzReport): string {
  const s = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return (
    `${s(r.cases, 'case', 'cases')}, ${s(r.crashes, 'crash', 'crashes')}, ${s(r.hangs, 'hang', 'hangs')}, ${r.oom} out of ` +
    `memory, ${s(r.wrong, 'wrong result', 'wrong results')}`
  );
}

export function failed(r: FuzzReport): number {
  return r.crashes + r.hangs + r.oom + r.wrong;
}

/** The summary: counts, then each failure class with its mutators and reproducers. */
export function formatReport(r: FuzzReport): string {
  const lines = [
    `seed ${r.seed}: ${counts(r)} in ${clock(r.ms)}; ${r.withFindings} cases ` +
      `(${Math.round((100 * r.withFindings) / Math.max(1, r.cases))}%) had findings`,
  ];
  r.classes.forEach((k, i) => {
    lines.push(`${i + 1}. ${k.kind} ×${k.count}: ${k.title}`);
    if (k.where) lines.push(`   at ${k.where}`);
    lines.push(
      `   mutators: ${
        Object.entries(k.mutators)
          .sort((a, b) => b[1] - a[1])
          .map(([m, n]) => `${m} ×${n}`)
          .join(', ') || 'none (an unmutated corpus workspace)'
      }`,
    );
    for (const rep of k.reproducers) lines.push(`   ${display(rep.dir)}: ${rep.mutations.join('; ') || 'no mutation'}`);
    if (k.count > k.reproducers.length) lines.push(`   (${k.count - k.reproducers.length} more cases of this class not saved)`);
  });
  return lines.join('\n');
}

function display(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel.startsWith('..') ? dir : rel;
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const USAGE = `Usage: npm run fuzz -- [--minutes N] [--seed S] [--cases N] [--out DIR]
       npm run fuzz -- --replay DIR

  --minutes N   run for N minutes (default 1)
  --seed S      32-bit seed (default: from the clock; printed first)
  --cases N     stop after N cases instead (repeatable runs, as npm test does)
  --out DIR     where reproducers go (default fuzz-out)
  --replay DIR  re-run one saved reproducer
Exit code 1 when any case failed.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      minutes: { type: 'string' },
      seed: { type: 'string' },
      cases: { type: 'string' },
      out: { type: 'string' },
      replay: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.replay !== undefined) return (await replay(values.replay, console.log)) ? 0 : 1;
  const seed = values.seed === undefined ? Date.now() % 2 ** 32 : Number(values.seed);
  console.log(`fuzz: seed ${seed}`);
  const minutes = values.minutes === undefined ? 1 : Number(values.minutes);
  const cases = values.cases === undefined ? undefined : Number(values.cases);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new UsageError(`--seed takes an integer from 0 to 2^32-1, not ${values.seed}`);
  if (!(minutes > 0)) throw new UsageError(`--minutes takes a positive number, not ${values.minutes}`);
  if (cases !== undefined && !(Number.isInteger(cases) && cases > 0))
    throw new UsageError(`--cases takes a positive integer, not ${values.cases}`);
  const out = path.resolve(values.out ?? 'fuzz-out');
  console.log(`fuzz: ${cases !== undefined ? `${cases} cases` : `${minutes} minute(s)`}, reproducers in ${display(out)}`);
  const report = await runFuzz({ seed, cases, ms: cases === undefined ? minutes * 60_000 : undefined, out, log: console.log });
  console.log(`\n${formatReport(report)}`);
  return failed(report) > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`fuzz: ${(e as Error).message}\n\n${USAGE}`);
        process.exitCode = 2;
      } else {
        // The harness itself broke (not a case: those are caught and counted).
        console.error(`fuzz: internal error: ${e instanceof Error ? e.stack : String(e)}`);
        process.exitCode = 3;
      }
    },
  );
}
