import { Fqdn } from '../model/fqdn';
import { describeVersion } from '../model/versions';
import { location } from '../text/source';
import { EVENT_INFO } from './events';
import { Conflict, describeOrigin, Kst, KstEntry } from './kst';

/** What one server is in a table: known with these versions, dropped by 14563, or absent. */
type Fate = { state: 'known'; versions: number[] } | { state: 'dropped'; versions: number[] } | { state: 'absent' };

export interface ServerChange {
  fqdn: Fqdn;
  before: Fate;
  after: Fate;
  /** Where the new side writes it (the old side when it is gone). */
  entries: KstEntry[];
}

export interface PublishEvent {
  id: 14493 | 14495 | 14563;
  fqdn: Fqdn;
  message: string;
}

export interface KstDiff {
  changes: ServerChange[];
  conflictsAppear: Conflict[];
  conflictsGone: Conflict[];
  /** What a Front End would log once the change is published and enabled (Enable-CsTopology). */
  events: PublishEvent[];
}

function fateOf(kst: Kst, fqdn: Fqdn): Fate {
  const live = (kst.byFqdn.get(fqdn) ?? []).filter((e) => e.state !== 'removed');
  if (live.length === 0) return { state: 'absent' };
  const versions = [...new Set(live.map((e) => e.version))].sort((a, b) => b - a);
  return { state: live.some((e) => e.state === 'dropped') ? 'dropped' : 'known', versions };
}

const same = (a: Fate, b: Fate): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The Known Servers Table before and after a change: servers added, removed and re-versioned,
 * conflicts that appear and disappear, and the events that publishing it would log.
 */
export function diffKst(before: Kst, after: Kst): KstDiff {
  const fqdns = [...new Set([...before.byFqdn.keys(), ...after.byFqdn.keys()])].sort();
  const changes: ServerChange[] = [];
  const events: PublishEvent[] = [];
  const event = (id: PublishEvent['id'], fqdn: Fqdn, message: string): void => {
    events.push({ id, fqdn, message });
  };
  for (const fqdn of fqdns) {
    const b = fateOf(before, fqdn);
    const a = fateOf(after, fqdn);
    if (same(a, b)) continue;
    changes.push({ fqdn, before: b, after: a, entries: after.byFqdn.get(fqdn) ?? before.byFqdn.get(fqdn) ?? [] });
    if (a.state === 'dropped') {
      const versions = a.versions.map(describeVersion).join(' and ');
      if (b.state !== 'dropped') event(14563, fqdn, `${fqdn} is in the table with ${versions}: both entries are removed.`);
      if (b.state === 'known') event(14495, fqdn, `${fqdn} is removed from the table (all its entries).`);
    } else if (a.state === 'known') {
      if (b.state === 'known') event(14495, fqdn, `${fqdn} (${b.versions.map(describeVersion).join(', ')}) is replaced.`);
      event(14493, fqdn, `${fqdn} is added with ${a.versions.map(describeVersion).join(', ')}.`);
    } else if (b.state === 'known') {
      event(14495, fqdn, `${fqdn} is removed.`);
    }
  }
  const conflictsAppear = after.conflicts.filter((c) => !before.conflicts.some((o) => o.fqdn === c.fqdn));
  const conflictsGone = before.conflicts.filter((c) => !after.conflicts.some((o) => o.fqdn === c.fqdn));
  return { changes, conflictsAppear, conflictsGone, events };
}

function fate(f: Fate): string {
  return f.state === 'absent' ? 'absent' : `${f.state} (${f.versions.join(', ')})`;
}

/** The diff as `lync-kst diff` prints it and the editor's comparison view shows it. */
export function diffReport(d: KstDiff, oldName: string, newName: string, where: (key: string) => string = (k) => k): string {
  const out = [`Known Servers Table: ${oldName} -> ${newName}`, ''];
  if (d.changes.length === 0) out.push('No server changes in the Known Servers Table.');
  const rows = [['FQDN', 'BEFORE', 'AFTER', 'WHERE'], ...d.changes.map((c) => [c.fqdn, fate(c.before), fate(c.after), whereOf(c, where)])];
  const widths = rows[0].map((_, i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
  if (d.changes.length > 0) out.push(...rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')));
  out.push('');
  for (const c of d.conflictsAppear)
    out.push(`New conflict: ${c.fqdn} (${c.versions.map(describeVersion).join(' and ')}): ${c.entries.map(describeOrigin).join('; ')}.`);
  for (const c of d.conflictsGone) out.push(`Conflict resolved: ${c.fqdn}.`);
  if (d.conflictsAppear.length + d.conflictsGone.length > 0) out.push('');
  out.push('After Publish-CsTopology and Enable-CsTopology, a Front End would log:');
  if (d.events.length === 0) out.push('  nothing about the Known Servers Table');
  for (const e of d.events) out.push(`  ${e.id}  ${EVENT_INFO[e.id].level.padEnd(11)}  ${EVENT_INFO[e.id].source}: ${e.message}`);
  return out.join('\n') + '\n';
}

function whereOf(c: ServerChange, where: (key: string) => string): string {
  const e = c.entries[0];
  if (!e) return '';
  const l = location(e.token.span);
  return `${where(e.token.span.file.path)}:${l.line}:${l.column}`;
}

/** The diff as `lync-kst diff --format json` prints it. */
export function diffJson(d: KstDiff): string {
  return (
    JSON.stringify(
      {
        changes: d.changes.map((c) => ({ fqdn: c.fqdn, before: c.before, after: c.after })),
        conflictsAppear: d.conflictsAppear.map((c) => ({ fqdn: c.fqdn, versions: c.versions })),
        conflictsGone: d.conflictsGone.map((c) => ({ fqdn: c.fqdn, versions: c.versions })),
        events: d.events,
      },
      null,
      2,
    ) + '\n'
  );
}
