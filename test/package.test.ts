import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('the .vsix holds the bundles, grammars, README, icon and licence, and nothing else', () => {
  const listed = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('npm warn'))
    .sort();
  assert.deepEqual(listed, [
    'LICENSE',
    'README.md',
    'client/out/extension.js',
    'images/icon.png',
    'package.json',
    'schemas/lync-kst.schema.json',
    'server/out/server.js',
    'server/out/worker.js',
    'syntaxes/kst.language-configuration.json',
    'syntaxes/kst.tmLanguage.json',
    'syntaxes/tbxml.language-configuration.json',
    'syntaxes/tbxml.tmLanguage.json',
  ]);
});

test('every file the manifest points at exists after the build', () => {
  const c = pkg.contributes;
  const paths = [
    pkg.main,
    pkg.icon,
    ...c.grammars.map((g: { path: string }) => g.path),
    ...c.languages.map((l: { configuration: string }) => l.configuration),
    ...c.jsonValidation.map((j: { url: string }) => j.url),
    ...Object.values(pkg.bin as Record<string, string>),
  ];
  for (const p of paths) assert.ok(existsSync(path.join(ROOT, p)), `${p} exists`);
});

test('the manifest runs in VS Code 1.100 (the offline workbench) and declares what it supports', () => {
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.devDependencies['@types/vscode'], '1.100.0');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
  assert.ok(!pkg.activationEvents.includes('*'), 'never activates on start-up for everyone');
});
