import { location } from '../text/source';
import { KstEvent, startupEvents, stateAfterRestart } from './events';
import { describeOrigin, Kst, KstEntry } from './kst';
import { Fqdn } from '../model/fqdn';
import { productName } from '../model/versions';
import { describeLive, Live, liveOf } from './live';
import { ExchangeSide } from './exchange';
import { exchangeVerdict } from '../explain/exchange';

const STATE: Record<KstEntry['state'], string> = { known: 'known', dropped: 'dropped by 14563', removed: 'removed by script' };

/**
 * The simulated table and the event sequence: what `lync-kst kst` prints and what the editor's
 * Known Servers Table view shows, with a LIVE column when the workspace has event-log exports.
 * `where` renders a file's key (a path, or a URI made relative).
 */
export function kstReport(
  { kst, live, exchange }: { kst: Kst; live: Live; exchange: ExchangeSide },
  restart: boolean,
  where: (key: string) => string = (k) => k,
): string {
  const rows = [...kst.entries].sort((a, b) => (a.fqdn < b.fqdn ? -1 : a.fqdn > b.fqdn ? 1 : b.version - a.version));
  const logged = live.frontEnds.length > 0;
  const liveColumn = (fqdn: Fqdn): string[] => (logged ? [liveOf(live, fqdn).map(describeLive).join('; ') || 'not in any log'] : []);
  const table = [
    ['FQDN', 'VERSION', 'PRODUCT', 'STATE', ...(restart ? ['AFTER RESTART'] : []), ...(logged ? ['LIVE'] : []), 'ORIGIN', 'LOCATION'],
  ];
  for (const e of rows) {
    const l = location(e.token.span);
    table.push([
      e.fqdn,
      String(e.version) + (e.versionAssumed ? '?' : ''),
      productName(e.version),
      STATE[e.state],
      ...(restart ? [STATE[stateAfterRestart(e, kst)]] : []),
      ...liveColumn(e.fqdn),
      describeOrigin(e),
      `${where(e.token.span.file.path)}:${l.line}:${l.column}`,
    ]);
  }
  const widths = table[0].map((_, i) => table.reduce((w, r) => Math.max(w, r[i].length), 0));
  const lines = table.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  const known = new Set(rows.filter((e) => e.state === 'known').map((e) => e.fqdn)).size;
  const out = [
    `Known Servers Table (simulated after the workspace's scripts): ${rows.length} entries, ${known} server(s) ` +
      `known, ${kst.conflicts.length} conflict(s).`,
    '',
    ...lines,
    ...(rows.some((e) => e.versionAssumed) ? ['', '? = the topology gives no ServiceVersion; the assumed version was used.'] : []),
    '',
    'Start-up events (RTCSRV and Exchange UM Routing):',
    ...events(startupEvents(kst)),
  ];
  if (restart) out.push('', 'After an RTCSRV restart (Option 2):', ...events(startupEvents(kst, true)));
  if (logged) out.push('', 'As logged (the event-log exports of the workspace):', ...liveSummary(kst, live, where));
  const exchangeServers = [...exchange.servers.values()].filter((s) => s.fqdn);
  if (exchangeServers.length > 0) {
    out.push('', 'Exchange servers:');
    for (const s of exchangeServers.sort((a, b) => ((a.fqdn ?? '') < (b.fqdn ?? '') ? -1 : 1))) {
      const [how, meaning] = exchangeVerdict({ kst, exchange }, s);
      out.push(`  ${s.fqdn}: ${how} ${meaning}`);
    }
  }
  return out.join('\n') + '\n';
}

function events(list: KstEvent[]): string[] {
  return list.map((e) => `  ${e.id}  ${e.level.padEnd(11)}  ${e.source}: ${e.message}`);
}

/** Each Front End's last start and last event, and what its log knows that the workspace does not. */
function liveSummary(kst: Kst, live: Live, where: (key: string) => string): string[] {
  const out: string[] = [];
  for (const fe of live.frontEnds) {
    const l = location(fe.last.anchor);
    out.push(
      `  ${fe.name}: ${fe.started ? `started ${fe.started.time.text}` : 'no start-up list (14492) in the log'}, last event ` +
        `${fe.last.id} at ${fe.last.time.text} (${where(fe.last.anchor.file.path)}:${l.line}:${l.column})`,
    );
    for (const entry of fe.table.values()) {
      if (!kst.byFqdn.has(entry.fqdn))
        out.push(`    ${describeLive({ fe, entry }).replace(`${fe.name}: `, `${entry.fqdn}: `)}; not in the workspace`);
    }
  }
  return out;
}
