import { finding, shown } from './finding';
import { normFqdn } from '../model/fqdn';
import { Token } from '../text/source';
import { RuleContext } from './context';

/** TOP001: one topology defines two clusters with the same FQDN (Topology Builder would refuse it). */
export function topologyRules(ctx: RuleContext): void {
  for (const t of ctx.topologies) {
    const first = new Map<string, Token>();
    for (const c of t.clusters) {
      if (!c.fqdn) continue;
      const key = normFqdn(c.fqdn.value);
      const earlier = first.get(key);
      if (!earlier) { first.set(key, c.fqdn); continue; }
      ctx.report(
        finding('TOP001', 'error', c.fqdn.span, `Cluster ${shown(c.fqdn.value)} is defined twice in this topology. Topology Builder refuses to publish this, and the two definitions cannot both be what Lync knows the server as.`, [
          { span: earlier.span, message: `first definition of ${shown(earlier.value)}` },
        ]),
      );
    }
  }
}
