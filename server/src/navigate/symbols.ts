import { pushAt } from '../collections';
import { normFqdn } from '../model/fqdn';
import { productName } from '../model/versions';
import { isInput } from '../readers/registry';
import { clusterVersion, isTrustedPoolService, speaksSip, Topology } from '../readers/topology/model';
import { span, Span } from '../text/source';
import { Analysis } from '../workspace/analyze';
import { fqdnValues, navIndex } from './index';

export type SymbolKind = 'site' | 'pool' | 'trustedPool' | 'machine' | 'service' | 'sql' | 'dialPlan' | 'server' | 'command' | 'event';

export interface SymbolNode {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole element or statement, and the part to select. */
  span: Span;
  selection: Span;
  children: SymbolNode[];
}

/**
 * The outline of one input: a topology's sites, their pools (roles and KST version), machines
 * and services, SQL instances; a dial-plan file's plans and servers; a script's trusted-application
 * cmdlets with their pool; an event export's events.
 */
export function documentSymbols(analysis: Analysis, key: string): SymbolNode[] {
  const input = analysis.inputs.find((i) => i.file.path === key);
  if (!input || !isInput(input)) return [];
  const out: SymbolNode[] = [];
  for (const t of input.contributes.topologies ?? []) out.push(...topologySymbols(t, analysis.assumedVersion));
  for (const plan of input.contributes.plans ?? []) {
    // The plan as far as what is read of it goes: its children must lie inside it.
    const parts = [plan.name, plan.uriType, ...plan.servers].filter((t): t is NonNullable<typeof t> => t !== undefined).map((t) => t.span);
    const whole = span(input.file, Math.min(...parts.map((p) => p.start)), Math.max(...parts.map((p) => p.end)));
    out.push({
      name: plan.name.value,
      detail: plan.uriType?.value,
      kind: 'dialPlan',
      span: whole,
      selection: plan.name.span,
      children: plan.servers.map((s) => ({ name: s.value, kind: 'server', span: s.span, selection: s.span, children: [] })),
    });
  }
  for (const script of input.contributes.scripts ?? []) {
    for (const cmd of script.commands) {
      if (!/-Cs/.test(cmd.name)) continue;
      const pool = fqdnValues(cmd)[0];
      out.push({ name: cmd.name, detail: pool?.value, kind: 'command', span: cmd.core, selection: cmd.nameSpan, children: [] });
    }
  }
  for (const log of input.contributes.eventLogs ?? []) {
    for (const e of log.events) {
      out.push({
        name: `${e.id} ${e.time.text}`,
        detail: [e.computer?.value, e.servers.map((s) => s.fqdn).join(', ')].filter(Boolean).join(': '),
        kind: 'event',
        span: e.anchor,
        selection: e.anchor,
        children: [],
      });
    }
  }
  return out;
}

function topologySymbols(t: Topology, assumed: number): SymbolNode[] {
  const bySite = new Map<string, SymbolNode[]>();
  for (const c of t.clusters) {
    const whole = span(t.file, c.element.start, c.element.end ?? c.element.startTagEnd);
    const trusted = c.services.some(isTrustedPoolService);
    const roles = [...new Set(c.services.map((s) => s.roleName?.value).filter((r): r is string => !!r))];
    const v = clusterVersion(c, assumed);
    const version = !c.services.length
      ? ''
      : c.services.some(speaksSip)
        ? ` · KST v${v.version}${v.assumed ? '?' : ''} (${productName(v.version)})`
        : ' · not a KST entry';
    pushAt(bySite, c.siteId ?? '', {
      name: c.fqdn?.value ?? c.key,
      detail: (trusted ? 'trusted application pool' : roles.join(', ') || 'no services') + version,
      kind: trusted ? 'trustedPool' : 'pool',
      span: whole,
      selection: c.fqdn?.span ?? span(t.file, c.element.start, c.element.startTagEnd),
      children: [
        ...c.machines
          .filter((m) => m.fqdn && normFqdn(m.fqdn.value) !== normFqdn(c.fqdn?.value ?? ''))
          .map((m) => ({
            name: m.fqdn?.value ?? '',
            kind: 'machine' as const,
            span: span(t.file, m.element.start, m.element.end ?? m.element.startTagEnd),
            selection: m.fqdn?.span ?? span(t.file, m.element.start, m.element.startTagEnd),
            children: [],
          })),
        ...c.services.map((s) => ({
          name: s.roleName?.value ?? 'Service',
          detail: s.version ? `ServiceVersion ${s.version.value}` : undefined,
          kind: 'service' as const,
          span: span(t.file, s.element.start, s.element.end ?? s.element.startTagEnd),
          selection: s.roleName?.span ?? span(t.file, s.element.start, s.element.startTagEnd),
          children: [],
        })),
      ],
    });
  }
  const sql = [...t.targets.entries()]
    .filter(([k]) => k.startsWith('sql|'))
    .map(([, target]) => ({ name: target.name, kind: 'sql' as const, span: target.element, selection: target.selection, children: [] }));
  const sites = [...bySite.entries()].map(([id, pools]) => {
    const first = pools[0].span;
    const last = pools[pools.length - 1].span;
    const whole = span(t.file, first.start, last.end);
    return {
      name: t.siteNames.get(id) ?? (id ? `Site ${id}` : 'Site'),
      detail: id ? `SiteId ${id}` : undefined,
      kind: 'site' as const,
      span: whole,
      selection: span(t.file, first.start, first.start),
      children: pools,
    };
  });
  return [...sites, ...sql];
}

/** Every FQDN of the workspace where it is defined, for workspace/symbol. */
export function workspaceSymbols(analysis: Analysis, query: string, limit = 500): { name: string; kind: SymbolKind; at: Span }[] {
  const q = query.toLowerCase();
  const out: { name: string; kind: SymbolKind; at: Span }[] = [];
  for (const [fqdn, targets] of navIndex(analysis).definitions) {
    if (q && !fqdn.includes(q)) continue;
    for (const t of targets) {
      out.push({ name: fqdn, kind: t.name.startsWith('New-Cs') ? 'trustedPool' : 'pool', at: t.selection });
      if (out.length >= limit) return out;
    }
  }
  return out;
}
