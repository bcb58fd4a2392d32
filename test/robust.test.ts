/**
 * One named test for each class of input that once lost findings silently, crashed, hung or
 * destroyed a file (issue 8). Each fails on the code before the fix of its class.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { textReport } from '../server/src/cli/report';
import { ReadInput } from '../server/src/readers/reader';
import { analyze, analyzeInputs } from '../server/src/workspace/analyze';
import { SourceFile } from '../server/src/text/source';
import { codes, files, ROOT, run } from './helpers';
import { dialPlans, SIP_EX1 } from './topologies';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const TOPOLOGY = readFileSync(path.join(ROOT, 'examples', 'contoso', 'topology.xml'), 'utf8');
const SCRIPT = readFileSync(path.join(ROOT, 'examples', 'contoso', 'new-owa-trusted-app.ps1'), 'utf8');

/** The example topology with extra XML just inside the root. */
const withInside = (xml: string) => TOPOLOGY.replace('<Sites>', `${xml}\n  <Sites>`);

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'lync-kst-robust-'));
}

function cli(args: string[], options: { maxOldSpaceMb?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const flags = options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [];
  const r = spawnSync(process.execPath, [...flags, CLI, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('well-formed documents are read (4)', () => {
  test('nesting deeper than 100 elements', () => {
    const deep = '<Extension>'.repeat(150) + '</Extension>'.repeat(150);
    const a = run({ 't.xml': withInside(deep), 'p.umdialplans.json': SIP_EX1 });
    assert.deepEqual(codes(a, 'XML001'), []);
    assert.equal(codes(a, 'KST001').length, 2);
  });

  for (const name of ['constructor', '__proto__', 'prototype', 'hasOwnProperty', 'toString']) {
    test(`an element named ${name}`, () => {
      const a = run({ 't.xml': withInside(`<${name} a="1"><${name} /></${name}>`), 'p.umdialplans.json': SIP_EX1 });
      assert.deepEqual(codes(a, 'XML001'), []);
      assert.equal(codes(a, 'KST001').length, 2);
    });
  }

  // Each with a reference to an entity only the DTD can define: declared, or in a part a non-validating reader does not read.
  for (const [name, doctype, reference] of [
    ['an external SYSTEM entity', '<!DOCTYPE Topology [ <!ENTITY ext SYSTEM "file:///etc/passwd"> ]>', '&ext;'],
    ['a PUBLIC external subset', '<!DOCTYPE Topology PUBLIC "-//X//DTD T//EN" "http://example.invalid/t.dtd">', '&fromTheSubset;'],
    ['a parameter entity', '<!DOCTYPE Topology [ <!ENTITY % p "<!ENTITY q \'x\'>"> %p; ]>', '&q;'],
  ]) {
    test(`a DOCTYPE with ${name}: XML002 and nothing else, nothing fetched or expanded`, () => {
      const t = TOPOLOGY.replace('<Topology ', `${doctype}\n<Topology `).replace('<Name>Contoso-HQ</Name>', `<Name>${reference}</Name>`);
      const a = run({ 't.xml': t, 'p.umdialplans.json': SIP_EX1 });
      assert.deepEqual(
        a.findings.filter((f) => f.span.file.path === 't.xml' && f.code !== 'KST001').map((f) => f.code),
        ['XML002'],
      );
      assert.equal(codes(a, 'KST001').length, 2);
    });
  }
});

describe('documents that break well-formedness get one XML001 at the break (5)', () => {
  // Each breaks the location line (16) of the example; the trusted pool comes later, so KST001 is gone with it.
  const cases: [string, string, string][] = [
    ['a NUL character', 'City="Sea\u0000ttle"', '\u0000'],
    ['a control character in an attribute value', 'City="Sea\u0001ttle"', '\u0001'],
    ['a raw < in an attribute value', 'City="Sea<ttle"', '<'],
    ['an undefined entity reference', 'City="Sea&nbsp;ttle"', '&nbsp;'],
  ];
  for (const [name, broken, at] of cases) {
    test(name, () => {
      const text = TOPOLOGY.replace('City="Seattle"', broken);
      const a = run({ 't.xml': text, 'p.umdialplans.json': SIP_EX1 });
      const x = codes(a, 'XML001');
      assert.equal(x.length, 1);
      assert.equal(x[0].text, at);
      assert.equal(x[0].line, 16);
      assert.equal(x[0].col, text.split('\n')[15].indexOf(broken) + broken.indexOf(at) + 1);
      assert.deepEqual(
        codes(a, 'KST001').map((s) => s.file),
        ['p.umdialplans.json'].slice(0, 0),
        'nothing after the break is claimed',
      );
    });
  }

  test('a file truncated just after a closing tag: at the break, not at the root', () => {
    const cut = TOPOLOGY.slice(0, TOPOLOGY.indexOf('</Services>') + '</Services>'.length);
    const a = run({ 't.xml': cut, 'p.umdialplans.json': SIP_EX1 });
    const x = codes(a, 'XML001');
    assert.deepEqual(
      x.map((s) => [s.text, s.line]),
      [['</Services>', cut.split('\n').length]],
    );
    assert.match(a.findings.find((f) => f.code === 'XML001')!.message, /truncated/);
    assert.equal(codes(a, 'KST001').length, 2, 'everything complete before the break still counts');
  });
});

describe('no crash, no hang (6)', () => {
  test('150,000 sibling elements', () => {
    const a = run({ 't.xml': withInside(`<Extension>${'<x/>'.repeat(150_000)}</Extension>`), 'p.umdialplans.json': SIP_EX1 });
    assert.equal(codes(a, 'KST001').length, 2);
  });

  test('a dial-plan JSON nested 100,000 deep: XML001 at the limit, the plan before it counts', () => {
    const plan = { name: 'SIP', uriType: 'SipName', servers: ['ex1.contoso.com'] };
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `{"format":"kst-umdialplans","dialPlans":[${JSON.stringify(plan)},{"name":"deep","x":${deep}}]}`;
    const a = run({ 't.xml': TOPOLOGY, 'p.umdialplans.json': text });
    const x = codes(a, 'XML001');
    assert.equal(x.length, 1);
    assert.match(a.findings.find((f) => f.code === 'XML001')!.message, /nested deeper than 64 levels/);
    assert.equal(codes(a, 'KST001').length, 2);
  });
});

describe('output stays linear in the input (7)', () => {
  test('one server in 10,000 SipName dial plans', () => {
    const plans = Array.from({ length: 10_000 }, (_, i) => ({ name: `Plan-${i}`, uriType: 'SipName', servers: ['ex9.contoso.com'] }));
    const json = dialPlans(plans);
    const a = run({ 'p.umdialplans.json': json });
    const k = a.findings.filter((f) => f.code === 'KST002');
    assert.equal(k.length, 10_000);
    assert.match(k[0].message, /Plan-0, Plan-1, Plan-2, Plan-3, Plan-4 and 9,995 more/);
    assert.ok(k.every((f) => f.related.length <= 20));
    const out = textReport(a.findings, 1);
    assert.ok(out.length < 100 * json.length, `report of ${out.length} characters for ${json.length} of input`);
  });
});

describe('special files are never opened, and the size limit holds while reading (8)', () => {
  test('a FIFO named on the command line returns at once with FILE004', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe.xml');
    execFileSync('mkfifo', [fifo]);
    const r = cli(['check', fifo, path.join(ROOT, 'examples', 'contoso')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /pipe\.xml:1:1 error FILE004 Not read: not a regular file: a FIFO/);
  });

  test('/dev/zero: not read, nothing to check (exit 2)', () => {
    const r = cli(['check', '/dev/zero'], { maxOldSpaceMb: 256 });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /FILE004 Not read: not a regular file: a character device/);
  });
});

describe('memory stays bounded (9)', () => {
  test('a 10 MB attribute value, under a 384 MB heap', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 't.xml'), TOPOLOGY.replace('City="Seattle"', `City="${'S'.repeat(10 * 1024 * 1024)}"`));
    const r = cli(['check', dir], { maxOldSpaceMb: 384 });
    assert.equal(r.code, 0, r.stderr.slice(0, 500));
  });

  test('an FQDN attribute of 3 million entity references, under a 384 MB heap', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 't.xml'), TOPOLOGY.replace('Fqdn="ex1.contoso.com">', `Fqdn="${'&amp;'.repeat(3_000_000)}">`));
    const r = cli(['check', dir], { maxOldSpaceMb: 384 });
    assert.ok(r.code === 0 || r.code === 1, r.stderr.slice(0, 500));
    assert.ok(r.stdout.length < 1024 * 1024, 'the value is not repeated in full in the output');
  });
});

describe('a closed pipe ends the output quietly (10)', () => {
  test('lync-kst check | head -1', async () => {
    const child = spawn(process.execPath, [CLI, 'check', path.join(ROOT, 'examples', 'contoso')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like head -1: read one chunk, then close the pipe.
    await new Promise<void>((resolve) =>
      child.stdout.once('data', () => {
        child.stdout.destroy();
        resolve();
      }),
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 1, 'the exit code still says errors were found');
  });
});

describe('one failing rule or reader does not take the others down (11)', () => {
  test('a rule that throws: INT001 names it, the other rules still report', () => {
    const a = analyze(files({ 't.xml': TOPOLOGY, 'p.umdialplans.json': SIP_EX1 }));
    const topology = a.inputs.find((i): i is ReadInput => i.kind === 'topology')!;
    // A document whose XML declaration cannot be read: only the encoding rule looks at it.
    const doc = Object.defineProperty({ ...topology.doc! }, 'declaredEncoding', {
      get: () => {
        throw new Error('boom');
      },
    });
    const b = analyzeInputs([{ ...topology, doc }, ...a.inputs.filter((i) => i !== topology)]);
    assert.deepEqual(
      codes(b, 'INT001').map((s) => [s.file, s.line, s.severity]),
      [['t.xml', 1, 'error']],
      'an incomplete result never passes as clean',
    );
    assert.match(
      b.findings.find((f) => f.code === 'INT001')!.message,
      /failed while running the encoding rules \(ENC001\) \(Error: boom\)/,
    );
    assert.equal(codes(b, 'KST001').length, 2, 'the rules that did not fail still report');
  });

  test('a reader that throws: INT001 on that file, the other files still count', () => {
    const bad = new SourceFile('bad.xml', TOPOLOGY);
    Object.defineProperty(bad, 'tooLarge', {
      get: () => {
        throw new Error('a reader bug');
      },
    });
    const a = analyze([bad, ...files({ 't.xml': TOPOLOGY, 'p.umdialplans.json': SIP_EX1 })]);
    assert.deepEqual(
      codes(a, 'INT001').map((s) => s.file),
      ['bad.xml'],
    );
    assert.equal(codes(a, 'KST001').length, 2);
  });

  test('a damaged removed-pool marker ("services":5) is reported as KST004 and skipped, no crash', () => {
    const marker =
      '<!-- lync-kst removed-pool ex1.contoso.com (no applications). Why: test. Put the pool back if ex1.contoso.com stops hosting a ' +
      'SipName UM dial plan. data={"fqdn":"ex1.contoso.com","apps":[],"reason":"x","services":5} -->';
    // The pool's cluster and its service gone, as Option 1 leaves them (a service left behind would be TOP002).
    const t = TOPOLOGY.replace(
      /<Cluster RequiresReplication="false" RequiresSetup="false" Fqdn="ex1\.contoso\.com">[\s\S]*?<\/Cluster>/,
      marker,
    ).replace(/<Service [^>]*ExternalServerService">[\s\S]*?<\/Service>/, '');
    const a = run({ 't.xml': t });
    assert.deepEqual(
      codes(a, 'KST004').map((s) => s.text),
      ['lync-kst removed-pool'],
    );
    assert.deepEqual(codes(a, 'INT001'), []);
    const r = cli(['check', ...writeAll({ 't.xml': t })]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('nothing is skipped without a word (12)', () => {
  test('a topology with 70,000 characters of comment before its root is read', () => {
    const a = run({ 't.xml': TOPOLOGY.replace('<Topology ', `<!-- ${'x'.repeat(70_000)} -->\n<Topology `), 'p.umdialplans.json': SIP_EX1 });
    assert.equal(codes(a, 'KST001').length, 2);
  });

  const wrong: [string, string, string][] = [
    ['"servers" given as a string', '"servers": "ex1.contoso.com"', '"ex1.contoso.com"'],
    ['a number as the name', '"name": 5', '5'],
    ['"dialPlans" as an object', '"dialPlans": {}', '{}'],
  ];
  for (const [name, json, value] of wrong) {
    test(`dial-plan JSON with ${name}: UM005 at the value`, () => {
      const text = json.startsWith('"dialPlans"')
        ? `{"format": "kst-umdialplans", ${json}}`
        : `{"format": "kst-umdialplans", "dialPlans": [{"uriType": ` +
          `"SipName", ${json.startsWith('"name"') ? `${json}, "servers": ["ex1.contoso.com"]` : `"name": "SIP", ${json}`}}]}`;
      const a = run({ 'p.umdialplans.json': text });
      assert.deepEqual(
        codes(a, 'UM005').map((s) => s.text),
        [value],
      );
      assert.equal(codes(a, 'UM005')[0].severity, 'error');
    });
  }

  test('a named file that is not an input is an error (FILE002), exit 1', () => {
    const [topology, other] = writeAll({ 't.xml': TOPOLOGY, 'notes.xml': '<notes>mis-saved export</notes>' });
    const r = cli(['check', topology, other]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /notes\.xml:1:1 error FILE002 Not read: this file was named to be checked, but it is XML with the root element <notes>/,
    );
  });

  test('when every named path is skipped, there is nothing to check: exit 2', () => {
    const [other] = writeAll({ 'notes.xml': '<notes/>' });
    const r = cli(['check', other, '/no/such/file.xml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing to check/);
  });

  test('a folder scan says why a candidate file is not read (FILE003, a hint)', () => {
    const a = run({ 't.xml': TOPOLOGY, 'package.json': '{"name": "x"}' });
    assert.deepEqual(
      codes(a, 'FILE003').map((s) => [s.file, s.severity]),
      [['package.json', 'hint']],
    );
  });
});

describe('the ANSI code page is Windows-1252 (13)', () => {
  test('an en dash (byte 0x96) before a parameter, as copied from a web page, still names it', () => {
    const bytes = Buffer.from(
      SCRIPT.replace('New-CsTrustedApplicationPool -Identity', 'New-CsTrustedApplicationPool \u0096Identity'),
      'latin1',
    );
    const script = SourceFile.fromBytes('owa.ps1', bytes);
    assert.equal(script.encoding.name, 'windows-1252');
    assert.ok(script.lossless);
    const a = analyze([script, ...files({ 'p.umdialplans.json': SIP_EX1 })]);
    assert.equal(codes(a, 'KST001').filter((s) => s.file === 'owa.ps1').length, 1);
  });
});

/** Writes the files into a fresh folder and returns their paths. */
function writeAll(spec: Record<string, string>): string[] {
  const dir = tempDir();
  return Object.entries(spec).map(([name, text]) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  });
}
