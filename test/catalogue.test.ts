import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CATALOGUE, CHECKERS, CODES, docsUrl, RULES } from '../server/src/rules/catalogue';
import { generatedFiles } from '../server/src/rules/generated';
import { ROOT } from './helpers';

const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

test('the README catalogue and package.json lyncKst.rules are what the catalogue generates (npm run catalogue)', () => {
  const files = generatedFiles((p) => read(p));
  for (const [file, text] of Object.entries(files)) assert.equal(read(file), text, `${file} is stale: run npm run catalogue`);
});

test('every code is defined once, by the module its prefix names, and documented at its anchor', () => {
  assert.equal(new Set(CODES).size, CODES.length);
  const readme = read('README.md');
  for (const rule of RULES) {
    const prefix = rule.code.replace(/\d+$/, '').toLowerCase();
    const module = {
      kst: 'kst',
      evt: 'evt',
      exc: 'exc',
      tap: 'tap',
      fqdn: 'fqdn',
      um: 'um',
      top: 'top',
      xml: 'xml',
      enc: 'enc',
      ps: 'ps',
      file: 'file',
      int: 'internal',
    }[prefix];
    assert.ok(module, `${rule.code}: no module for its prefix`);
    const source = read(`server/src/rules/${module}.ts`);
    assert.match(source, new RegExp(`export const ${rule.code} = rule`), `${rule.code} is defined in rules/${module}.ts`);
    assert.ok(readme.includes(`<a id="${docsUrl(rule.code).split('#')[1]}"></a>${rule.code}`), `${rule.code} has its README anchor`);
    assert.ok(rule.title && rule.description && rule.message.length <= 1, `${rule.code} has a title, a description and a message function`);
  }
  assert.equal(CATALOGUE.size, RULES.length);
  // Every rule a checker runs is in the catalogue, and no checker shares a rule.
  const run = CHECKERS.flatMap((c) => c.rules.map((r) => r.code));
  assert.equal(new Set(run).size, run.length);
});
