import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planFixes } from '../server/src/cli/fix';
import { editProblem } from '../server/src/fixes/verify';
import { encode } from '../server/src/text/encoding';
import { SourceFile } from '../server/src/text/source';
import { analyze } from '../server/src/workspace/analyze';
import { isInput, readInput } from '../server/src/readers/registry';
import { codes, files, ROOT } from './helpers';
import { LAYOUTS, layoutDialPlans, layoutTopology, poolFqdn } from './layouts';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const SCRIPT = readFileSync(path.join(ROOT, 'examples', 'contoso', 'new-owa-trusted-app.ps1'), 'utf8');
const TBXML = readFileSync(path.join(ROOT, 'test', 'fixtures', 'lab.tbxml'), 'utf8');

function byPath(list: SourceFile[], name: string): SourceFile {
  return list.find((f) => f.path === name)!;
}

/** Runs `lync-kst fix` in memory: the files as they would be written. */
function fix(list: SourceFile[]): { files: SourceFile[]; applied: string[]; skipped: string[] } {
  const plan = planFixes(list, {});
  return {
    files: list.map((f) => plan.files.get(f) ?? f),
    applied: plan.applied.map((f) => f.code),
    skipped: plan.skipped.map((s) => `${s.fix.code}: ${s.why}`),
  };
}

function wellFormedInput(f: SourceFile, kind: string): void {
  const input = readInput(f);
  assert.equal(input.kind, kind, `${f.path} is still a ${kind}`);
  assert.ok(isInput(input) && input.error === undefined, `${f.path} is well-formed`);
}

describe('Option 1 then the restore gives back the original bytes, in every layout', () => {
  for (const layout of LAYOUTS) {
    test(layout.name, () => {
      const topology = layoutTopology(layout);
      const start = files({ 'topology.xml': topology, 'plans.umdialplans.json': layoutDialPlans(layout, 'SipName'), 'owa.ps1': SCRIPT });
      assert.equal(
        codes(analyze(start), 'KST001').length,
        layout.pools * 2 + 1,
        'each pool conflicts in the topology and the dial plan, ex1 in the script too',
      );

      const removed = fix(start);
      assert.deepEqual(removed.skipped, []);
      assert.deepEqual(removed.applied, Array(layout.pools).fill('KST001'), 'Option 1 for every pool, in one run');
      const topo = byPath(removed.files, 'topology.xml');
      wellFormedInput(topo, 'topology');
      for (let i = 0; i < layout.pools; i++) assert.ok(!topo.text.includes(`Fqdn="${poolFqdn(i)}"`), `${poolFqdn(i)}'s Cluster is gone`);
      assert.ok(!topo.text.includes('RoleName="ExternalServer"'), 'the ExternalServer services are gone');
      assert.ok(!topo.text.includes('RoleName="ExternalServer" Instance="1" />'), 'and the dependency on the first');
      assert.equal(topo.text.split('lync-kst removed-pool').length - 1, layout.pools, 'one marker per pool');
      const after = analyze(removed.files);
      assert.deepEqual(
        after.findings.filter((f) => f.severity === 'error').map((f) => f.code),
        [],
        'Option 1 leaves no error',
      );

      const noSip = removed.files.map((f) => (f.path === 'plans.umdialplans.json' ? f.withText(layoutDialPlans(layout, 'TelExtn')) : f));
      assert.equal(codes(analyze(noSip), 'KST003').length, layout.pools + 1, 'KST003 on every marker once no SipName plan hosts the pools');
      const restored = fix(noSip);
      assert.deepEqual(restored.skipped, []);
      assert.equal(byPath(restored.files, 'topology.xml').text, topology, 'the topology is back, byte for byte');
      assert.equal(byPath(restored.files, 'owa.ps1').text, SCRIPT, 'the script is back, byte for byte');
      assert.deepEqual(fix(restored.files).applied, [], 'nothing is left to fix: the restore is idempotent');
    });
  }

  test('UTF-16LE with a BOM and CRLF, as Windows PowerShell writes it: the bytes round-trip', () => {
    const layout = LAYOUTS.find((l) => l.eol === '\r\n' && l.position === 'middle' && l.pools === 1)!;
    const bytes = encode(layoutTopology(layout), { name: 'utf-16le', bom: true })!;
    const topo = SourceFile.fromBytes('topology.xml', bytes);
    const [plans] = files({ 'plans.umdialplans.json': layoutDialPlans(layout, 'SipName') });
    const removed = fix([topo, plans]);
    const fixed = byPath(removed.files, 'topology.xml');
    assert.deepEqual([...encode(fixed.text, fixed.encoding)!.subarray(0, 2)], [0xff, 0xfe]);
    const back = fix([fixed, plans.withText(layoutDialPlans(layout, 'TelExtn'))]);
    const out = byPath(back.files, 'topology.xml');
    assert.ok(encode(out.text, out.encoding)!.equals(bytes), 'the same bytes as before Option 1');
  });

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['one line', ''],
  ] as const) {
    test(`a Topology Builder .tbxml, ${name}`, () => {
      const tbxml = eol === '' ? TBXML.replace(/>\s*\n\s*</g, '><') : TBXML.replace(/\n/g, eol);
      // Spelled as the .tbxml spells it, so FQDN002 has nothing to respell.
      const plans = JSON.stringify({
        format: 'kst-umdialplans',
        version: 1,
        dialPlans: [{ name: 'SIP', uriType: 'SipName', servers: ['EX1.contoso.com'] }],
      });
      const start = files({ 'lab.tbxml': tbxml, 'p.umdialplans.json': plans });
      const removed = fix(start);
      assert.deepEqual(removed.applied, ['KST001']);
      const t = byPath(removed.files, 'lab.tbxml');
      wellFormedInput(t, 'topology');
      assert.ok(!/RoleName="ExternalServer"/.test(t.text) && !/Fqdn="EX1/.test(t.text));
      const back = fix(removed.files.map((f) => (f.path === 'p.umdialplans.json' ? f.withText(plans.replace('SipName', 'TelExtn')) : f)));
      assert.equal(byPath(back.files, 'lab.tbxml').text, tbxml);
    });
  }
});

describe('a fix is verified by structure before anything is written', () => {
  const layout = LAYOUTS.find((l) => l.eol === '' && l.position === 'middle' && l.pools === 1)!;
  const [topo] = files({ 'topology.xml': layoutTopology(layout) });
  const text = topo.text;
  const cluster = text.indexOf('<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="ex1.contoso.com">');
  const clusterEnd = text.indexOf('</Cluster>', cluster) + '</Cluster>'.length;
  const clusterText = text.slice(cluster, clusterEnd);
  const none = { removes: [], inserts: [], changes: [] };

  test('the one-line restore bug: replacing the whole document with the pool is refused', () => {
    assert.match(
      editProblem(topo, [{ start: 0, end: text.length, newText: clusterText }], {
        ...none,
        inserts: [{ text: clusterText, parent: 'Clusters' }],
      })!,
      /would no longer be the same kind|would also remove/,
    );
  });

  test('removing more than the fix means to is refused', () => {
    const registrar = text.indexOf('<Service RoleVersion="1" ServiceVersion="6"><ServiceId SiteId="1" RoleName="Registrar"');
    const end = text.indexOf('</Service>', registrar) + '</Service>'.length;
    const problem = editProblem(
      topo,
      [
        { start: cluster, end: clusterEnd, newText: '' },
        { start: registrar, end, newText: '' },
      ],
      { ...none, removes: [{ start: cluster, end: clusterEnd }] },
    );
    assert.match(problem!, /would also remove <Service>/);
  });

  test('removing less than it means to is refused', () => {
    const machine = text.indexOf('<Machine', cluster);
    const problem = editProblem(topo, [{ start: machine, end: text.indexOf('/>', machine) + 2, newText: '' }], {
      ...none,
      removes: [{ start: cluster, end: clusterEnd }],
    });
    assert.match(problem!, /would not remove <Cluster>/);
  });

  test('putting an element into the wrong parent is refused', () => {
    const services = text.indexOf('<Services>') + '<Services>'.length;
    assert.match(
      editProblem(topo, [{ start: services, end: services, newText: clusterText }], {
        ...none,
        inserts: [{ text: clusterText, parent: 'Clusters' }],
      })!,
      /would put <Cluster> into <Services> instead of <Clusters>/,
    );
  });

  test('changing another value than the one it means to is refused; the meant one passes', () => {
    const fqdn = text.indexOf('fe01.contoso.com');
    const edit = [{ start: fqdn, end: fqdn + 4, newText: 'fe09' }];
    assert.match(editProblem(topo, edit, none)!, /would also change <Machine>/);
    assert.equal(editProblem(topo, edit, { ...none, changes: [{ start: fqdn, end: fqdn + 16 }] }), undefined);
  });

  test('a result that is no longer well-formed is refused', () => {
    assert.match(editProblem(topo, [{ start: cluster, end: cluster + 1, newText: '' }], none)!, /not be well-formed|no longer/);
  });

  test("a result the file's encoding cannot hold is refused", () => {
    // Byte 0x96 is not UTF-8 on its own: the file is read as Windows-1252, where it is an en dash.
    const ansi = SourceFile.fromBytes('t.xml', Buffer.from(text.replace('HQ', 'H\u0096Q'), 'latin1'));
    assert.equal(ansi.encoding.name, 'windows-1252');
    assert.ok(ansi.text.includes('H\u2013Q'));
    const name = ansi.text.indexOf('<Name>') + '<Name>'.length;
    assert.match(
      editProblem(ansi, [{ start: name, end: name, newText: '\u4e2d' }], { ...none, changes: [{ start: name, end: name }] })!,
      /cannot be written in Windows-1252/,
    );
  });
});

describe('a fix is made in every file it touches or in none', () => {
  test('a truncated topology that names the pool blocks Option 1 in the script too', () => {
    const layout = LAYOUTS.find((l) => l.eol === '\n' && l.position === 'last' && l.pools === 1)!;
    const topology = layoutTopology(layout);
    // Cut inside the pool's ExternalServer service: its Cluster is read, its service is not.
    const cut = topology.slice(0, topology.indexOf('RoleName="ExternalServer"') + 10);
    const start = files({ 'topology.xml': cut, 'plans.umdialplans.json': layoutDialPlans(layout, 'SipName'), 'owa.ps1': SCRIPT });
    const a = analyze(start);
    assert.equal(codes(a, 'XML001').length, 1);
    assert.ok(codes(a, 'KST001').length >= 2, 'the script and the dial plan still conflict');
    const r = fix(start);
    assert.deepEqual(r.applied, []);
    assert.match(r.skipped.join('\n'), /topology\.xml could not be read past line \d+ and names ex1\.contoso\.com/);
    assert.equal(byPath(r.files, 'owa.ps1').text, SCRIPT, 'the script is untouched');
  });
});
