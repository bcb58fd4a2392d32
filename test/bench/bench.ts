/**
 * `npm run bench`: full validation (`analyze`) against a parse-only baseline on generated ~200 KB and
 * ~5 MB topologies plus their dial plans, and peak RSS for the 5 MB case in fresh child processes.
 * Run as `node --expose-gc test/out/test/bench/bench.js`. Misses on targets are reported, not
 * failed; only a benchmark that did not find the planted conflicts exits non-zero. Then the language
 * server (test/bench/lsp.ts): edit-to-diagnostics latency on the same sizes and first validation of a
 * 200-file workspace, each against the engine doing the same work in the same run.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { SourceFile } from '../../server/src/text/source';
import { analyze } from '../../server/src/workspace/analyze';
import { generateTopology, sizeTopology, writeGenerated } from './generate';
import { editLatency, LatencyResult, LSP_EDITS, workspaceIndexing } from './lsp';

/** Compiled to test/out/test/bench/, so the repository root is four levels up. */
const ROOT = path.resolve(__dirname, '../../../..');
const OUT = path.join(ROOT, 'test', 'out');
const SEED = 20130;
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 200;
/** Server over engine, for edit latency (p50 and p95 each). */
const TARGET_LSP_OVERHEAD = 1.2;

interface Case {
  label: string;
  bytes: number;
  warmup: number;
  runs: number;
  /** Whether peak RSS is measured for this size. */
  rss: boolean;
  /** Warm-up edits before the language server's LSP_EDITS timed ones. */
  lspWarmup: number;
  /** Target for the language server's edit latency p95 (debounce not counted), where there is one. */
  lspP95TargetMs?: number;
}

const CASES: Case[] = [
  { label: '200 KB', bytes: 200_000, warmup: 5, runs: 30, rss: false, lspWarmup: 5, lspP95TargetMs: 50 },
  { label: '5 MB', bytes: 5_000_000, warmup: 2, runs: 7, rss: true, lspWarmup: 2 },
];

type ChildMode = 'read' | 'parse' | 'analyze';

interface ChildReport {
  maxRssKb: number;
}

interface Inputs {
  topologyPath: string;
  dialPlansPath: string;
  topology: string;
  dialPlans: string;
}

/*
 * The three measured workloads read the same two texts. The baseline also JSON.parses the dial
 * plans so that both sides consume the same input; at a few KB that costs next to nothing.
 */
function parseWithAttributes(i: Inputs): void {
  new XMLParser({ ignoreAttributes: false }).parse(i.topology);
  JSON.parse(i.dialPlans);
}

function parseDefault(i: Inputs): void {
  new XMLParser().parse(i.topology);
  JSON.parse(i.dialPlans);
}

function fullValidation(i: Inputs): ReturnType<typeof analyze> {
  // Fresh SourceFiles each time, as a CLI run would create them, so no per-file cache carries over.
  return analyze([new SourceFile(i.topologyPath, i.topology), new SourceFile(i.dialPlansPath, i.dialPlans)]);
}

/** Present with --expose-gc: collecting before each run keeps one run's garbage out of the next. */
const gc = (globalThis as { gc?: () => void }).gc;

function timeOnce(fn: () => unknown): number {
  gc?.();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Peak RSS of a fresh process that reads the inputs and runs one workload on them. */
function childPeakRss(mode: ChildMode, i: Inputs): Promise<number> {
  return new Promise((resolve, reject) => {
    // execArgv: [] so the child is a plain `node` (no --expose-gc) like a CLI run.
    const child = fork(__filename, ['--child', mode, i.topologyPath, i.dialPlansPath], { execArgv: [] });
    let report: ChildReport | undefined;
    child.on('message', (m) => (report = m as ChildReport));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && report) resolve(report.maxRssKb);
      else reject(new Error(`${mode} child exited with ${code} and ${report ? 'a' : 'no'} report`));
    });
  });
}

function runChild(mode: ChildMode, topologyPath: string, dialPlansPath: string): void {
  const i: Inputs = {
    topologyPath,
    dialPlansPath,
    topology: fs.readFileSync(topologyPath, 'utf8'),
    dialPlans: fs.readFileSync(dialPlansPath, 'utf8'),
  };
  if (mode === 'parse') parseWithAttributes(i);
  else if (mode === 'analyze') fullValidation(i);
  const report: ChildReport = { maxRssKb: process.resourceUsage().maxRSS };
  process.send!(report, () => process.exit(0));
}

interface CaseResult {
  label: string;
  bytes: number;
  pools: number;
  trustedPools: number;
  plantedConflicts: number;
  runs: number;
  medianMs: { parseAttributes: number; parseDefault: number; full: number };
  ratio: { fullOverParseAttributes: number; fullOverParseDefault: number };
  findings: number;
  kst001: number;
  /** Planted conflict FQDNs with no KST001 on their trusted pool in the topology. */
  missedConflicts: string[];
  peakRssMb?: { read: number; parse: number; analyze: number };
}

/** A planted conflict counts as found when a KST001 in the topology file points at or names it. */
function missedConflicts(result: ReturnType<typeof analyze>, topologyPath: string, conflicts: string[]): string[] {
  const texts = result.findings
    .filter((f) => f.code === 'KST001' && f.span.file.path === topologyPath)
    .map((f) => `${f.span.file.text.slice(f.span.start, f.span.end)}\n${f.message}`.toLowerCase());
  return conflicts.filter((fqdn) => !texts.some((t) => t.includes(fqdn.toLowerCase())));
}

async function runCase(c: Case): Promise<CaseResult> {
  const options = sizeTopology(c.bytes, SEED);
  const generated = generateTopology(options);
  const written = writeGenerated(path.join(OUT, 'bench-data', c.label.replace(/\s+/g, '')), generated);
  const i: Inputs = {
    topologyPath: written.topology,
    dialPlansPath: written.dialPlans,
    topology: generated.topology,
    dialPlans: generated.dialPlans,
  };

  let last: ReturnType<typeof analyze> | undefined;
  for (let w = 0; w < c.warmup; w++) {
    parseWithAttributes(i);
    parseDefault(i);
    last = fullValidation(i);
  }
  // Interleaved so that drift (JIT, heap growth, CPU clock) hits all three workloads alike.
  const times = { parseAttributes: [] as number[], parseDefault: [] as number[], full: [] as number[] };
  for (let r = 0; r < c.runs; r++) {
    times.parseAttributes.push(timeOnce(() => parseWithAttributes(i)));
    times.parseDefault.push(timeOnce(() => parseDefault(i)));
    times.full.push(timeOnce(() => (last = fullValidation(i))));
  }
  const findings = last!.findings;
  const medianMs = { parseAttributes: median(times.parseAttributes), parseDefault: median(times.parseDefault), full: median(times.full) };
  const result: CaseResult = {
    label: c.label,
    bytes: Buffer.byteLength(generated.topology) + Buffer.byteLength(generated.dialPlans),
    pools: options.pools,
    trustedPools: options.trustedPools,
    plantedConflicts: generated.conflictFqdns.length,
    runs: c.runs,
    medianMs,
    ratio: {
      fullOverParseAttributes: medianMs.full / medianMs.parseAttributes,
      fullOverParseDefault: medianMs.full / medianMs.parseDefault,
    },
    findings: findings.length,
    kst001: findings.filter((f) => f.code === 'KST001').length,
    missedConflicts: missedConflicts(last!, written.topology, generated.conflictFqdns),
  };
  if (c.rss) {
    // Sequential: on 2 cores, parallel children would disturb each other and the parent.
    const read = await childPeakRss('read', i);
    const parse = await childPeakRss('parse', i);
    const full = await childPeakRss('analyze', i);
    result.peakRssMb = { read: read / 1024, parse: parse / 1024, analyze: full / 1024 };
  }
  return result;
}

const ms = (x: number): string => x.toFixed(x < 10 ? 2 : 1);
const mb = (x: number): string => `${x.toFixed(1)} MB`;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const line = (r: string[]): string =>
    r.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  if (!gc) console.warn('warning: run with --expose-gc for steadier figures (no GC between runs now)');
  console.log(`lync-kst bench: node ${process.version}, ${os.cpus().length} CPU(s), seed ${SEED}`);
  const results: CaseResult[] = [];
  for (const c of CASES) {
    process.stdout.write(`running ${c.label} (${c.warmup} warm-up + ${c.runs} runs)...\n`);
    results.push(await runCase(c));
  }
  const latencies: LatencyResult[] = [];
  for (const c of CASES) {
    process.stdout.write(`running language server edits on ${c.label} (${c.lspWarmup} warm-up + ${LSP_EDITS} edits)...\n`);
    latencies.push(await editLatency(c.label, c.bytes, SEED, c.lspWarmup));
  }
  process.stdout.write('running language server workspace indexing...\n');
  const indexing = await workspaceIndexing(SEED);

  console.log('');
  console.log(
    table([
      [
        'input',
        'bytes',
        'pools/trusted',
        'parse attrs ms',
        'parse default ms',
        'full ms',
        'full/attrs',
        'full/default',
        'findings',
        'KST001 (planted)',
      ],
      ...results.map((r) => [
        r.label,
        String(r.bytes),
        `${r.pools}/${r.trustedPools}`,
        ms(r.medianMs.parseAttributes),
        ms(r.medianMs.parseDefault),
        ms(r.medianMs.full),
        `${r.ratio.fullOverParseAttributes.toFixed(2)}x`,
        `${r.ratio.fullOverParseDefault.toFixed(2)}x`,
        String(r.findings),
        `${r.kst001} (${r.plantedConflicts})`,
      ]),
    ]),
  );
  console.log('(median ms; parse = fast-xml-parser XMLParser.parse, "attrs" = { ignoreAttributes: false }; full = analyze())');

  console.log('');
  console.log(
    table([
      [
        'LSP edit',
        'bytes',
        'edits',
        'server p50',
        'server p95',
        'reported p50',
        'reported p95',
        'engine p50',
        'engine p95',
        'p50 ratio',
        'p95 ratio',
      ],
      ...latencies.map((l) => [
        l.label,
        String(l.bytes),
        `${l.warmup}+${l.edits}`,
        ms(l.server.p50),
        ms(l.server.p95),
        ms(l.serverReported.p50),
        ms(l.serverReported.p95),
        ms(l.engine.p50),
        ms(l.engine.p95),
        `${l.ratio.p50.toFixed(2)}x`,
        `${l.ratio.p95.toFixed(2)}x`,
      ]),
    ]),
  );
  console.log(
    "(ms; server = didChange sent to publishDiagnostics for that version received, debounce 0; reported = the server's status durationMs;",
  );
  console.log(' engine = readInput of the edited topology + analyzeInputs, in-process)');
  console.log('');
  console.log(
    table([
      ['LSP indexing', 'bytes', 'inputs', 'runs', 'server ms', 'reported ms', 'engine ms', 'server/engine'],
      [
        `${indexing.files} files`,
        String(indexing.bytes),
        String(indexing.inputs),
        String(indexing.runs),
        ms(indexing.server),
        ms(indexing.serverReported),
        ms(indexing.engine),
        `${indexing.ratio.toFixed(2)}x`,
      ],
    ]),
  );
  console.log(
    '(median ms; server = spawn + initialize to the first lyncKst/status; reported = its durationMs (validation only); engine = ' +
      'loadPaths + analyze)',
  );

  console.log('');
  const targets: { name: string; value: string; pass: boolean }[] = [];
  for (const r of results) {
    targets.push({
      name: `${r.label}: full validation <= ${TARGET_RATIO}x parse-only (attrs)`,
      value: `${r.ratio.fullOverParseAttributes.toFixed(2)}x`,
      pass: r.ratio.fullOverParseAttributes <= TARGET_RATIO,
    });
    if (r.peakRssMb) {
      targets.push({
        name: `${r.label}: peak RSS of analyze <= ${TARGET_RSS_MB} MB`,
        value: `${mb(r.peakRssMb.analyze)} (parse-only child ${mb(r.peakRssMb.parse)}, read-only child ${mb(r.peakRssMb.read)})`,
        pass: r.peakRssMb.analyze <= TARGET_RSS_MB,
      });
    }
  }
  latencies.forEach((l, i) => {
    for (const p of ['p50', 'p95'] as const) {
      targets.push({
        name: `${l.label}: LSP edit latency ${p} <= ${TARGET_LSP_OVERHEAD}x engine`,
        value: `${l.ratio[p].toFixed(2)}x (server ${ms(l.server[p])} ms, engine ${ms(l.engine[p])} ms)`,
        pass: l.ratio[p] <= TARGET_LSP_OVERHEAD,
      });
    }
    const targetMs = CASES[i].lspP95TargetMs;
    if (targetMs !== undefined) {
      targets.push({
        name: `${l.label}: LSP edit latency p95 < ${targetMs} ms`,
        value: `${ms(l.server.p95)} ms`,
        pass: l.server.p95 < targetMs,
      });
    }
  });
  for (const t of targets) console.log(`${verdict(t.pass)}  ${t.name}: ${t.value}`);
  console.log(
    `INFO  ${indexing.files}-file workspace, first validation: server ${ms(indexing.server)} ms (reported ${ms(indexing.serverReported)} ` +
      `ms), ` +
      `engine ${ms(indexing.engine)} ms, ${indexing.ratio.toFixed(2)}x`,
  );

  const failures = results.filter((r) => r.missedConflicts.length > 0 || r.kst001 < r.plantedConflicts);
  for (const r of failures) {
    console.error('');
    console.error(
      `FAIL !!! ${r.label}: planted KST conflicts not all reported (KST001 ${r.kst001} < ${r.plantedConflicts} planted` +
        `${r.missedConflicts.length ? `; missing: ${r.missedConflicts.join(', ')}` : ''}). The timings above did not measure a working ` +
        `validation.`,
    );
  }

  const file = path.join(OUT, 'bench-results.json');
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    seed: SEED,
    results,
    lsp: { latencies, indexing },
    targets: targets.map((t) => ({ ...t, verdict: verdict(t.pass) })),
    plantedConflictsFound: failures.length === 0,
  };
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  if (failures.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  const [flag, mode, topologyPath, dialPlansPath] = process.argv.slice(2);
  if (flag === '--child') {
    runChild(mode as ChildMode, topologyPath, dialPlansPath);
  } else {
    main().catch((e: unknown) => {
      console.error(e);
      process.exitCode = 2;
    });
  }
}
