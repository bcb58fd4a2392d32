import { pushAt } from '../collections';
import { Fqdn } from '../model/fqdn';
import { EventLog, LoggedEvent, LoggedServer } from '../readers/events/model';

/** What a Front End's log says about one server at its last event. */
export interface LiveEntry {
  fqdn: Fqdn;
  state: 'known' | 'removed' | 'dropped';
  /** Versions the log wrote for it (none when it wrote none). */
  versions: number[];
  /** The event that says so, and where in it the server is named. */
  event: LoggedEvent;
  server: LoggedServer;
}

export interface FrontEnd {
  /** The event's computer, or the file for exports that do not name it (Event Viewer's CSV). */
  name: string;
  /** The last RTCSRV start (14492) seen: from it on, a server the table lacks is known to be absent. */
  started?: LoggedEvent;
  /** The last event of the timeline. */
  last: LoggedEvent;
  table: Map<Fqdn, LiveEntry>;
  /** Every 14563, in order. */
  conflicts: { event: LoggedEvent; server: LoggedServer }[];
  /** A server a 14493 added again after its 14563: the restart of Option 2. */
  readdedAfterConflict: Map<Fqdn, LoggedEvent>;
}

export interface Live {
  frontEnds: FrontEnd[];
}

/**
 * The Known Servers Table each Front End held at its last logged event, rebuilt from its
 * timeline: a start-up list (14492) replaces the table, Exchange UM Routing's list (44024) and
 * 14493 add, 14495 removes, 14563 drops. Events without a time were left out by the readers.
 */
export function simulateLive(logs: EventLog[]): Live {
  const byComputer = new Map<string, { e: LoggedEvent; order: number }[]>();
  let order = 0;
  for (const log of logs) {
    // Event Viewer writes the newest event first: events of the same second keep their logged order, not the file's.
    const first = log.events[0]?.time.ms ?? 0;
    const newestFirst = first > (log.events.at(-1)?.time.ms ?? first);
    log.events.forEach((e, i) => {
      const name = e.computer?.value.trim().toLowerCase() ?? `the computer of ${log.file.path}`;
      pushAt(byComputer, name, { e, order: order + (newestFirst ? log.events.length - i : i) });
    });
    order += log.events.length + 1;
  }
  const frontEnds: FrontEnd[] = [];
  for (const [name, events] of byComputer) {
    const timeline = events.sort((a, b) => a.e.time.ms - b.e.time.ms || a.order - b.order);
    const last = timeline[timeline.length - 1].e;
    const fe: FrontEnd = { name, last, table: new Map(), conflicts: [], readdedAfterConflict: new Map() };
    for (const { e } of timeline) apply(fe, e);
    frontEnds.push(fe);
  }
  frontEnds.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { frontEnds };
}

function apply(fe: FrontEnd, e: LoggedEvent): void {
  const set = (state: LiveEntry['state']): void => {
    for (const server of e.servers) fe.table.set(server.fqdn, { fqdn: server.fqdn, state, versions: server.versions, event: e, server });
  };
  switch (e.id) {
    case 14492:
      fe.started = e;
      fe.table.clear();
      set('known');
      break;
    case 44024:
      set('known');
      break;
    case 14493:
      for (const s of e.servers) if (fe.table.get(s.fqdn)?.state === 'dropped') fe.readdedAfterConflict.set(s.fqdn, e);
      set('known');
      break;
    case 14495:
      // The removal that follows a 14563 is its consequence: the entry stays dropped.
      for (const server of e.servers) {
        if (fe.table.get(server.fqdn)?.state !== 'dropped')
          fe.table.set(server.fqdn, { fqdn: server.fqdn, state: 'removed', versions: server.versions, event: e, server });
      }
      break;
    case 14563:
      set('dropped');
      for (const server of e.servers) {
        fe.conflicts.push({ event: e, server });
        fe.readdedAfterConflict.delete(server.fqdn);
      }
      break;
    case 44030:
      break;
  }
}

/** What the logs say about one server, per Front End: for hovers and the KST view's live column. */
export function liveOf(live: Live, fqdn: Fqdn): { fe: FrontEnd; entry?: LiveEntry }[] {
  return live.frontEnds
    .map((fe) => ({ fe, entry: fe.table.get(fqdn) }))
    .filter(({ fe, entry }) => entry !== undefined || fe.started !== undefined);
}

/** "fe01.contoso.com: dropped by 14563 (2026-11-30T10:02:03Z)"; absent when the Front End's start-up list lacks it. */
export function describeLive({ fe, entry }: { fe: FrontEnd; entry?: LiveEntry }): string {
  if (!entry) return `${fe.name}: not known (absent from the start-up list of ${fe.started?.time.text ?? 'its last start'})`;
  const versions = entry.versions.length ? `, version ${entry.versions.join(' and ')}` : '';
  const readded = fe.readdedAfterConflict.get(entry.fqdn);
  const again = readded && entry.state === 'known' ? ` again after its 14563 (${readded.time.text})` : '';
  return `${fe.name}: ${entry.state}${again}${versions} (${entry.event.id} at ${entry.event.time.text})`;
}
