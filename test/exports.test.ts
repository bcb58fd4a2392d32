/**
 * Trusted-application exports (`Get-CsTrustedApplicationPool`, `-Application`, `-Computer` piped to
 * `Export-Clixml`) as KST sources: a table of inputs with every finding marked, then what the
 * simulation, Option 1, hovers and the reader make of them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { hoverInFile } from '../server/src/explain/hover';
import { normFqdn } from '../server/src/model/fqdn';
import { isInput } from '../server/src/readers/registry';
import { SourceFile } from '../server/src/text/source';
import { analyze } from '../server/src/workspace/analyze';
import { marked, seenAll } from './cases';
import { app, clixml, computer, pool } from './exports';
import { example, files, ROOT } from './helpers';

const sip = (server: string) =>
  `{ "format": "kst-umdialplans", "dialPlans": [ { "name": "Contoso-SIP", "uriType": "SipName", "servers": [ "${server}" ] } ] }`;
const TOPOLOGY = example('topology.xml');

interface Row {
  name: string;
  files: Record<string, string>;
}

const rows: Row[] = [
  {
    name: 'KST001 on the exported pool and the dial plan',
    files: { 'pools.xml': clixml([pool('⟦KST001 ex1.contoso.com⟧')]), 'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧') },
  },
  {
    name: 'no KST001 when the dial plan lists another server',
    files: { 'pools.xml': clixml([pool('ex1.contoso.com')]), 'p.umdialplans.json': sip('ex2.contoso.com') },
  },
  {
    name: 'the FQDN from Identity when PoolFqdn is missing, the prefix left out of the range',
    files: {
      'pools.xml': clixml([pool('x', { PoolFqdn: null, Identity: 'TrustedApplicationPool:⟦KST001 ex1.contoso.com⟧' })]),
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
    },
  },
  {
    name: 'exported computers are KST entries of their pool',
    files: {
      'pools.xml': clixml([pool('pool.contoso.com')]),
      'computers.xml': clixml([computer('⟦KST001 ex1.contoso.com⟧', 'pool.contoso.com')]),
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
    },
  },
  {
    name: 'TAP008 on a pool with neither PoolFqdn nor an FQDN in Identity',
    files: {
      'pools.xml': clixml([pool('x', { PoolFqdn: null, Identity: '1-ExternalServer-1' })]).replace(
        '  <Obj RefId="0">',
        '  ⟦TAP008 <Obj RefId="0">⟧',
      ),
    },
  },
  {
    name: 'TAP008 on an application without a pool/urn:application:id Identity',
    files: {
      'apps.xml': clixml([app('x', 'a', 6000, { Identity: 'nothing', TrustedApplicationPoolFqdn: null, ApplicationId: null })]).replace(
        '  <Obj RefId="0">',
        '  ⟦TAP008 <Obj RefId="0">⟧',
      ),
    },
  },
  {
    name: 'TAP008 on a computer of a pool no file defines',
    files: { 'computers.xml': clixml([computer('⟦TAP008 c1.contoso.com⟧', 'nowhere.contoso.com')]) },
  },
  {
    name: 'TAP001 on two exported applications with one port, without a fix',
    files: {
      'pools.xml': clixml([pool('app.contoso.com')]),
      'apps.xml': clixml([app('app.contoso.com', 'one', 6000), app('app.contoso.com', 'two', '⟦TAP001 6000⟧')]),
    },
  },
  {
    name: 'TAP004 on an exported pool without a Registrar',
    files: {
      'pools.xml': clixml([pool('app.contoso.com', { Registrar: null })]).replace('  <Obj RefId="0">', '  ⟦TAP004 <Obj RefId="0">⟧'),
    },
  },
  {
    name: 'TAP007 on an exported OWA pool that replicates',
    files: {
      'pools.xml': clixml([pool('owa.contoso.com', { RequiresReplication: true })]).replace(
        '<B N="RequiresReplication">true',
        '<B N="RequiresReplication">⟦TAP007 true⟧',
      ),
      'apps.xml': clixml([app('owa.contoso.com', 'outlookwebapp', 5199)]),
    },
  },
  {
    name: 'an export of the pool the topology holds is the same pool: no second application, no TAP002',
    files: {
      't.xml': TOPOLOGY.replace('Fqdn="ex1.contoso.com"', 'Fqdn="⟦KST001 ex1.contoso.com⟧"'),
      'pools.xml': clixml([pool('⟦KST001 ex1.contoso.com⟧')]),
      'apps.xml': clixml([app('ex1.contoso.com', 'outlookwebapp', 5199)]),
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
    },
  },
  {
    name: 'a script that removes the exported pool ends the conflict',
    files: {
      'pools.xml': clixml([pool('ex1.contoso.com')]),
      'p.umdialplans.json': sip('ex1.contoso.com'),
      'remove.ps1': 'Remove-CsTrustedApplicationPool -Identity ex1.contoso.com\n',
    },
  },
  {
    name: 'FILE005 on a trusted pool object in a dial-plan export, which is read as one',
    files: {
      'mixed.xml': clixml([
        {
          type: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.UMDialPlan',
          toString: 'Contoso-SIP',
          props: { Name: 'Contoso-SIP', URIType: 'SipName', UMServers: ['ex1.contoso.com'] },
        },
        pool('ex1.contoso.com'),
      ]).replace('  <Obj RefId="2">', '  ⟦FILE005 <Obj RefId="2">⟧'),
    },
  },
  {
    name: 'FILE005 on an object of another kind in a trusted-application export',
    files: {
      'pools.xml': clixml([pool('app.contoso.com'), { type: 'DisplayPool', toString: 'x', props: { Identity: 'x' } }]).replace(
        '  <Obj RefId="1">',
        '  ⟦FILE005 <Obj RefId="1">⟧',
      ),
    },
  },
  {
    name: 'FILE003 for an export of something else',
    files: {
      'users.xml': '⟦FILE003⟧' + clixml([{ type: 'OCSUserOrAppContact', toString: 'sip:a@contoso.com', props: { Identity: 'a' } }]),
    },
  },
  {
    name: 'XML001 where an export breaks off; the objects before it count',
    files: {
      'pools.xml': (() => {
        const text = clixml([pool('⟦KST001 ex1.contoso.com⟧'), pool('app.contoso.com')]);
        const cut = text.indexOf('<S N="PoolFqdn">app');
        return `${text.slice(0, cut)}⟦XML001 <S N=⟧`;
      })(),
      'p.umdialplans.json': sip('⟦KST001 ex1.contoso.com⟧'),
    },
  },
];

describe('trusted-application exports: findings', () => {
  for (const row of rows) {
    test(row.name, () => {
      const { texts, expected } = marked(row.files);
      assert.deepEqual(seenAll(analyze(files(texts))), expected);
    });
  }
});

describe('trusted-application exports: simulation, fixes, hovers', () => {
  const dir = path.join(ROOT, 'examples', 'exports');
  // The files a scan reads (the README is not one).
  const workspace = () =>
    readdirSync(dir)
      .filter((n) => n !== 'README.md')
      .map((n) => SourceFile.fromBytes(`examples/exports/${n}`, readFileSync(path.join(dir, n))));

  test('the example workspace: a Windows PowerShell export (UTF-16LE, CRLF) is read, its version and computers used', () => {
    const a = analyze(workspace());
    const pools = a.inputs.find((i) => i.file.path.endsWith('trusted-pools.xml'));
    assert.equal(pools && isInput(pools) ? pools.kind : pools?.kind, 'trusted-clixml');
    assert.deepEqual(pools?.file.encoding, { name: 'utf-16le', bom: true });
    assert.match(pools?.file.text ?? '', /\r\n/);
    const entries = (fqdn: string) => (a.kst.byFqdn.get(normFqdn(fqdn)) ?? []).map((e) => `${e.version}:${e.state}`).sort();
    assert.deepEqual(entries('ex1.contoso.com'), ['0:dropped', '6:dropped']);
    assert.deepEqual(entries('sefa01.contoso.com'), ['6:known']);
    assert.deepEqual(entries('sefa02.contoso.com'), ['6:known']);
    assert.deepEqual(
      a.findings.map((f) => `${f.code} ${f.span.file.path}`),
      ['KST001 examples/exports/contoso.umdialplans.json', 'KST001 examples/exports/trusted-pools.xml'],
    );
  });

  test('Option 1 does not edit an export: no fix, and the message says to run Remove-CsTrustedApplicationPool', () => {
    const a = analyze(workspace());
    for (const f of a.findings) assert.deepEqual(f.fixes, [], `${f.span.file.path} offers no fix`);
    const onExport = a.findings.find((f) => f.span.file.path.endsWith('trusted-pools.xml'));
    assert.match(
      onExport?.message ?? '',
      /Remove-CsTrustedApplicationPool -Identity ex1\.contoso\.com on a Front End, then Enable-CsTopology/,
    );
    assert.deepEqual(
      onExport?.related.map((r) => r.span.file.path),
      ['examples/exports/contoso.umdialplans.json'],
      'the other side is related',
    );
  });

  test('an export beside the topology that holds the pool: Option 1 is not offered either (the export would keep the conflict)', () => {
    const a = analyze(
      files({ 't.xml': TOPOLOGY, 'pools.xml': clixml([pool('ex1.contoso.com')]), 'p.umdialplans.json': sip('ex1.contoso.com') }),
    );
    assert.equal(a.fixes.size, 0);
  });

  test("the version: the export's own, else the pool's cluster in a topology, else its Registrar's, else assumed with why", () => {
    const version = (spec: Record<string, string>) => {
      const e = analyze(files(spec))
        .kst.byFqdn.get(normFqdn('app.contoso.com'))
        ?.find((x) => x.origin.kind === 'export');
      return `${e?.version} ${e?.versionAssumed ? `assumed: ${e.versionWhy}` : 'given'}`;
    };
    assert.equal(version({ 'pools.xml': clixml([pool('app.contoso.com', { Version: 7 })]) }), '7 given');
    const fe = TOPOLOGY; // pool01.contoso.com, ServiceVersion 6
    assert.equal(version({ 't.xml': fe, 'pools.xml': clixml([pool('app.contoso.com')]) }), '6 given');
    assert.equal(
      version({ 'pools.xml': clixml([pool('app.contoso.com')]) }),
      '6 assumed: its Registrar pool01.contoso.com is in no topology of the workspace',
    );
  });

  test('a hover on the exported FQDN explains its entries and their fate', () => {
    const a = analyze(workspace());
    const file = a.inputs.find((i) => i.file.path.endsWith('trusted-pools.xml'))?.file;
    assert.ok(file);
    const at = file.text.indexOf('ex1.contoso.com</S>');
    const h = hoverInFile(a, file, at + 3, (k) => k);
    assert.match(h?.markdown ?? '', /Get-CsTrustedApplicationPool export/);
    assert.match(h?.markdown ?? '', /14563/);
  });
});
