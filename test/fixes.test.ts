import assert from 'node:assert/strict';
import { normFqdn } from '../server/src/model/fqdn';
import { describe, test } from 'node:test';
import { encode } from '../server/src/text/encoding';
import { SourceFile } from '../server/src/text/source';
import { analyze } from '../server/src/workspace/analyze';
import { isInput, readInput } from '../server/src/readers/registry';
import { applyFix, codes, example, files, fixFor } from './helpers';
import { dialPlans, SIP_EX1, topology } from './topologies';

const CONFLICT = example('topology.xml');
const SCRIPT = example('new-owa-trusted-app.ps1');
const TEL_EX1 = dialPlans([{ name: 'Contoso-SIP', uriType: 'TelExtn', servers: ['ex1.contoso.com'] }]);

function wellFormed(f: SourceFile): void {
  const input = readInput(f);
  assert.ok(input, `${f.path} is still recognised`);
  assert.ok(isInput(input) && input.error === undefined, `${f.path} is well-formed`);
}

describe('Option 1: remove the trusted application pool', () => {
  test('from topology and script at once; KST001 gone on every side; marker left; rest unchanged', () => {
    const input = files({ 'topology.xml': CONFLICT, 'plans.umdialplans.json': SIP_EX1, 'owa.ps1': SCRIPT });
    const a = analyze(input);
    const kst001 = a.findings.filter((f) => f.code === 'KST001');
    const fixes = new Set(kst001.map((f) => f.fixes[0]));
    assert.equal(fixes.size, 1, 'every side of the conflict offers the same cross-file fix');
    const fix = fixFor(a, kst001[0]);
    assert.match(fix.title, /^Option 1: remove Trusted Application Pool ex1\.contoso\.com and its applications/);
    assert.match(fix.title, /stops hosting a SipName dial plan/);
    assert.ok(fix.preferred);
    assert.deepEqual(fix.changes.map((c) => c.file.path).sort(), ['owa.ps1', 'topology.xml']);

    const after = applyFix(input, fix);
    const b = analyze(after);
    assert.deepEqual(codes(b, 'KST001'), []);
    assert.deepEqual(
      b.findings.filter((f) => f.severity === 'error').map((f) => f.code),
      [],
      'the fix creates no new error',
    );
    const [topo, , script] = after;
    wellFormed(topo);
    assert.ok(!/Fqdn="ex1\.contoso\.com"/.test(topo.text), 'the Cluster is gone');
    assert.ok(!/RoleName="ExternalServer"/.test(topo.text), 'the ExternalServer service is gone');
    assert.match(
      topo.text,
      new RegExp(
        '\\n {4}<!-- lync-kst removed-pool ex1\\.contoso\\.com \\(urn:application:outlookwebapp on port 5199\\)\\. ' +
          'Why: Exchange UM Routing already adds ex1\\.contoso\\.com .* -->\\n',
      ),
    );
    // Lines 37-40 (the Cluster) became the marker; lines 125-139 (the ExternalServer Service) went.
    const lines = CONFLICT.split('\n');
    const marker = topo.text.split('\n')[36];
    assert.deepEqual(topo.text.split('\n'), [...lines.slice(0, 36), marker, ...lines.slice(40, 124), ...lines.slice(139)]);
    assert.doesNotMatch(script.text, /^New-CsTrustedApplication/m);
    assert.match(script.text, /^# lync-kst removed-pool ex1\.contoso\.com \(OutlookWebApp on port 5199\)/m);
    assert.match(script.text, /^Enable-CsTopology$/m, 'the rest of the script stays');
  });

  test('keeps UTF-16LE, the BOM and CRLF line endings', () => {
    const crlf = CONFLICT.replace(/\n/g, '\r\n');
    const topo = SourceFile.fromBytes('t.xml', encode(crlf, { name: 'utf-16le', bom: true })!);
    const input = [topo, ...files({ 'p.umdialplans.json': SIP_EX1 })];
    const a = analyze(input);
    const after = applyFix(
      input,
      fixFor(
        a,
        a.findings.find((f) => f.code === 'KST001')!,
      ),
    );
    const bytes = encode(after[0].text, after[0].encoding)!;
    assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
    const back = SourceFile.fromBytes('t.xml', bytes);
    assert.equal(back.encoding.name, 'utf-16le');
    assert.equal(back.text.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF was introduced');
    wellFormed(back);
    assert.deepEqual(codes(analyze([back, input[1]]), 'KST001'), []);
  });

  test('not offered when the FQDN is also a Front End pool (removing the trusted pool would not help)', () => {
    const t = topology([], {
      clusters: '    <Cluster Fqdn="ex1.contoso.com"><ClusterId SiteId="1" Number="7" /><Machine Fqdn="ex1.contoso.com" /></Cluster>\n',
      services:
        '    <Service ServiceVersion="6"><ServiceId SiteId="1" RoleName="Registrar" Instance="7" /><InstalledOn><ClusterId SiteId="1" ' +
        'Number="7" /></InstalledOn><Ports><Port Usage="SipServer" Port="5061" /></Ports></Service>\n',
    });
    const a = analyze(files({ 't.xml': t, 'p.umdialplans.json': SIP_EX1 }));
    assert.equal(codes(a, 'KST001').length, 2);
    assert.deepEqual(
      a.findings.filter((f) => f.code === 'KST001').flatMap((f) => f.fixes),
      [],
    );
  });
});

describe('KST003: remembering Option 1', () => {
  const input = files({ 'topology.xml': CONFLICT, 'plans.umdialplans.json': SIP_EX1, 'owa.ps1': SCRIPT });
  const a = analyze(input);
  const fixed = applyFix(
    input,
    fixFor(
      a,
      a.findings.find((f) => f.code === 'KST001')!,
    ),
  );

  test('silent while ex1 still hosts a SipName dial plan', () => {
    assert.deepEqual(codes(analyze(fixed), 'KST003'), []);
  });

  test('fires on the marker once ex1 stops hosting a SipName dial plan, in topology and script', () => {
    const noSip = [fixed[0], fixed[1].withText(TEL_EX1), fixed[2]];
    const b = analyze(noSip);
    const k = codes(b, 'KST003');
    assert.deepEqual(k.map((s) => [s.file, s.text, s.severity]).sort(), [
      ['owa.ps1', 'ex1.contoso.com', 'warning'],
      ['topology.xml', 'ex1.contoso.com', 'warning'],
    ]);
    assert.match(b.findings.find((f) => f.code === 'KST003')!.message, /Outlook Web App IM integration with it has stopped/);
  });

  test('the restore fix puts the pool back byte for byte', () => {
    const noSip = [fixed[0], fixed[1].withText(TEL_EX1), fixed[2]];
    let b = analyze(noSip);
    let current = noSip;
    for (const f of b.findings.filter((x) => x.code === 'KST003')) current = applyFix(current, fixFor(b, f));
    assert.equal(current[0].text, CONFLICT, 'topology restored exactly (the service was last in <Services>)');
    assert.equal(current[2].text, SCRIPT, 'script statements restored verbatim, each where it was');
    b = analyze(current);
    assert.deepEqual(codes(b, 'KST003'), []);
    assert.equal(b.kst.byFqdn.get(normFqdn('ex1.contoso.com'))?.[0].state, 'known');
  });

  test('a damaged marker is ignored, never guessed', () => {
    const broken = fixed[0].withText(fixed[0].text.replace(/data=\{/, 'data={oops'));
    assert.deepEqual(codes(analyze([broken, fixed[1].withText(TEL_EX1)]), 'KST003'), []);
  });
});

describe('small fixes', () => {
  test('FQDN002 uses the other spelling', () => {
    const input = files({ 't.xml': CONFLICT, 's.ps1': 'Remove-CsTrustedApplicationPool -Identity EX1.CONTOSO.COM\n' });
    const a = analyze(input);
    const f = a.findings.find((x) => x.code === 'FQDN002')!;
    const after = applyFix(input, fixFor(a, f));
    assert.equal(after[1].text, 'Remove-CsTrustedApplicationPool -Identity ex1.contoso.com\n');
    assert.deepEqual(codes(analyze(after), 'FQDN002'), []);
  });

  test('TAP001 moves the app to the next free port in that pool', () => {
    const t = topology([
      {
        fqdn: 'app1.contoso.com',
        number: 4,
        apps: [
          { id: 'a', port: 6000 },
          { id: 'b', port: 6001 },
          { id: 'c', port: 6000 },
        ],
      },
    ]);
    const input = files({ 't.xml': t });
    const a = analyze(input);
    const f = a.findings.find((x) => x.code === 'TAP001')!;
    const fix = fixFor(a, f);
    assert.match(fix.title, /6002/);
    const after = applyFix(input, fix);
    assert.match(after[0].text, /urn:application:c" .* Port="6002"/);
    assert.equal(after[0].text.replace('Port="6002"', 'Port="6000"'), t, 'nothing else changed');
    assert.deepEqual(codes(analyze(after), 'TAP001'), []);
  });

  test('TAP001 in a script edits the literal the variable comes from', () => {
    const s = '$port = 5199\nNew-CsTrustedApplication -ApplicationId Other -TrustedApplicationPoolFqdn ex1.contoso.com -Port $port\n';
    const input = files({ 't.xml': CONFLICT, 's.ps1': s });
    const a = analyze(input);
    const after = applyFix(
      input,
      fixFor(
        a,
        a.findings.find((x) => x.code === 'TAP001')!,
      ),
    );
    assert.equal(after[1].text, s.replace('5199', '5200'));
  });
});
