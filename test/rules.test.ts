/**
 * The rule catalogue as a table: for every code, inputs that must report it and inputs that
 * must not, each asserting the complete set of findings (marked in the text, see cases.ts), and
 * the rule's fix where it has one: applying it leaves exactly the findings of `fixed`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../server/src/workspace/analyze';
import { applyFix, example, files, fixFor, sample } from './helpers';
import { mark, marked, seenAll } from './cases';
import { topology } from './topologies';

const TOPOLOGY = example('topology.xml');
const SCRIPT = example('new-owa-trusted-app.ps1');
/** The example topology with its trusted pool's FQDN marked. */
const topologyWith = (codes: string) => mark(TOPOLOGY, codes, 'ex1.contoso.com', 'RequiresSetup="false" Fqdn="');
const sip = (server: string, uriType = 'SipName', extra = '') =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "Contoso-SIP", "uriType": "${uriType}", "servers": [ "${server}" ]${extra} } ` +
  `] }`;
const FE = topology();

interface Row {
  name: string;
  files: Record<string, string>;
  options?: Parameters<typeof analyze>[1];
  /**
   * Apply the preferred fix of the first finding with this code: the files in `fixed` come out so,
   * and their marks are all that is left.
   */
  fix?: { code: string; fixed: Record<string, string> };
}

const rows: Row[] = [
  // KST001, and Option 1
  {
    name: 'KST001: the seed conflict, on the topology, the dial plan and the script',
    files: {
      't.xml': topologyWith('KST001'),
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
      's.ps1': mark(SCRIPT, 'KST001', '$ExchangeFqdn', 'New-CsTrustedApplicationPool -Identity '),
    },
    fix: { code: 'KST001', fixed: {} },
  },
  {
    name: 'KST001 not for a TelExtn dial plan',
    files: { 't.xml': TOPOLOGY, 'p.umdialplans.json': sip('ex1.contoso.com', '⟦UM001 TelExtn⟧') },
  },
  {
    name: 'KST001 not when the same version comes twice',
    files: {
      't.xml': TOPOLOGY,
      's.ps1': 'New-CsTrustedApplication -ApplicationId Other -TrustedApplicationPoolFqdn ex1.contoso.com -Port 5200\n',
    },
  },
  {
    name: 'KST001 gone once a script removes the pool',
    files: {
      't.xml': TOPOLOGY,
      'p.umdialplans.json': sip('ex1.contoso.com'),
      's.ps1': 'Remove-CsTrustedApplicationPool -Identity ex1.contoso.com\n',
    },
  },
  // KST002
  {
    name: 'KST002 on a server in two SipName plans',
    files: {
      'p.umdialplans.json':
        `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "A", "uriType": "SipName", "servers": [ "⟦KST002 ` +
        `ex1.contoso.com⟧" ] }, { "name": "B", "uriType": "SipName", "servers": [ "⟦KST002 ex1.contoso.com⟧" ] } ] }`,
    },
  },
  { name: 'KST002 not for one plan', files: { 'p.umdialplans.json': sip('ex1.contoso.com') } },
  // KST003 and the restore (the marker case is in layouts.test.ts, over every layout)
  {
    name: 'KST003 on a script removing a pool no SipName plan hosts',
    files: { 's.ps1': 'Remove-CsTrustedApplicationPool -Identity ⟦KST003 owa2.contoso.com⟧\n' },
  },
  {
    name: 'KST003 not while a SipName plan hosts it (Option 1 is right)',
    files: {
      't.xml': TOPOLOGY,
      'p.umdialplans.json': sip('ex1.contoso.com'),
      's.ps1': 'Remove-CsTrustedApplicationPool -Identity ex1.contoso.com\n',
    },
  },
  // KST004
  {
    name: 'KST004 on a marker whose data= was edited',
    files: {
      't.xml': TOPOLOGY.replace(
        /<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="ex1\.contoso\.com">[\s\S]*?<\/Cluster>/,
        '<!-- ⟦KST004 lync-kst removed-pool⟧ ex1.contoso.com (no applications). Why: x. Put the pool back if ex1.contoso.com stops ' +
          'hosting a SipName UM dial plan. data={"v":2,"fqdn":"ex1.contoso.com","apps":5} -->',
      ).replace(/ {4}<Service RoleVersion="1" ServiceVersion="6" Type="[\w.]+\.ExternalServerService">[\s\S]*?<\/Service>\n/, ''),
    },
  },
  // TAP001–TAP007
  {
    name: 'TAP001 on the second app on one port, and its fix moves it to the next free one',
    files: {
      't.xml': mark(
        topology([
          {
            fqdn: 'app1.contoso.com',
            number: 4,
            apps: [
              { id: 'one', port: 6000 },
              { id: 'two', port: 6001 },
              { id: 'three', port: 6000 },
            ],
          },
        ]),
        'TAP001',
        '6000',
        'urn:application:three" Usage="SipServer" InterfaceSide="Primary" InterfaceNumber="1" Port="',
      ),
    },
    fix: { code: 'TAP001', fixed: {} },
  },
  {
    name: 'TAP001 from a script, fixed at the literal the variable comes from',
    files: {
      't.xml': TOPOLOGY,
      's.ps1':
        '$port = 5199\nNew-CsTrustedApplication -ApplicationId Other -TrustedApplicationPoolFqdn ex1.contoso.com -Port ⟦TAP001 $port⟧\n',
    },
    fix: { code: 'TAP001', fixed: {} },
  },
  {
    name: 'TAP001 not for distinct ports',
    files: {
      't.xml': topology([
        {
          fqdn: 'app1.contoso.com',
          number: 4,
          apps: [
            { id: 'one', port: 6000 },
            { id: 'two', port: 6001 },
          ],
        },
      ]),
    },
  },
  {
    name: 'TAP002 on a duplicate id, any case',
    files: {
      't.xml': mark(
        topology([
          {
            fqdn: 'app1.contoso.com',
            number: 4,
            apps: [
              { id: 'Sales', port: 6000 },
              { id: 'sales', port: 6001 },
            ],
          },
        ]),
        'TAP002',
        'urn:application:sales',
      ),
    },
  },
  {
    name: 'TAP003 on an id with a space',
    files: {
      's.ps1':
        'New-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication -ApplicationId ' +
        '"⟦TAP003 Web App⟧" -TrustedApplicationPoolFqdn app1.contoso.com -Port 6000\n',
    },
  },
  { name: 'TAP003 not for OutlookWebApp', files: { 't.xml': TOPOLOGY, 's.ps1': SCRIPT } },
  {
    name: 'TAP004 on a topology pool without Registrar',
    files: {
      't.xml': mark(
        topology([{ fqdn: 'app1.contoso.com', number: 4, registrar: false }]),
        'TAP004',
        'ExternalServer',
        'ExternalServerService">\n      <ServiceId SiteId="1" RoleName="',
      ),
    },
  },
  {
    name: 'TAP004 on a script without -Registrar',
    files: { 's.ps1': '⟦TAP004 New-CsTrustedApplicationPool⟧ -Identity app1.contoso.com -Site 1\n' },
  },
  {
    name: 'TAP005 on a pool without computer',
    files: { 't.xml': mark(topology([{ fqdn: 'app1.contoso.com', number: 4, machines: [] }]), 'TAP005', 'app1.contoso.com') },
  },
  {
    name: 'TAP006 on the computer with the pool FQDN in a two-computer pool',
    files: {
      't.xml': mark(
        topology([{ fqdn: 'app1.contoso.com', number: 4, machines: ['app1.contoso.com', 'app1b.contoso.com'] }]),
        'TAP006',
        'app1.contoso.com',
        'Number="4" />\n      <Machine OrdinalInCluster="1" Fqdn="',
      ),
    },
  },
  { name: 'TAP006 not for a one-computer pool', files: { 't.xml': topology([{ fqdn: 'app1.contoso.com', number: 4 }]) } },
  {
    name: 'TAP007 on RequiresReplication=true of an OWA pool',
    files: {
      't.xml': mark(
        topology([{ fqdn: 'owa.contoso.com', number: 4, requiresReplication: 'true' }]),
        'TAP007',
        'true',
        '</Cluster>\n    <Cluster RequiresReplication="',
      ),
    },
  },
  {
    name: 'TAP007 on a script that leaves the default (True)',
    files: {
      's.ps1':
        '⟦TAP007 New-CsTrustedApplicationPool⟧ -Identity owa.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication ' +
        '-ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn owa.contoso.com -Port 5199\n',
    },
  },
  // FQDN001, FQDN002
  {
    name: 'FQDN001 on a NetBIOS cluster and machine name',
    files: {
      't.xml': mark(
        mark(topology([{ fqdn: 'APP1', number: 4 }]), 'FQDN001', 'APP1', 'Number="4" />\n      <Machine OrdinalInCluster="1" Fqdn="'),
        'FQDN001',
        'APP1',
      ),
    },
  },
  {
    name: 'FQDN001 on a NetBIOS -Identity',
    files: { 's.ps1': 'New-CsTrustedApplicationPool -Identity ⟦FQDN001 EX1⟧ -Registrar pool01.contoso.com\n' },
  },
  {
    name: 'FQDN001 not for dial-plan short names (they resolve)',
    files: {
      't.xml': topologyWith('KST001'),
      'd.xml': mark(mark(sample('get-umdialplan.clixml.xml'), 'KST001', 'EX1', '<S>'), 'UM001', 'TelExtn', '<ToString>'),
    },
  },
  {
    name: 'FQDN002 on the minority spelling, and its fix respells it',
    files: { 't.xml': TOPOLOGY, 's.ps1': 'Remove-CsTrustedApplicationPool -Identity ⟦KST003+FQDN002 EX1.CONTOSO.COM⟧\n' },
    fix: { code: 'FQDN002', fixed: { 's.ps1': 'Remove-CsTrustedApplicationPool -Identity ⟦KST003 ex1.contoso.com⟧\n' } },
  },
  {
    name: 'FQDN002 not when every spelling agrees',
    files: { 't.xml': TOPOLOGY, 'p.umdialplans.json': sip('ex1.contoso.com', '⟦UM001 TelExtn⟧') },
  },
  // UM001–UM005
  {
    name: 'UM002 on Exchange 2013 in an E164 plan',
    files: { 'p.umdialplans.json': sip('ex2.contoso.com', '⟦UM001 E164⟧', ', "exchangeVersion": ⟦UM002 2013⟧') },
  },
  {
    name: 'UM002 not for Exchange 2010 in an E164 plan',
    files: { 'p.umdialplans.json': sip('ex2.contoso.com', '⟦UM001 E164⟧', ', "exchangeVersion": 2010') },
  },
  {
    name: 'UM003 on a short name nothing resolves',
    files: { 'p.umdialplans.json': sip('⟦FQDN001+UM003 EX9⟧').replace('⟦FQDN001+UM003', '⟦UM003') },
  },
  {
    name: 'UM003 not when the default domain resolves it',
    files: { 'p.umdialplans.json': sip('EX9').replace('{ "format"', '{ "defaultDomain": "contoso.com", "format"') },
  },
  { name: 'UM004 on an unknown uriType', files: { 'p.umdialplans.json': sip('ex1.contoso.com', '⟦UM004 SipUri⟧') } },
  { name: 'UM004 not for a known type in another case', files: { 'p.umdialplans.json': sip('ex1.contoso.com', 'sipname') } },
  {
    name: 'UM005 on servers given as a string',
    files: {
      'p.umdialplans.json':
        '{ "format": "kst-umdialplans", "dialPlans": [ { "name": "SIP", "uriType": "SipName", "servers": ⟦UM005 "ex1.contoso.com"⟧ } ] }',
    },
  },
  // TOP001
  {
    name: 'TOP001 on the second cluster with one FQDN',
    files: {
      't.xml': topology([], {
        clusters:
          '    <Cluster Fqdn="⟦TOP001+FQDN002 Pool01.contoso.com.⟧"><ClusterId SiteId="1" Number="9" /><Machine Fqdn="fe09.contoso.com" ' +
          '/></Cluster>\n',
      }),
    },
  },
  // XML001, XML002, ENC001
  {
    name: 'XML001 at the break of a truncated topology; what comes before still counts',
    files: {
      't.xml': `${topologyWith('KST001').slice(0, topologyWith('KST001').indexOf('</Services>'))}⟦XML001 </Serv⟧`,
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
    },
  },
  { name: 'XML002 on a DOCTYPE', files: { 't.xml': TOPOLOGY.replace('<Topology ', '⟦XML002 <!DOCTYPE⟧ Topology>\n<Topology ') } },
  { name: 'ENC001 not for a matching declaration', files: { 't.xml': TOPOLOGY } },
  // PS001 (the other script codes are in powershell.test.ts)
  {
    name: 'PS001 at each cmdlet an unknown value leaves out',
    files: {
      's.ps1':
        '$fqdn = Read-Host\nNew-CsTrustedApplicationPool -Identity ⟦PS001 $fqdn⟧ -Registrar pool01.contoso.com\nNew-CsTrustedApplication ' +
        '-ApplicationId A -TrustedApplicationPoolFqdn ⟦PS001 $fqdn⟧ -Port 6000\n',
    },
  },
  {
    name: 'PS001 not for a literal assignment',
    files: { 's.ps1': "$fqdn = 'app1.contoso.com'\nNew-CsTrustedApplicationPool -Identity $fqdn -Registrar pool01.contoso.com\n" },
  },
  // FILE003 (FILE001, FILE002, FILE004 need files on disk: robust.test.ts and cli.test.ts)
  { name: 'FILE003 on a file found that is not an input', files: { 't.xml': FE, 'package.json': '⟦FILE003⟧{ "name": "x" }' } },
];

describe('rule catalogue', () => {
  for (const row of rows) {
    test(row.name, () => {
      const { texts, expected } = marked(row.files);
      const input = files(texts);
      const a = analyze(input, row.options);
      assert.deepEqual(seenAll(a), expected);
      if (!row.fix) return;
      // The files listed in `fixed` come out exactly so; the findings left are the ones marked there.
      const f = a.findings.find((x) => x.code === row.fix!.code)!;
      const after = applyFix(input, fixFor(a, f));
      const want = marked(row.fix.fixed);
      for (const [name, text] of Object.entries(want.texts))
        assert.equal(after.find((x) => x.path === name)!.text, text, `${name} after the fix`);
      assert.deepEqual(seenAll(analyze(after, row.options)), want.expected, 'the findings after the fix');
    });
  }

  test('a severity override changes the severity, "off" drops the code', () => {
    const input = files({ 't.xml': TOPOLOGY, 'p.umdialplans.json': sip('ex1.contoso.com') });
    assert.deepEqual(
      analyze(input, { severities: { KST001: 'warning' } }).findings.map((f) => f.severity),
      ['warning', 'warning'],
    );
    assert.deepEqual(analyze(input, { severities: { KST001: 'off' } }).findings, []);
  });

  test('the assumed version is used where the topology gives no ServiceVersion', () => {
    const a = analyze(files({ 't.xml': TOPOLOGY.replace(/ServiceVersion="6"/g, ''), 'p.umdialplans.json': sip('ex1.contoso.com') }), {
      assumedVersion: 5,
    });
    assert.match(
      a.findings.find((x) => x.code === 'KST001' && x.span.file.path === 't.xml')!.message,
      /version 5 \(Lync Server 2010\) \(assumed: the topology gives no ServiceVersion/,
    );
  });
});
