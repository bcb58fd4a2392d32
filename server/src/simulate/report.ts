import { location } from '../text/source';
import { KstEvent, startupEvents, stateAfterRestart } from './events';
import { describeOrigin, Kst, KstEntry } from './kst';
import { productName } from '../model/versions';

const STATE: Record<KstEntry['state'], string> = { known: 'known', dropped: 'dropped by 14563', removed: 'removed by script' };

/**
 * The simulated table and the event sequence: what `lync-kst kst` prints and what the editor's
 * Known Servers Table view shows. `where` renders a file's key (a path, or a URI made relative).
 */
export function kstReport(kst: Kst, restart: boolean, where: (key: string) => string = (k) => k): string {
  const rows = [...kst.entries].sort((a, b) => (a.fqdn < b.fqdn ? -1 : a.fqdn > b.fqdn ? 1 : b.version - a.version));
  const table = [['FQDN', 'VERSION', 'PRODUCT', 'STATE', ...(restart ? ['AFTER RESTART'] : []), 'ORIGIN', 'LOCATION']];
  for (const e of rows) {
    const l = location(e.token.span);
    table.push([
      e.fqdn,
      String(e.version) + (e.versionAssumed ? '?' : ''),
      productName(e.version),
      STATE[e.state],
      ...(restart ? [STATE[stateAfterRestart(e, kst)]] : []),
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
  return out.join('\n') + '\n';
}

function events(list: KstEvent[]): string[] {
  return list.map((e) => `  ${e.id}  ${e.level.padEnd(11)}  ${e.source}: ${e.message}`);
}
