/**
 * Topologies of one content in every layout admins really have: `Get-CsTopology -AsXml` often
 * writes one line; Windows tools write CRLF; hand edits bring tabs, comments next to a pool,
 * the pool first, in the middle or last, several pools. Used to prove that Option 1 followed by
 * the restore gives back the original bytes whatever the layout.
 */
export interface Layout {
  name: string;
  /** '' writes the whole document on one line. */
  eol: '\n' | '\r\n' | '\r' | '';
  indent: '  ' | '\t';
  /** Where the trusted pools' Cluster and Service elements stand among the others. */
  position: 'first' | 'middle' | 'last';
  comments: boolean;
  /** Trusted pools ex1, ex2, ...: each is also a SipName dial-plan server, so each conflicts. */
  pools: number;
}

export const LAYOUTS: Layout[] = [];
for (const eol of ['\n', '\r\n', '\r', ''] as const) {
  for (const position of ['first', 'middle', 'last'] as const) {
    for (const pools of [1, 2]) {
      const name = `${eol === '' ? 'one line' : JSON.stringify(eol).slice(1, -1)}, pool ${position}, ${pools} pool(s)`;
      LAYOUTS.push({ name, eol, indent: '  ', position, comments: false, pools });
    }
  }
  LAYOUTS.push({
    name: `${eol === '' ? 'one line' : JSON.stringify(eol).slice(1, -1)}, tabs and comments next to the pool`,
    eol,
    indent: '\t',
    position: 'middle',
    comments: true,
    pools: 1,
  });
}

export const poolFqdn = (i: number) => `ex${i + 1}.contoso.com`;

/** A tree written out in a layout: [tag line, children] or a self-closing/leaf line. */
type Tree = string | [open: string, children: Tree[], close: string];

function write(tree: Tree, layout: Layout, depth = 0): string {
  const pad = layout.eol === '' ? '' : layout.indent.repeat(depth);
  if (typeof tree === 'string') return pad + tree + layout.eol;
  const [open, children, close] = tree;
  return pad + open + layout.eol + children.map((c) => write(c, layout, depth + 1)).join('') + pad + close + layout.eol;
}

function place<T>(items: T[], pools: T[], position: Layout['position']): T[] {
  if (position === 'first') return [...pools, ...items];
  if (position === 'last') return [...items, ...pools];
  return [items[0], ...pools, ...items.slice(1)];
}

export function layoutTopology(layout: Layout): string {
  const pools = Array.from({ length: layout.pools }, (_, i) => i);
  const comment = (text: string): Tree[] => (layout.comments ? [`<!-- ${text} -->`] : []);
  const trustedClusters: Tree[] = pools.flatMap((i) => [
    ...comment(`OWA on ${poolFqdn(i)}`),
    [
      `<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="${poolFqdn(i)}">`,
      [`<ClusterId SiteId="1" Number="${10 + i}" />`, `<Machine OrdinalInCluster="1" Fqdn="${poolFqdn(i)}" />`],
      '</Cluster>',
    ],
  ]);
  const clusters: Tree[] = place<Tree>(
    [
      [
        '<Cluster RequiresReplication="true" RequiresSetup="true" Fqdn="pool01.contoso.com">',
        [
          '<ClusterId SiteId="1" Number="1" />',
          '<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com" />',
          '<Machine OrdinalInCluster="2" Fqdn="fe02.contoso.com" />',
        ],
        '</Cluster>',
      ],
      [
        '<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="fs01.contoso.com">',
        ['<ClusterId SiteId="1" Number="3" />', '<Machine OrdinalInCluster="1" Fqdn="fs01.contoso.com" />'],
        '</Cluster>',
      ],
    ],
    trustedClusters,
    layout.position,
  );
  const trustedServices: Tree[] = pools.flatMap(
    (i) =>
      [
        [
          '<Service RoleVersion="1" ServiceVersion="6" Type="Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.ExternalServerService">',
          [
            `<ServiceId SiteId="1" RoleName="ExternalServer" Instance="${i + 1}" />`,
            [
              '<DependsOn>',
              [['<Dependency Usage="Default">', ['<ServiceId SiteId="1" RoleName="Registrar" Instance="1" />'], '</Dependency>']],
              '</DependsOn>',
            ],
            ['<InstalledOn>', [`<ClusterId SiteId="1" Number="${10 + i}" />`], '</InstalledOn>'],
            [
              '<Ports xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008">',
              [
                `<Port Owner="urn:application:outlookwebapp" Usage="SipServer" InterfaceSide="Primary" InterfaceNumber="1" ` +
                  `Port="${5199 + i}" Protocol="Mtls" GruuType="OutlookWebApp" />`,
              ],
              '</Ports>',
            ],
          ],
          '</Service>',
        ],
        ...comment(`end of ${poolFqdn(i)}`),
      ] as Tree[],
  );
  // A service that depends on the first trusted pool's service: Option 1 removes that dependency too.
  const monitoring: Tree = [
    '<Service RoleVersion="1" ServiceVersion="6">',
    [
      '<ServiceId SiteId="1" RoleName="MonitoringServer" Instance="1" />',
      [
        '<DependsOn>',
        [
          ['<Dependency Usage="Default">', ['<ServiceId SiteId="1" RoleName="Registrar" Instance="1" />'], '</Dependency>'],
          ['<Dependency Usage="Default">', ['<ServiceId SiteId="1" RoleName="ExternalServer" Instance="1" />'], '</Dependency>'],
        ],
        '</DependsOn>',
      ],
      ['<InstalledOn>', ['<ClusterId SiteId="1" Number="3" />'], '</InstalledOn>'],
      '<Ports xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008" />',
    ],
    '</Service>',
  ];
  const services: Tree[] = place<Tree>(
    [
      [
        '<Service RoleVersion="1" ServiceVersion="6">',
        [
          '<ServiceId SiteId="1" RoleName="Registrar" Instance="1" />',
          ['<InstalledOn>', ['<ClusterId SiteId="1" Number="1" />'], '</InstalledOn>'],
          [
            '<Ports xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008">',
            ['<Port Owner="urn:component:Registrar" Usage="SipServer" Port="5061" Protocol="Mtls" />'],
            '</Ports>',
          ],
        ],
        '</Service>',
      ],
      monitoring,
    ],
    trustedServices,
    layout.position,
  );
  const topology: Tree = [
    '<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">',
    [
      '<InternalDomains AllowAllDomains="false" DefaultDomain="contoso.com" />',
      ['<Sites>', ['<CentralSite SiteId="1"><Name>HQ</Name></CentralSite>'], '</Sites>'],
      ['<Clusters>', clusters, '</Clusters>'],
      ['<Services>', services, '</Services>'],
    ],
    '</Topology>',
  ];
  return '<?xml version="1.0" encoding="utf-8"?>' + layout.eol + write(topology, layout);
}

export function layoutDialPlans(layout: Layout, uriType: 'SipName' | 'TelExtn'): string {
  const servers = Array.from({ length: layout.pools }, (_, i) => poolFqdn(i));
  return JSON.stringify({ format: 'kst-umdialplans', version: 1, dialPlans: [{ name: 'Contoso-SIP', uriType, servers }] }, null, 2) + '\n';
}
