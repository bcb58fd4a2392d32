import { Fqdn, normFqdn } from '../model/fqdn';
import { isInput } from '../readers/registry';
import { clusterFqdns } from '../readers/topology/model';
import { Span, Token } from '../text/source';
import { Analysis } from '../workspace/analyze';
import { fqdnValues } from './index';

export interface Lens {
  at: Span;
  title: string;
  fqdn: Fqdn;
}

/** "KST: known, v6", "KST: dropped by 14563 (3 entries)", "KST: not in the table": one server's fate, in a few words. */
export function kstState(analysis: Analysis, fqdn: Fqdn): string {
  const entries = analysis.kst.byFqdn.get(fqdn) ?? [];
  const live = entries.filter((e) => e.state !== 'removed');
  if (live.some((e) => e.state === 'dropped')) return `KST: dropped by 14563 (${live.length} entries)`;
  if (live.length > 0) return `KST: known, v${[...new Set(live.map((e) => e.version))].join(', v')}`;
  return entries.length > 0 ? 'KST: removed by a script' : 'KST: not in the table';
}

/**
 * A lens on each place a server's KST fate matters: a topology cluster, a trusted pool a script
 * creates or changes, a dial-plan server. Clicking it opens the KST view at that FQDN.
 */
export function lensesIn(analysis: Analysis, key: string): Lens[] {
  const input = analysis.inputs.find((i) => i.file.path === key);
  if (!input || !isInput(input)) return [];
  const out: Lens[] = [];
  const lens = (t: Token | undefined): void => {
    if (!t || !t.value.includes('.')) return;
    const fqdn = normFqdn(t.value);
    out.push({ at: t.span, title: kstState(analysis, fqdn), fqdn });
  };
  for (const t of input.contributes.topologies ?? []) for (const c of t.clusters) lens(c.fqdn ?? clusterFqdns(c)[0]);
  for (const s of analysis.servers)
    if (s.token.span.file === input.file && s.fqdn) out.push({ at: s.token.span, title: kstState(analysis, s.fqdn), fqdn: s.fqdn });
  for (const script of input.contributes.scripts ?? [])
    for (const cmd of script.commands) if (/-CsTrusted/.test(cmd.name)) lens(fqdnValues(cmd)[0]);
  return out.sort((a, b) => a.at.start - b.at.start);
}
