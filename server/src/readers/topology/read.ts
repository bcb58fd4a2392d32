import { SourceFile, Span, Token, span } from '../../text/source';
import { XmlDocument } from '../../xml/document';
import { isClosed, XmlAttribute, XmlElement } from '../../xml/element';
import { BUILDER_NS, Cluster, Dependency, linkKey, Machine, Port, Topology, TOPOLOGY_NS } from './model';

/** Recognises a topology by its root element, never by the file name. */
export function topologyDialect(root: XmlElement | undefined): Topology['dialect'] | undefined {
  if (!root) return undefined;
  if (root.local === 'Topology' && root.namespace() === TOPOLOGY_NS) return 'published';
  if (root.local === 'TopologyBuilder' && (root.namespace() ?? BUILDER_NS) === BUILDER_NS) return 'builder';
  return undefined;
}

/** A topology with nothing read yet (a document that broke off before its root, or before any of it). */
export function emptyTopology(file: SourceFile, dialect: Topology['dialect']): Topology {
  return { file, dialect, clusters: [], services: [], links: [], targets: new Map(), siteNames: new Map() };
}

export function readTopology(doc: XmlDocument): Topology | undefined {
  const dialect = topologyDialect(doc.root);
  if (!dialect || !doc.root) return undefined;
  const file = doc.file;
  const topology: Topology = { ...emptyTopology(file, dialect), root: doc.root };
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
  for (const site of root.child('Sites')?.children ?? []) {
    const id = site.attr('SiteId')?.value;
    const name = site.child('Name');
    if (id !== undefined) t.siteNames.set(id, name && isClosed(name) ? name.textValue() : `Site ${id}`);
  }
  const clusterId = (e: XmlElement) => `${e.attr('SiteId')?.value}:${e.attr('Number')?.value}`;
  const written = (e: XmlElement) => file.text.slice(e.start + 1, e.startTagEnd - (e.selfClosing ? 2 : 1)).trim();
  const link = (kind: 'cluster' | 'service' | 'sql', e: XmlElement, key: string) =>
    t.links.push({ from: span(file, e.start, e.startTagEnd), kind, key, written: written(e) });
  const target = (kind: 'cluster' | 'service' | 'sql', key: string, element: XmlElement, selection: Span, name: string) => {
    if (isClosed(element)) t.targets.set(linkKey(kind, key), { element: span(file, element.start, element.end), selection, name });
  };
  for (const c of root.child('Clusters')?.childrenNamed('Cluster') ?? []) {
    if (!isClosed(c)) continue;
    const id = c.child('ClusterId');
    const siteId = id?.attr('SiteId')?.value;
    const read = cluster(file, c, `${siteId}:${id?.attr('Number')?.value}`, siteId);
    t.clusters.push(read);
    target('cluster', read.key, c, read.fqdn?.span ?? span(file, c.start, c.startTagEnd), read.fqdn?.value ?? read.key);
  }
  for (const inst of root.child('SqlInstances')?.childrenNamed('SqlInstance') ?? []) {
    const id = inst.child('SqlInstanceId');
    const host = id?.child('ClusterId');
    if (!id || !host) continue;
    const name = id.attr('Name');
    target(
      'sql',
      `${name?.value.toLowerCase()}@${clusterId(host)}`,
      inst,
      name ? span(file, name.valueStart, name.valueEnd) : span(file, id.start, id.startTagEnd),
      `SQL instance ${name?.value ?? ''}`,
    );
    link('cluster', host, clusterId(host));
  }
  for (const s of root.child('Services')?.childrenNamed('Service') ?? []) {
    if (!isClosed(s)) continue;
    const id = s.child('ServiceId');
    const host = s.child('InstalledOn')?.child('ClusterId');
    const sql = s.child('InstalledOn')?.child('SqlInstanceId');
    if (id)
      target(
        'service',
        serviceKey(id),
        s,
        span(file, id.start, id.startTagEnd),
        `${id.attr('RoleName')?.value ?? 'service'} ${id.attr('SiteId')?.value}:${id.attr('Instance')?.value}`,
      );
    if (host) link('cluster', host, clusterId(host));
    const sqlHost = sql?.child('ClusterId');
    if (sql && sqlHost) link('sql', sql, `${sql.attr('Name')?.value.toLowerCase()}@${clusterId(sqlHost)}`);
    for (const d of s.child('DependsOn')?.childrenNamed('Dependency') ?? []) {
      const sid = d.child('ServiceId');
      if (sid) link('service', sid, serviceKey(sid));
    }
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
  builderLinks(file, partial, t);
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

/**
 * A .tbxml links by GUID: every element with a UniqueId is a target, and every other attribute
 * holding a `{GUID}` (InstalledOn, ServiceUniqueId, …) a link to one.
 */
function builderLinks(file: SourceFile, partial: XmlElement, t: Topology): void {
  const all = [partial, ...partial.descendants('*')];
  for (const e of all) {
    const id = e.attr('UniqueId');
    if (!id || !isClosed(e)) continue;
    const name = e.attr('Fqdn')?.value ?? e.attr('RoleName')?.value ?? e.attr('Name')?.value ?? e.local;
    const fqdn = e.attr('Fqdn');
    const selection = fqdn ? span(file, fqdn.valueStart, fqdn.valueEnd) : span(file, id.valueStart, id.valueEnd);
    t.targets.set(linkKey('guid', guid(id.value)), { element: span(file, e.start, e.end), selection, name: `${e.local} ${name}` });
  }
  for (const e of all) {
    for (const a of e.attributes()) {
      if (a.local === 'UniqueId' || a.name.startsWith('xmlns') || !GUID.test(a.value)) continue;
      // InstalledOn and …UniqueId attributes are references; another GUID (a signature, an object id) is one only when it matches.
      const reference = a.local === 'InstalledOn' || a.local.endsWith('UniqueId');
      if (!reference && !t.targets.has(linkKey('guid', guid(a.value)))) continue;
      t.links.push({ from: span(file, a.valueStart, a.valueEnd), kind: 'guid', key: guid(a.value), written: `${a.name}="${a.value}"` });
    }
  }
}

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

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
