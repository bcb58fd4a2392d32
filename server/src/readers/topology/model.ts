import { VersionInfo } from '../../model/versions';
import { SourceFile, Span, Token } from '../../text/source';
import { XmlElement } from '../../xml/element';

/** A topology document reduced to what the KST and the trusted-application rules need. */
export interface Topology {
  file: SourceFile;
  /** `published` = Get-CsTopology -AsXml; `builder` = Topology Builder .tbxml (read from NewTopology). */
  dialect: 'published' | 'builder';
  /** Undefined when the document broke off before its root could be read. */
  root?: XmlElement;
  defaultDomain?: string;
  clusters: Cluster[];
  services: Service[];
  /** References between its elements (a service's cluster, a dependency's service, a GUID), for navigation and TOP002. */
  links: TopologyLink[];
  /** What links point at, by `kind|key`. */
  targets: Map<string, LinkTarget>;
  /** The names of its sites, by site id. */
  siteNames: Map<string, string>;
}

/** `InstalledOn/ClusterId`, `Dependency/ServiceId`, `SqlInstanceId`, a .tbxml GUID attribute. */
export interface TopologyLink {
  /** The reference as written: the ClusterId element's start tag, the GUID attribute's value. */
  from: Span;
  kind: 'cluster' | 'service' | 'sql' | 'guid';
  key: string;
  /** The reference in words, for messages: `ClusterId SiteId="1" Number="9"`. */
  written: string;
}

export interface LinkTarget {
  /** The whole element, and the part to select (its FQDN, its id element). */
  element: Span;
  selection: Span;
  name: string;
}

export function linkKey(kind: TopologyLink['kind'], key: string): string {
  return `${kind}|${key}`;
}

export interface Cluster {
  element: XmlElement;
  fqdn?: Token;
  /** What services use to point at it: `site:number` (published) or the UniqueId GUID (builder). */
  key: string;
  siteId?: string;
  machines: Machine[];
  requiresReplication?: Token;
  /** Services installed on this cluster. */
  services: Service[];
}

export interface Machine {
  element: XmlElement;
  /** Absent on a single-machine .tbxml cluster: the machine then has the cluster's FQDN. */
  fqdn?: Token;
}

export interface Service {
  element: XmlElement;
  roleName?: Token;
  /** `site:role:instance` (published) or the UniqueId GUID (builder). */
  key: string;
  version?: Token;
  /** Key of the cluster it is installed on. */
  installedOn?: string;
  dependencies: Dependency[];
  ports: Port[];
}

export interface Dependency {
  element: XmlElement;
  /** Key of the service depended on. */
  key: string;
}

export interface Port {
  element: XmlElement;
  owner?: Token;
  port?: Token;
  usage?: string;
  protocol?: string;
}

export const TOPOLOGY_NS = 'urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008';
export const BUILDER_NS = 'urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008';

/** Every FQDN a cluster is known by: its own and its machines'. */
export function clusterFqdns(c: Cluster): Token[] {
  const out: Token[] = c.fqdn ? [c.fqdn] : [];
  for (const m of c.machines) if (m.fqdn) out.push(m.fqdn);
  return out;
}

export function isTrustedPoolService(s: Service): boolean {
  return s.roleName?.value.toLowerCase() === 'externalserver';
}

export function speaksSip(s: Service): boolean {
  return isTrustedPoolService(s) || s.ports.some((p) => p.usage?.toLowerCase() === 'sipserver');
}

/** A cluster's KST version: the highest ServiceVersion among the services that speak SIP on it. */
export function clusterVersion(cluster: Cluster, assumedVersion: number): VersionInfo {
  let best: VersionInfo | undefined;
  for (const s of cluster.services) {
    if (!speaksSip(s) || !s.version) continue;
    const v = Number.parseInt(s.version.value, 10);
    if (Number.isFinite(v) && (!best || v > best.version)) best = { version: v, assumed: false, token: s.version };
  }
  return best ?? { version: assumedVersion, assumed: true, why: 'the topology gives no ServiceVersion' };
}
