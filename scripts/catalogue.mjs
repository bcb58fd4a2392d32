// `npm run catalogue`: writes what the rule catalogue (server/src/rules) generates into the files
// that carry it: the README's rule table, package.json's lyncKst.rules setting, and the JSON
// schema of lync-kst.json. test/catalogue.test.ts fails when a committed copy is stale.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const out = await build({
  entryPoints: ['server/src/rules/generated.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const files = module.exports.generatedFiles(readFileSync);
for (const [path, text] of Object.entries(files)) {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (before !== text) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`updated ${path}`);
  }
}
