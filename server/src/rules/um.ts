import { uriTypeOf, URI_TYPES } from '../readers/dialplans/model';
import { listed, shown } from './finding';
import { Checker, rule } from './rule';

export const UM001 = rule<{ plan: string; type: string; servers: string[] }>({
  code: 'UM001',
  severity: 'information',
  title: 'Dial plan adds no KST entry',
  description: 'A TelExtn/E164 dial plan: its servers get no KST entry from it.',
  message: (a) =>
    `Dial plan ${a.plan} is ${a.type}: Exchange UM Routing adds only the servers of SipName dial plans to the Lync Known Servers Table, ` +
    `so its servers (${listed(a.servers.map((s) => shown(s))) || 'none'}) get no KST entry from it.`,
});

export const UM002 = rule<{ plan: string; type: string; version: string }>({
  code: 'UM002',
  severity: 'warning',
  title: 'Exchange 2013 or later in a TelExtn/E164 dial plan',
  description: 'Exchange 2013 or later in a TelExtn/E164 dial plan (they only join SIP dial plans).',
  message: (a) =>
    `Exchange ${shown(a.version)} servers can only join SIP URI dial plans, but ${a.plan} is ${a.type}. Its servers will not serve this ` +
    `dial plan; use a SipName dial plan for Lync integration.`,
});

export const UM003 = rule<{ name: string; plan: string }>({
  code: 'UM003',
  severity: 'warning',
  title: 'Dial-plan server name cannot be resolved to an FQDN',
  description: 'A dial-plan server name that cannot be resolved to an FQDN.',
  message: (a) =>
    `"${shown(a.name)}" in dial plan ${a.plan} is not an FQDN and matches no single topology server, and no default domain is known, so ` +
    `lync-kst cannot tell which KST entry Exchange UM Routing would add. Write the FQDN or set "defaultDomain".`,
});

export const UM004 = rule<{ plan: string; written?: string }>({
  code: 'UM004',
  severity: 'error',
  title: 'Unknown dial-plan URI type',
  description: 'An unknown dial-plan URI type.',
  message: (a) =>
    `${a.written !== undefined ? `"${shown(a.written)}" is not a dial-plan URI type` : `Dial plan ${a.plan} has no uriType`}: it must be ` +
    `one of ${URI_TYPES.join(', ')}. Only SipName dial plans put their Exchange servers into the Lync KST, so lync-kst cannot tell ` +
    `what ${a.plan} does.`,
});

export const UM005 = rule<{ why: string }>({
  code: 'UM005',
  severity: 'error',
  title: 'Dial-plan value of the wrong type or missing',
  description:
    'A dial-plan value of the wrong type, or missing (`"servers": "ex1.contoso.com"` instead of a list, a plan without a name): reported ' +
    'at the value; what it belongs to is not read.',
  message: (a) => a.why,
});

/** UM001–UM005: what each Exchange UM dial plan does (or fails to do) for the KST. */
export const dialPlanChecker: Checker = {
  name: 'dial plans',
  rules: [UM001, UM002, UM003, UM004],
  check(ctx) {
    for (const plan of ctx.plans) {
      const type = uriTypeOf(plan);
      const name = plan.name.value;
      if (!plan.uriType || !type) {
        ctx.report(UM004, (plan.uriType ?? plan.name).span, { plan: name, written: plan.uriType?.value });
        continue;
      }
      if (type === 'SipName') continue;
      ctx.report(UM001, plan.uriType.span, { plan: name, type, servers: plan.servers.map((s) => s.value) });
      const ev = plan.exchangeVersion;
      if (ev && Number(ev.value) >= 2013) ctx.report(UM002, ev.span, { plan: name, type, version: ev.value });
    }
    for (const s of ctx.servers) {
      if (s.how === 'unresolved') ctx.report(UM003, s.token.span, { name: s.token.value, plan: s.plan.name.value });
    }
  },
};
