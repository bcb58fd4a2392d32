/**
 * One baseline per example workspace: every file with each diagnostic written under the line it
 * hits (model: Bicep's main.diagnostics.bicep). The test regenerates it and diffs; after a
 * deliberate change, `UPDATE_BASELINES=1 npm test` rewrites it, and the diff is reviewed in git.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isInput } from '../server/src/readers/registry';
import { loadPaths } from '../server/src/workspace/load';
import { analyze } from '../server/src/workspace/analyze';
import { ROOT } from './helpers';

const EXAMPLES = path.join(ROOT, 'examples');

async function baseline(name: string): Promise<string> {
  const dir = path.join(EXAMPLES, name);
  const loaded = await loadPaths([dir], { keyOf: (p) => path.relative(dir, p).split(path.sep).join('/') });
  const a = analyze(loaded.files);
  const out = [`# lync-kst baseline of examples/${name}: every diagnostic under the line it hits. Regenerate: UPDATE_BASELINES=1 npm test`];
  for (const input of a.inputs) {
    const file = input.file;
    out.push('', `## ${file.path} (${isInput(input) ? input.reader.what : input.kind})`);
    const findings = a.findings.filter((f) => f.span.file === file);
    const lines = file.text.split(/\r\n|\r|\n/);
    lines.forEach((text, i) => {
      out.push(text);
      for (const f of findings) {
        const s = file.lines.positionAt(f.span.start);
        if (s.line !== i) continue;
        const e = file.lines.positionAt(f.span.end);
        out.push(`//@[${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1}] ${f.severity} ${f.code}: ${f.message}`);
        for (const r of f.related)
          out.push(`//@    related ${r.span.file.path}:${r.span.file.lines.positionAt(r.span.start).line + 1}: ${r.message}`);
      }
    });
  }
  return out.join('\n') + '\n';
}

for (const name of readdirSync(EXAMPLES).filter((n) => existsSync(path.join(EXAMPLES, n, 'README.md')))) {
  test(`baseline of examples/${name}`, async () => {
    const file = path.join(ROOT, 'test', 'baselines', `${name}.txt`);
    const now = await baseline(name);
    if (process.env.UPDATE_BASELINES === '1') writeFileSync(file, now);
    assert.ok(existsSync(file), `no baseline for ${name}: run UPDATE_BASELINES=1 npm test`);
    assert.equal(
      now,
      readFileSync(file, 'utf8'),
      `examples/${name} reports differently from test/baselines/${name}.txt (UPDATE_BASELINES=1 npm test rewrites it)`,
    );
  });
}
