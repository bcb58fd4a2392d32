import { describeVersion } from '../model/versions';
import { Fqdn } from '../model/fqdn';
import { Kst, KstEntry } from './kst';

export type EventSource = 'LS Protocol Stack' | 'LS Exchange Unified Messaging Routing';

export interface KstEvent {
  id: number;
  source: EventSource;
  level: 'Information' | 'Warning' | 'Error';
  message: string;
  /** The entries the event is about, so a view can link to where they are written. */
  entries: KstEntry[];
}

/** What each event means, in our own words (docs/domain.md#events); the hover text for an event ID. */
export const EVENT_INFO: Record<number, { source: EventSource; level: KstEvent['level']; meaning: string }> = {
  14492: {
    source: 'LS Protocol Stack',
    level: 'Information',
    meaning: 'RTCSRV has started and lists every server in its Known Servers Table.',
  },
  14493: {
    source: 'LS Protocol Stack',
    level: 'Information',
    meaning: 'A server was added to the Known Servers Table; Lync will now talk to it.',
  },
  14495: {
    source: 'LS Protocol Stack',
    level: 'Information',
    meaning: 'A server was removed from the Known Servers Table; Lync no longer talks to it.',
  },
  14563: {
    source: 'LS Protocol Stack',
    level: 'Error',
    meaning:
      'The same FQDN was about to be in the Known Servers Table with two different versions. Both entries are removed, so the server ' +
      'becomes unknown: Exchange UM and Outlook Web App IM integration with it stop.',
  },
  44024: {
    source: 'LS Exchange Unified Messaging Routing',
    level: 'Information',
    meaning:
      'Exchange UM Routing has started and lists the Exchange servers it found hosting SipName UM dial plans; it adds them with version 0.',
  },
  44030: {
    source: 'LS Exchange Unified Messaging Routing',
    level: 'Warning',
    meaning:
      'Seen together with 14563 after an RTCSRV restart in the conflict case; afterwards 14493 adds the Exchange server again. Its exact ' +
      'text is not documented.',
  },
};

function event(id: number, message: string, entries: KstEntry[]): KstEvent {
  const { source, level } = EVENT_INFO[id];
  return { id, source, level, message, entries };
}

function list(entries: KstEntry[]): string {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const e of entries) {
    const key = `${e.fqdn}/${e.version}`;
    if (!seen.has(key)) {
      seen.add(key);
      names.push(`${e.fqdn} (version ${e.version})`);
    }
  }
  return names.length ? names.join(', ') : 'none';
}

/**
 * The events RTCSRV and Exchange UM Routing would log when the Front End starts with this
 * KST, and with `restart` the sequence the blog observed after restarting RTCSRV (Option 2).
 */
export function startupEvents(kst: Kst, restart = false): KstEvent[] {
  const live = kst.entries.filter((e) => e.state !== 'removed');
  const lync = live.filter((e) => e.origin.kind !== 'umDialPlan');
  const um = live.filter((e) => e.origin.kind === 'umDialPlan');
  const events: KstEvent[] = [];
  const conflictOf = new Map(kst.conflicts.map((c) => [c.fqdn, c]));

  // Conflicts inside the topology itself surface while RTCSRV loads it.
  const lyncOnly = kst.conflicts.filter((c) => c.entries.every((e) => e.origin.kind !== 'umDialPlan'));
  events.push(event(14492, `RTCSRV started. Known servers: ${list(lync.filter((e) => !lyncOnly.some((c) => c.fqdn === e.fqdn)))}.`, lync));
  for (const c of lyncOnly) pushConflict(events, c.fqdn, c.entries);

  const umServers = [...new Map(um.map((e) => [e.fqdn, e])).values()];
  events.push(
    event(
      44024,
      `Exchange UM Routing found ${umServers.length} Exchange server(s) hosting SipName dial plans: ${list(umServers)}.`,
      umServers,
    ),
  );
  for (const e of umServers) {
    const c = conflictOf.get(e.fqdn);
    if (!c) {
      events.push(event(14493, `Added ${e.fqdn} to the Known Servers Table with ${describeVersion(0)}.`, [e]));
    } else if (!restart) {
      pushConflict(events, c.fqdn, c.entries);
    } else {
      events.push(event(14563, conflictText(c.fqdn, c.entries), c.entries));
      events.push(event(44030, `Exchange UM Routing warns about ${e.fqdn} after the conflict.`, [e]));
      events.push(
        event(
          14493,
          `Added ${e.fqdn} to the Known Servers Table with ${describeVersion(0)} after the restart; Exchange UM and OWA IM work again ` +
            `until both sources are reloaded.`,
          [e],
        ),
      );
    }
  }
  return events;
}

function pushConflict(events: KstEvent[], fqdn: Fqdn, entries: KstEntry[]): void {
  events.push(event(14563, conflictText(fqdn, entries), entries));
  events.push(event(14495, `Removed ${fqdn} from the Known Servers Table (all its entries).`, entries));
}

function conflictText(fqdn: Fqdn, entries: KstEntry[]): string {
  const versions = [...new Set(entries.map((e) => e.version))].sort((a, b) => b - a);
  return `${fqdn} is in the Known Servers Table with ${versions.map(describeVersion).join(' and ')}: both entries are removed.`;
}

/** A conflicting FQDN's fate after an RTCSRV restart: the Exchange UM entry comes back. */
export function stateAfterRestart(e: KstEntry, kst: Kst): KstEntry['state'] {
  if (e.state !== 'dropped') return e.state;
  const c = kst.conflicts.find((x) => x.fqdn === e.fqdn);
  const hasUm = c?.entries.some((x) => x.origin.kind === 'umDialPlan');
  return hasUm && e.origin.kind === 'umDialPlan' ? 'known' : 'dropped';
}
