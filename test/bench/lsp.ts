/**
 * The language server's share of `npm run bench`: edit-to-diagnostics latency on the generated
 * topologies and first-validation time of a 200-file workspace, each against the engine doing the
 * same work in-process, in the same run. The server is the real bundle over stdio (test/lsp/session.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ClientCapabilities,
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  HoverRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  Range,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analysisOptions, DEFAULT_CONFIG } from '../../server/src/workspace/config';
import { analyze, analyzeInputs } from '../../server/src/workspace/analyze';
import { Input, readInput } from '../../server/src/readers/registry';
import { loadPaths } from '../../server/src/workspace/load';
import { fileUri, LspSession, VSCODE_LIKE, workspaceCopy } from '../lsp/session';
import { generateTopology, sizeTopology, writeGenerated } from './generate';
import { documentSymbols } from '../../server/src/navigate/symbols';
import { definitionAt } from '../../server/src/navigate/index';

/** Measured edits per size, after the warm-up ones. */
export const LSP_EDITS = 50;
/** Fresh servers started for the indexing measurement. */
export const INDEX_RUNS = 5;
export const INDEX_FILES = 200;

/** What the server analyses with when the client sends no settings. */
const OPTIONS = analysisOptions(DEFAULT_CONFIG);
const TOPOLOGY = 'topology.xml';

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface LatencyResult {
  label: string;
  bytes: number;
  warmup: number;
  edits: number;
  /** didChange sent to publishDiagnostics (for that version) received. */
  server: Percentiles;
  /** `durationMs` of the server's status notification: its validation alone. */
  serverReported: Percentiles;
  /** readInput of the edited text + analyzeInputs, in-process. */
  engine: Percentiles;
  ratio: Percentiles;
  /** Topology diagnostics in the two states an edit toggles between. */
  topologyDiagnostics: [number, number];
  /** The server process's peak RSS over the edits (VmHWM), its analysis thread included. */
  peakRssMb: number;
}

export interface IndexingResult {
  files: number;
  bytes: number;
  inputs: number;
  findings: number;
  runs: number;
  /** Medians, ms: spawn + initialize to the first status notification. */
  server: number;
  /** The first status notification's `durationMs` (validation only, no start-up or folder scan). */
  serverReported: number;
  /** loadPaths + analyze, in-process. */
  engine: number;
  ratio: number;
}

/** Nearest-rank percentile: always a measured value. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
}

function percentiles(xs: number[]): Percentiles {
  return { p50: percentile(xs, 50), p95: percentile(xs, 95) };
}

/*
 * No forced GC before timed engine work, unlike the parse baselines: the server process never
 * gets one, and one is not neutral (right after a full collection analyze() runs markedly slower).
 */
async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Resolves at the first notification after which `check` holds, with the time it arrived.
 * The check runs inside the session's notification handler, so the time is taken on receipt,
 * not when this promise's continuation gets to run. Arm it before sending what it waits for.
 */
function arrival(s: LspSession, what: string, check: () => boolean): Promise<number> {
  if (check()) throw new Error(`${what} arrived before it was awaited: cannot time it`);
  return s.waitFor(what, () => check() && performance.now());
}

/**
 * Latency of one edit of the big topology itself (so the server re-parses it, the real cost):
 * toggling a planted conflict's trusted pool FQDN (cluster and its one machine) removes and
 * restores a KST001 in the topology, so every version gets its own publishDiagnostics.
 */
export async function editLatency(label: string, bytes: number, seed: number, warmup: number): Promise<LatencyResult> {
  const { dir, uri, original, range, states } = await toggledWorkspace(label, bytes, seed);
  const start = TextDocument.create('', 'xml', 0, original).offsetAt(range.start);
  const end = start + states[0].length;

  // The engine's inputs as the server holds them: same keys, same order, unchanged files read once.
  const disk = (await loadPaths([dir], { keyOf: fileUri })).files;
  const unchanged = new Map(disk.map((f) => [f.path, readInput(f)]));
  const engineEdit = (text: string) => {
    const inputs = disk
      .map((f) => (f.path === uri ? readInput(f.withText(text)) : unchanged.get(f.path)))
      .filter((i): i is Input => i !== undefined);
    return analyzeInputs(inputs, OPTIONS);
  };
  const bytesTotal = disk.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

  const s = await LspSession.start(dir, { capabilities: PUSH_CLIENT, initializationOptions: { debounceMs: 0 } });
  const times = { server: [] as number[], serverReported: [] as number[], engine: [] as number[] };
  const topologyDiagnostics: [number, number] = [0, 0];
  let peakRssMb = 0;
  try {
    await s.waitFor('the first validation', () => s.statuses.length > 0);
    await s.settled(() => s.open(TOPOLOGY, 'xml', original));
    for (let e = 0; e < warmup + LSP_EDITS; e++) {
      const state = (e + 1) % 2;
      const version = e + 2;
      const statuses = s.statuses.length;
      const published = arrival(s, `diagnostics for ${TOPOLOGY} v${version}`, () => s.diagnostics.get(uri)?.version === version);
      const sent = performance.now();
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: states[state] }],
      });
      const received = await published;
      await s.waitFor(`status for v${version}`, () => s.statuses.length > statuses);

      // The text as the server's document now holds it, built like its incremental update does.
      const text = original.slice(0, start) + states[state] + original.slice(end);
      const engine = await timed(() => engineEdit(text));
      const engineCount = engine.value.findings.filter((f) => f.span.file.path === uri).length;
      const serverCount = s.diagnostics.get(uri)!.diagnostics.length;
      if (engineCount !== serverCount)
        throw new Error(`${label} v${version}: server published ${serverCount} topology diagnostics, engine found ${engineCount}`);
      topologyDiagnostics[state] = serverCount;
      if (e < warmup) continue;
      times.server.push(received - sent);
      times.serverReported.push(s.statuses[statuses].durationMs);
      times.engine.push(engine.ms);
    }
    peakRssMb = s.peakRssMb();
  } finally {
    await s.stop();
  }
  if (topologyDiagnostics[0] === topologyDiagnostics[1])
    throw new Error(`${label}: the toggled edit did not change the topology's diagnostics`);
  const server = percentiles(times.server);
  const engine = percentiles(times.engine);
  return {
    label,
    bytes: bytesTotal,
    warmup,
    edits: LSP_EDITS,
    server,
    serverReported: percentiles(times.serverReported),
    engine,
    ratio: { p50: server.p50 / engine.p50, p95: server.p95 / engine.p95 },
    topologyDiagnostics,
    peakRssMb,
  };
}

/** Pool counts of the workspace's topology exports: modest, and not all the same deployment size. */
const WORKSPACE_POOLS = [3, 5, 8, 12, 16];
const WORKSPACE_SCRIPTS = 30;

/**
 * A workspace of INDEX_FILES files as a Lync admin's repository might hold: topology exports with
 * their dial plans, trusted-application scripts, and configuration JSON/XML that is not ours
 * (read and sniffed, then ignored). Returns the number of bytes written.
 */
function writeWorkspace(dir: string, seed: number): number {
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  };
  WORKSPACE_POOLS.forEach((pools, i) => {
    const trustedPools = Math.ceil(pools / 2);
    const g = generateTopology({ pools, trustedPools, conflicts: 1, seed: seed + i });
    write(`exports/deployment${i + 1}/topology.xml`, g.topology);
    write(`exports/deployment${i + 1}/contoso.umdialplans.json`, g.dialPlans);
  });
  for (let i = 1; i <= WORKSPACE_SCRIPTS; i++) {
    write(
      `scripts/new-app-${i}.ps1`,
      [
        'param(',
        `    [string] $PoolFqdn = 'app${i}.contoso.com',`,
        `    [string] $Registrar = 'sea-pool0${1 + (i % 3)}.contoso.com'`,
        ')',
        'New-CsTrustedApplicationPool -Identity $PoolFqdn -Registrar $Registrar -Site 1 -RequiresReplication $false -ComputerFqdn ' +
          '$PoolFqdn',
        `New-CsTrustedApplication -ApplicationId app${i} -TrustedApplicationPoolFqdn $PoolFqdn -Port ${6000 + i}`,
        'Enable-CsTopology',
        '',
      ].join('\r\n'),
    );
  }
  const unrelated = INDEX_FILES - 2 * WORKSPACE_POOLS.length - WORKSPACE_SCRIPTS;
  for (let i = 1; i <= unrelated; i++) {
    const keys = Array.from({ length: 40 }, (_, k) => [`setting${k}`, `value-${i}-${k}`] as const);
    if (i % 2 === 0) {
      write(
        `config/app${i}.json`,
        JSON.stringify({ name: `app${i}`, version: `1.${i}.0`, settings: Object.fromEntries(keys) }, null, 2) + '\n',
      );
    } else {
      const adds = keys.map(([k, v]) => `    <add key="${k}" value="${v}" />`);
      write(
        `config/app${i}.config.xml`,
        [
          '<?xml version="1.0" encoding="utf-8"?>',
          '<configuration>',
          '  <appSettings>',
          ...adds,
          '  </appSettings>',
          '</configuration>',
          '',
        ].join('\r\n'),
      );
    }
  }
  return bytes;
}

/**
 * Time from spawning a server on the workspace to its first status notification (the first full
 * validation), fresh servers each run, against loadPaths + analyze in-process, interleaved.
 */
export async function workspaceIndexing(seed: number): Promise<IndexingResult> {
  const template = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-kst-bench-'));
  const bytes = writeWorkspace(template, seed);
  const times = { server: [] as number[], serverReported: [] as number[], engine: [] as number[] };
  let analysis: ReturnType<typeof analyze> | undefined;
  let files = 0;
  let serverInputs = 0;
  try {
    for (let r = 0; r < INDEX_RUNS; r++) {
      // session.stop() deletes its folder, so each server gets a copy (made off the clock).
      const copy = workspaceCopy(template);
      const started = performance.now();
      const s = await LspSession.start(copy, { initializationOptions: { debounceMs: 0 } });
      try {
        const validated = await arrival(s, 'the first validation', () => s.statuses.length > 0);
        times.server.push(validated - started);
        times.serverReported.push(s.statuses[0].durationMs);
        serverInputs = s.statuses[0].inputs;
      } finally {
        await s.stop();
      }
      const run = await timed(async () => {
        const loaded = await loadPaths([template]);
        files = loaded.files.length;
        return analyze(loaded.files);
      });
      times.engine.push(run.ms);
      analysis = run.value;
    }
  } finally {
    fs.rmSync(template, { recursive: true, force: true });
  }
  if (files !== INDEX_FILES) throw new Error(`indexing workspace: loaded ${files} files, wrote ${INDEX_FILES}`);
  const { inputs, findings } = analysis!;
  if (serverInputs !== inputs.length)
    throw new Error(`indexing workspace: the server read ${serverInputs} inputs, the engine ${inputs.length}`);
  const server = percentile(times.server, 50);
  const engine = percentile(times.engine, 50);
  return {
    files,
    bytes,
    inputs: inputs.length,
    findings: findings.length,
    runs: INDEX_RUNS,
    server,
    serverReported: percentile(times.serverReported, 50),
    engine,
    ratio: server / engine,
  };
}

// VS Code's document capabilities without pull diagnostics.
const { diagnostic: _pull, ...pushed } = VSCODE_LIKE.textDocument ?? {};

/** A client that takes pushed diagnostics with versions, resolves code actions and applies documentChanges (VS Code without pull). */
export const PUSH_CLIENT: ClientCapabilities = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
  textDocument: pushed,
};

export interface RequestsResult {
  label: string;
  rounds: number;
  hover: Percentiles;
  codeAction: Percentiles;
  /** The validation each round's requests overlapped: the server's reported durationMs, median. */
  validation: number;
  /** Hovers whose range did not underline the FQDN in the text as it was when asked (must be 0). */
  wrongRanges: number;
}

/**
 * Hovers and code actions sent right after each edit of the 5 MB topology, so they arrive while
 * its validation runs: their latency against the validation they overlap, and whether each hover
 * underlines the right text of the edited document.
 */
export async function requestsDuringValidation(label: string, bytes: number, seed: number, rounds: number): Promise<RequestsResult> {
  const { dir, uri, original, range, states } = await toggledWorkspace(label, bytes, seed);
  const s = await LspSession.start(dir, { capabilities: PUSH_CLIENT, initializationOptions: { debounceMs: 0 } });
  const times = { hover: [] as number[], codeAction: [] as number[], validation: [] as number[] };
  let wrongRanges = 0;
  try {
    await s.waitFor('the first validation', () => s.statuses.length > 0);
    await s.settled(() => s.open(TOPOLOGY, 'xml', original));
    const doc = TextDocument.create(uri, 'xml', 1, original);
    // A pool that no edit touches, far before the edited cluster: its hover is moved, never dropped.
    const pool = /Fqdn="([^"]+)"/.exec(original);
    if (!pool) throw new Error(`${label}: no Fqdn in the topology`);
    const at = doc.positionAt(pool.index + 'Fqdn="'.length + 2);
    for (let e = 0; e < rounds; e++) {
      const version = e + 2;
      const statuses = s.statuses.length;
      const kst001 = s.diags(TOPOLOGY).find((d) => d.code === 'KST001');
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: states[(e + 1) % 2] }],
      });
      const hover = await timed(() => s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at }));
      times.hover.push(hover.ms);
      const r = hover.value?.range;
      if (!r || original.slice(doc.offsetAt(r.start), doc.offsetAt(r.end)) !== pool[1]) wrongRanges++;
      if (kst001) {
        const actions = await timed(() =>
          s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: kst001.range, context: { diagnostics: [kst001] } }),
        );
        times.codeAction.push(actions.ms);
      }
      await s.waitFor(`the validation of v${version}`, () => s.statuses.length > statuses && s.diagnostics.get(uri)?.version === version);
      times.validation.push(s.statuses[s.statuses.length - 1].durationMs);
    }
  } finally {
    await s.stop();
  }
  return {
    label,
    rounds,
    hover: percentiles(times.hover),
    codeAction: percentiles(times.codeAction),
    validation: percentile(times.validation, 50),
    wrongRanges,
  };
}

export interface NavigationResult {
  label: string;
  requests: number;
  symbols: { p50: number; p95: number };
  definition: { p50: number; p95: number };
  /** The engine's own outline and definition of the same file, in process, as the baseline. */
  engine: { symbols: number; definition: number };
}

/**
 * Outline and go-to-definition on the 5 MB topology once it is validated (they answer from the
 * analysis of the text as it is: during a validation they wait for it), against the engine
 * computing the same in process.
 */
export async function navigationLatency(label: string, bytes: number, seed: number, requests: number): Promise<NavigationResult> {
  const { dir, uri, original } = await toggledWorkspace(label, bytes, seed);
  const s = await LspSession.start(dir, { capabilities: PUSH_CLIENT });
  const times = { symbols: [] as number[], definition: [] as number[] };
  const doc = TextDocument.create(uri, 'xml', 1, original);
  // A service's InstalledOn/ClusterId halfway through the file.
  const link = original.indexOf('<InstalledOn>', original.length / 2);
  const position = doc.positionAt(original.indexOf('<ClusterId', link) + 3);
  // The engine first: the session removes the workspace when it stops.
  const files = (await loadPaths([dir], { keyOf: fileUri })).files;
  const analysis = analyze(files, OPTIONS);
  const key = files.find((f) => f.path.endsWith(`/${TOPOLOGY}`))?.path ?? uri;
  const engineSymbols = await timed(() => documentSymbols(analysis, key));
  const engineDefinition = await timed(() => definitionAt(analysis, key, doc.offsetAt(position)));
  if (engineSymbols.value.length === 0 || !engineDefinition.value) throw new Error(`${label}: the engine found no outline or definition`);
  try {
    await s.waitFor('the first validation', () => s.statuses.length > 0);
    await s.settled(() => s.open(TOPOLOGY, 'xml', original));
    for (let i = 0; i < requests; i++) {
      times.symbols.push((await timed(() => s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }))).ms);
      times.definition.push((await timed(() => s.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position }))).ms);
    }
  } finally {
    await s.stop();
  }
  return {
    label,
    requests,
    symbols: percentiles(times.symbols),
    definition: percentiles(times.definition),
    engine: { symbols: engineSymbols.ms, definition: engineDefinition.ms },
  };
}

export interface StormResult {
  label: string;
  edits: number;
  spreadMs: number;
  hovers: number;
  /** Hovers that had no reply by the time the storm settled. */
  unanswered: number;
  hoverMax: number;
  hover: Percentiles;
  /** Last edit sent to the diagnostics of its version published. */
  settleMs: number;
  /** One validation of the same workspace, median, as the server reports it (the baseline for settleMs). */
  validationMs: number;
  /** A 60 MB document opened right after the storm: sent to FILE001 received. */
  oversizedMs: number;
  peakRssMb: number;
}

/**
 * 500 one-character edits of the 5 MB topology within 3 s, a hover every 50 ms meanwhile, then a
 * 60 MB document opened: how long hovers wait, how long the server takes to settle after the last
 * edit (against one validation), whether the oversized document gets FILE001 at once, and the
 * server's peak memory over it all.
 */
export async function editStorm(label: string, bytes: number, seed: number): Promise<StormResult> {
  const EDITS = 500;
  const SPREAD_MS = 3000;
  const { dir, uri, original } = await toggledWorkspace(label, bytes, seed);
  const s = await LspSession.start(dir, { capabilities: PUSH_CLIENT, initializationOptions: { debounceMs: 0 } });
  try {
    await s.waitFor('the first validation', () => s.statuses.length > 0);
    await s.settled(() => s.open(TOPOLOGY, 'xml', original));
    const validationMs = s.statuses[s.statuses.length - 1].durationMs;
    const doc = TextDocument.create(uri, 'xml', 1, original);
    const pool = /Fqdn="([^"]+)"/.exec(original);
    if (!pool) throw new Error(`${label}: no Fqdn in the topology`);
    // A space in and out right after the XML declaration: every version stays well-formed.
    const insertAt = doc.positionAt(original.indexOf('?>') + 2);
    const hovers: Promise<number>[] = [];
    const answered: number[] = [];
    let version = 1;
    const started = performance.now();
    const hoverTimer = setInterval(() => {
      const sent = performance.now();
      const position = doc.positionAt(pool.index + 'Fqdn="'.length + 2);
      hovers.push(
        s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position }).then(() => {
          const ms = performance.now() - sent;
          answered.push(ms);
          return ms;
        }),
      );
    }, 50);
    for (let e = 0; e < EDITS; e++) {
      version++;
      const insert = e % 2 === 0;
      await s.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [
          insert
            ? { range: { start: insertAt, end: insertAt }, text: ' ' }
            : { range: { start: insertAt, end: { line: insertAt.line, character: insertAt.character + 1 } }, text: '' },
        ],
      });
      const due = started + ((e + 1) * SPREAD_MS) / EDITS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const lastSent = performance.now();
    clearInterval(hoverTimer);
    const final = version;
    const settled = await arrival(s, `diagnostics for v${final}`, () => s.diagnostics.get(uri)?.version === final);
    const hoverCount = hovers.length;
    await Promise.race([Promise.all(hovers), new Promise((resolve) => setTimeout(resolve, 60_000))]);

    // 60 MB, ASCII: over the default 16 MB limit.
    const big = `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"><!--${'x'.repeat(60_000_000)}--></Topology>`;
    const bigUri = fileUri(path.join(dir, 'huge.xml'));
    const file001 = arrival(s, 'FILE001 on the 60 MB document', () =>
      (s.diagnostics.get(bigUri)?.diagnostics ?? []).some((d) => d.code === 'FILE001'),
    );
    const sentBig = performance.now();
    await s.openUri(bigUri, 'xml', big);
    const oversizedMs = (await file001) - sentBig;
    return {
      label,
      edits: EDITS,
      spreadMs: lastSent - started,
      hovers: hoverCount,
      unanswered: hoverCount - answered.length,
      hoverMax: Math.max(...answered),
      hover: percentiles(answered),
      settleMs: settled - lastSent,
      validationMs,
      oversizedMs,
      peakRssMb: s.peakRssMb(),
    };
  } finally {
    await s.stop();
  }
}

/** The generated workspace of `bytes`, and the edit that toggles a planted conflict's pool FQDN (as editLatency makes it). */
async function toggledWorkspace(
  label: string,
  bytes: number,
  seed: number,
): Promise<{ dir: string; uri: string; original: string; range: Range; states: [string, string] }> {
  const generated = generateTopology(sizeTopology(bytes, seed));
  const original = generated.topology;
  const fqdn = generated.conflictFqdns[0];
  const renamed = fqdn.replace('-ex', '-ey');
  const attribute = `Fqdn="${fqdn}"`;
  const start = original.indexOf(attribute);
  const machine = original.indexOf(attribute, start + 1);
  if (start < 0 || machine < 0 || renamed === fqdn) throw new Error(`${label}: cannot find the cluster and machine of ${fqdn}`);
  const end = machine + attribute.length;
  const doc = TextDocument.create('', 'xml', 0, original);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-kst-bench-'));
  writeGenerated(dir, generated);
  return {
    dir,
    uri: fileUri(path.join(dir, TOPOLOGY)),
    original,
    range: { start: doc.positionAt(start), end: doc.positionAt(end) },
    states: [original.slice(start, end), original.slice(start, end).split(fqdn).join(renamed)],
  };
}
