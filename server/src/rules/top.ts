import { normFqdn } from '../model/fqdn';
import { linkKey, TopologyLink } from '../readers/topology/model';
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

const WHAT: Record<TopologyLink['kind'], string> = { cluster: 'cluster', service: 'service', sql: 'SQL instance', guid: 'element' };

export const TOP002 = rule<{ written: string; what: string }>({
  code: 'TOP002',
  severity: 'error',
  title: 'Reference to nothing in the topology',
  description:
    'A reference that matches nothing in the same topology: an `InstalledOn/ClusterId` with no such cluster, a `Dependency/ServiceId` ' +
    'with no such service, a `SqlInstanceId` with no such instance, a .tbxml GUID with no element of that UniqueId.',
  message: (a) =>
    `${a.written} matches no ${a.what} of this topology. What points here is installed on, or depends on, nothing lync-kst or ` +
    `Topology Builder can find, so the services and KST entries it implies are missing from the simulation, and the topology does not ` +
    `validate for publishing.`,
});

/** TOP001: one topology defines two clusters with the same FQDN (Topology Builder would refuse it). TOP002: a dangling reference. */
export const topologyChecker: Checker = {
  name: 'topology',
  rules: [TOP001, TOP002],
  check(ctx) {
    for (const t of ctx.topologies) {
      for (const l of t.links) {
        if (!t.targets.has(linkKey(l.kind, l.key))) ctx.report(TOP002, l.from, { written: l.written, what: WHAT[l.kind] });
      }
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
