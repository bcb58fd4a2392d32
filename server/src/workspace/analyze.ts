import { Fix } from '../fixes/model';
import { Contribution } from '../readers/reader';
import { Input, isInput, readInput } from '../readers/registry';
import { CHECKERS } from '../rules/catalogue';
import { RuleContext } from '../rules/context';
import { finding, Finding, Severity } from '../rules/finding';
import { internalError } from '../rules/internal';
import { Kst, simulateKst } from '../simulate/kst';
import { Live, simulateLive } from '../simulate/live';
import { effectiveServers, ExchangeSide, simulateExchange } from '../simulate/exchange';
import { collectTrustedPools } from '../simulate/pools';
import { DialPlanServer, resolveServers } from '../simulate/servers';
import { SourceFile } from '../text/source';

export interface AnalysisOptions {
  /** KST version for topology entries whose ServiceVersion is missing. Default 6 (Lync Server 2013). */
  assumedVersion?: number;
  /** Per-code severity overrides; 'off' drops the code. */
  severities?: Partial<Record<string, Severity | 'off'>>;
}

export interface Analysis {
  /** One per file given: inputs, and the files that are not (with why). */
  inputs: Input[];
  /** Every dial-plan server name, resolved or not (hovers explain the ones the KST lacks). */
  servers: DialPlanServer[];
  findings: Finding[];
  kst: Kst;
  /** Each Front End's table as its exported event log shows it. */
  live: Live;
  /** The Exchange servers the workspace names, their OWA IM and UM configuration. */
  exchange: ExchangeSide;
  /** The version used where a topology gives none. */
  assumedVersion: number;
  fixes: Map<string, Fix>;
}

export const DEFAULT_ASSUMED_VERSION = 6;

/** Reads every file, simulates the KST over the inputs among them and runs every rule. */
export function analyze(files: SourceFile[], options: AnalysisOptions = {}): Analysis {
  return analyzeInputs(files.map(readInput), options);
}

/** Thrown by analyzeInputs when `stop` says the analysis is no longer wanted (the text moved on). */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer change');
  }
}

/**
 * The same, for inputs already read (the language server keeps them between edits). `stop` is
 * asked between the simulation and each group of rules; when it says so the analysis ends with
 * Superseded.
 */
export function analyzeInputs(inputs: Input[], options: AnalysisOptions = {}, stop?: () => boolean): Analysis {
  const check = (): void => {
    if (stop?.()) throw new Superseded();
  };
  const assumedVersion = options.assumedVersion ?? DEFAULT_ASSUMED_VERSION;
  const { topologies, plans, scripts, trustedExports, eventLogs, exchange: exchangeExports } = merge(inputs);
  const findings: Finding[] = [];
  const fixes = new Map<string, Fix>();
  const add = (f: Finding): Finding => {
    const override = options.severities?.[f.code];
    if (override === 'off') return f;
    if (override) f.severity = override;
    findings.push(f);
    return f;
  };
  const report: RuleContext['report'] = (rule, span, args, related) => add(finding(rule, span, args, related));
  let pools: RuleContext['pools'] = { all: [], byFqdn: new Map(), unknowns: [], unplaced: [] };
  let servers: DialPlanServer[] = [];
  let kst: Kst = { entries: [], byFqdn: new Map(), conflicts: [] };
  let live: Live = { frontEnds: [] };
  let exchange: ExchangeSide = {
    servers: new Map(),
    orgWide: [],
    unplaced: [],
    unnamed: [],
    unknown: [],
    unbound: [],
    boundOnly: [],
    poolsCreated: [],
  };
  try {
    pools = collectTrustedPools({ topologies, trustedExports, scripts }, assumedVersion);
    servers = resolveServers(plans, topologies);
    exchange = simulateExchange({ exports: exchangeExports, scripts, plans, servers });
    kst = simulateKst({ topologies, pools, servers: effectiveServers(servers, exchange), assumedVersion });
    live = simulateLive(eventLogs);
  } catch (e) {
    if (inputs[0]) add(internalError(inputs[0].file, 'simulating the Known Servers Table', e));
  }
  // A reader that threw on a file: reported there, never dropped.
  for (const input of inputs) if (input.kind === 'failed') add(internalError(input.file, 'reading this file', input.error));
  const ctx: RuleContext = {
    inputs,
    topologies,
    plans,
    servers,
    scripts,
    pools,
    kst,
    live,
    exchange,
    assumedVersion,
    report,
    offer: (fix) => {
      if (!fixes.has(fix.id)) fixes.set(fix.id, fix);
      return fix.id;
    },
  };
  for (const checker of CHECKERS) {
    check();
    try {
      checker.check(ctx);
    } catch (e) {
      // A checker that fails loses its own findings, never the others', and never silently.
      const at = inputs[0]?.file;
      if (at) add(internalError(at, `running the ${checker.name} rules (${checker.rules.map((r) => r.code).join(', ')})`, e));
    }
  }
  findings.sort((a, b) =>
    a.span.file.path < b.span.file.path ? -1 : a.span.file.path > b.span.file.path ? 1 : a.span.start - b.span.start,
  );
  return { inputs, servers, findings, kst, live, exchange, assumedVersion, fixes };
}

/** Every input's contribution, merged: the analysis never asks which kind of file gave what. */
function merge(inputs: Input[]): Required<Contribution> {
  const all: Required<Contribution> = { topologies: [], plans: [], scripts: [], trustedExports: [], eventLogs: [], exchange: [] };
  for (const input of inputs) {
    if (!isInput(input)) continue;
    for (const key of Object.keys(all) as (keyof Contribution)[]) {
      for (const item of input.contributes[key] ?? []) (all[key] as unknown[]).push(item);
    }
  }
  return all;
}
