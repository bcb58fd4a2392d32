import { DialPlan } from '../dialplans/model';
import { DialPlanServer, resolveServers } from '../dialplans/resolve';
import { Finding, Severity } from '../findings';
import { Fix } from '../fixes/model';
import { Kst, simulateKst } from '../kst/simulate';
import { collectTrustedPools } from '../pools/trusted';
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
import { Script } from '../scripts/model';
import { SourceFile } from '../text/source';
import { Topology } from '../topology/model';
import { Input, readInput } from './inputs';

export interface AnalysisOptions {
  /** KST version for topology entries whose ServiceVersion is missing. Default 6 (Lync Server 2013). */
  assumedVersion?: number;
  /** Per-code severity overrides; 'off' drops the code. */
  severities?: Partial<Record<Code, Severity | 'off'>>;
}

export interface Analysis {
  inputs: Input[];
  /** Every dial-plan server name, resolved or not (hovers explain the ones the KST lacks). */
  servers: DialPlanServer[];
  findings: Finding[];
  kst: Kst;
  fixes: Map<string, Fix>;
}

export const DEFAULT_ASSUMED_VERSION = 6;

const RULES = [xmlRules, encodingRules, fileRules, scriptRules, topologyRules, dialPlanRules, fqdnRules, trustedAppRules, kstRules];

/** Reads every recognised file, simulates the KST over all of them and runs every rule. */
export function analyze(files: SourceFile[], options: AnalysisOptions = {}): Analysis {
  const inputs = files.map(readInput).filter((i): i is Input => i !== undefined);
  return analyzeInputs(inputs, options);
}

/** The same, for inputs already read (the language server keeps them between edits). */
export function analyzeInputs(inputs: Input[], options: AnalysisOptions = {}): Analysis {
  const assumedVersion = options.assumedVersion ?? DEFAULT_ASSUMED_VERSION;
  const topologies: Topology[] = [];
  const plans: DialPlan[] = [];
  const scripts: Script[] = [];
  for (const i of inputs) {
    if (i.kind === 'topology') topologies.push(i.topology);
    else if (i.kind === 'clixml' || i.kind === 'dialplan-json') plans.push(...i.plans);
    else if (i.kind === 'script') scripts.push(i.script);
  }
  const pools = collectTrustedPools(topologies, scripts, assumedVersion);
  const servers = resolveServers(plans, topologies);
  const kst = simulateKst({ topologies, pools, servers, assumedVersion });

  const findings: Finding[] = [];
  const fixes = new Map<string, Fix>();
  const ctx: RuleContext = {
    inputs, topologies, plans, servers, scripts, pools, kst, assumedVersion,
    report: (f) => {
      const override = options.severities?.[f.code];
      if (override === 'off') return;
      if (override) f.severity = override;
      findings.push(f);
    },
    offer: (fix) => {
      if (!fixes.has(fix.id)) fixes.set(fix.id, fix);
      return fix.id;
    },
  };
  for (const rule of RULES) rule(ctx);
  findings.sort((a, b) => (a.span.file.path < b.span.file.path ? -1 : a.span.file.path > b.span.file.path ? 1 : a.span.start - b.span.start));
  return { inputs, servers, findings, kst, fixes };
}
