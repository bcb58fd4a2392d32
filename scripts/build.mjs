// Bundles the CLI, the language server and the VS Code client with esbuild.
// Type checking is tsc's job (npm run typecheck); esbuild only strips types.
import { build, context } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  sourcemap: true,
  // Smaller bundles load faster in the extension host; names are kept so stack traces still read.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  define: { LYNC_KST_VERSION: JSON.stringify(pkg.version) },
};

const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js', banner: { js: '#!/usr/bin/env node' } },
  // The server's analysis thread, loaded from beside server.js.
  { entryPoints: ['server/src/lsp/engine/worker.ts'], outfile: 'server/out/worker.js' },
  // The editor provides `vscode` at run time.
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
];

if (process.argv.includes('--watch')) {
  // Rebuilds on every save, one line per error for the editor's problem matcher (.vscode/tasks.json).
  // Types are tsc's: run `npm run typecheck`, or rely on the editor.
  const report = {
    name: 'report',
    setup(b) {
      b.onStart(() => console.log(`[watch] build started ${b.initialOptions.outfile}`));
      b.onEnd((r) => {
        for (const e of r.errors)
          console.log(`error: ${e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : ''}${e.text}`);
        console.log(`[watch] build finished ${b.initialOptions.outfile}`);
      });
    },
  };
  for (const e of entries) await (await context({ ...common, ...e, logLevel: 'silent', plugins: [report] })).watch();
} else {
  await Promise.all(entries.map((e) => build({ ...common, ...e })));
  console.log(`built ${entries.map((e) => e.outfile).join(', ')}`);
}
