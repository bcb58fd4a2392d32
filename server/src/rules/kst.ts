import { finding, RelatedInfo } from '../findings';
import { findMarkers } from '../fixes/marker';
import { removePoolFix } from '../fixes/removePool';
import { restorePoolFix } from '../fixes/restorePool';
import { argument } from '../pools/trusted';
import { normFqdn } from '../kst/fqdn';
import { Conflict, describeOrigin, KstEntry } from '../kst/simulate';
import { describeVersion } from '../kst/versions';
import { span } from '../text/source';
import { RuleContext } from './context';

const MAX_RELATED = 20;

/** KST001 (version conflict, event 14563), KST002 (harmless duplicate), KST003 (Option 1's caveat). */
export function kstRules(ctx: RuleContext): void {
  for (const c of ctx.kst.conflicts) conflict(ctx, c);
  duplicates(ctx);
  removedPools(ctx);
}

function conflict(ctx: RuleContext, c: Conflict): void {
  const um = c.entries.filter((e) => e.origin.kind === 'umDialPlan');
  const pool = ctx.pools.get(c.fqdn);
  let fixId: string | undefined;
  if (um.length > 0 && pool) {
    const plans = [...new Set(um.map((e) => (e.origin.kind === 'umDialPlan' ? e.origin.dialPlan : '')))].join(', ');
    const reason = `Exchange UM Routing already adds ${c.fqdn} to the KST with version 0 from SipName dial plan ${plans}; with the pool as well, RTCSRV logs 14563 and drops both entries (KST001).`;
    const fix = removePoolFix(pool, ctx.kst.byFqdn.get(c.fqdn) ?? [], ctx.scripts, reason);
    if (fix) fixId = ctx.offer(fix);
  }
  for (const e of c.entries) {
    const others = c.entries.filter((o) => o.version !== e.version);
    const other = others[0];
    const f = finding(
      'KST001',
      'error',
      e.token.span,
      `${c.fqdn} would be in the Known Servers Table twice: ${describeVersion(e.version)}${e.versionAssumed ? ' (assumed: the topology does not say)' : ''} from ${describeOrigin(e)}, and ${describeVersion(other.version)} from ${describeOrigin(other)}${others.length > 1 ? ` (and ${others.length - 1} more)` : ''}. RTCSRV logs event 14563 and drops both entries, so Exchange UM and Outlook Web App IM integration with ${c.fqdn} stop.`,
      related(others, (o) => `${describeVersion(o.version)} from ${describeOrigin(o)}`),
    );
    if (fixId) f.fixes.push(fixId);
    ctx.report(f);
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
        finding('KST002', 'information', e.token.span, `${fqdn} is in ${plans.size} SipName dial plans (${[...plans].join(', ')}). Exchange UM Routing adds it once with version 0: no conflict.`, related(um.filter((o) => o !== e), (o) => `also in ${describeOrigin(o)}`)),
      );
    }
  }
}

function removedPools(ctx: RuleContext): void {
  const hostedByUm = (fqdn: string): boolean => (ctx.kst.byFqdn.get(fqdn) ?? []).some((e) => e.origin.kind === 'umDialPlan');
  const live = (fqdn: string): boolean => (ctx.kst.byFqdn.get(fqdn) ?? []).some((e) => e.state !== 'removed');
  for (const input of ctx.inputs) {
    if (input.kind !== 'topology' && input.kind !== 'script') continue;
    for (const m of findMarkers(input.file.text)) {
      const fqdn = normFqdn(m.pool.fqdn);
      if (live(fqdn)) continue;
      const f = finding('KST003', 'warning', span(input.file, m.fqdnStart, m.fqdnEnd), `Trusted Application Pool ${m.pool.fqdn} was removed because Exchange UM Routing added ${m.pool.fqdn} from a SipName dial plan (Option 1). No SipName dial plan in the workspace hosts it any more, so ${m.pool.fqdn} has no KST entry at all: Outlook Web App IM integration with it has stopped. Put the pool back.`);
      const fix = restorePoolFix(input.file, m, input.kind === 'topology' ? input.topology : undefined);
      if (fix) f.fixes.push(ctx.offer(fix));
      ctx.report(f);
    }
  }
  for (const script of ctx.scripts) {
    for (const cmd of script.commands) {
      if (cmd.name !== 'Remove-CsTrustedApplicationPool') continue;
      const identity = argument(cmd, 'identity');
      if (!identity) continue;
      const fqdn = normFqdn(identity.value.replace(/^TrustedApplicationPool:/i, ''));
      if (hostedByUm(fqdn)) continue;
      ctx.report(
        finding('KST003', 'warning', identity.span, `Removing Trusted Application Pool ${fqdn} leaves it with no KST entry: no SipName dial plan in the workspace hosts it, so Exchange UM Routing will not add it either, and Outlook Web App IM integration with ${fqdn} stops. Option 1 is only right while ${fqdn} hosts a SipName UM dial plan.`),
      );
    }
  }
}

function related(entries: KstEntry[], text: (e: KstEntry) => string): RelatedInfo[] {
  return entries.slice(0, MAX_RELATED).map((e) => ({ span: e.token.span, message: text(e) }));
}
