import { at } from '../collections';
import { Fqdn, normFqdn } from '../model/fqdn';
import { Token } from '../text/source';
import { Topology } from '../readers/topology/model';
import { DialPlan } from '../readers/dialplans/model';

export interface DialPlanServer {
  plan: DialPlan;
  token: Token;
  /** Undefined when the name cannot be resolved (UM003). */
  fqdn?: Fqdn;
  how: 'fqdn' | 'topology' | 'default-domain' | 'unresolved';
}

/**
 * Short names (CLIXML holds `EX1`, not `ex1.contoso.com`) resolve to the one topology
 * machine or cluster with that first label, else to name + default domain (docs/domain.md#dialplans).
 */
export function resolveServers(plans: DialPlan[], topologies: Topology[]): DialPlanServer[] {
  const byLabel = new Map<string, Set<Fqdn>>();
  for (const t of topologies) {
    for (const c of t.clusters) {
      for (const name of [c.fqdn, ...c.machines.map((m) => m.fqdn)]) {
        if (!name) continue;
        const fqdn = normFqdn(name.value);
        const label = fqdn.split('.')[0];
        at(byLabel, label, () => new Set()).add(fqdn);
      }
    }
  }
  const topologyDomain = topologies.find((t) => t.defaultDomain)?.defaultDomain;
  return plans.flatMap((plan) =>
    plan.servers.map((token): DialPlanServer => {
      const name = normFqdn(token.value);
      if (name.includes('.')) return { plan, token, fqdn: name, how: 'fqdn' };
      const candidates = byLabel.get(name);
      if (candidates?.size === 1) return { plan, token, fqdn: [...candidates][0], how: 'topology' };
      const domain = plan.defaultDomain ?? topologyDomain;
      if (domain) return { plan, token, fqdn: normFqdn(`${name}.${domain}`), how: 'default-domain' };
      return { plan, token, how: 'unresolved' };
    }),
  );
}
