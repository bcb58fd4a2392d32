/**
 * The Exchange side: Exchange versions, OWA IM settings (setting overrides, Set-OwaVirtualDirectory,
 * web.config), UM bindings, and whether each Exchange server is known to Lync by the right path.
 * A table of workspaces with every finding marked (must report and must not report), then the
 * fix, the hover and the KST view.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { hoverInFile } from '../server/src/explain/hover';
import { kstReport } from '../server/src/simulate/report';
import { productOf } from '../server/src/simulate/exchange';
import { marked, seenAll } from './cases';
import { clixml, ExportObject } from './exports';
import { applyFix, fixFor, ROOT, run } from './helpers';

const TOPOLOGY_2019 = readFileSync(path.join(ROOT, 'examples', 'exchange2019', 'topology.xml'), 'utf8');
const TOPOLOGY_2013 = TOPOLOGY_2019.replace(/ServiceVersion="8"/g, 'ServiceVersion="6"');
const LYNC_SCRIPT =
  'New-CsTrustedApplicationPool -Identity ucma01.contoso.com -Registrar pool01.contoso.com -Site 1 -ComputerFqdn ucma01.contoso.com\n';

function exchangeServer(name: string, fqdn: string, version: string): ExportObject {
  return {
    type: 'Microsoft.Exchange.Data.Directory.Management.ExchangeServer',
    toString: name.replace(/⟦[A-Z0-9+]+ ?|⟧/g, ''),
    props: { Name: name, Fqdn: fqdn, AdminDisplayVersion: version },
  };
}
function umService(name: string, plans: string[]): ExportObject {
  return {
    type: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.UMServer',
    toString: name,
    props: { Name: name, DialPlans: plans },
  };
}
const V2013 = 'Version 15.0 (Build 1497.2)';
const V2016 = 'Version 15.1 (Build 2507.6)';
const V2019 = 'Version 15.2 (Build 1118.7)';
const override = (server: string, pool: string) =>
  'New-SettingOverride -Name "OWA IM" -Component OwaServer -Section IMSettings ' +
  `-Parameters @("IMServerName=${pool}","IMCertificateThumbprint=7E2A") -Server ${server}\n`;
const plans = (server: string, opts: { uriType?: string; version?: number } = {}) =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "Contoso-SIP", "uriType": "${opts.uriType ?? 'SipName'}", ` +
  `"servers": [ "${server}" ]${opts.version ? `, "exchangeVersion": ${opts.version}` : ''} } ] }`;
const twoPlans = (a: string, b: string) =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "SIP", "uriType": "SipName", "servers": [ "${a}", "${b}" ] } ] }`;
const webConfig = (pool: string) =>
  `<?xml version="1.0"?>\n<configuration>\n  <appSettings>\n    <add key="IMServerName" value="${pool}" />\n` +
  `    <add key="IMCertificateThumbprint" value="7E2A" />\n  </appSettings>\n</configuration>\n`;

const rows: { name: string; files: Record<string, string> }[] = [
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

describe('the Exchange side: every finding of each workspace, at its place', () => {
  for (const row of rows) {
    test(row.name, () => {
      const { texts, expected } = marked(row.files);
      assert.deepEqual(seenAll(run(texts)), expected);
    });
  }
});

describe('Exchange versions, bindings and the fix', () => {
  test('the product is read from AdminDisplayVersion, never from the major version alone', () => {
    assert.deepEqual([V2013, V2016, V2019, 'Version 14.3 (Build 123.4)', 'Version 15.9 (Build 1)', '15'].map(productOf), [
      2013,
      2016,
      2019,
      2010,
      undefined,
      undefined,
    ]);
  });

  test('a binding that lists a SipName plan the plan itself does not list puts the server in the KST', () => {
    const a = run({
      'um.ps1': 'Set-UMCallRouterSettings -Server ex16.contoso.com -DialPlans Contoso-SIP -UMStartupMode Dual\n',
      'p.umdialplans.json': plans('ex2.contoso.com'),
    });
    assert.deepEqual(a.kst.entries.map((e) => [e.fqdn, e.version, e.token.value]).sort(), [
      ['ex16.contoso.com', 0, 'Contoso-SIP'],
      ['ex2.contoso.com', 0, 'ex2.contoso.com'],
    ]);
  });

  test('the EXC001 fix appends the pool and its OWA application to the Lync script; the result has no finding', () => {
    const spec = {
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
      'lync.ps1': LYNC_SCRIPT.replace(/\n/g, '\r\n'),
    };
    const a = run(spec);
    const all = a.inputs.map((i) => i.file);
    const f = a.findings.find((x) => x.code === 'EXC001');
    assert.ok(f);
    const fix = fixFor(a, f);
    assert.equal(fix.title, 'Create Trusted Application Pool ex19.contoso.com and its OWA application in lync.ps1');
    const after = applyFix(all, fix);
    const script = after.find((x) => x.path === 'lync.ps1')!.text;
    assert.ok(script.startsWith(LYNC_SCRIPT.replace(/\n/g, '\r\n')), 'the script before is kept byte for byte');
    assert.doesNotMatch(script.replace(/\r\n/g, ''), /\n/, 'CRLF throughout');
    assert.match(
      script,
      /New-CsTrustedApplicationPool -Identity ex19\.contoso\.com -Registrar pool01\.contoso\.com -Site 1 .*-ComputerFqdn ex19\S+\r\n/,
    );
    assert.match(
      script,
      /New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn ex19\.contoso\.com -Port 5199\r\n$/,
    );
    const again = run(Object.fromEntries(after.map((x) => [x.path, x.text])));
    assert.deepEqual(
      again.findings.map((x) => `${x.code} ${x.message}`),
      [],
    );
    assert.ok(again.kst.byFqdn.has('ex19.contoso.com' as never));
  });

  test('no fix without a Lync script to append to, or when IMServerName is not a Registrar pool', () => {
    const a = run({
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
    });
    assert.deepEqual(a.findings.find((x) => x.code === 'EXC001')?.fixes, []);
  });

  test('the hover on an Exchange server says its version and how it enters the KST; the KST view lists it', () => {
    const a = run({
      't.xml': TOPOLOGY_2019,
      'ex.xml': clixml([exchangeServer('EX19', 'ex19.contoso.com', V2019)]),
      'owa.ps1': override('EX19', 'pool01.contoso.com'),
    });
    const owa = a.inputs.find((i) => i.file.path === 'owa.ps1')!.file;
    const hover = hoverInFile(a, owa, owa.text.indexOf('EX19') + 1, (k) => k);
    assert.match(
      hover?.markdown ?? '',
      /\*\*Exchange:\*\* Exchange 2019 \(Version 15\.2 \(Build 1118\.7\)\); enters the Known Servers Table not at all\./,
    );
    assert.match(hover?.markdown ?? '', /OWA IM is configured but cannot work/);
    assert.match(
      kstReport(a, false),
      /^Exchange servers:\n {2}ex19\.contoso\.com: Exchange 2019 .* not at all\. OWA IM is configured but cannot work/m,
    );
  });

  test('partial cmdlet tables: parameters lync-kst does not list are no error; list arguments are read item by item', () => {
    const a = run({
      'um.ps1':
        'Set-UMService -Identity EX16 -DialPlans @("Contoso-SIP", \'Other\') -UMStartupMode Dual ' +
        '-MaxCallsAllowed 100 -IPAddressFamily Any\n' +
        'Set-OwaVirtualDirectory "EX16\\owa (Default Web Site)" -InstantMessagingType Ocs -LogonFormat UserName\n',
      'p.umdialplans.json': plans('ex16.contoso.com'),
    });
    assert.deepEqual(
      a.findings.map((f) => f.code),
      [],
    );
    const ex16 = a.exchange.servers.get('ex16');
    assert.deepEqual(
      ex16?.bindings[0].plans.map((p) => [p.value, a.inputs[0].file.text.slice(p.span.start, p.span.end)]),
      [
        ['Contoso-SIP', 'Contoso-SIP'],
        ['Other', 'Other'],
      ],
    );
    assert.deepEqual(
      ex16?.owaIm.map((o) => o.via),
      ['Set-OwaVirtualDirectory'],
    );
  });

  test('examples/exchange2019 shows EXC001 in one command, and nothing else', () => {
    const dir = path.join(ROOT, 'examples', 'exchange2019');
    const spec = Object.fromEntries(
      readdirSync(dir)
        .filter((n) => !n.endsWith('.md'))
        .map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]),
    );
    assert.deepEqual(
      run(spec).findings.map((f) => f.code),
      ['EXC001'],
    );
  });
});
