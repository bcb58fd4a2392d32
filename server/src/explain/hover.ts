import { at } from '../collections';
import { DialPlanServer } from '../simulate/servers';
import { uriTypeOf } from '../readers/dialplans/model';
import { EVENT_INFO } from '../simulate/events';
import { Fqdn, normFqdn } from '../model/fqdn';
import { describeOrigin, KstEntry } from '../simulate/kst';
import { describeLive, liveOf } from '../simulate/live';
import { exchangeServerOf, exchangeVerdict } from './exchange';
import { describeVersion, productName } from '../model/versions';
import { location, SourceFile, Token } from '../text/source';
import { isInput } from '../readers/registry';
import { clusterFqdns, speaksSip } from '../readers/topology/model';
import { Analysis } from '../workspace/analyze';

export interface HoverResult {
  markdown: string;
  /** The hovered text, as offsets into the text the hover was asked for. */
  start: number;
  end: number;
}

/** A stretch of one file a hover explains, and its text (an index into `HoverIndex.texts`). */
export interface HoverTarget {
  start: number;
  end: number;
  text: number;
  /** Lower wins where two touch: a dial-plan server, a KST entry, a cluster FQDN, a ServiceVersion. */
  rank: number;
}

/**
 * Every hover the workspace offers, worked out once per analysis: by file key, the stretches the
 * engine holds a token for (sorted by start), and by FQDN the text for any other mention of a
 * server the KST knows. Plain data, so the language server can answer from it on another thread.
 */
export interface HoverIndex {
  targets: Map<string, HoverTarget[]>;
  texts: string[];
  fqdns: Map<string, number>;
}

/** FQDN-looking words, for places the engine holds no token for (comments, unread script values). */
const FQDN_WORD = /[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\.?/g;

export function hoverIndex(analysis: Analysis, display: (key: string) => string): HoverIndex {
  const texts: string[] = [];
  const textOf = new Map<string, number>();
  const text = (key: string, make: () => string): number => {
    let i = textOf.get(key);
    if (i === undefined) textOf.set(key, (i = texts.push(make()) - 1));
    return i;
  };
  const byFile = new Map<string, Map<string, HoverTarget>>();
  const add = (token: Token | undefined, rank: number, key: string, make: () => string): void => {
    if (!token) return;
    const spans = at(byFile, token.span.file.path, () => new Map());
    const where = `${token.span.start}:${token.span.end}`;
    // The same stretch from two sources (a dial-plan server is a KST entry too): the first, more specific, wins.
    if (!spans.has(where)) spans.set(where, { start: token.span.start, end: token.span.end, text: text(key, make), rank });
  };
  analysis.servers.forEach((s, i) => {
    const fqdn = s.fqdn ?? normFqdn(s.token.value);
    add(s.token, 0, `server:${i}`, () => explainFqdn(analysis, fqdn, display, s));
  });
  for (const e of analysis.kst.entries) add(e.token, 1, `fqdn:${e.fqdn}`, () => explainFqdn(analysis, e.fqdn, display));
  const logged = new Set<Fqdn>();
  for (const fe of analysis.live.frontEnds) {
    for (const e of fe.table.values()) logged.add(e.fqdn);
    for (const c of fe.conflicts) logged.add(c.server.fqdn);
  }
  for (const s of analysis.exchange.servers.values()) {
    const fqdn = s.fqdn;
    if (fqdn) for (const t of s.names) add(t, 1, `fqdn:${fqdn}`, () => explainFqdn(analysis, fqdn, display));
    if (fqdn) logged.add(fqdn);
  }
  for (const log of analysis.inputs.flatMap((i) => (isInput(i) ? (i.contributes.eventLogs ?? []) : []))) {
    for (const e of log.events) for (const s of e.servers) add(s.token, 1, `fqdn:${s.fqdn}`, () => explainFqdn(analysis, s.fqdn, display));
  }
  for (const input of analysis.inputs) {
    if (!isInput(input)) continue;
    for (const topology of input.contributes.topologies ?? []) {
      for (const c of topology.clusters) {
        for (const t of clusterFqdns(c)) add(t, 2, `fqdn:${normFqdn(t.value)}`, () => explainFqdn(analysis, normFqdn(t.value), display));
      }
      for (const sv of topology.services)
        add(sv.version, 3, `version:${sv.version?.value}`, () => explainVersion(sv.version?.value ?? '', 'ServiceVersion'));
    }
  }
  const targets = new Map<string, HoverTarget[]>();
  for (const [file, spans] of byFile)
    targets.set(
      file,
      [...spans.values()].sort((x, y) => x.start - y.start || x.rank - y.rank),
    );
  const fqdns = new Map<string, number>();
  for (const fqdn of new Set([...analysis.kst.byFqdn.keys(), ...logged]))
    fqdns.set(
      fqdn,
      text(`fqdn:${fqdn}`, () => explainFqdn(analysis, fqdn, display)),
    );
  return { targets, texts, fqdns };
}

/** The hover at `offset` of the file `key` whose text is `text` (the text the index was built from, or one that agrees there). */
export function hoverAt(index: HoverIndex, key: string, text: string, offset: number): HoverResult | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const ends = [text.indexOf('\n', offset), text.indexOf('\r', offset)].filter((x) => x >= 0);
  const lineEnd = ends.length > 0 ? Math.min(...ends) : text.length;
  return targetAt(index, key, offset) ?? wordHover(index, text.slice(lineStart, lineEnd), lineStart, offset);
}

/** The target the engine holds a token for at `offset`: the last starting at or before it, or one ending right there. */
export function targetAt(index: HoverIndex, key: string, offset: number): HoverResult | undefined {
  const list = index.targets.get(key) ?? [];
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= offset) lo = mid + 1;
    else hi = mid - 1;
  }
  let best: HoverTarget | undefined;
  for (let i = hi; i >= 0 && i >= hi - 8; i--) {
    const t = list[i];
    if (t.start <= offset && offset <= t.end && (!best || t.rank < best.rank)) best = t;
  }
  return best && { markdown: index.texts[best.text], start: best.start, end: best.end };
}

/**
 * Anything else that looks like an FQDN the workspace knows (script variables, Remove-Cs…
 * arguments, comments), in the line `line` that starts at `lineStart`.
 */
export function wordHover(index: HoverIndex, line: string, lineStart: number, offset: number): HoverResult | undefined {
  const word = wordAt(line, offset - lineStart, FQDN_WORD);
  const found = word && index.fqdns.get(normFqdn(word.text));
  if (!word || found === undefined) return undefined;
  return { markdown: index.texts[found], start: lineStart + word.start, end: lineStart + word.start + word.text.length };
}

const indexes = new WeakMap<Analysis, HoverIndex>();

/** Hover for a position in an input file: an FQDN's KST entries and fate, or a ServiceVersion's product. */
export function hoverInFile(
  analysis: Analysis,
  file: SourceFile,
  offset: number,
  display: (key: string) => string,
): HoverResult | undefined {
  let index = indexes.get(analysis);
  if (!index) indexes.set(analysis, (index = hoverIndex(analysis, display)));
  return hoverAt(index, file.path, file.text, offset);
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
  const exchange = exchangeServerOf(analysis, fqdn);
  if (exchange) {
    const [how, meaning] = exchangeVerdict(analysis, exchange);
    out.push('', `**Exchange:** ${md(how)}`, '', md(meaning));
  }
  const logs = liveOf(analysis.live, fqdn);
  if (logs.length > 0) out.push('', '**As logged** (event-log exports of the workspace):', ...logs.map((l) => `- ${md(describeLive(l))}`));
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

/** Hover in the Known Servers Table view: event IDs, versions in the table, FQDNs (their text from `fqdn`). */
export function hoverInKstView(fqdn: (name: string) => string | undefined, text: string, offset: number): { markdown: string } | undefined {
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
  const markdown = fqdn(normFqdn(word));
  return markdown === undefined ? undefined : { markdown };
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
