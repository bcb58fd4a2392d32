/** Small published topologies for table-style tests, shaped as docs/domain.md#topology describes them. */
export interface PoolSpec {
  fqdn: string;
  number: number;
  machines?: string[];
  apps?: { id: string; port: number | string }[];
  registrar?: boolean;
  requiresReplication?: string;
  version?: string;
}

export function trustedPool(p: PoolSpec): { cluster: string; service: string } {
  const machines = (p.machines ?? [p.fqdn]).map((m, i) => `\n      <Machine OrdinalInCluster="${i + 1}" Fqdn="${m}" />`).join('');
  const cluster = `    <Cluster RequiresReplication="${p.requiresReplication ?? 'false'}" RequiresSetup="false" Fqdn="${p.fqdn}">
      <ClusterId SiteId="1" Number="${p.number}" />${machines}
    </Cluster>
`;
  const deps =
    p.registrar === false
      ? '<DependsOn />'
      : `<DependsOn>
        <Dependency Usage="Default">
          <ServiceId SiteId="1" RoleName="Registrar" Instance="1" />
        </Dependency>
      </DependsOn>`;
  const ports = (p.apps ?? [{ id: 'outlookwebapp', port: 5199 }])
    .map(
      (a) =>
        `\n        <Port Owner="urn:application:${a.id}" Usage="SipServer" InterfaceSide="Primary" InterfaceNumber="1" Port="${a.port}" ` +
        `Protocol="Mtls" UrlPath="/" AuthorizesRequests="true" GruuType="${a.id}" />`,
    )
    .join('');
  const service =
    `    <Service RoleVersion="1" ServiceVersion="${p.version ?? '6'}" ` +
    `Type="Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.ExternalServerService">
      <ServiceId SiteId="1" RoleName="ExternalServer" Instance="${p.number}" />
      ${deps}
      <InstalledOn>
        <ClusterId SiteId="1" Number="${p.number}" />
      </InstalledOn>
      <Ports xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008">${ports}
      </Ports>
    </Service>
`;
  return { cluster, service };
}

/** Front End pool01 (fe01, fe02) with a Registrar, plus the given trusted pools and extra XML. */
export function topology(pools: PoolSpec[] = [], extra: { clusters?: string; services?: string; version?: string } = {}): string {
  const tp = pools.map(trustedPool);
  return `<?xml version="1.0" encoding="utf-8"?>
<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">
  <InternalDomains AllowAllDomains="false" DefaultDomain="contoso.com" />
  <Sites>
    <CentralSite SiteId="1"><Name>HQ</Name></CentralSite>
  </Sites>
  <Clusters>
    <Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="pool01.contoso.com">
      <ClusterId SiteId="1" Number="1" />
      <Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com" />
      <Machine OrdinalInCluster="2" Fqdn="fe02.contoso.com" />
    </Cluster>
${tp.map((p) => p.cluster).join('')}${extra.clusters ?? ''}  </Clusters>
  <Services>
    <Service RoleVersion="1" ServiceVersion="${extra.version ?? '6'}">
      <ServiceId SiteId="1" RoleName="Registrar" Instance="1" />
      <InstalledOn>
        <ClusterId SiteId="1" Number="1" />
      </InstalledOn>
      <Ports xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008">
        <Port Owner="urn:component:Registrar" Usage="SipServer" Port="5061" Protocol="Mtls" />
      </Ports>
    </Service>
${tp.map((p) => p.service).join('')}${extra.services ?? ''}  </Services>
</Topology>
`;
}

export function dialPlans(
  plans: { name: string; uriType: string; servers: string[]; exchangeVersion?: number }[],
  defaultDomain?: string,
): string {
  return (
    JSON.stringify({ format: 'kst-umdialplans', version: 1, ...(defaultDomain ? { defaultDomain } : {}), dialPlans: plans }, null, 2) + '\n'
  );
}

export const SIP_EX1 = dialPlans([{ name: 'Contoso-SIP', uriType: 'SipName', servers: ['ex1.contoso.com'] }]);
