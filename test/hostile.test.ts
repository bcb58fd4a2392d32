import assert from 'node:assert/strict';
import { normFqdn } from '../server/src/model/fqdn';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SourceFile } from '../server/src/text/source';
import { isInput } from '../server/src/readers/registry';
import { analyze } from '../server/src/workspace/analyze';
import { codes, example, run } from './helpers';
import { SIP_EX1 } from './topologies';

const CONFLICT = example('topology.xml');

describe('bad input never hurts', () => {
  test('truncated topology: exactly one XML001 at the break, and the complete part still counts', () => {
    const cut = CONFLICT.slice(0, CONFLICT.indexOf('</Services>') + 6);
    const a = run({ 't.xml': cut, 'p.umdialplans.json': SIP_EX1 });
    const x = codes(a, 'XML001');
    assert.equal(x.length, 1);
    assert.equal(x[0].line, cut.split('\n').length, 'reported on the last line, where the file breaks off');
    assert.equal(x[0].text, '</Serv');
    assert.match(a.findings.find((f) => f.code === 'XML001')!.message, /truncated/);
    assert.equal(codes(a, 'KST001').length, 2, 'the trusted pool before the break still conflicts');
  });

  test('truncated inside the clusters: nothing is claimed from the unparsed part', () => {
    const cut = CONFLICT.slice(0, CONFLICT.indexOf('Fqdn="ex1.contoso.com"') + 10);
    const a = run({ 't.xml': cut, 'p.umdialplans.json': SIP_EX1 });
    assert.equal(codes(a, 'XML001').length, 1);
    assert.deepEqual(codes(a, 'KST001'), []);
    assert.equal(a.kst.byFqdn.get(normFqdn('ex1.contoso.com'))?.length, 1, 'only the dial plan entry');
  });

  test('a mismatched end tag: XML001 on it, and clusters before it are read', () => {
    const bad = CONFLICT.replace('</SqlInstances>', '</SqlInstance>');
    const a = run({ 't.xml': bad });
    const x = codes(a, 'XML001');
    assert.equal(x.length, 1);
    assert.equal(x[0].line, CONFLICT.slice(0, CONFLICT.indexOf('</SqlInstances>')).split('\n').length);
    const t = a.inputs[0];
    assert.ok(isInput(t) && t.contributes.topologies?.[0].clusters.length === 4);
  });

  test('entity expansion ("billion laughs"): not expanded, XML002 on the DOCTYPE', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE Topology [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">
  <Clusters><Cluster Fqdn="&g;"><ClusterId SiteId="1" Number="1" /><Machine Fqdn="&g;" /></Cluster></Clusters>
</Topology>
`;
    const a = run({ 'lol.xml': lol });
    const x = codes(a, 'XML002');
    assert.deepEqual(
      x.map((s) => [s.line, s.text]),
      [[2, '<!DOCTYPE']],
    );
    const t = a.inputs[0];
    assert.ok(isInput(t) && t.kind === 'topology');
    assert.equal(t.contributes.topologies?.[0].clusters[0].fqdn?.value, '&g;', 'the entity stays as written');
    assert.ok(
      a.findings.some((f) => f.code === 'FQDN001'),
      'and "&g;" is then just a bad name',
    );
  });

  test('binary garbage, an empty file and random text are not inputs and break nothing', () => {
    const junk = [
      SourceFile.fromBytes('junk.xml', randomBytes(64 * 1024)),
      SourceFile.fromBytes('empty.xml', Buffer.alloc(0)),
      SourceFile.fromBytes('text.xml', Buffer.from('hello <world')),
      SourceFile.fromBytes('nul.ps1', Buffer.from([0, 1, 2, 3, 0, 0, 255])),
    ];
    const a = analyze([
      ...junk,
      SourceFile.fromBytes('t.xml', Buffer.from(CONFLICT)),
      SourceFile.fromBytes('p.umdialplans.json', Buffer.from(SIP_EX1)),
    ]);
    assert.equal(codes(a, 'KST001').length, 2, 'the good files are still analysed');
  });

  test('garbage inside a recognised topology: XML001, no exception', () => {
    const bad = CONFLICT.replace('<Clusters>', '<Clusters>\u0000\u0001<<<>>>"\'&&&');
    const a = run({ 't.xml': bad });
    assert.equal(codes(a, 'XML001').length, 1);
  });

  test('malformed dial-plan JSON: XML001 at the error, plans before it still count', () => {
    const bad = SIP_EX1.replace(/\]\s*\}\s*$/, '] ,, }');
    const a = run({ 't.xml': CONFLICT, 'p.umdialplans.json': bad });
    const x = codes(a, 'XML001');
    assert.equal(x.length, 1);
    assert.equal(x[0].file, 'p.umdialplans.json');
    assert.equal(codes(a, 'KST001').length, 2);
  });

  test('a declaration that contradicts the bytes is not fatal (ENC001)', () => {
    const a = run({ 't.xml': { text: CONFLICT, encoding: { name: 'utf-16le', bom: true } }, 'p.umdialplans.json': SIP_EX1 });
    assert.deepEqual(
      codes(a, 'ENC001').map((s) => [s.line, s.text, s.severity]),
      [[1, 'utf-8', 'information']],
    );
    assert.equal(codes(a, 'KST001').length, 2);
  });

  test('invalid UTF-8 (ANSI code page) is read as Windows-1252 and round-trips', () => {
    const bytes = Buffer.concat([Buffer.from(CONFLICT.replace('Contoso-HQ', 'Contoso-M')), Buffer.from([0xfc])]);
    const f = SourceFile.fromBytes('t.xml', bytes);
    assert.equal(f.encoding.name, 'windows-1252');
    assert.ok(f.lossless);
  });
});
