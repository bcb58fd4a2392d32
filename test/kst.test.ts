import assert from 'node:assert/strict';
import { normFqdn } from '../server/src/model/fqdn';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { startupEvents, stateAfterRestart } from '../server/src/simulate/events';
import { ROOT, codes, example, lineOf, run, sample } from './helpers';
import { dialPlans, SIP_EX1, topology } from './topologies';

const CONFLICT = example('topology.xml');
const CLEAN = sample('lync2013-contoso-clean.xml');
const JSON_PLANS = example('contoso.umdialplans.json');
const CLIXML = sample('get-umdialplan.clixml.xml');
const SCRIPT = example('new-owa-trusted-app.ps1');

describe('the seed conflict (blog post)', () => {
  const a = run({ 'topology.xml': CONFLICT, 'contoso.umdialplans.json': JSON_PLANS, 'new-owa-trusted-app.ps1': SCRIPT });
  const kst001 = codes(a, 'KST001');

  test('KST001 on the trusted pool Fqdn value, line 37 of the topology', () => {
    const t = kst001.find((s) => s.file === 'topology.xml');
    assert.deepEqual(t, { file: 'topology.xml', line: 37, col: 70, code: 'KST001', severity: 'error', text: 'ex1.contoso.com' });
  });

  test('KST001 on the dial-plan server token, line 14 of the JSON', () => {
    const d = kst001.find((s) => s.file === 'contoso.umdialplans.json');
    assert.deepEqual(d, {
      file: 'contoso.umdialplans.json',
      line: 14,
      col: 10,
      code: 'KST001',
      severity: 'error',
      text: 'ex1.contoso.com',
    });
  });

  test('KST001 on the script that creates the pool, before anyone runs it', () => {
    const s = kst001.find((x) => x.file === 'new-owa-trusted-app.ps1');
    assert.equal(s?.line, lineOf(SCRIPT, 'New-CsTrustedApplicationPool -Identity'));
    assert.equal(s?.text, '$ExchangeFqdn');
    assert.equal(kst001.length, 3);
  });

  test('the message names the FQDN, both versions with products, both origins, 14563 and what stops', () => {
    const f = a.findings.find((x) => x.code === 'KST001' && x.span.file.path === 'topology.xml')!;
    for (const part of [
      'ex1.contoso.com',
      'version 6 (Lync Server 2013)',
      'version 0',
      'Trusted Application Pool',
      'SipName dial plan Contoso-SIP',
      '14563',
      'drops both',
      'Exchange UM',
      'Outlook Web App IM',
    ]) {
      assert.ok(f.message.includes(part), `message lacks "${part}": ${f.message}`);
    }
  });

  test('related information points at the other side of the conflict, in the other file', () => {
    const f = a.findings.find((x) => x.code === 'KST001' && x.span.file.path === 'topology.xml')!;
    assert.deepEqual(
      f.related.map((r) => [r.span.file.path, r.span.file.text.slice(r.span.start, r.span.end)]),
      [['contoso.umdialplans.json', 'ex1.contoso.com']],
    );
    const d = a.findings.find((x) => x.code === 'KST001' && x.span.file.path === 'contoso.umdialplans.json')!;
    assert.deepEqual(d.related.map((r) => r.span.file.path).sort(), ['new-owa-trusted-app.ps1', 'topology.xml']);
  });

  test('the simulated KST drops both versions of ex1 and keeps the Front End pool', () => {
    const ex1 = a.kst.byFqdn.get(normFqdn('ex1.contoso.com'))!;
    assert.deepEqual([...new Set(ex1.map((e) => `${e.version}:${e.state}`))].sort(), ['0:dropped', '6:dropped']);
    for (const fqdn of ['pool01.contoso.com', 'fe01.contoso.com', 'fe02.contoso.com'])
      assert.equal(a.kst.byFqdn.get(normFqdn(fqdn))?.[0].state, 'known', fqdn);
    assert.equal(a.kst.byFqdn.has(normFqdn('sql01.contoso.com')), false, 'a SQL-only cluster is not a known server');
  });

  test('start-up events: 14492, 44024, then 14563 and 14495 for ex1', () => {
    const ids = startupEvents(a.kst).map((e) => e.id);
    assert.deepEqual(ids, [14492, 44024, 14563, 14495]);
    const ev = startupEvents(a.kst);
    assert.match(ev[1].message, /ex1\.contoso\.com/);
    assert.match(
      ev[0].message,
      /ex1\.contoso\.com \(version 6\)/,
      'at start-up the pool is known; Exchange UM Routing adds version 0 afterwards',
    );
    assert.match(ev[2].message, /version 6 \(Lync Server 2013\) and version 0 \(any\)/);
  });

  test('after an RTCSRV restart: 14563, 44030, then 14493 re-adds ex1 with version 0', () => {
    const ids = startupEvents(a.kst, true).map((e) => e.id);
    assert.deepEqual(ids, [14492, 44024, 14563, 44030, 14493]);
    const um = a.kst.byFqdn.get(normFqdn('ex1.contoso.com'))!.find((e) => e.origin.kind === 'umDialPlan')!;
    assert.equal(stateAfterRestart(um, a.kst), 'known');
  });
});

describe('no conflict where there is none', () => {
  test('the topology alone: no KST001', () => assert.deepEqual(codes(run({ 't.xml': CONFLICT }), 'KST001'), []));
  test('the clean topology with the SipName plan: no KST001, ex1 known with version 0', () => {
    const a = run({ 't.xml': CLEAN, 'p.umdialplans.json': JSON_PLANS });
    assert.deepEqual(codes(a, 'KST001'), []);
    assert.deepEqual(
      a.kst.byFqdn.get(normFqdn('ex1.contoso.com'))?.map((e) => [e.version, e.state]),
      [[0, 'known']],
    );
  });
  test('a TelExtn dial plan on ex1 does not conflict with the pool', () => {
    const a = run({
      't.xml': CONFLICT,
      'p.umdialplans.json': dialPlans([{ name: 'PBX', uriType: 'TelExtn', servers: ['ex1.contoso.com'] }]),
    });
    assert.deepEqual(codes(a, 'KST001'), []);
  });
  test('the same version twice is no conflict', () => {
    const t = topology([{ fqdn: 'app1.contoso.com', number: 4 }], { clusters: '', services: '' });
    const a = run({
      't.xml': t,
      's.ps1': 'New-CsTrustedApplicationPool -Identity app1.contoso.com -Registrar pool01.contoso.com -Site 1\n',
    });
    assert.deepEqual(codes(a, 'KST001'), []);
  });
});

describe('every input kind', () => {
  test('CLIXML: short name EX1 resolves through the topology to ex1.contoso.com', () => {
    const a = run({ 't.xml': CONFLICT, 'dialplans.xml': CLIXML });
    const c = codes(a, 'KST001').find((s) => s.file === 'dialplans.xml');
    assert.deepEqual(c, {
      file: 'dialplans.xml',
      line: lineOf(CLIXML, '<S>EX1</S>'),
      col: 14,
      code: 'KST001',
      severity: 'error',
      text: 'EX1',
    });
  });
  test('CLIXML: the TelExtn plan adds nothing for EX10 and says so with UM001 on its URIType', () => {
    const a = run({ 't.xml': CONFLICT, 'dialplans.xml': CLIXML });
    assert.equal(a.kst.byFqdn.has(normFqdn('ex10.contoso.com')), false);
    const um = codes(a, 'UM001');
    assert.deepEqual(
      um.map((u) => [u.line, u.text]),
      [[lineOf(CLIXML, 'TelExtn'), 'TelExtn']],
    );
  });
  test('JSON: a short name resolves with the file defaultDomain when the topology has no such machine', () => {
    const a = run({
      't.xml': CLEAN,
      'p.umdialplans.json': dialPlans([{ name: 'SIP', uriType: 'SipName', servers: ['EX7'] }], 'fabrikam.com'),
    });
    assert.ok(a.kst.byFqdn.has(normFqdn('ex7.fabrikam.com')));
  });
  test('a prefixed Topology root is recognised', () => {
    const t = CONFLICT.replace('<Topology xmlns=', '<t:Topology xmlns:t=').replace('</Topology>', '</t:Topology>');
    const a = run({ 't.xml': t, 'p.umdialplans.json': SIP_EX1 });
    assert.equal(codes(a, 'KST001').length, 2);
  });
  test('files are recognised by content, not by name', () => {
    const a = run({ 'export1.txt.xml': CONFLICT, 'plans.data.xml': CLIXML, 'notes.xml': '<notes><Topology/></notes>' });
    assert.deepEqual(
      a.inputs.map((i) => i.kind),
      ['topology', 'dialplans-clixml', 'other'],
    );
  });
  test('a Topology Builder .tbxml: nested clusters, GUID links, a machine without FQDN', () => {
    const tb = readFileSync(path.join(ROOT, 'test', 'fixtures', 'lab.tbxml'), 'utf8');
    const a = run({ 'lab.tbxml': tb, 'p.umdialplans.json': SIP_EX1 });
    const k = codes(a, 'KST001').find((s) => s.file === 'lab.tbxml');
    assert.equal(k?.text, 'EX1.contoso.com');
    assert.equal(k?.line, lineOf(tb, 'Fqdn="EX1'));
    const f = a.findings.find((x) => x.code === 'KST001' && x.span.file.path === 'lab.tbxml')!;
    assert.match(f.message, /version 7 \(Skype for Business Server 2015\)/);
    assert.deepEqual(codes(a, 'TAP004'), [], 'the GUID dependency on the Registrar is followed');
    assert.equal(a.kst.byFqdn.get(normFqdn('ex1.contoso.com'))?.length, 2, 'the FQDN-less machine adds no second entry');
  });
});

describe('encodings and line endings', () => {
  const expected = { line: 37, col: 70, text: 'ex1.contoso.com' };
  for (const [name, encoding] of [
    ['UTF-8 with BOM', { name: 'utf-8', bom: true }],
    ['UTF-16LE with BOM', { name: 'utf-16le', bom: true }],
    ['UTF-16BE with BOM', { name: 'utf-16be', bom: true }],
  ] as const) {
    for (const eol of ['\n', '\r\n']) {
      test(`${name}, ${eol === '\n' ? 'LF' : 'CRLF'}: KST001 at the same line and column`, () => {
        const a = run({
          't.xml': { text: CONFLICT.replace(/\n/g, eol), encoding },
          'p.umdialplans.json': { text: JSON_PLANS.replace(/\n/g, eol), encoding },
        });
        const k = codes(a, 'KST001').find((s) => s.file === 't.xml');
        assert.deepEqual({ line: k?.line, col: k?.col, text: k?.text }, expected);
        const d = codes(a, 'KST001').find((s) => s.file === 'p.umdialplans.json');
        assert.equal(d?.line, 14);
      });
    }
  }
  test('UTF-16LE CLIXML as Windows PowerShell writes it', () => {
    const a = run({ 't.xml': CONFLICT, 'd.xml': { text: CLIXML.replace(/\n/g, '\r\n'), encoding: { name: 'utf-16le', bom: true } } });
    assert.equal(codes(a, 'KST001').find((s) => s.file === 'd.xml')?.text, 'EX1');
  });
  test('a UTF-16 script with CRLF and continuations', () => {
    const a = run({
      't.xml': CLEAN,
      'p.umdialplans.json': JSON_PLANS,
      's.ps1': { text: SCRIPT.replace(/\n/g, '\r\n'), encoding: { name: 'utf-16le', bom: true } },
    });
    assert.equal(codes(a, 'KST001').find((s) => s.file === 's.ps1')?.text, '$ExchangeFqdn');
  });
  test('mixed case and a trailing dot are the same server', () => {
    const a = run({
      't.xml': CONFLICT,
      'p.umdialplans.json': dialPlans([{ name: 'SIP', uriType: 'SipName', servers: ['EX1.Contoso.COM.'] }]),
    });
    assert.deepEqual(
      codes(a, 'KST001')
        .map((s) => s.text)
        .sort(),
      ['EX1.Contoso.COM.', 'ex1.contoso.com'],
    );
  });
});
