import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './helpers';

const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'contoso');

function cli(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'lync-kst-'));
}

function copyExample(): string {
  const dir = tempDir();
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('lync-kst check', () => {
  test('text: KST001 on both sides of the ex1 conflict, a summary, exit 1', () => {
    const r = cli(['check', 'examples/contoso']);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^examples\/contoso\/topology\.xml:37:70 error KST001 ex1\.contoso\.com would be in the Known Servers Table twice/m,
    );
    assert.match(r.stdout, /^examples\/contoso\/contoso\.umdialplans\.json:14:10 error KST001 /m);
    // The example's event export shows the same conflict as fe01 logged it.
    assert.match(r.stdout, /^examples\/contoso\/fe01-lync-server-events\.xml:3:425 error EVT003 fe01\.contoso\.com logged 14563 /m);
    assert.match(r.stdout, /^4 errors, 0 warnings, 0 information, 0 hints in 4 files\.$/m);
  });

  test('json: one array of findings with 1-based positions and related locations', () => {
    const r = cli(['check', '--format', 'json', 'examples/contoso']);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    const t = findings.find((f) => f.file === 'examples/contoso/topology.xml')!;
    assert.deepEqual(Object.keys(t), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'related']);
    assert.deepEqual([t.line, t.column, t.endLine, t.endColumn, t.severity, t.code], [37, 70, 37, 85, 'error', 'KST001']);
    assert.deepEqual(t.related, [
      {
        file: 'examples/contoso/contoso.umdialplans.json',
        line: 14,
        column: 10,
        message: 'version 0 (any) from Exchange UM Routing (SipName dial plan Contoso-SIP)',
      },
    ]);
  });

  test('sarif: a SARIF 2.1.0 log with rules and located results', () => {
    const r = cli(['check', '--format', 'sarif', 'examples/contoso']);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'lync-kst');
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'KST001'));
    assert.equal(run.results.length, 4);
    const res = run.results[0];
    assert.equal(res.ruleId, 'KST001');
    assert.equal(res.level, 'error');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'KST001');
    assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
    assert.ok(res.relatedLocations.length >= 1);
  });

  test('a clean workspace exits 0', () => {
    const dir = tempDir();
    cpSync(path.join(ROOT, 'test/fixtures/samples/lync2013-contoso-clean.xml'), path.join(dir, 't.xml'));
    cpSync(path.join(EXAMPLE, 'contoso.umdialplans.json'), path.join(dir, 'p.umdialplans.json'));
    const r = cli(['check', dir]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^0 errors/m);
  });

  test('usage errors and unreadable paths exit 2 with a clear message', () => {
    const unknown = cli(['check', '--frobnicate', 'examples/contoso']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--frobnicate'/);
    assert.equal(cli(['frob']).code, 2);
    assert.equal(cli(['check', '--format', 'xml']).code, 2);
    const missing = cli(['check', 'no/such/dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read no\/such\/dir: no such file or folder/);
  });

  test('one unreadable path among readable ones is reported but not fatal', () => {
    const r = cli(['check', 'no/such/file.xml', 'examples/contoso']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read no\/such\/file\.xml/);
  });

  test('--help on each command', () => {
    for (const cmd of ['check', 'kst', 'fix']) {
      const r = cli([cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`Usage: lync-kst ${cmd}`));
    }
    assert.match(cli(['--help']).stdout, /Commands:/);
  });

  test('a binary or empty file named explicitly is an error that says why (FILE002); with nothing else, exit 2', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bin.xml'), Buffer.from([0, 159, 146, 150, 0, 0, 1]));
    writeFileSync(path.join(dir, 'empty.xml'), '');
    const r = cli(['check', path.join(dir, 'bin.xml'), path.join(dir, 'empty.xml')]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /bin\.xml:1:1 error FILE002 Not read: this file was named to be checked, but it is binary data/);
    assert.match(r.stdout, /empty\.xml:1:1 error FILE002 Not read: .* it is an empty file/);
    assert.match(r.stderr, /nothing to check/);
  });

  test('a 50 MB topology is refused with FILE001, no crash', () => {
    const dir = tempDir();
    const file = path.join(dir, 'huge.xml');
    const fd = openSync(file, 'w');
    writeSync(fd, '<?xml version="1.0"?>\n<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">\n<Clusters>\n');
    const chunk = '<Cluster Fqdn="x.contoso.com"><ClusterId SiteId="1" Number="1" /></Cluster>\n'.repeat(10000);
    for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
    closeSync(fd);
    const r = cli(['check', dir]);
    assert.equal(r.code, 2, 'the only topology was skipped: nothing was checked');
    assert.match(r.stdout, /huge\.xml:1:1 information FILE001 Skipped: the file is 50\.\d MB, over the 16\.0 MB limit/);
  });
});

describe('lync-kst.json', () => {
  test('the nearest lync-kst.json sets rules, exclusions and the assumed version; options override it', () => {
    const dir = copyExample();
    writeFileSync(
      path.join(dir, 'lync-kst.json'),
      JSON.stringify({ rules: { KST001: 'warning', EVT003: 'warning' }, files: { exclude: ['new-owa-*.ps1'] } }),
    );
    const r = cli(['check', dir]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /topology\.xml:37:70 warning KST001/);
    assert.doesNotMatch(r.stdout, /new-owa-trusted-app\.ps1/, 'the excluded script is not read');
    assert.match(r.stdout, /in 3 files\.$/m);
    const other = path.join(tempDir(), 'strict.json');
    writeFileSync(other, JSON.stringify({ rules: { KST001: 'off', EVT003: 'off' } }));
    assert.match(cli(['check', '--config', other, dir]).stdout, /^0 errors, 0 warnings/m);
  });

  test('an invalid lync-kst.json is a usage error (exit 2) that says what is wrong', () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, 'lync-kst.json'), '{ "rules": { "KST001": "loud", "NOPE1": "off" }, "colour": 1 }');
    const r = cli(['check', dir]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      new RegExp(
        'lync-kst\\.json: unknown setting colour; rules\\.KST001 must be one of error, warning, information, hint, off; ' +
          'rules: unknown rule NOPE1\n',
      ),
    );
  });
});

describe('lync-kst kst', () => {
  test('the table shows both ex1 entries dropped by 14563 and the start-up events', () => {
    const r = cli(['kst', 'examples/contoso']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      new RegExp(
        '^ex1\\.contoso\\.com\\s+6\\s+Lync Server 2013\\s+dropped by 14563\\s+' +
          'fe01\\.contoso\\.com: dropped, version 6 and 0 \\(14563 at 2026-11-30T06:00:09\\.602117300Z\\)\\s+' +
          'Trusted Application Pool ex1\\.contoso\\.com in the topology\\s+examples/contoso/topology\\.xml:37:70$',
        'm',
      ),
    );
    assert.match(
      r.stdout,
      /^ex1\.contoso\.com\s+0\s+any\s+dropped by 14563\s+fe01\.contoso\.com: dropped.*Exchange UM Routing \(SipName dial plan Contoso/m,
    );
    assert.match(r.stdout, /^pool01\.contoso\.com\s+6\s+Lync Server 2013\s+known\s+fe01\.contoso\.com: known, version 6 \(14492 at /m);
    assert.match(r.stdout, /^As logged \(the event-log exports of the workspace\):\n {2}fe01\.contoso\.com: started 2026-11-30T06:00:04/m);
    const events = r.stdout.split('Start-up events')[1];
    assert.deepEqual(
      [...events.matchAll(/^ {2}(\d{5})/gm)].map((m) => m[1]),
      ['14492', '44024', '14563', '14495'],
    );
    assert.doesNotMatch(r.stdout, /44030/);
  });

  test('--restart adds the Option 2 sequence: 14563, 44030, 14493', () => {
    const r = cli(['kst', '--restart', 'examples/contoso']);
    const after = r.stdout.split('After an RTCSRV restart (Option 2):')[1];
    assert.deepEqual(
      [...after.matchAll(/^ {2}(\d{5})/gm)].map((m) => m[1]),
      ['14492', '44024', '14563', '44030', '14493'],
    );
    assert.match(r.stdout, /AFTER RESTART/);
  });
});

describe('lync-kst fix', () => {
  test('applies Option 1 in place, says what it changed, and the conflict is gone', () => {
    const dir = copyExample();
    const r = cli(['fix', dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^fixed KST001: removed Trusted Application Pool ex1\.contoso\.com/m);
    // Fixed here; production stays broken until the topology is published, which the event export still shows.
    assert.match(r.stdout, /After fixing: 1 error/);
    assert.match(readFileSync(path.join(dir, 'topology.xml'), 'utf8'), /<!-- lync-kst removed-pool ex1\.contoso\.com/);
    const after = cli(['check', dir]);
    assert.deepEqual(
      [...after.stdout.matchAll(/ error (\w+) /g)].map((m) => m[1]),
      ['EVT003'],
    );
    assert.match(after.stdout, /The workspace no longer has the conflict: Option 1 removed the pool .* Publish the topology/);
    rmSync(path.join(dir, 'fe01-lync-server-events.xml'));
    assert.equal(cli(['check', dir]).code, 0);
    assert.equal(
      readFileSync(path.join(dir, 'contoso.umdialplans.json'), 'utf8'),
      readFileSync(path.join(EXAMPLE, 'contoso.umdialplans.json'), 'utf8'),
    );
  });

  test('never writes a file it could not fully parse', () => {
    const dir = copyExample();
    const topo = path.join(dir, 'topology.xml');
    const broken = readFileSync(topo, 'utf8').replace('</Topology>', '</Topolog>');
    writeFileSync(topo, broken);
    const r = cli(['fix', dir]);
    assert.match(r.stdout, /not fixed KST001: .*topology\.xml could not be read completely/);
    assert.equal(readFileSync(topo, 'utf8'), broken);
  });
});
