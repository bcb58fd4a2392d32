import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codes, lineOf, run, sample } from './helpers';
import { dialPlans, SIP_EX1, topology } from './topologies';

const CONFLICT = sample('lync2013-contoso-owa-conflict.xml');

/** Each row: inputs, the code, and what the user must see (file, line, underlined text) — or nothing. */
interface Row {
  name: string;
  inputs: Record<string, string>;
  code: string;
  severity?: string;
  expect: { file: string; line: number; text: string }[];
}

const owaScript = (extra = '') => `New-CsTrustedApplicationPool -Identity ex1.contoso.com -Registrar pool01.contoso.com -Site 1 -RequiresReplication $false${extra}
New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn ex1.contoso.com -Port 5199
`;

const tapTwoApps = topology([{ fqdn: 'app1.contoso.com', number: 4, apps: [{ id: 'one', port: 6000 }, { id: 'two', port: 6000 }] }]);
const tapDupIds = topology([{ fqdn: 'app1.contoso.com', number: 4, apps: [{ id: 'Sales', port: 6000 }, { id: 'sales', port: 6001 }] }]);
const multi = topology([{ fqdn: 'app1.contoso.com', number: 4, machines: ['app1.contoso.com', 'app1b.contoso.com'] }]);

const rows: Row[] = [
  { name: 'TAP001 on the second port', inputs: { 't.xml': tapTwoApps }, code: 'TAP001', severity: 'error', expect: [{ file: 't.xml', line: lineOf(tapTwoApps, 'Port="6000"', 'urn:application:two'), text: '6000' }] },
  { name: 'TAP001 not for distinct ports', inputs: { 't.xml': tapDupIds }, code: 'TAP001', expect: [] },
  { name: 'TAP001 from a script adding a used port', inputs: { 't.xml': CONFLICT, 's.ps1': 'New-CsTrustedApplication -ApplicationId Lync2 -TrustedApplicationPoolFqdn ex1.contoso.com -Port 5199\n' }, code: 'TAP001', expect: [{ file: 's.ps1', line: 1, text: '5199' }] },
  { name: 'TAP002 on a duplicate id, any case', inputs: { 't.xml': tapDupIds }, code: 'TAP002', severity: 'error', expect: [{ file: 't.xml', line: lineOf(tapDupIds, 'urn:application:sales'), text: 'urn:application:sales' }] },
  { name: 'TAP002 not for distinct ids', inputs: { 't.xml': tapTwoApps }, code: 'TAP002', expect: [] },
  { name: 'TAP003 on an id with a space', inputs: { 's.ps1': 'New-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication -ApplicationId "Web App" -TrustedApplicationPoolFqdn app1.contoso.com -Port 6000\n' }, code: 'TAP003', severity: 'error', expect: [{ file: 's.ps1', line: 2, text: 'Web App' }] },
  { name: 'TAP003 not for OutlookWebApp', inputs: { 's.ps1': owaScript() }, code: 'TAP003', expect: [] },
  { name: 'TAP004 on a pool without Registrar (topology)', inputs: { 't.xml': topology([{ fqdn: 'app1.contoso.com', number: 4, registrar: false }]) }, code: 'TAP004', severity: 'warning', expect: [{ file: 't.xml', line: lineOf(topology([{ fqdn: 'app1.contoso.com', number: 4, registrar: false }]), 'RoleName="ExternalServer"'), text: 'ExternalServer' }] },
  { name: 'TAP004 on a script without -Registrar', inputs: { 's.ps1': 'New-CsTrustedApplicationPool -Identity app1.contoso.com -Site 1\n' }, code: 'TAP004', expect: [{ file: 's.ps1', line: 1, text: 'New-CsTrustedApplicationPool' }] },
  { name: 'TAP004 not with a Registrar', inputs: { 't.xml': CONFLICT, 's.ps1': owaScript() }, code: 'TAP004', expect: [] },
  { name: 'TAP005 on a pool without computer', inputs: { 't.xml': topology([{ fqdn: 'app1.contoso.com', number: 4, machines: [] }]) }, code: 'TAP005', severity: 'error', expect: [{ file: 't.xml', line: 13, text: 'app1.contoso.com' }] },
  { name: 'TAP005 not with a computer', inputs: { 't.xml': CONFLICT }, code: 'TAP005', expect: [] },
  { name: 'TAP006 on the computer with the pool FQDN in a two-computer pool', inputs: { 't.xml': multi }, code: 'TAP006', severity: 'error', expect: [{ file: 't.xml', line: lineOf(multi, 'Fqdn="app1.contoso.com" />'), text: 'app1.contoso.com' }] },
  { name: 'TAP006 not for a one-computer pool', inputs: { 't.xml': CONFLICT }, code: 'TAP006', expect: [] },
  { name: 'TAP007 on RequiresReplication=true of an OWA pool', inputs: { 't.xml': topology([{ fqdn: 'owa.contoso.com', number: 4, requiresReplication: 'true' }]) }, code: 'TAP007', severity: 'information', expect: [{ file: 't.xml', line: 13, text: 'true' }] },
  { name: 'TAP007 on a script that leaves the default (True)', inputs: { 's.ps1': 'New-CsTrustedApplicationPool -Identity owa.contoso.com -Registrar pool01.contoso.com\nNew-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn owa.contoso.com -Port 5199\n' }, code: 'TAP007', expect: [{ file: 's.ps1', line: 1, text: 'New-CsTrustedApplicationPool' }] },
  { name: 'TAP007 not with -RequiresReplication $false', inputs: { 's.ps1': owaScript() }, code: 'TAP007', expect: [] },
  { name: 'FQDN001 on a NetBIOS cluster name', inputs: { 't.xml': topology([{ fqdn: 'APP1', number: 4 }]) }, code: 'FQDN001', severity: 'error', expect: [{ file: 't.xml', line: 13, text: 'APP1' }, { file: 't.xml', line: 15, text: 'APP1' }] },
  { name: 'FQDN001 on a NetBIOS -Identity', inputs: { 's.ps1': 'New-CsTrustedApplicationPool -Identity EX1 -Registrar pool01.contoso.com\n' }, code: 'FQDN001', expect: [{ file: 's.ps1', line: 1, text: 'EX1' }] },
  { name: 'FQDN001 not for dial-plan short names (they resolve)', inputs: { 't.xml': CONFLICT, 'd.xml': sample('get-umdialplan.clixml.xml') }, code: 'FQDN001', expect: [] },
  { name: 'FQDN002 on the minority spelling', inputs: { 't.xml': CONFLICT, 's.ps1': 'Remove-CsTrustedApplicationPool -Identity EX1.CONTOSO.COM\n' }, code: 'FQDN002', severity: 'hint', expect: [{ file: 's.ps1', line: 1, text: 'EX1.CONTOSO.COM' }] },
  { name: 'FQDN002 not when every spelling agrees', inputs: { 't.xml': CONFLICT, 'p.umdialplans.json': SIP_EX1 }, code: 'FQDN002', expect: [] },
  { name: 'UM001 on a TelExtn plan', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'PBX', uriType: 'TelExtn', servers: ['ex2.contoso.com'] }]) }, code: 'UM001', severity: 'information', expect: [{ file: 'p.umdialplans.json', line: 7, text: 'TelExtn' }] },
  { name: 'UM001 not on a SipName plan', inputs: { 'p.umdialplans.json': SIP_EX1 }, code: 'UM001', expect: [] },
  { name: 'UM002 on Exchange 2013 in an E164 plan', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'E', uriType: 'E164', servers: ['ex2.contoso.com'], exchangeVersion: 2013 }]) }, code: 'UM002', severity: 'warning', expect: [{ file: 'p.umdialplans.json', line: 11, text: '2013' }] },
  { name: 'UM002 not for Exchange 2010 in an E164 plan', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'E', uriType: 'E164', servers: ['ex2.contoso.com'], exchangeVersion: 2010 }]) }, code: 'UM002', expect: [] },
  { name: 'UM003 on a short name nothing resolves', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'SIP', uriType: 'SipName', servers: ['EX9'] }]) }, code: 'UM003', severity: 'warning', expect: [{ file: 'p.umdialplans.json', line: 9, text: 'EX9' }] },
  { name: 'UM003 not when the default domain resolves it', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'SIP', uriType: 'SipName', servers: ['EX9'] }], 'contoso.com') }, code: 'UM003', expect: [] },
  { name: 'UM004 on an unknown uriType', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'X', uriType: 'SipUri', servers: ['ex1.contoso.com'] }]) }, code: 'UM004', severity: 'error', expect: [{ file: 'p.umdialplans.json', line: 7, text: 'SipUri' }] },
  { name: 'UM004 not for a known type in another case', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'X', uriType: 'sipname', servers: ['ex1.contoso.com'] }]) }, code: 'UM004', expect: [] },
  { name: 'TOP001 on the second cluster with one FQDN', inputs: { 't.xml': topology([], { clusters: '    <Cluster Fqdn="Pool01.contoso.com."><ClusterId SiteId="1" Number="9" /><Machine Fqdn="fe09.contoso.com" /></Cluster>\n' }) }, code: 'TOP001', severity: 'error', expect: [{ file: 't.xml', line: 13, text: 'Pool01.contoso.com.' }] },
  { name: 'TOP001 not for distinct clusters', inputs: { 't.xml': CONFLICT }, code: 'TOP001', expect: [] },
  { name: 'KST002 on a server in two SipName plans', inputs: { 'p.umdialplans.json': dialPlans([{ name: 'A', uriType: 'SipName', servers: ['ex1.contoso.com'] }, { name: 'B', uriType: 'SipName', servers: ['ex1.contoso.com'] }]) }, code: 'KST002', severity: 'information', expect: [{ file: 'p.umdialplans.json', line: 9, text: 'ex1.contoso.com' }, { file: 'p.umdialplans.json', line: 16, text: 'ex1.contoso.com' }] },
  { name: 'KST002 not for one plan', inputs: { 'p.umdialplans.json': SIP_EX1 }, code: 'KST002', expect: [] },
  { name: 'KST003 on a script removing a pool no SipName plan hosts', inputs: { 's.ps1': 'Remove-CsTrustedApplicationPool -Identity owa2.contoso.com\n' }, code: 'KST003', severity: 'warning', expect: [{ file: 's.ps1', line: 1, text: 'owa2.contoso.com' }] },
  { name: 'KST003 not when a SipName plan hosts it (Option 1 is right)', inputs: { 't.xml': CONFLICT, 'p.umdialplans.json': SIP_EX1, 's.ps1': 'Remove-CsTrustedApplicationPool -Identity ex1.contoso.com\n' }, code: 'KST003', expect: [] },
  { name: 'KST001 gone once a script removes the pool', inputs: { 't.xml': CONFLICT, 'p.umdialplans.json': SIP_EX1, 's.ps1': 'Remove-CsTrustedApplicationPool -Identity ex1.contoso.com\n' }, code: 'KST001', expect: [] },
  { name: 'PS001 at each cmdlet an unknown value leaves out', inputs: { 's.ps1': '$fqdn = Read-Host\nNew-CsTrustedApplicationPool -Identity $fqdn -Registrar pool01.contoso.com\nNew-CsTrustedApplication -ApplicationId A -TrustedApplicationPoolFqdn $fqdn -Port 6000\n' }, code: 'PS001', severity: 'information', expect: [{ file: 's.ps1', line: 2, text: '$fqdn' }, { file: 's.ps1', line: 3, text: '$fqdn' }] },
  { name: 'PS001 not for a literal assignment', inputs: { 's.ps1': "$fqdn = 'app1.contoso.com'\nNew-CsTrustedApplicationPool -Identity $fqdn -Registrar pool01.contoso.com\n" }, code: 'PS001', expect: [] },
  { name: 'ENC001 not for a matching declaration', inputs: { 't.xml': CONFLICT }, code: 'ENC001', expect: [] },
  { name: 'XML002 not for an ordinary topology', inputs: { 't.xml': CONFLICT }, code: 'XML002', expect: [] },
];

describe('rule catalogue', () => {
  for (const row of rows) {
    test(row.name, () => {
      const a = run(row.inputs);
      const got = codes(a, row.code);
      assert.deepEqual(got.map((s) => ({ file: s.file, line: s.line, text: s.text })), row.expect);
      if (row.severity) for (const s of got) assert.equal(s.severity, row.severity);
    });
  }

  test('a severity override changes the severity, "off" drops the code', () => {
    const inputs = { 't.xml': CONFLICT, 'p.umdialplans.json': SIP_EX1 };
    assert.deepEqual(codes(run(inputs, { severities: { KST001: 'warning' } }), 'KST001').map((s) => s.severity), ['warning', 'warning']);
    assert.deepEqual(codes(run(inputs, { severities: { KST001: 'off' } }), 'KST001'), []);
  });

  test('the assumed version is used where the topology gives no ServiceVersion', () => {
    const t = CONFLICT.replace(/ServiceVersion="6"/g, '');
    const a = run({ 't.xml': t, 'p.umdialplans.json': SIP_EX1 }, { assumedVersion: 5 });
    const f = a.findings.find((x) => x.code === 'KST001' && x.span.file.path === 't.xml')!;
    assert.match(f.message, /version 5 \(Lync Server 2010\) \(assumed/);
  });
});
