import { DialPlanServer, resolveServers } from '../simulate/servers';
import { Finding, internalError, Severity } from '../rules/finding';
import { Fix } from '../fixes/model';
import { Kst, simulateKst } from '../simulate/kst';
import { collectTrustedPools } from '../simulate/pools';
import { Code } from '../rules/catalogue';
import { RuleContext } from '../rules/context';
import { encodingRules } from '../rules/enc';
import { fileRules } from '../rules/file';
import { fqdnRules } from '../rules/fqdn';
import { kstRules } from '../rules/kst';
import { scriptRules } from '../rules/ps';
import { trustedAppRules } from '../rules/tap';
import { topologyRules } from '../rules/top';
import { dialPlanRules } from '../rules/um';
import { xmlRules } from '../rules/xml';
import { SourceFile } from '../text/source';
import { Contribution } from '../readers/reader';
import { Input, isInput, readInput } from '../readers/registry';


export interface AnalysisOptions {
  /** KST version for topology entries whose ServiceVersion is missing. Default 6 (Lync Server 2013). */
  assumedVersion?: number;
  /** Per-code severity overrides; 'off' drops the code. */
  severities?: Partial<Record<Code, Severity | 'off'>>;
}

export interface Analysis {
  /** One per file given: inputs, and the files that are not (with why). */
  inputs: Input[];
  /** Every dial-plan server name, resolved or not (hovers explain the ones the KST lacks). */
  servers: DialPlanServer[];
  findings: Finding[];
  kst: Kst;
  fixes: Map<string, Fix>;
}

export const DEFAULT_ASSUMED_VERSION = 6;

/** Each rule with the codes it raises, so a failing rule can be named. */
const RULES: { name: string; codes: string; run: (ctx: RuleContext) => void }[] = [
  { name: 'xml', codes: 'XML001, XML002', run: xmlRules },
  { name: 'encoding', codes: 'ENC001', run: encodingRules },
  { name: 'files', codes: 'FILE001–FILE004', run: fileRules },
  { name: 'scripts', codes: 'PS001–PS003', run: scriptRules },
  { name: 'topology', codes: 'TOP001', run: topologyRules },
  { name: 'dial plans', codes: 'UM001–UM005', run: dialPlanRules },
  { name: 'fqdn', codes: 'FQDN001, FQDN002', run: fqdnRules },
  { name: 'trusted applications', codes: 'TAP001–TAP007', run: trustedAppRules },
  { name: 'kst', codes: 'KST001–KST004', run: kstRules },
];

/** Reads every file, simulates the KST over the inputs among them and runs every rule. */
export function analyze(files: SourceFile[], options: AnalysisOptions = {}): Analysis {
  return analyzeInputs(files.map(readInput), options);
}

/** The same, for inputs already read (the language server keeps them between edits). */
export function analyzeInputs(inputs: Input[], options: AnalysisOptions = {}): Analysis {
  const assumedVersion = options.assumedVersion ?? DEFAULT_ASSUMED_VERSION;
  const { topologies, plans, scripts } = merge(inputs);
  const findings: Finding[] = [];
  const fixes = new Map<string, Fix>();
  const report = (f: Finding): void => {
    const override = options.severities?.[f.code];
    if (override === 'off') return;
    if (override) f.severity = override;
    findings.push(f);
  };
  let pools: RuleContext['pools'] = { all: [], byFqdn: new Map(), unknowns: [] };
  let servers: DialPlanServer[] = [];
  let kst: Kst = { entries: [], byFqdn: new Map(), conflicts: [] };
  try {
    pools = collectTrustedPools(topologies, scripts, assumedVersion);
    servers = resolveServers(plans, topologies);
    kst = simulateKst({ topologies, pools, servers, assumedVersion });
  } catch (e) {
    if (inputs[0]) report(internalError(inputs[0].file, 'simulating the Known Servers Table', e));
  }
  const ctx: RuleContext = {
    inputs, topologies, plans, servers, scripts, pools, kst, assumedVersion, report,
    offer: (fix) => {
      if (!fixes.has(fix.id)) fixes.set(fix.id, fix);
      return fix.id;
    },
  };
  for (const rule of RULES) {
    try {
      rule.run(ctx);
    } catch (e) {
      // A rule that fails loses its own findings, never the others', and never silently.
      const at = inputs[0]?.file;
      if (at) report(internalError(at, `running the ${rule.name} rules (${rule.codes})`, e));
    }
  }
  findings.sort((a, b) => (a.span.file.path < b.span.file.path ? -1 : a.span.file.path > b.span.file.path ? 1 : a.span.start - b.span.start));
  return { inputs, servers, findings, kst, fixes };
}

/** Every input's contribution, merged: the analysis never asks which kind of file gave what. */
function merge(inputs: Input[]): Required<Contribution> {
  const all: Required<Contribution> = { topologies: [], plans: [], scripts: [] };
  for (const input of inputs) {
    if (!isInput(input)) continue;
    for (const key of Object.keys(all) as (keyof Contribution)[]) {
      for (const item of input.contributes[key] ?? []) (all[key] as unknown[]).push(item);
    }
  }
  return all;
}
