import { finding, listed, shown } from './finding';
import { uriTypeOf, URI_TYPES } from '../readers/dialplans/model';
import { RuleContext } from './context';

/** UM001–UM005: what each Exchange UM dial plan does (or fails to do) for the KST. */
export function dialPlanRules(ctx: RuleContext): void {
  for (const plan of ctx.plans) {
    const type = uriTypeOf(plan);
    const name = plan.name.value;
    if (!plan.uriType || !type) {
      const at = plan.uriType ?? plan.name;
      const written = plan.uriType ? `"${shown(plan.uriType.value)}" is not a dial-plan URI type` : `Dial plan ${name} has no uriType`;
      ctx.report(finding('UM004', 'error', at.span, `${written}: it must be one of ${URI_TYPES.join(', ')}. Only SipName dial plans put their Exchange servers into the Lync KST, so lync-kst cannot tell what ${name} does.`));
      continue;
    }
    if (type === 'SipName') continue;
    const servers = listed(plan.servers.map((s) => shown(s.value))) || 'none';
    ctx.report(
      finding('UM001', 'information', plan.uriType.span, `Dial plan ${name} is ${type}: Exchange UM Routing adds only the servers of SipName dial plans to the Lync Known Servers Table, so its servers (${servers}) get no KST entry from it.`),
    );
    const ev = plan.exchangeVersion;
    if (ev && Number(ev.value) >= 2013) {
      ctx.report(
        finding('UM002', 'warning', ev.span, `Exchange ${shown(ev.value)} servers can only join SIP URI dial plans, but ${name} is ${type}. Its servers will not serve this dial plan; use a SipName dial plan for Lync integration.`),
      );
    }
  }
  for (const s of ctx.servers) {
    if (s.how !== 'unresolved') continue;
    ctx.report(
      finding('UM003', 'warning', s.token.span, `"${shown(s.token.value)}" in dial plan ${s.plan.name.value} is not an FQDN and matches no single topology server, and no default domain is known, so lync-kst cannot tell which KST entry Exchange UM Routing would add. Write the FQDN or set "defaultDomain".`),
    );
  }
}
