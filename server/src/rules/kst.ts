import { pushAt } from '../collections';
import { listed, MAX_RELATED, RelatedInfo, shown } from './finding';
import { FoundMarker, findMarkers } from '../fixes/marker';
import { removePoolFix } from '../fixes/removePool';
import { restorePoolFix } from '../fixes/restorePool';
import { isKnown, valueOf } from '../readers/scripts/values';
import { Fqdn, normFqdn } from '../model/fqdn';
import { Conflict, describeOrigin, KstEntry } from '../simulate/kst';
import { describeVersion } from '../model/versions';
import { SourceFile, Span, span } from '../text/source';
import { isInput } from '../readers/registry';
import { RuleContext } from './context';
import { Checker, rule } from './rule';

export const KST001 = rule<{ fqdn: Fqdn; entry: KstEntry; other: KstEntry; more: number; exported?: boolean }>({
  code: 'KST001',
  severity: 'error',
  title: 'One FQDN in the KST with two different versions',
  description:
    'One FQDN would be in the KST with two different versions. RTCSRV logs 14563 and drops both entries, so Exchange UM and OWA IM ' +
    'integration with that server stop. Reported on every contributing element.',
  fix: 'Option 1 (cross-file)',
  message: ({ fqdn, entry: e, other, more, exported }) =>
    `${fqdn} would be in the Known Servers Table ` +
    `twice: ${describeVersion(e.version)}${e.versionAssumed ? ` (assumed: ${e.versionWhy ?? 'the files do not say'})` : ''} ` +
    `from ${describeOrigin(e)}, and ${describeVersion(other.version)} ` +
    `from ${describeOrigin(other)}${more > 0 ? ` (and ${more} more)` : ''}. RTCSRV logs event 14563 and drops both entries, so Exchange ` +
    `UM and Outlook Web App IM integration with ${fqdn} stop.` +
    (exported
      ? ` The pool is in an export of the live deployment, which lync-kst does not edit: Option 1 is Remove-CsTrustedApplicationPool ` +
        `-Identity ${fqdn} on a Front End, then Enable-CsTopology (and add the pool back if ${fqdn} stops hosting a SipName dial plan).`
      : ''),
});

export const KST002 = rule<{ fqdn: Fqdn; plans: string[] }>({
  code: 'KST002',
  severity: 'information',
  title: 'One FQDN in the KST more than once with the same version',
  description: 'The same server is in several SipName dial plans: one version-0 entry, no conflict.',
  message: (a) =>
    `${a.fqdn} is in ${a.plans.length} SipName dial plans (${listed(a.plans)}). Exchange UM Routing adds it once with version 0: no ` +
    `conflict.`,
});

export const KST003 = rule<{ pool: string; unfixable?: string } | { removing: string }>({
  code: 'KST003',
  severity: 'warning',
  title: 'Removed trusted application pool is no longer known by any other route',
  description:
    "Option 1's caveat. On the marker comment Option 1 left, once no SipName dial plan hosts that server any more (it has no KST entry " +
    "at all, so OWA IM with it has stopped); and on a script's `Remove-CsTrustedApplicationPool` for a server no SipName dial plan hosts.",
  fix: 'Restore the pool',
  message: (a) =>
    'removing' in a
      ? `Removing Trusted Application Pool ${a.removing} leaves it with no KST entry: no SipName dial plan in the workspace hosts it, so ` +
        `Exchange UM Routing will not add it either, and Outlook Web App IM integration with ${a.removing} stops. Option 1 is only right ` +
        `while ${a.removing} hosts a SipName UM dial plan.`
      : `Trusted Application Pool ${a.pool} was removed because Exchange UM Routing added ${a.pool} from a SipName dial plan (Option 1). ` +
        `No SipName dial plan in the workspace hosts it any more, so ${a.pool} has no KST entry at all: Outlook Web App IM integration ` +
        `with it has stopped. Put the pool back${a.unfixable ? ` (lync-kst cannot do it for you: ${a.unfixable})` : ''}.`,
});

export const KST004 = rule<{ why: string }>({
  code: 'KST004',
  severity: 'warning',
  title: 'Damaged removed-pool comment',
  description:
    'A `lync-kst removed-pool` comment that cannot be read (its `data=` was edited or cut): it is skipped, so KST003 cannot warn for ' +
    'that pool.',
  message: (a) =>
    `This lync-kst removed-pool comment cannot be read: ${a.why}. lync-kst skips it, so it cannot warn when the pool it removed is ` +
    `needed again (KST003) or put the pool back. Restore the comment as Option 1 wrote it, or put the pool back by hand and delete the ` +
    `comment.`,
});

/** KST001 (version conflict, event 14563), KST002 (harmless duplicate), KST003 (Option 1's caveat), KST004 (damaged marker). */
export const kstChecker: Checker = {
  name: 'kst',
  rules: [KST001, KST002, KST003, KST004],
  check(ctx) {
    for (const c of ctx.kst.conflicts) conflict(ctx, c);
    duplicates(ctx);
    removedPools(ctx);
  },
};

/** Option 1 for a conflict, when there is one pool to remove: the fix of KST001, and of EVT003 for the 14563 it explains. */
export function optionOne(ctx: RuleContext, c: Conflict): string | undefined {
  const um = c.entries.filter((e) => e.origin.kind === 'umDialPlan');
  // Option 1 removes one pool; two clusters sharing the FQDN (TOP001) must be sorted out first.
  const candidates = ctx.pools.byFqdn.get(c.fqdn) ?? [];
  const pool = candidates.length === 1 ? candidates[0] : undefined;
  if (um.length === 0 || !pool) return undefined;
  const plans = listed([...new Set(um.map((e) => (e.origin.kind === 'umDialPlan' ? e.origin.dialPlan : '')))]);
  const reason =
    `Exchange UM Routing already adds ${c.fqdn} to the KST with version 0 from SipName dial plan ${plans}; with the pool ` +
    `as well, RTCSRV logs 14563 and drops both entries (KST001).`;
  const fix = removePoolFix(pool, ctx.kst.byFqdn.get(c.fqdn) ?? [], reason);
  return fix ? ctx.offer(fix) : undefined;
}

function conflict(ctx: RuleContext, c: Conflict): void {
  const um = c.entries.filter((e) => e.origin.kind === 'umDialPlan');
  const fixId = optionOne(ctx, c);
  // The other side of an entry is every entry of another version: computed once per version, not per entry.
  const othersOf = new Map(c.versions.map((v) => [v, c.entries.filter((o) => o.version !== v)]));
  for (const e of c.entries) {
    const others = othersOf.get(e.version) ?? [];
    const f = ctx.report(
      KST001,
      e.token.span,
      { fqdn: c.fqdn, entry: e, other: others[0], more: others.length - 1, exported: um.length > 0 && e.origin.kind === 'export' },
      related(others, (o) => `${describeVersion(o.version)} from ${describeOrigin(o)}`),
    );
    if (fixId) f.fixes.push(fixId);
  }
}

/** The same server in several SipName dial plans: one version-0 entry, no conflict. */
function duplicates(ctx: RuleContext): void {
  for (const [fqdn, entries] of ctx.kst.byFqdn) {
    const um = entries.filter((e) => e.origin.kind === 'umDialPlan' && e.state === 'known');
    const plans = new Set(um.map((e) => (e.origin.kind === 'umDialPlan' ? e.origin.dialPlan : '')));
    if (plans.size < 2) continue;
    for (const e of um) {
      ctx.report(
        KST002,
        e.token.span,
        { fqdn, plans: [...plans] },
        related(um, (o) => `also in ${describeOrigin(o)}`, e),
      );
    }
  }
}

/** Option 1's marker comments in the workspace, by pool (one restore per pool, across every file Option 1 changed). */
export function removedPoolMarkers(ctx: RuleContext): {
  byPool: Map<Fqdn, { file: SourceFile; marker: FoundMarker }[]>;
  damaged: { span: Span; why: string }[];
} {
  const byPool = new Map<Fqdn, { file: SourceFile; marker: FoundMarker }[]>();
  const damaged: { span: Span; why: string }[] = [];
  for (const input of ctx.inputs) {
    const comments = isInput(input) ? input.reader.comments : undefined;
    if (!comments) continue;
    const found = findMarkers(input.file.text, comments);
    for (const d of found.damaged) damaged.push({ span: span(input.file, d.start, d.end), why: d.why });
    for (const marker of found.markers) pushAt(byPool, normFqdn(marker.pool.fqdn), { file: input.file, marker });
  }
  return { byPool, damaged };
}

function removedPools(ctx: RuleContext): void {
  const hostedByUm = (fqdn: Fqdn): boolean => (ctx.kst.byFqdn.get(fqdn) ?? []).some((e) => e.origin.kind === 'umDialPlan');
  const live = (fqdn: Fqdn): boolean => (ctx.kst.byFqdn.get(fqdn) ?? []).some((e) => e.state !== 'removed');
  const { byPool, damaged } = removedPoolMarkers(ctx);
  for (const d of damaged) ctx.report(KST004, d.span, { why: d.why });
  for (const [fqdn, found] of byPool) {
    if (live(fqdn)) continue;
    const fix = restorePoolFix(fqdn, found);
    const id = typeof fix === 'string' ? undefined : ctx.offer(fix);
    for (const { file, marker } of found) {
      const f = ctx.report(KST003, span(file, marker.fqdnStart, marker.fqdnEnd), {
        pool: shown(marker.pool.fqdn),
        unfixable: typeof fix === 'string' ? fix : undefined,
      });
      if (id) f.fixes.push(id);
    }
  }
  for (const script of ctx.scripts) {
    for (const cmd of script.commands) {
      if (cmd.name !== 'Remove-CsTrustedApplicationPool' || cmd.skipped) continue;
      const identity = valueOf(cmd, 'Identity');
      if (!isKnown(identity)) continue;
      const fqdn = normFqdn(identity.value);
      if (hostedByUm(fqdn)) continue;
      ctx.report(KST003, identity.span, { removing: shown(fqdn) });
    }
  }
}

/** The first MAX_RELATED entries other than `except`, without walking the rest: a server in 10,000 plans stays linear. */
function related(entries: KstEntry[], text: (e: KstEntry) => string, except?: KstEntry): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  for (const e of entries) {
    if (out.length >= MAX_RELATED) break;
    if (e !== except) out.push({ span: e.token.span, message: text(e) });
  }
  return out;
}
