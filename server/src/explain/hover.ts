import { DialPlanServer } from '../simulate/servers';
import { uriTypeOf } from '../readers/dialplans/model';
import { EVENT_INFO } from '../simulate/events';
import { Fqdn, normFqdn } from '../model/fqdn';
import { describeOrigin, KstEntry } from '../simulate/kst';
import { describeVersion, productName } from '../model/versions';
import { location, SourceFile, Span, Token } from '../text/source';
import { isInput } from '../readers/registry';
import { clusterFqdns, speaksSip } from '../readers/topology/model';
import { Analysis } from '../workspace/analyze';

export interface HoverResult {
  markdown: string;
  span?: Span;
}

type Target = { kind: 'fqdn'; token: Token; fqdn: Fqdn; server?: DialPlanServer } | { kind: 'version'; token: Token };

/** FQDN-looking words, for places the engine holds no token for (comments, unread script values). */
const FQDN_WORD = /[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\.?/g;

/** Hover for a position in an input file: an FQDN's KST entries and fate, or a ServiceVersion's product. */
export function hoverInFile(
  analysis: Analysis,
  file: SourceFile,
  offset: number,
  display: (key: string) => string,
): HoverResult | undefined {
  const target = targetAt(analysis, file, offset);
  if (!target) return undefined;
  if (target.kind === 'version') return { markdown: explainVersion(target.token.value, 'ServiceVersion'), span: target.token.span };
  return { markdown: explainFqdn(analysis, target.fqdn, display, target.server), span: target.token.span };
}

function targetAt(analysis: Analysis, file: SourceFile, offset: number): Target | undefined {
  const inside = (t: Token | undefined): t is Token => !!t && t.span.file === file && t.span.start <= offset && offset <= t.span.end;
  for (const s of analysis.servers)
    if (inside(s.token)) return { kind: 'fqdn', token: s.token, fqdn: s.fqdn ?? normFqdn(s.token.value), server: s };
  for (const e of analysis.kst.entries) if (inside(e.token)) return { kind: 'fqdn', token: e.token, fqdn: e.fqdn };
  for (const input of analysis.inputs) {
    if (!isInput(input) || input.file !== file) continue;
    for (const topology of input.contributes.topologies ?? []) {
      for (const c of topology.clusters) {
        for (const t of clusterFqdns(c)) if (inside(t)) return { kind: 'fqdn', token: t, fqdn: normFqdn(t.value) };
      }
      for (const s of topology.services) if (inside(s.version)) return { kind: 'version', token: s.version };
    }
  }
  // Anything else that looks like an FQDN the workspace knows (script variables, Remove-Cs… arguments, comments).
  const line = file.lines.positionAt(offset).line;
  const from = file.lines.offsetAt({ line, character: 0 });
  const word = wordAt(file.text.slice(from, file.lines.lineEnd(line)), offset - from, FQDN_WORD);
  if (!word || !analysis.kst.byFqdn.has(normFqdn(word.text))) return undefined;
  const start = from + word.start;
  return { kind: 'fqdn', token: { value: word.text, span: { file, start, end: start + word.text.length } }, fqdn: normFqdn(word.text) };
}

const STATE: Record<KstEntry['state'], string> = { known: 'known', dropped: 'dropped (14563)', removed: 'removed by a script' };

/** Every KST entry for one server, its fate, and what a user would notice in production. */
function explainFqdn(analysis: Analysis, fqdn: Fqdn, display: (key: string) => string, server?: DialPlanServer): string {
  const entries = analysis.kst.byFqdn.get(fqdn) ?? [];
  const out: string[] = [`**${md(fqdn)}**: ${verdict(analysis, fqdn, entries, server)}`];
  // One line per entry rather than a table: hovers are narrow, and a table wraps every cell.
  if (entries.length > 0) out.push('');
  for (const e of entries) {
    const l = location(e.token.span);
    const where = `[${md(display(e.token.span.file.path))}:${l.line}](${e.token.span.file.path}#L${l.line},${l.column})`;
    const version = `**${e.version}** (${productName(e.version)}${e.versionAssumed ? ', assumed' : ''})`;
    out.push(`- ${version}: ${md(describeOrigin(e))}, ${where}: *${STATE[e.state]}*`);
  }
  const conflict = analysis.kst.conflicts.find((c) => c.fqdn === fqdn);
  if (conflict) {
    const um = conflict.entries.some((e) => e.origin.kind === 'umDialPlan');
    const breaks = um
      ? `Exchange UM (voice mail, auto attendant) and Outlook Web App IM and presence with ${md(fqdn)} stop, silently.`
      : `every Lync service on ${md(fqdn)}: its pool cannot be reached over SIP.`;
    out.push(
      '',
      `**Event 14563**: ${conflict.versions.map(describeVersion).join(' and ')} for one FQDN, so RTCSRV removes every entry. **What ` +
        `breaks:** ${breaks}`,
    );
    if (um) {
      out.push(
        '',
        '**Fix:** *Option 1*, remove the Trusted Application Pool (add it back if the server stops hosting a SipName dial plan). ' +
          '*Option 2*, restart RTCSRV: 14563, 44030, then 14493 adds the Exchange server back until both sources reload.',
      );
    }
  }
  return out.join('\n');
}

function verdict(analysis: Analysis, fqdn: Fqdn, entries: KstEntry[], server?: DialPlanServer): string {
  if (server && !server.fqdn)
    return (
      'this short name cannot be resolved to an FQDN (no topology computer with that name, no default domain), so Exchange UM ' +
      'Routing cannot add it (UM003).'
    );
  const resolved =
    server && server.how !== 'fqdn'
      ? ` (\`${md(server.token.value)}\` resolved ${server.how === 'topology' ? 'through the topology' : 'with the default domain'})`
      : '';
  if (analysis.kst.conflicts.some((c) => c.fqdn === fqdn))
    return `**not in the Known Servers Table**${resolved}: all its entries are dropped by event 14563.`;
  const live = entries.filter((e) => e.state === 'known');
  if (live.length > 0) {
    const versions = [...new Set(live.map((e) => e.version))];
    return (
      `known to Lync${resolved} ` +
      `with ${versions.map(describeVersion).join(', ')}${live.length > 1 ? `, from ${live.length} sources that agree` : ''}.`
    );
  }
  if (entries.length > 0)
    return `${resolved ? resolved.slice(1) + ': ' : ''}every entry is removed by a script, so Lync no longer knows it.`;
  if (server) {
    const type = uriTypeOf(server.plan) ?? server.plan.uriType?.value ?? 'no URI type';
    return (
      `not in the Known Servers Table${resolved}: dial plan ${md(server.plan.name.value)} is ${md(type)}, and Exchange UM Routing ` +
      `adds only servers of SipName dial plans.`
    );
  }
  const cluster = analysis.inputs
    .flatMap((i) => (isInput(i) ? (i.contributes.topologies ?? []) : []))
    .flatMap((t) => t.clusters)
    .find((c) => clusterFqdns(c).some((t) => normFqdn(t.value) === fqdn));
  if (cluster && !cluster.services.some(speaksSip))
    return 'not in the Known Servers Table: no service on this cluster speaks SIP (file stores, SQL stores and the like are not listed).';
  return 'not in the Known Servers Table.';
}

/** A ServiceVersion attribute, or a version in the KST view: which product and what it means for the KST. */
function explainVersion(value: string, where: 'ServiceVersion' | 'KST entry'): string {
  const v = Number.parseInt(value, 10);
  if (!Number.isFinite(v))
    return `\`ServiceVersion="${md(value)}"\` is not a number, so the version of this cluster's KST entries is assumed.`;
  const source =
    v === 0
      ? 'Exchange UM Routing adds every Exchange server hosting a SipName dial plan with version 0.'
      : `Topology entries carry the version of the Lync release that created them; a cluster's entries take the highest ServiceVersion ` +
        `among its services that speak SIP.`;
  return [
    `**${where === 'ServiceVersion' ? 'ServiceVersion' : 'KST version'} ${v}**: ${productName(v)}.`,
    '',
    `${source} One FQDN in the KST with two different versions makes RTCSRV log 14563 and drop both entries.`,
  ].join('\n');
}

/** Hover in the Known Servers Table view: event IDs, versions in the table, FQDNs. */
export function hoverInKstView(
  analysis: Analysis | undefined,
  text: string,
  offset: number,
  display: (key: string) => string,
): HoverResult | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const line = text.slice(lineStart, nl < 0 ? text.length : nl);
  const col = offset - lineStart;
  const word = wordAt(line, col, /[\w.-]+/g)?.text.replace(/[.]+$/, '');
  if (!word) return undefined;
  const event = EVENT_INFO[Number(word)];
  if (event && /^\d+$/.test(word)) {
    return { markdown: `**Event ${word}** (${event.level}, source *${event.source}*)\n\n${event.meaning}` };
  }
  // Table rows start with the FQDN and then the version (a trailing ? marks an assumed one).
  const row = /^(\S+)(\s+)(\d+)\??\s/.exec(line);
  if (row && col >= row[1].length + row[2].length && col <= row[1].length + row[2].length + row[3].length) {
    return { markdown: explainVersion(row[3], 'KST entry') };
  }
  if (analysis && analysis.kst.byFqdn.has(normFqdn(word))) return { markdown: explainFqdn(analysis, normFqdn(word), display) };
  return undefined;
}

/** The match of `re` (global) in `line` that contains column `col`. */
function wordAt(line: string, col: number, re: RegExp): { text: string; start: number } | undefined {
  for (const m of line.matchAll(re)) if (m.index <= col && col <= m.index + m[0].length) return { text: m[0], start: m.index };
  return undefined;
}

/** Markdown-escapes a value read from a user's file. */
function md(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, '\\$&');
}
