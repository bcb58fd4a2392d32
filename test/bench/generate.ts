/**
 * Synthetic inputs for the benchmark and for manual tries: a Lync 2013 published topology
 * (docs/domain.md#topology) and a matching `*.umdialplans.json` with a
 * known number of planted KST conflicts (trusted pool v6 + SipName dial plan v0).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32 as prng } from '../random';

export interface GenerateOptions {
  /** Front End pools. */
  pools: number;
  /** Trusted application pools (ExternalServer). */
  trustedPools: number;
  /** How many trusted pool FQDNs are also put into SipName dial plans. */
  conflicts: number;
  seed?: number;
}

export interface Generated {
  topology: string;
  dialPlans: string;
  /** FQDNs of the trusted pools that are also SipName dial-plan servers, in topology order. */
  conflictFqdns: string[];
}

const DOMAIN = 'contoso.com';
const NS_ROLES = 'urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008';
const TYPE_PREFIX = 'Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.';
// Windows tools write CRLF; generating it keeps line/column handling honest.
const EOL = '\r\n';

const CITIES: readonly (readonly [code: string, city: string, state: string, country: string])[] = [
  ['sea', 'Seattle', 'WA', 'US'],
  ['nyc', 'New York', 'NY', 'US'],
  ['dub', 'Dublin', 'D', 'IE'],
  ['fra', 'Frankfurt', 'HE', 'DE'],
  ['sin', 'Singapore', 'SG', 'SG'],
  ['syd', 'Sydney', 'NSW', 'AU'],
  ['tyo', 'Tokyo', '13', 'JP'],
  ['gru', 'Sao Paulo', 'SP', 'BR'],
  ['yyz', 'Toronto', 'ON', 'CA'],
  ['lon', 'London', 'LND', 'GB'],
  ['bom', 'Mumbai', 'MH', 'IN'],
  ['jnb', 'Johannesburg', 'GP', 'ZA'],
];

/** Custom trusted application ids (non-OWA pools) to pick 1–3 from. */
const APP_IDS = ['contoso.ivr', 'recorder', 'attendant', 'notify', 'botgateway', 'presencewatcher', 'paging', 'contactcenter'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

interface Site {
  id: number;
  code: string;
  name: string;
  city: string;
  state: string;
  country: string;
  /** Next free `ClusterId/@Number` in this site. */
  nextCluster: number;
  /** Registrar instances of the site's Front End pools, for trusted pools to depend on. */
  registrars: number[];
  nextExternal: number;
}

export function generateTopology(options: GenerateOptions): Generated {
  const { pools, trustedPools, conflicts, seed = 1 } = options;
  if (!Number.isInteger(pools) || pools < 1) throw new RangeError('pools must be an integer >= 1 (trusted pools need a Registrar)');
  if (!Number.isInteger(trustedPools) || trustedPools < 0) throw new RangeError('trustedPools must be an integer >= 0');
  if (!Number.isInteger(conflicts) || conflicts < 0 || conflicts > trustedPools) {
    throw new RangeError('conflicts must be an integer between 0 and trustedPools');
  }
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const ip = (): string => `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;

  // "Several" central sites, growing slowly with the deployment; never more sites than FE pools,
  // so every site has a Registrar for its trusted pools.
  const siteCount = Math.max(1, Math.min(pools, 40, Math.max(3, Math.ceil(Math.sqrt(pools)))));
  const sites: Site[] = Array.from({ length: siteCount }, (_, i) => {
    const [code, city, state, country] = CITIES[i % CITIES.length];
    const round = Math.floor(i / CITIES.length);
    return {
      id: i + 1,
      code: round === 0 ? code : `${code}${round + 1}`,
      name: round === 0 ? `Contoso-${city.replace(/ /g, '')}` : `Contoso-${city.replace(/ /g, '')}-${round + 1}`,
      city,
      state,
      country,
      nextCluster: 1,
      registrars: [],
      nextExternal: 1,
    };
  });

  const clusters: string[] = [];
  const sqlInstances: string[] = [];
  const services: string[] = [];
  const I2 = '    ';
  const I3 = '      ';
  const I4 = '        ';

  const cluster = (site: Site, fqdn: string, replication: boolean, setup: boolean, machines: string[]): number => {
    const number = site.nextCluster++;
    clusters.push(`${I2}<Cluster RequiresReplication="${replication}" RequiresSetup="${setup}" Fqdn="${fqdn}">`);
    clusters.push(`${I3}<ClusterId SiteId="${site.id}" Number="${number}" />`);
    machines.forEach((m, i) => {
      if (m === fqdn) {
        // One-computer pools (SQL, file share, trusted pools): the machine carries the pool FQDN.
        clusters.push(`${I3}<Machine OrdinalInCluster="${i + 1}" Fqdn="${m}" />`);
      } else {
        clusters.push(`${I3}<Machine OrdinalInCluster="${i + 1}" Fqdn="${m}" FaultDomain="${m}" UpgradeDomain="${m}">`);
        clusters.push(`${I4}<NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="${ip()}" />`);
        clusters.push(`${I3}</Machine>`);
      }
    });
    clusters.push(`${I2}</Cluster>`);
    return number;
  };

  type ServiceRef = readonly [siteId: number, role: string, instance: number];
  interface ServiceSpec {
    site: Site;
    role: string;
    instance: number;
    roleVersion?: number;
    type?: string;
    dependsOn: ServiceRef[];
    /** `InstalledOn` content: a cluster number, or a SQL instance on a cluster. */
    on: number | { sql: string; cluster: number };
    ports: string[];
    /** Role-specific child element(s), already indented. */
    extra?: string[];
  }
  const service = (s: ServiceSpec): void => {
    const typeAttr = s.type ? ` Type="${TYPE_PREFIX}${s.type}"` : '';
    services.push(`${I2}<Service RoleVersion="${s.roleVersion ?? 1}" ServiceVersion="6"${typeAttr}>`);
    services.push(`${I3}<ServiceId SiteId="${s.site.id}" RoleName="${s.role}" Instance="${s.instance}" />`);
    if (s.dependsOn.length === 0) {
      services.push(`${I3}<DependsOn />`);
    } else {
      services.push(`${I3}<DependsOn>`);
      for (const [siteId, role, instance] of s.dependsOn) {
        services.push(`${I4}<Dependency Usage="Default">`);
        services.push(`${I4}  <ServiceId SiteId="${siteId}" RoleName="${role}" Instance="${instance}" />`);
        services.push(`${I4}</Dependency>`);
      }
      services.push(`${I3}</DependsOn>`);
    }
    services.push(`${I3}<InstalledOn>`);
    if (typeof s.on === 'number') {
      services.push(`${I4}<ClusterId SiteId="${s.site.id}" Number="${s.on}" />`);
    } else {
      services.push(`${I4}<SqlInstanceId Name="${s.on.sql}">`);
      services.push(`${I4}  <ClusterId SiteId="${s.site.id}" Number="${s.on.cluster}" />`);
      services.push(`${I4}</SqlInstanceId>`);
    }
    services.push(`${I3}</InstalledOn>`);
    if (s.ports.length === 0) {
      services.push(`${I3}<Ports xmlns="${NS_ROLES}" />`);
    } else {
      services.push(`${I3}<Ports xmlns="${NS_ROLES}">`);
      for (const p of s.ports) services.push(`${I4}${p}`);
      services.push(`${I3}</Ports>`);
    }
    if (s.extra) services.push(...s.extra);
    services.push(`${I2}</Service>`);
  };
  const port = (
    owner: string,
    usage: string,
    number: number,
    protocol: string,
    urlPath: string,
    authorizes: boolean,
    gruu?: string,
  ): string =>
    `<Port Owner="${owner}" Usage="${usage}" InterfaceSide="Primary" InterfaceNumber="1" Port="${number}" Protocol="${protocol}" ` +
    `UrlPath="${urlPath}" AuthorizesRequests="${authorizes}"${gruu ? ` GruuType="${gruu}"` : ''} />`;

  // Per site: one SQL back-end cluster (one named instance per FE pool) and one file share.
  const sqlCluster = new Map<Site, number>();
  for (const site of sites) {
    const sql = `${site.code}-sql01.${DOMAIN}`;
    sqlCluster.set(site, cluster(site, sql, false, false, [sql]));
    const fs01 = `${site.code}-fs01.${DOMAIN}`;
    const fsNumber = cluster(site, fs01, false, false, [fs01]);
    service({
      site,
      role: 'FileStore',
      instance: 1,
      type: 'FileStoreService',
      dependsOn: [],
      on: fsNumber,
      ports: [],
      extra: [`${I3}<FileStoreService xmlns="${NS_ROLES}" ShareName="LyncShare-${site.code}" />`],
    });
  }

  // Front End pools, round-robin over sites.
  for (let p = 0; p < pools; p++) {
    const site = sites[p % siteCount];
    const k = site.registrars.length + 1;
    const poolFqdn = `${site.code}-pool${pad2(k)}.${DOMAIN}`;
    const machines = Array.from({ length: int(2, 4) }, (_, m) => `${site.code}-fe${pad2(k)}${String.fromCharCode(97 + m)}.${DOMAIN}`);
    const number = cluster(site, poolFqdn, true, true, machines);
    const sqlName = `rtc${pad2(k)}`;
    const sqlNumber = sqlCluster.get(site)!;
    sqlInstances.push(
      `${I2}<SqlInstance>`,
      `${I3}<SqlInstanceId Name="${sqlName}">`,
      `${I4}<ClusterId SiteId="${site.id}" Number="${sqlNumber}" />`,
      `${I3}</SqlInstanceId>`,
      `${I2}</SqlInstance>`,
    );
    site.registrars.push(k);

    service({ site, role: 'UserStore', instance: k, dependsOn: [], on: { sql: sqlName, cluster: sqlNumber }, ports: [] });
    service({
      site,
      role: 'UserServices',
      instance: k,
      dependsOn: [
        [site.id, 'UserStore', k],
        [site.id, 'FileStore', 1],
      ],
      on: number,
      ports: [
        port('urn:component:PresenceFocus', 'UserPinManagement', 443, 'Https', '/LiveServer/UserPinManagement/', false),
        port('urn:component:PresenceFocus', 'WebServer', 444, 'Mtls', '/LiveServer/Focus/', false),
        port('urn:component:McuFactory', 'WebServer', 444, 'Mtls', '/LiveServer/McuFactory/', false),
        port('urn:component:PersistentChatWebManager', 'WebServer', 444, 'Mtls', '/LiveServer/PersistentChatWebManager/', false),
      ],
    });
    service({
      site,
      role: 'Registrar',
      instance: k,
      type: 'RegistrarService',
      dependsOn: [
        [site.id, 'UserServices', k],
        [site.id, 'WebServices', k],
      ],
      on: number,
      ports: [
        port('urn:component:Registrar', 'SipServer', 5061, 'Mtls', '/', true, 'HomeServer'),
        port('urn:component:Registrar', 'WebServer', 444, 'Mtls', '/LiveServer/Focus/', false),
        port('urn:component:QoE', 'SipServer', 5061, 'Mtls', '/', true, 'QoS'),
      ],
      extra: [`${I3}<RegistrarService xmlns="${NS_ROLES}" IsDirector="false" />`],
    });
    service({
      site,
      role: 'WebServices',
      instance: k,
      type: 'WebService',
      dependsOn: [[site.id, 'FileStore', 1]],
      on: number,
      ports: [
        port('urn:component:OCSWebSite', 'WebSite', 443, 'Https', '/', false),
        port('urn:component:OCSWebSite', 'WebSite', 80, 'Http', '/', false),
        port('urn:component:OCSWebSiteExternal', 'WebSite', 4443, 'Https', '/', false),
        port('urn:component:OCSWebSiteExternal', 'WebSite', 8080, 'Http', '/', false),
        port('urn:component:UcwaService', 'SipServer', 5088, 'Mtls', '/', true, 'UcwaInternal'),
      ],
      extra: [
        `${I3}<WebService xmlns="${NS_ROLES}">`,
        `${I4}<ExternalSettings Host="${site.code}-web${pad2(k)}.${DOMAIN}">`,
        `${I4}  <OverrideUrls />`,
        `${I4}</ExternalSettings>`,
        `${I3}</WebService>`,
      ],
    });
    service({
      site,
      role: 'ConfServices',
      instance: k,
      type: 'ConfService',
      dependsOn: [[site.id, 'UserServices', k]],
      on: number,
      ports: [
        port('urn:component:IMConf', 'SipServer', 5062, 'Mtls', '/', true, 'chat'),
        port('urn:component:AVConf', 'SipServer', 5063, 'Mtls', '/', true, 'audio-video'),
        port('urn:component:AppSharingConf', 'SipServer', 5065, 'Mtls', '/', true, 'applicationsharing'),
        port('urn:component:DataConf', 'SipServer', 5069, 'Mtls', '/', true, 'meeting'),
      ],
    });
    service({
      site,
      role: 'ApplicationServer',
      instance: k,
      type: 'ApplicationServerService',
      dependsOn: [
        [site.id, 'Registrar', k],
        [site.id, 'FileStore', 1],
      ],
      on: number,
      ports: [
        port('urn:application:Rgs', 'SipServer', 5071, 'Mtls', '/', true, 'Microsoft.Rtc.Applications.Acd'),
        port('urn:application:Caa', 'SipServer', 5072, 'Mtls', '/', true, 'Microsoft.Rtc.Applications.Caa'),
        port('urn:application:Cps', 'SipServer', 5075, 'Mtls', '/', true, 'Microsoft.Rtc.Applications.Cps'),
        port('urn:application:TestBot', 'SipServer', 5076, 'Mtls', '/', true, 'Microsoft.Rtc.Applications.TestBot'),
      ],
    });
    service({
      site,
      role: 'MediationServer',
      instance: k,
      type: 'MediationService',
      dependsOn: [[site.id, 'Registrar', k]],
      on: number,
      ports: [
        port('urn:component:MediationServer', 'SipServer', 5070, 'Mtls', '/', true, 'MediationServer'),
        port('urn:component:MediationServerGw', 'GatewayListening', 5067, 'Tls', '/', true),
      ],
      extra: [`${I3}<MediationService xmlns="${NS_ROLES}" />`],
    });
  }

  // Trusted application pools. Planted conflicts are always Exchange/OWA pools (the real-world
  // case); other pools are a mix of OWA (no dial plan on that box: no conflict) and UCMA apps.
  const conflictIndex = new Set(shuffled(trustedPools, rnd).slice(0, conflicts));
  const conflictFqdns: string[] = [];
  const prefixCount = new Map<string, number>();
  for (let t = 0; t < trustedPools; t++) {
    const site = sites[t % siteCount];
    const owa = conflictIndex.has(t) || rnd() < 0.4;
    const prefix = `${site.code}-${owa ? 'ex' : 'tap'}`;
    const n = (prefixCount.get(prefix) ?? 0) + 1;
    prefixCount.set(prefix, n);
    const fqdn = `${prefix}${pad2(n)}.${DOMAIN}`;
    if (conflictIndex.has(t)) conflictFqdns.push(fqdn);
    // OWA pools are created with -RequiresReplication $false (docs/domain.md#cmdlets).
    const number = cluster(site, fqdn, !owa, false, [fqdn]);
    const appCount = int(1, 3);
    const apps: string[] = [];
    const ids = shuffled(APP_IDS.length, rnd).map((i) => APP_IDS[i]);
    for (let a = 0; a < appCount; a++) {
      if (owa && a === 0) {
        apps.push(port('urn:application:outlookwebapp', 'SipServer', 5199, 'Mtls', '/', true, 'OutlookWebApp'));
      } else {
        const id = ids[a];
        apps.push(port(`urn:application:${id}`, 'SipServer', 6000 + a * 10 + int(0, 9), pick(['Mtls', 'Mtls', 'Tcp']), '/', true, id));
      }
    }
    service({
      site,
      role: 'ExternalServer',
      instance: site.nextExternal++,
      type: 'ExternalServerService',
      dependsOn: [[site.id, 'Registrar', pick(site.registrars)]],
      on: number,
      ports: apps,
      extra: [
        `${I3}<ExternalServerService xmlns="${NS_ROLES}" TreatAsAuthenticated="true" ThrottleAsServer="true" OutboundOnly="false" />`,
      ],
    });
  }

  const siteLines = sites.flatMap((s) => [
    `    <CentralSite SiteId="${s.id}">`,
    `      <Name>${s.name}</Name>`,
    `      <Location City="${s.city}" State="${s.state}" CountryCode="${s.country}" />`,
    `    </CentralSite>`,
  ]);
  const signature = `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  const topology = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008" Signature="${signature}">`,
    `  <InternalDomains AllowAllDomains="false" DefaultDomain="${DOMAIN}">`,
    `    <InternalDomain Name="${DOMAIN}" Authoritative="false" AllowSubDomains="false" />`,
    `    <InternalDomain Name="fabrikam.com" Authoritative="false" AllowSubDomains="false" />`,
    '  </InternalDomains>',
    '  <Sites>',
    ...siteLines,
    '  </Sites>',
    '  <Clusters>',
    ...clusters,
    '  </Clusters>',
    '  <SqlInstances>',
    ...sqlInstances,
    '  </SqlInstances>',
    '  <Services>',
    ...services,
    '  </Services>',
    '</Topology>',
    '',
  ].join(EOL);

  return { topology, dialPlans: dialPlansJson(sites, conflictFqdns, rnd), conflictFqdns };
}

/** Indices 0..n-1 in a seeded random order (Fisher–Yates). */
function shuffled(n: number, rnd: () => number): number[] {
  const xs = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * SipName plans carry the conflict FQDNs (spread over the plans) plus Exchange mailbox servers that
 * the topology does not know (`*-mbxNN`, a prefix the topology never uses), i.e. plain v0 entries.
 * TelExtn plans list Exchange 2010 servers by short name, as CLIXML `UMServers` would; they make
 * no KST entry at all.
 */
function dialPlansJson(sites: Site[], conflictFqdns: string[], rnd: () => number): string {
  const sipCount = Math.min(12, Math.max(2, Math.ceil(sites.length / 2)));
  const telCount = Math.min(6, Math.max(1, Math.floor(sites.length / 3)));
  const dialPlans: object[] = [];
  let mbx = 0;
  for (let i = 0; i < sipCount; i++) {
    const site = sites[i % sites.length];
    const name = `${site.name}-SIP${i >= sites.length ? `-${Math.floor(i / sites.length) + 1}` : ''}`;
    const servers: string[] = [];
    const own = 2 + Math.floor(rnd() * 3);
    for (let s = 0; s < own; s++) servers.push(`${site.code}-mbx${pad2(++mbx)}.${DOMAIN}`);
    for (let c = i; c < conflictFqdns.length; c += sipCount) servers.push(conflictFqdns[c]);
    dialPlans.push({
      name,
      uriType: 'SipName',
      phoneContext: `${name}.${DOMAIN}`,
      numberOfDigitsInExtension: rnd() < 0.5 ? 4 : 5,
      voipSecurity: rnd() < 0.7 ? 'Secured' : 'SIPSecured',
      exchangeVersion: rnd() < 0.5 ? 2013 : 2016,
      servers,
    });
  }
  let um = 0;
  for (let i = 0; i < telCount; i++) {
    // telCount <= sites.length, so every PBX plan gets its own site (counted from the last).
    const site = sites[sites.length - 1 - i];
    const name = `${site.name}-PBX`;
    const servers = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => `UM${pad2(++um)}`);
    dialPlans.push({
      name,
      uriType: 'TelExtn',
      phoneContext: `${name}.${DOMAIN}`,
      numberOfDigitsInExtension: 4,
      voipSecurity: 'Unsecured',
      exchangeVersion: 2010,
      servers,
    });
  }
  return JSON.stringify({ format: 'kst-umdialplans', version: 1, defaultDomain: DOMAIN, dialPlans }, null, 2) + '\n';
}

/** Pool counts for a deployment of about `targetBytes` of topology XML (within a few %). */
export function sizeTopology(targetBytes: number, seed = 1): Required<GenerateOptions> {
  // Roughly one trusted pool per two FE pools and a conflict for every tenth trusted pool.
  const optionsFor = (pools: number): Required<GenerateOptions> => {
    const trustedPools = Math.max(2, Math.ceil(pools / 2));
    return { pools, trustedPools, conflicts: Math.min(trustedPools, Math.max(2, Math.round(trustedPools / 10))), seed };
  };
  const bytesFor = (pools: number): number => Buffer.byteLength(generateTopology(optionsFor(pools)).topology);
  // Size is close to linear in the pool count (the site count grows with its square root), so a
  // few secant steps converge.
  let lo = { pools: 1, bytes: bytesFor(1) };
  let hi = { pools: 10, bytes: bytesFor(10) };
  for (let i = 0; i < 8; i++) {
    const slope = (hi.bytes - lo.bytes) / (hi.pools - lo.pools);
    const pools = Math.max(1, Math.round(hi.pools + (targetBytes - hi.bytes) / slope));
    if (pools === hi.pools || pools === lo.pools) break;
    const next = { pools, bytes: bytesFor(pools) };
    [lo, hi] = [hi, next];
    if (Math.abs(next.bytes - targetBytes) / targetBytes < 0.01) break;
  }
  const best = Math.abs(hi.bytes - targetBytes) <= Math.abs(lo.bytes - targetBytes) ? hi : lo;
  return optionsFor(best.pools);
}

/** Writes the topology and the dial plans to `outdir`; returns the two paths. */
export function writeGenerated(outdir: string, generated: Generated): { topology: string; dialPlans: string } {
  fs.mkdirSync(outdir, { recursive: true });
  const topology = path.join(outdir, 'topology.xml');
  const dialPlans = path.join(outdir, 'contoso.umdialplans.json');
  fs.writeFileSync(topology, generated.topology);
  fs.writeFileSync(dialPlans, generated.dialPlans);
  return { topology, dialPlans };
}

if (require.main === module) {
  const [outdir, bytesArg] = process.argv.slice(2);
  if (!outdir) {
    console.error('usage: node test/out/test/bench/generate.js <outdir> [bytes]');
    process.exit(2);
  }
  const bytes = bytesArg === undefined ? 200_000 : Number(bytesArg);
  if (!Number.isFinite(bytes) || bytes <= 0) {
    console.error(`invalid byte size: ${bytesArg}`);
    process.exit(2);
  }
  const options = sizeTopology(bytes);
  const generated = generateTopology(options);
  const written = writeGenerated(outdir, generated);
  console.log(
    `${written.topology}: ${Buffer.byteLength(generated.topology)} bytes, ${options.pools} FE pools, ${options.trustedPools} trusted pools`,
  );
  console.log(`${written.dialPlans}: ${generated.conflictFqdns.length} planted conflicts: ${generated.conflictFqdns.join(', ')}`);
}
