import { SourceFile, Token, span } from '../../text/source';
import { XmlDocument } from '../../xml/document';
import { isClosed, XmlAttribute, XmlElement } from '../../xml/element';
import { BUILDER_NS, Cluster, Dependency, Machine, Port, Topology, TOPOLOGY_NS } from './model';

/** Recognises a topology by its root element, never by the file name. */
export function topologyDialect(root: XmlElement | undefined): Topology['dialect'] | undefined {
  if (!root) return undefined;
  if (root.local === 'Topology' && root.namespace() === TOPOLOGY_NS) return 'published';
  if (root.local === 'TopologyBuilder' && (root.namespace() ?? BUILDER_NS) === BUILDER_NS) return 'builder';
  return undefined;
}

export function readTopology(doc: XmlDocument): Topology | undefined {
  const dialect = topologyDialect(doc.root);
  if (!dialect || !doc.root) return undefined;
  const file = doc.file;
  const topology: Topology = { file, dialect, root: doc.root, clusters: [], services: [] };
  if (dialect === 'published') readPublished(file, doc.root, topology);
  else {
    // Diagnostics come from the topology being edited; OriginalTopology is only a copy of what was published.
    const partial = doc.root.child('NewTopology')?.children.find((c) => c.children.length > 0);
    if (partial) readBuilder(file, partial, topology);
  }
  const byKey = new Map(topology.clusters.map((c) => [c.key, c]));
  for (const s of topology.services) {
    if (s.installedOn !== undefined) byKey.get(s.installedOn)?.services.push(s);
  }
  return topology;
}

function readPublished(file: SourceFile, root: XmlElement, t: Topology): void {
  t.defaultDomain = root.child('InternalDomains')?.attr('DefaultDomain')?.value;
  for (const c of root.child('Clusters')?.childrenNamed('Cluster') ?? []) {
    if (!isClosed(c)) continue;
    const id = c.child('ClusterId');
    const siteId = id?.attr('SiteId')?.value;
    t.clusters.push(cluster(file, c, `${siteId}:${id?.attr('Number')?.value}`, siteId));
  }
  for (const s of root.child('Services')?.childrenNamed('Service') ?? []) {
    if (!isClosed(s)) continue;
    const id = s.child('ServiceId');
    const host = s.child('InstalledOn')?.child('ClusterId');
    t.services.push({
      element: s,
      roleName: token(file, id?.attr('RoleName')),
      key: serviceKey(id),
      version: token(file, s.attr('ServiceVersion')),
      installedOn: host ? `${host.attr('SiteId')?.value}:${host.attr('Number')?.value}` : undefined,
      dependencies: (s.child('DependsOn')?.childrenNamed('Dependency') ?? []).map((d): Dependency => ({
        element: d,
        key: serviceKey(d.child('ServiceId')),
      })),
      ports: ports(file, s),
    });
  }
}

function readBuilder(file: SourceFile, partial: XmlElement, t: Topology): void {
  t.defaultDomain = partial.child('InternalDomains')?.attr('DefaultDomain')?.value;
  for (const c of partial.descendants('Cluster')) {
    if (!isClosed(c)) continue;
    let siteId: string | undefined;
    for (let p = c.parent; p && siteId === undefined; p = p.parent) siteId = p.attr('SiteId')?.value;
    t.clusters.push(cluster(file, c, guid(c.attr('UniqueId')?.value), siteId));
  }
  for (const s of partial.child('Services')?.childrenNamed('Service') ?? []) {
    if (!isClosed(s)) continue;
    t.services.push({
      element: s,
      roleName: token(file, s.attr('RoleName')),
      key: guid(s.attr('UniqueId')?.value),
      version: token(file, s.attr('ServiceVersion')),
      installedOn: s.attr('InstalledOn') ? guid(s.attr('InstalledOn')?.value) : undefined,
      dependencies: (s.child('DependsOn')?.childrenNamed('Dependency') ?? []).map((d): Dependency => ({
        element: d,
        key: guid(d.attr('ServiceUniqueId')?.value),
      })),
      ports: ports(file, s),
    });
  }
}

function cluster(file: SourceFile, c: XmlElement, key: string, siteId: string | undefined): Cluster {
  // Published topologies list machines directly; .tbxml wraps them in <Machines>.
  const machineElements = [...c.childrenNamed('Machine'), ...(c.child('Machines')?.childrenNamed('Machine') ?? [])];
  return {
    element: c,
    fqdn: token(file, c.attr('Fqdn')),
    key,
    siteId,
    machines: machineElements.map((m): Machine => ({ element: m, fqdn: token(file, m.attr('Fqdn')) })),
    requiresReplication: token(file, c.attr('RequiresReplication')),
    services: [],
  };
}

function ports(file: SourceFile, s: XmlElement): Port[] {
  return (s.child('Ports')?.childrenNamed('Port') ?? []).map((p) => ({
    element: p,
    owner: token(file, p.attr('Owner')),
    port: token(file, p.attr('Port')),
    usage: p.attr('Usage')?.value,
    protocol: p.attr('Protocol')?.value,
  }));
}

function serviceKey(id: XmlElement | undefined): string {
  return `${id?.attr('SiteId')?.value}:${id?.attr('RoleName')?.value.toLowerCase()}:${id?.attr('Instance')?.value}`;
}

function guid(value: string | undefined): string {
  return (value ?? '').replace(/[{}]/g, '').toLowerCase();
}

function token(file: SourceFile, a: XmlAttribute | undefined): Token | undefined {
  return a ? { value: a.value, span: span(file, a.valueStart, a.valueEnd) } : undefined;
}
