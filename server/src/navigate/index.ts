import { pushAt } from '../collections';
import { Fqdn, normFqdn } from '../model/fqdn';
import { isInput } from '../readers/registry';
import { ScriptCommand } from '../readers/scripts/model';
import { clusterFqdns, linkKey, Topology } from '../readers/topology/model';
import { Span, Token } from '../text/source';
import { Analysis } from '../workspace/analyze';

/** What a link points at: the whole element, and the part an editor selects (its FQDN, its id). */
export interface Target {
  element: Span;
  selection: Span;
  name: string;
}

/** A reference as written, and what it resolves to (several: a pool defined in the topology and by a script). */
export interface Link {
  from: Span;
  targets: Target[];
}

/**
 * The workspace as a graph, built once per analysis: every link (topology references, a
 * script's pool and Registrar, a dial-plan server) with its targets, and every place an FQDN is
 * written in an input lync-kst may edit, for references and rename.
 */
export interface NavIndex {
  /** Links by file, sorted by position. */
  links: Map<string, Link[]>;
  /** Where each FQDN is written, in topologies, dial plans and scripts (not in exports of the live deployment). */
  fqdns: Map<Fqdn, Token[]>;
  /** FQDN definitions: topology clusters and machines, and the pools scripts create. */
  definitions: Map<Fqdn, Target[]>;
}

const indexes = new WeakMap<Analysis, NavIndex>();

export function navIndex(analysis: Analysis): NavIndex {
  let index = indexes.get(analysis);
  if (!index) indexes.set(analysis, (index = build(analysis)));
  return index;
}

function build(analysis: Analysis): NavIndex {
  const links = new Map<string, Link[]>();
  const fqdns = new Map<Fqdn, Token[]>();
  const definitions = new Map<Fqdn, Target[]>();
  const occurs = (t: Token | undefined): void => {
    // Only what is written as the FQDN itself: a rename rewrites exactly these characters.
    if (!t || t.value.trim() === '') return;
    const written = t.span.file.text.slice(t.span.start, t.span.end);
    if (normFqdn(written) === normFqdn(t.value) && t.value.includes('.')) pushAt(fqdns, normFqdn(t.value), t);
  };
  const topologies: Topology[] = [];
  for (const input of analysis.inputs) {
    if (!isInput(input)) continue;
    for (const t of input.contributes.topologies ?? []) {
      topologies.push(t);
      for (const c of t.clusters) {
        const element = { file: t.file, start: c.element.start, end: c.element.end ?? c.element.startTagEnd };
        const own = c.fqdn && normFqdn(c.fqdn.value);
        for (const name of clusterFqdns(c)) {
          occurs(name);
          // A one-machine pool's machine has the pool's FQDN: the pool is its definition.
          if (name === c.fqdn || normFqdn(name.value) !== own)
            pushAt(definitions, normFqdn(name.value), { element, selection: name.span, name: name.value });
        }
        // A machine's fault and upgrade domains name it too.
        for (const m of c.machines)
          for (const a of ['FaultDomain', 'UpgradeDomain']) {
            const attr = m.element.attr(a);
            if (attr && m.fqdn && normFqdn(attr.value) === normFqdn(m.fqdn.value))
              occurs({ value: attr.value, span: { file: t.file, start: attr.valueStart, end: attr.valueEnd } });
          }
      }
      const own: Link[] = [];
      for (const l of t.links) {
        const target = t.targets.get(linkKey(l.kind, l.key));
        if (target) own.push({ from: l.from, targets: [target] });
      }
      for (const l of own) pushAt(links, t.file.path, l);
    }
    for (const plan of input.contributes.plans ?? []) for (const s of plan.servers) occurs(s);
  }
  for (const script of analysis.inputs.flatMap((i) => (isInput(i) ? (i.contributes.scripts ?? []) : []))) {
    for (const cmd of script.commands) {
      const values = fqdnValues(cmd);
      for (const t of values) {
        occurs(t);
        if (cmd.name === 'New-CsTrustedApplicationPool' && t === values[0])
          pushAt(definitions, normFqdn(t.value), { element: cmd.core, selection: t.span, name: `${cmd.name} ${t.value}` });
      }
    }
  }
  // References by FQDN: a script's pool and Registrar, a dial-plan server, to where the FQDN is defined.
  for (const [fqdn, tokens] of fqdns) {
    const targets = definitions.get(fqdn) ?? [];
    for (const t of tokens) {
      const others = targets.filter((d) => d.selection.file !== t.span.file || d.selection.start !== t.span.start);
      if (others.length > 0 && !targets.some((d) => d.selection.file === t.span.file && d.selection.start === t.span.start))
        pushAt(links, t.span.file.path, { from: t.span, targets: others });
    }
  }
  for (const s of analysis.servers) {
    if (!s.fqdn || s.how === 'fqdn') continue;
    // A short name resolved through the topology is a link too, though not an occurrence of the FQDN.
    const targets = definitions.get(s.fqdn);
    if (targets?.length) pushAt(links, s.token.span.file.path, { from: s.token.span, targets });
  }
  for (const list of links.values()) list.sort((a, b) => a.from.start - b.from.start);
  return { links, fqdns, definitions };
}

/** The FQDN-valued parameters of a cmdlet (its pool, Registrar, computer), where the literal is written. */
export function fqdnValues(cmd: ScriptCommand): Token[] {
  const out: Token[] = [];
  for (const p of cmd.spec.parameters) {
    if (!p.fqdn) continue;
    const bound = cmd.parameters.get(p.name.toLowerCase());
    const v = bound?.value;
    if (!v || v.value === undefined) continue;
    const at = v.literal ?? v.span;
    const raw = at.file.text.slice(at.start, at.end);
    const strip = p.strip && raw.toLowerCase().startsWith(p.strip.toLowerCase()) ? p.strip.length : 0;
    out.push({ value: raw.slice(strip), span: { file: at.file, start: at.start + strip, end: at.end } });
  }
  return out;
}

/** The link written at `offset` of a file, if any. */
export function linkAt(index: NavIndex, key: string, offset: number): Link | undefined {
  return (index.links.get(key) ?? []).find((l) => l.from.start <= offset && offset <= l.from.end);
}

/** The FQDN written at `offset` of a file, as an occurrence lync-kst can rename. */
export function fqdnAt(index: NavIndex, key: string, offset: number): { fqdn: Fqdn; token: Token } | undefined {
  for (const [fqdn, tokens] of index.fqdns) {
    const token = tokens.find((t) => t.span.file.path === key && t.span.start <= offset && offset <= t.span.end);
    if (token) return { fqdn, token };
  }
  return undefined;
}

/** Where what is at `offset` is defined: the link's targets, or the FQDN's definitions. */
export function definitionAt(analysis: Analysis, key: string, offset: number): { from: Span; targets: Target[] } | undefined {
  const index = navIndex(analysis);
  const link = linkAt(index, key, offset);
  if (link) return { from: link.from, targets: link.targets };
  const at = fqdnAt(index, key, offset);
  const targets = at ? (index.definitions.get(at.fqdn) ?? []) : [];
  return at && targets.length ? { from: at.token.span, targets } : undefined;
}

/**
 * Every reference to what is at `offset`: for an element others link to (a cluster, a service,
 * a GUID), the links to it; for an FQDN, every place it is written. The declaration is included.
 */
export function referencesAt(analysis: Analysis, key: string, offset: number): Span[] {
  const index = navIndex(analysis);
  const link = linkAt(index, key, offset);
  const out: Span[] = [];
  const same = (a: Span, b: Span) => a.file === b.file && a.start === b.start && a.end === b.end;
  const targets =
    link?.targets ??
    [...allTargets(index)].filter((t) => t.element.file.path === key && t.selection.start <= offset && offset <= t.selection.end);
  for (const list of index.links.values())
    for (const l of list) if (l.targets.some((t) => targets.some((x) => same(x.selection, t.selection)))) out.push(l.from);
  out.push(...targets.map((t) => t.selection));
  const at = fqdnAt(index, key, offset) ?? targets.map((t) => fqdnAt(index, t.selection.file.path, t.selection.start)).find((x) => x);
  if (at) out.push(...(index.fqdns.get(at.fqdn) ?? []).map((t) => t.span));
  const seen = new Set<string>();
  return out.filter((s) => {
    const k = `${s.file.path}:${s.start}:${s.end}`;
    return !seen.has(k) && seen.add(k) !== undefined;
  });
}

function* allTargets(index: NavIndex): Generator<Target> {
  const seen = new Set<Target>();
  for (const list of index.links.values())
    for (const l of list)
      for (const t of l.targets)
        if (!seen.has(t)) {
          seen.add(t);
          yield t;
        }
  for (const list of index.definitions.values()) for (const t of list) if (!seen.has(t)) yield t;
}
