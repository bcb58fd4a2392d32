import { normFqdn } from '../model/fqdn';
import { Token } from '../text/source';
import { shown } from './finding';
import { Checker, rule } from './rule';

export const TOP001 = rule<{ fqdn: string }>({
  code: 'TOP001',
  severity: 'error',
  title: 'Two clusters with the same FQDN in one topology',
  description:
    'Two clusters with the same FQDN in one topology (in one site or in two). Each stays its own pool with its own applications.',
  message: (a) =>
    `Cluster ${shown(a.fqdn)} is defined twice in this topology. Topology Builder refuses to publish this, and the two definitions ` +
    `cannot both be what Lync knows the server as.`,
});

/** TOP001: one topology defines two clusters with the same FQDN (Topology Builder would refuse it). */
export const topologyChecker: Checker = {
  name: 'topology',
  rules: [TOP001],
  check(ctx) {
    for (const t of ctx.topologies) {
      const first = new Map<string, Token>();
      for (const c of t.clusters) {
        if (!c.fqdn) continue;
        const key = normFqdn(c.fqdn.value);
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, c.fqdn);
          continue;
        }
        ctx.report(TOP001, c.fqdn.span, { fqdn: c.fqdn.value }, [
          { span: earlier.span, message: `first definition of ${shown(earlier.value)}` },
        ]);
      }
    }
  },
};
