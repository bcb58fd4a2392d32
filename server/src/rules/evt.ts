import { Fqdn } from '../model/fqdn';
import { describeVersion } from '../model/versions';
import { Conflict, describeOrigin, KstEntry } from '../simulate/kst';
import { FrontEnd, LiveEntry } from '../simulate/live';
import { RuleContext } from './context';
import { listed, MAX_RELATED, RelatedInfo } from './finding';
import { optionOne, removedPoolMarkers } from './kst';
import { Checker, rule } from './rule';

export const EVT001 = rule<{ why: string }>({
  code: 'EVT001',
  severity: 'information',
  title: 'Event text not understood',
  description:
    'A Known Servers Table event (14492, 14493, 14495, 14563, 44024) of an event-log export from which no server name could be read: ' +
    'no text of these events is public, so lync-kst reads FQDNs and the versions written next to them, and quotes what it could not ' +
    'read. The event stays in the timeline without servers.',
  message: (a) => a.why,
});

export const EVT002 = rule<{ why: string }>({
  code: 'EVT002',
  severity: 'warning',
  title: 'Event that cannot be placed in the timeline',
  description:
    'An event of an event-log export without a time lync-kst can read unambiguously (03/04/2026 could be March or April), or a record ' +
    'the export cut off: it is left out of the live table, which may then be wrong for the servers it names.',
  message: (a) => a.why,
});

export const EVT003 = rule<{
  fe: FrontEnd;
  fqdn: Fqdn;
  at: string;
  conflict?: Conflict;
  entries: KstEntry[];
  readdedAt?: string;
  /** The workspace has Option 1's marker for the pool: fixed here, not yet published. */
  fixedHere?: boolean;
}>({
  code: 'EVT003',
  severity: 'error',
  title: 'A Front End logged 14563',
  description:
    'A Front End logged 14563 for an FQDN: both of its entries were dropped, so Exchange UM and OWA IM integration with that server ' +
    'stopped. When the workspace has the conflict (KST001), the finding links both sides and offers the same fix; when it does not, the ' +
    'export is stale or a source is missing from the workspace.',
  fix: 'Option 1 (cross-file), when the workspace explains it',
  message: (a) =>
    `${a.fe.name} logged 14563 for ${a.fqdn} at ${a.at}: RTCSRV dropped every entry of ${a.fqdn}, so Exchange UM and Outlook Web App ` +
    `IM integration with it stopped` +
    (a.readdedAt ? ` (a 14493 at ${a.readdedAt} added it again, as after an RTCSRV restart; it lasts until both sources reload)` : '') +
    '. ' +
    (a.fixedHere
      ? `The workspace no longer has the conflict: Option 1 removed the pool (its lync-kst removed-pool comment is here). Publish the ` +
        `topology, run Enable-CsTopology, and export the event log again to see it gone.`
      : a.conflict
        ? `The workspace explains it: ${a.conflict.versions.map(describeVersion).join(' and ')} (KST001).`
        : a.entries.length
          ? `The workspace does not explain it: there ${a.fqdn} has only ${versionsOf(a.entries)}` +
            `. The export is from before a change, or a source (a topology, a trusted-application export, a dial-plan export) is missing ` +
            `from the workspace.`
          : `The workspace does not explain it: ${a.fqdn} is in none of its files. A source (a topology, a trusted-application export, a ` +
            `dial-plan export) is missing from the workspace.`),
});

export const EVT004 = rule<{ fe: FrontEnd; entry: KstEntry; live?: LiveEntry }>({
  code: 'EVT004',
  severity: 'warning',
  title: 'Known in the simulation, not known to the Front End',
  description:
    'The workspace puts a server in the Known Servers Table, but the Front End’s log (from its last start-up list on) shows it absent ' +
    'or removed: the workspace is not what is published, or the change is not yet enabled.',
  message: ({ fe, entry, live }) =>
    `The workspace puts ${entry.fqdn} in the Known Servers Table (${describeVersion(entry.version)} from ${describeOrigin(entry)}), but ` +
    (live
      ? `${fe.name} removed it (14495 at ${live.event.time.text}).`
      : `it is not in ${fe.name}'s start-up list (14492 at ${fe.started?.time.text ?? 'its last start'}) nor added after it.`) +
    ' Lync on that Front End does not talk to it: the workspace is not what is published, or the change is not yet enabled ' +
    '(Enable-CsTopology).',
});

export const EVT005 = rule<{ fe: FrontEnd; live: LiveEntry }>({
  code: 'EVT005',
  severity: 'warning',
  title: 'Known to the Front End, absent from the workspace',
  description:
    'A Front End’s log shows a server known that no file of the workspace puts in the Known Servers Table: a source is missing (a ' +
    'topology, a trusted-application export, a dial-plan export), so lync-kst cannot see the conflicts it may cause.',
  message: ({ fe, live }) =>
    `${fe.name} has ${live.fqdn} in its Known Servers Table (${live.event.id} at ${live.event.time.text}), but no file of the workspace ` +
    `puts it there: a source is missing (a topology, a trusted-application export, a dial-plan export), so lync-kst cannot see the ` +
    `conflicts it may cause.`,
});

function versionsOf(entries: KstEntry[]): string {
  return listed([...new Set(entries.map((e) => describeVersion(e.version)))]);
}

/** EVT003–EVT005: the simulated table against what each Front End logged (EVT001, EVT002 are the readers'). */
export const eventChecker: Checker = {
  name: 'event logs',
  rules: [EVT003, EVT004, EVT005],
  check(ctx) {
    const markers = ctx.live.frontEnds.length > 0 ? removedPoolMarkers(ctx).byPool : new Map();
    for (const fe of ctx.live.frontEnds) {
      logged14563(ctx, fe, markers);
      knownOnlyInWorkspace(ctx, fe);
      knownOnlyLive(ctx, fe);
    }
  },
};

function logged14563(ctx: RuleContext, fe: FrontEnd, markers: ReadonlyMap<Fqdn, unknown>): void {
  // The last 14563 for each server is the one that stands.
  const last = new Map(fe.conflicts.map((c) => [c.server.fqdn, c]));
  for (const [fqdn, { event, server }] of last) {
    const conflict = ctx.kst.conflicts.find((c) => c.fqdn === fqdn);
    const entries = ctx.kst.byFqdn.get(fqdn) ?? [];
    const readded = fe.readdedAfterConflict.get(fqdn);
    const fixedHere = !conflict && markers.has(fqdn);
    const f = ctx.report(
      EVT003,
      server.token.span,
      { fe, fqdn, at: event.time.text, conflict, entries, fixedHere, ...(readded ? { readdedAt: readded.time.text } : {}) },
      related(entries, (e) => `${describeVersion(e.version)} from ${describeOrigin(e)}`),
    );
    const fix = conflict && optionOne(ctx, conflict);
    if (fix) f.fixes.push(fix);
  }
}

function knownOnlyInWorkspace(ctx: RuleContext, fe: FrontEnd): void {
  const started = fe.started;
  // Absence means something only from a start-up list on, and only when the list could be read.
  if (!started || started.servers.length === 0) return;
  const seen = new Set<Fqdn>();
  for (const entry of ctx.kst.entries) {
    if (entry.state !== 'known' || seen.has(entry.fqdn)) continue;
    seen.add(entry.fqdn);
    const live = fe.table.get(entry.fqdn);
    if (live?.state === 'known' || live?.state === 'dropped') continue;
    const at = live ? live.server.token.span : started.anchor;
    ctx.report(EVT004, at, { fe, entry, ...(live ? { live } : {}) }, [
      { span: entry.token.span, message: `${entry.fqdn} in the workspace` },
    ]);
  }
}

function knownOnlyLive(ctx: RuleContext, fe: FrontEnd): void {
  for (const live of fe.table.values()) {
    if (live.state !== 'known' || ctx.kst.byFqdn.has(live.fqdn)) continue;
    ctx.report(EVT005, live.server.token.span, { fe, live });
  }
}

function related(entries: KstEntry[], message: (e: KstEntry) => string): RelatedInfo[] {
  return entries.slice(0, MAX_RELATED).map((e) => ({ span: e.token.span, message: message(e) }));
}
