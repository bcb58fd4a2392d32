/**
 * Exchange-side workspaces for tests: Get-ExchangeServer and UM service exports, setting
 * overrides, web.config files, and the table of workspaces with every finding marked that the
 * engine test and the protocol test both run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { clixml, ExportObject } from './exports';
import { ROOT } from './helpers';

export const TOPOLOGY_2019 = readFileSync(path.join(ROOT, 'examples', 'exchange2019', 'topology.xml'), 'utf8');
export const TOPOLOGY_2013 = TOPOLOGY_2019.replace(/ServiceVersion="8"/g, 'ServiceVersion="6"');
export const LYNC_SCRIPT =
  'New-CsTrustedApplicationPool -Identity ucma01.contoso.com -Registrar pool01.contoso.com -Site 1 -ComputerFqdn ucma01.contoso.com\n';

export function exchangeServer(name: string, fqdn: string, version: string): ExportObject {
  return {
    type: 'Microsoft.Exchange.Data.Directory.Management.ExchangeServer',
    toString: name.replace(/⟦[A-Z0-9+]+ ?|⟧/g, ''),
    props: { Name: name, Fqdn: fqdn, AdminDisplayVersion: version },
  };
}
export function umService(name: string, plans: string[]): ExportObject {
  return {
    type: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.UMServer',
    toString: name,
    props: { Name: name, DialPlans: plans },
  };
}
export const V2013 = 'Version 15.0 (Build 1497.2)';
export const V2016 = 'Version 15.1 (Build 2507.6)';
export const V2019 = 'Version 15.2 (Build 1118.7)';
export const override = (server: string, pool: string) =>
  'New-SettingOverride -Name "OWA IM" -Component OwaServer -Section IMSettings ' +
  `-Parameters @("IMServerName=${pool}","IMCertificateThumbprint=7E2A") -Server ${server}\n`;
export const plans = (server: string, opts: { uriType?: string; version?: number } = {}) =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "Contoso-SIP", "uriType": "${opts.uriType ?? 'SipName'}", ` +
  `"servers": [ "${server}" ]${opts.version ? `, "exchangeVersion": ${opts.version}` : ''} } ] }`;
export const twoPlans = (a: string, b: string) =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "SIP", "uriType": "SipName", "servers": [ "${a}", "${b}" ] } ] }`;
export const webConfig = (pool: string) =>
  `<?xml version="1.0"?>\n<configuration>\n  <appSettings>\n    <add key="IMServerName" value="${pool}" />\n` +
  `    <add key="IMCertificateThumbprint" value="7E2A" />\n  </appSettings>\n</configuration>\n`;

export const EXCHANGE_ROWS: { name: string; files: Record<string, string> }[] = [
  {
    name: 'EXC001: OWA IM for an Exchange 2019 server nothing puts in the KST, at the -Server value',
    files: {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('⟦EXC001 EX19⟧', 'pool01.contoso.com'),
      'lync.ps1': LYNC_SCRIPT,
    },
  },
  {
    name: 'no EXC001 once a trusted pool is created for it',
    files: {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
      'lync.ps1':
        LYNC_SCRIPT +
        'New-CsTrustedApplicationPool -Identity ex19.contoso.com -Registrar pool01.contoso.com -Site 1 -ComputerFqdn ex19.contoso.com\n',
    },
  },
  {
    name: 'no EXC001 when a SipName dial plan hosts the Exchange 2016 server',
    files: {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX16', 'ex16.contoso.com', V2016)]),
      'owa.ps1': override('EX16', 'pool01.contoso.com'),
      'p.umdialplans.json': plans('ex16.contoso.com'),
    },
  },
  {
    name: 'EXC002: IMServerName that is not a Registrar pool (a file store), and one in no topology',
    files: {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX16', 'ex16.contoso.com', V2016), exchangeServer('EX17', 'ex17.contoso.com', V2016)]),
      'owa.ps1': override('EX16', '⟦EXC002 fs01.contoso.com⟧') + override('EX17', '⟦EXC002 nowhere.contoso.com⟧'),
      'p.umdialplans.json': twoPlans('ex16.contoso.com', 'ex17.contoso.com'),
    },
  },
  {
    name: 'no EXC002 without a topology in the workspace: unknown is not absent',
    files: {
      'ex.xml': clixml([exchangeServer('EX16', 'ex16.contoso.com', V2016)]),
      'owa.ps1': override('EX16', 'pool01.contoso.com'),
      'p.umdialplans.json': plans('ex16.contoso.com'),
    },
  },
  {
    name: 'EXC003: a Lync Server 2013 pool for Exchange 2016 OWA IM; none for Exchange 2013',
    files: {
      't.xml': TOPOLOGY_2013,
      'ex.xml': clixml([exchangeServer('EX16', 'ex16.contoso.com', V2016), exchangeServer('EX13', 'ex13.contoso.com', V2013)]),
      'owa.ps1': override('EX16', '⟦EXC003 pool01.contoso.com⟧'),
      'owa13.ps1':
        'Set-OwaVirtualDirectory -Identity "EX13\\owa (Default Web Site)" -InstantMessagingType Ocs -InstantMessagingEnabled $true\n',
      'p.umdialplans.json': twoPlans('ex16.contoso.com', 'ex13.contoso.com'),
    },
  },
  {
    name: 'EXC004: web.config IM keys on Exchange 2016 (its folder names the server); none on Exchange 2013',
    files: {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX16', 'ex16.contoso.com', V2016), exchangeServer('EX13', 'ex13.contoso.com', V2013)]),
      'EX16/web.config': webConfig('⟦EXC004 pool01.contoso.com⟧'),
      'EX13/web.config': webConfig('pool01.contoso.com'),
      'p.umdialplans.json': twoPlans('ex16.contoso.com', 'ex13.contoso.com'),
    },
  },
  {
    name: 'EXC008: a web.config whose folder names no Exchange server of the workspace',
    files: {
      't.xml': TOPOLOGY_2019,
      'owa/web.config': webConfig('⟦EXC008 pool01.contoso.com⟧'),
    },
  },
  {
    name: 'EXC008 where a script leaves the server or the plans to run time; not taken for every server, not guessed',
    files: {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1':
        'New-SettingOverride -Name "OWA IM" -Component OwaServer -Section IMSettings ' +
        '-Parameters @("IMServerName=pool01.contoso.com") -Server ⟦EXC008 $server⟧\n' +
        'Set-UMService -Identity EX19 -DialPlans ⟦EXC008 $plans⟧\n',
    },
  },
  {
    name: 'EXC005: an Exchange 2019 server in a dial plan, and exchangeVersion 2019 in the JSON format',
    files: {
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'p.umdialplans.json': plans('⟦EXC005 ex19.contoso.com⟧'),
      'q.umdialplans.json': plans('ex2.contoso.com', { version: 2019 }).replace(
        '"exchangeVersion": 2019',
        '"exchangeVersion": ⟦EXC005 2019⟧',
      ),
    },
  },
  {
    name: 'EXC006: the plan lists the server, its UM service is bound to another plan: no KST entry from the listing',
    files: {
      'ex.xml': clixml([umService('EX16', ['Other-SIP'])]),
      'p.umdialplans.json': plans('⟦EXC006 ex16.contoso.com⟧'),
    },
  },
  {
    name: 'no EXC006 when the binding includes the plan (Set-UMService in a script)',
    files: {
      'um.ps1': 'Set-UMService -Identity EX16 -DialPlans "Contoso-SIP","Other" -UMStartupMode Dual\n',
      'p.umdialplans.json': plans('ex16.contoso.com'),
    },
  },
  {
    name: 'EXC007 and KST001: the trusted pool before the UM binding, both statements',
    files: {
      't.xml': TOPOLOGY_2019,
      'a-lync.ps1':
        'New-CsTrustedApplicationPool -Identity ⟦EXC007+KST001 ex16.contoso.com⟧ -Registrar pool01.contoso.com -Site 1 ' +
        '-ComputerFqdn ex16.contoso.com\n',
      'b-um.ps1': 'Set-UMService -Identity ⟦EXC007 ex16.contoso.com⟧ -DialPlans "Contoso-SIP" -UMStartupMode Dual\n',
      'p.umdialplans.json': plans('⟦KST001 ex16.contoso.com⟧'),
    },
  },
];
