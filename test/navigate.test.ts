/**
 * Navigation in the engine: TOP002 for a reference to nothing (a table of the link kinds), and
 * properties over generated topologies: every link resolves or is TOP002 where it is written;
 * a rename and its inverse give the original bytes back; the task's problem matcher reads the
 * CLI's output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { applyEdits } from '../server/src/fixes/edits';
import { definitionAt, navIndex } from '../server/src/navigate/index';
import { renameAt } from '../server/src/navigate/rename';
import { linkKey } from '../server/src/readers/topology/model';
import { isInput } from '../server/src/readers/registry';
import { SourceFile } from '../server/src/text/source';
import { analyze } from '../server/src/workspace/analyze';
import { generateTopology } from './bench/generate';
import { marked, seenAll } from './cases';
import { Rng } from './random';
import { example, ROOT, run, sample } from './helpers';

const TOPOLOGY = example('topology.xml');
const TBXML = readFileSync(path.join(ROOT, 'test', 'fixtures', 'lab.tbxml'), 'utf8');

describe('TOP002: a reference to nothing, at the reference', () => {
  const rows: { name: string; files: Record<string, string> }[] = [
    {
      name: 'a service installed on a cluster that does not exist',
      files: {
        't.xml': TOPOLOGY.replace(
          '<InstalledOn>\n        <ClusterId SiteId="1" Number="4" />',
          '<InstalledOn>\n        ⟦TOP002 <ClusterId SiteId="1" Number="9" />⟧',
        ),
      },
    },
    {
      name: 'a dependency on a service that does not exist',
      files: {
        // The WebServices service's dependency on the file store (the last FileStore dependency of the file).
        't.xml': ((t: string) => {
          const at = t.lastIndexOf('<ServiceId SiteId="1" RoleName="FileStore" Instance="1" />');
          const dangling = '⟦TOP002 <ServiceId SiteId="1" RoleName="FileStore" Instance="7" />⟧';
          return t.slice(0, at) + dangling + t.slice(at + '<ServiceId SiteId="1" RoleName="FileStore" Instance="1" />'.length);
        })(TOPOLOGY),
      },
    },
    {
      name: 'a store on an SQL instance that does not exist',
      files: {
        't.xml': TOPOLOGY.replace(
          '<InstalledOn>\n        <SqlInstanceId Name="rtc">',
          '<InstalledOn>\n        ⟦TOP002 <SqlInstanceId Name="lync">⟧',
        ),
      },
    },
    {
      name: 'a .tbxml InstalledOn GUID of no cluster (its case does not matter when it matches)',
      files: {
        'lab.tbxml': TBXML.replace(
          'InstalledOn="{AAAA0000-0000-0000-0000-000000000002}"',
          'InstalledOn="⟦TOP002 {AAAA0000-0000-0000-0000-00000000000F}⟧"',
        ),
      },
    },
    {
      name: 'no TOP002 on the example and the lab .tbxml',
      files: { 't.xml': TOPOLOGY, 'lab.tbxml': TBXML, 'clean.xml': sample('lync2013-contoso-clean.xml') },
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const { texts, expected } = marked(row.files);
      const all = seenAll(run(texts)).filter((f) => f.includes('TOP002'));
      assert.deepEqual(
        all,
        expected.filter((f) => f.includes('TOP002')),
      );
    });
  }
});

describe('navigation, attacked', () => {
  test('property: in generated topologies every link resolves, and goes to definition lands on its target (40 seeds)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const g = generateTopology({ pools: 1 + (seed % 5), trustedPools: seed % 4, conflicts: 0, seed });
      const a = analyze([new SourceFile('t.xml', g.topology)]);
      const t = a.inputs.filter(isInput)[0]?.contributes.topologies?.[0];
      assert.ok(t);
      assert.equal(a.findings.filter((f) => f.code === 'TOP002').length, 0, `seed ${seed}`);
      for (const l of t.links) {
        const target = t.targets.get(linkKey(l.kind, l.key));
        assert.ok(target, `seed ${seed}: ${l.written}`);
        const d = definitionAt(a, 't.xml', l.from.start + 1);
        assert.ok(
          d?.targets.some((x) => x.selection.start === target.selection.start),
          `seed ${seed}: definition of ${l.written}`,
        );
      }
    }
  });

  test('property: renaming a server and renaming it back gives every file its bytes back (60 seeded cases)', () => {
    const rng = new Rng(14563);
    for (let n = 0; n < 60; n++) {
      const g = generateTopology({ pools: rng.int(1, 4), trustedPools: rng.int(1, 3), conflicts: 1, seed: rng.int(1, 1000) });
      const files = [new SourceFile('t.xml', g.topology), new SourceFile('d.umdialplans.json', g.dialPlans)];
      const a = analyze(files);
      const fqdns = [...navIndex(a).fqdns.keys()];
      const from = rng.pick(fqdns);
      const token = navIndex(a).fqdns.get(from)?.[0];
      assert.ok(token);
      const to = `renamed${n}.contoso.com`;
      const r = renameAt(a, token.span.file.path, token.span.start + 1, to);
      assert.ok(typeof r !== 'string', r as string);
      const renamed = files.map((f) => f.withText(applyEdits(f.text, r.edits.get(f) ?? [])));
      assert.ok(renamed.some((f, i) => f.text !== files[i].text));
      const b = analyze(renamed);
      const back = navIndex(b).fqdns.get(to as never)?.[0];
      assert.ok(back, `case ${n}: ${to} is written after the rename`);
      const r2 = renameAt(b, back.span.file.path, back.span.start + 1, from);
      assert.ok(typeof r2 !== 'string');
      const restored = renamed.map((f) => applyEdits(f.text, r2.edits.get(f) ?? []));
      assert.deepEqual(
        restored,
        files.map((f) => f.text),
        `case ${n}: ${from} -> ${to} -> ${from}`,
      );
    }
  });
});

describe('the $lync-kst problem matcher', () => {
  test("reads every line of the CLI's text output: file, line, column, severity, code, message", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'lync-kst');
    const re = new RegExp(matcher.pattern.regexp);
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'server', 'out', 'cli.js'), 'check', 'examples/contoso', 'examples/exchange2019'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    const lines = r.stdout.split('\n').filter((l) => /^\S+:\d+:\d+ /.test(l));
    assert.ok(lines.length >= 5);
    for (const line of lines) {
      const m = re.exec(line);
      assert.ok(m, line);
      const p = matcher.pattern;
      assert.ok(['error', 'warning', 'info', 'hint'].includes(m[p.severity]), line);
      assert.match(m[p.code], /^[A-Z]+\d{3}$/);
      assert.ok(m[p.file].startsWith('examples/') && Number(m[p.line]) > 0 && Number(m[p.column]) > 0);
    }
    assert.ok(lines.some((l) => re.exec(l)?.[matcher.pattern.severity] === 'warning'));
  });
});
